"""Collate returned Response forms into a review: one rule for the command line and the button."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import Finding, finding
from partnerxl.core.people import same_person
from partnerxl.core.text import match_key
from partnerxl.operations.checking import score_book
from partnerxl.operations.common import errors, open_book, refuse_output_over_input, unusable
from partnerxl.operations.report import Report, plural



# --- collate --------------------------------------------------------------------------------------------------------

@dataclass
class CollateReport(Report):
    """Which forms go into which free respondent column, and every form left out with the reason (its findings)."""

    added: list[tuple[str, str, Any]] = field(default_factory=list)   # (column letter, file name, ResponseBook)
    offered: int = 0                                                   # forms found
    review: str = ""                                                   # 'P001 2025'

    @property
    def headline(self) -> str:
        return f"{plural(len(self.added), 'response')} added to {self.review}" + (
            f"; {plural(len(self.findings), 'form')} left out" if self.findings else "")

    def column_lines(self) -> list[str]:
        """'C Police (Response P001 Police.xlsx)' for each form collated."""
        return [f"{col} {form.organisation} ({name})" for col, name, form in self.added]



def read_forms(paths: list[Path], *, quiet_non_forms: bool = False) -> list[tuple[str, Any]]:
    """(file name, ResponseBook or a Finding saying why it cannot be used) for each path.

    `quiet_non_forms` passes over workbooks that are not Response forms (a folder also holds the review, the
    register, other documents) without reading them; a file that cannot be opened is always named.
    """
    from partnerxl.storage.opening import FileWorkbook
    from partnerxl.reading import read_response
    from partnerxl.sheets.grid import detect_kind

    out: list[tuple[str, Any]] = []
    for path in paths:
        try:
            with FileWorkbook.open(path) as source:
                try:
                    kind, _version = detect_kind(source)
                except PartnerXLError as exc:  # opened, but not a PartnerXL workbook
                    if not quiet_non_forms:
                        out.append((path.name, unusable(path.name, exc)))
                    continue
                form = read_response(source) if kind == "response" else None
        except PartnerXLError as exc:
            out.append((path.name, unusable(path.name, exc)))
            continue
        if form is None:
            if not quiet_non_forms:
                out.append((path.name, finding("wrong-kind", path.name, field="Response form", value=kind,
                                               detail="only Response forms can be collated.")))
            continue
        out.append((path.name, form))
    return out


def plan_collate(review_book: Any, forms: list[tuple[str, Any]]) -> CollatePlan:
    """Decide, for a review and the forms offered, what is collated: the same rule for the command and the button.

    A form for another partnership or year, or with no ratings at all, is left alone (a warning); a form with
    errors, from a person who already has a column, or beyond the free columns is left out and named (an error);
    the rest fill free columns.
    """
    review = review_book.review
    plan = CollateReport(offered=len(forms), review=f"{review.partnership_id} {review.year}")
    # A respondent is a person of an organisation (docs/rules.md, "Invited respondents"): a second person of one organisation is welcome,
    # the same person twice is not.
    taken: list[tuple[Any, str]] = [(person, f"column {col} of the review")
                                    for col, person in review_book.respondent_people]
    free = list(review_book.free_columns)
    for name, form in forms:
        if isinstance(form, Finding):
            plan.findings.append(form)
            continue
        if match_key(form.partnership_id) != match_key(review.partnership_id) or \
                (form.year is not None and form.year != review.year):
            plan.findings.append(finding("form-for-another-review", name, value=f"{form.partnership_id} {form.year}",
                                         detail=f"{review.partnership_id} {review.year}"))
            continue
        bad = errors(form.findings)
        if bad:
            where = "!".join(p for p in (bad[0].sheet, bad[0].cell) if p)
            plan.findings.append(finding("form-has-errors", name, bad[0].sheet, bad[0].cell,
                                         detail=f"{where}: {bad[0].message}"))
            continue
        person = form.respondent
        if not person.ratings:  # e.g. a chasing form sent back blank: a column with no ratings would block its owner
            who = ", ".join(x for x in (person.name or person.email, person.organisation) if x)
            plan.findings.append(finding("form-not-filled", name, value=who))
            continue
        where = next((w for p, w in taken if same_person(p, person)), None)
        if where is not None:
            who = ", ".join(x for x in (person.name or person.email, person.organisation) if x)
            plan.findings.append(finding("duplicate-form", name, value=who, detail=where))
            continue
        if not free:
            from partnerxl.sheets.layout import RESPONDENT_COLUMNS

            plan.findings.append(finding("no-free-column", name, value=form.organisation, detail=RESPONDENT_COLUMNS))
            continue
        col = free.pop(0)
        taken.append((person, f"form {name}"))
        plan.added.append((col, name, form))
    return plan


def collate(review_path: str | Path, response_paths: list[str | Path], out_path: str | Path) -> CollatePlan:
    """Write a new review with each usable form in its own respondent column; the inputs are only read."""
    from partnerxl.documents.collated import collated_copy

    review_path, out_path = Path(review_path), Path(out_path)
    paths = [Path(p) for p in response_paths]
    refuse_output_over_input(out_path, [review_path, *paths], option="--out")
    review_book = open_book(review_path, "review")
    if review_book.review is None:
        score_book(review_book)  # raises the plain "cannot be used" line
    plan = plan_collate(review_book, read_forms(paths))
    collated_copy(review_path, out_path, [(col, form) for col, _name, form in plan.added],
                  review_book.benchmark_rows)
    return plan
