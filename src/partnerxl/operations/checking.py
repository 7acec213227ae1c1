"""Validate and score: every finding of a workbook, and its scores without the entries that cannot be read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import Finding
from partnerxl.core.scoring import ReviewScore, score_review
from partnerxl.core.settings import Settings
from partnerxl.operations.common import errors, exit_code, load_register, open_book, unusable



# --- validate -------------------------------------------------------------------------------------------------------

@dataclass
class Validation:
    files: list[tuple[str, list[Finding]]] = field(default_factory=list)  # (file, its findings), in the order given
    unreadable: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for _name, found in self.files for f in found]

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else exit_code(self.findings)


def validate_source(source: Any, register: Any = None, as_of: dt.date | None = None) -> list[Finding]:
    """Every finding for one open workbook of any kind (a file or a live book)."""
    from partnerxl.reading import validate_source as check
    return check(source, register, as_of)


def validate(paths: list[str | Path], *, register_path: str | Path | None = None,
             as_of: dt.date | None = None) -> Validation:
    """Check each workbook cell by cell (against the register when given); unreadable files are named."""
    from partnerxl.storage.opening import FileWorkbook

    register = load_register(register_path, as_of) if register_path else None
    settings = register.settings if register else None
    result = Validation()
    for path in paths:
        try:
            with FileWorkbook.open(path, settings) as source:
                result.files.append((str(path), validate_source(source, register, as_of)))
        except PartnerXLError as exc:
            result.unreadable.append(unusable(Path(path).name, exc))
    return result


def write_validation_report(result: Validation, out: str | Path) -> Path:
    from partnerxl.documents.validation_report import write_report
    return write_report([*result.unreadable, *result.findings], Path(out))


# --- score ----------------------------------------------------------------------------------------------------------

def score_book(book: Any, settings: Settings | None = None, as_of: dt.date | None = None) -> ReviewScore:
    """The scores of a read review, without the values that could not be read, carrying the review's findings;
    actions due before `as_of` (default today) are overdue."""
    if book.review is None:
        first = next(iter(errors(book.findings)), None)
        why = f"{first.sheet}!{first.cell}: {first.message}" if first else "the About sheet is incomplete."
        raise PartnerXLError(f"cannot be scored: {why} Fill in the partnership ID and review year.",
                             file=book.path_label)
    result = score_review(book.review, settings or Settings(), as_of=as_of or dt.date.today())
    return result.model_copy(update={"findings": list(book.findings), "provisional": bool(errors(book.findings))})


def score_json(text: str, *, label: str) -> ReviewScore:
    """Score a review given in PartnerXL's JSON form (docs/scoring.md); PartnerXLError when it is not one."""
    from partnerxl.core.models import Review

    try:
        review = Review.model_validate_json(text)
    except ValueError as exc:
        lines = [line for line in str(exc).splitlines() if "For further information" not in line]
        raise PartnerXLError("is not a valid review in PartnerXL's JSON form: " + " | ".join(lines[:6]),
                             file=label) from None
    return score_review(review, Settings(), as_of=dt.date.today())


def score(review_path: str | Path, *, register_path: str | Path | None = None) -> ReviewScore:
    """A review workbook's scores, with the register's settings and as-of date when one is given (else today)."""
    register = load_register(register_path) if register_path else None
    settings = register.settings if register else None
    return score_book(open_book(review_path, "review", settings), settings, register.as_of if register else None)
