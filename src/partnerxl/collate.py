"""Collate returned Response forms into a new copy of a review workbook, one respondent column per form.

The review and the forms are only read: the result is a new file (written atomically). A form for another
partnership or another review year, a form without an organisation or with errors, and an organisation that already
has a column (in the review or in an earlier form) are refused with a message naming the file — nothing is written.
Each form's comments become notes on its rating cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from partnerxl.sheets import layout as L
from partnerxl.core.errors import PartnerXLError
from partnerxl.reading import ResponseBook, ReviewBook, read_response, read_review
from partnerxl.core.settings import Settings
from partnerxl.files.opening import FileWorkbook, detect_kind
from partnerxl.files.writing import save_workbook


@dataclass
class CollateResult:
    out: Path
    added: list[tuple[str, str, str]]  # (file name, organisation, column letter)


def _read(path: Path, kind: str, settings: Settings | None):
    with FileWorkbook.open(path, settings) as source:
        found, _ = detect_kind(source)
        if found != kind:
            raise PartnerXLError(f"is a PartnerXL {found} workbook, not a {kind}. Check the order: the review "
                                 "first, then the Response forms.", file=source.path_label)
        return read_review(source) if kind == "review" else read_response(source)


def _first_error(book: ReviewBook | ResponseBook) -> str | None:
    errors = [f for f in book.findings if f.severity == "error"]
    if not errors:
        return None
    f = errors[0]
    where = "!".join(p for p in (f.sheet, f.cell) if p)
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {f.message}{more}"


def collate(review_path: str | Path, response_paths: list[str | Path], out_path: str | Path,
            settings: Settings | None = None) -> CollateResult:
    review_path, out_path = Path(review_path), Path(out_path)
    paths = [Path(p) for p in response_paths]
    inputs = [review_path, *paths]
    for p in inputs:
        if p.exists() and out_path.exists() and p.resolve() == out_path.resolve():
            raise PartnerXLError("is one of the inputs: choose a new file name for the collated review (--out); "
                                 "PartnerXL never rewrites an input.", file=str(out_path))
    review_book: ReviewBook = _read(review_path, "review", settings)
    if review_book.review is None:
        raise PartnerXLError("cannot be collated until its About sheet is complete: "
                             + (_first_error(review_book) or "fill in the partnership ID and year") +
                             ". Run partnerxl validate on it.", file=review_path.name)
    review = review_book.review
    taken = {org.casefold(): f"column {col} of the review" for org, col in review_book.respondent_columns.items()}
    forms: list[tuple[Path, ResponseBook]] = []
    for p in paths:
        book: ResponseBook = _read(p, "response", settings)
        problem = _first_error(book)
        if problem:
            raise PartnerXLError(f"has errors, so it was not collated: {problem}. Ask the partner to correct the form "
                                 "(or run partnerxl validate on it); nothing was written.", file=p.name)
        if (book.partnership_id or "").strip().casefold() != review.partnership_id.strip().casefold():
            raise PartnerXLError(f"is a form for partnership '{book.partnership_id}', but the review is for "
                                 f"'{review.partnership_id}'. Leave it out; nothing was written.", file=p.name)
        if book.year is not None and book.year != review.year:
            raise PartnerXLError(f"is a form for the {book.year} review, but the review is for {review.year}. Leave it "
                                 "out; nothing was written.", file=p.name)
        key = book.organisation.casefold()  # type: ignore[union-attr] - no error means an organisation is there
        if key in taken:
            raise PartnerXLError(f"is from '{book.organisation}', which already has ratings ({taken[key]}): each "
                                 "organisation rates once. Leave out the duplicate; nothing was written.", file=p.name)
        taken[key] = f"form {p.name}"
        forms.append((p, book))
    free = review_book.free_columns
    if len(forms) > len(free):
        raise PartnerXLError(f"has room for {len(free)} more respondents, but {len(forms)} forms were given. Collate "
                             "them into two reviews, or remove some; nothing was written.", file=review_path.name)

    import warnings

    from openpyxl import load_workbook

    from partnerxl.files.fill import write_respondents

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(review_path)
    ws = wb[L.BENCHMARKS]
    respondents = [b.respondent for _p, b in forms]
    write_respondents(ws, respondents, free, review_book.benchmark_rows, [b.comments for _p, b in forms])
    save_workbook(wb, out_path)
    added = [(p.name, b.organisation or "", col) for (p, b), col in zip(forms, free)]
    return CollateResult(out=out_path, added=added)
