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
from partnerxl.operations.common import errors, load_register, open_book, register_for_review, unusable
from partnerxl.operations.report import Report, count_words, plural, problem_lines



# --- validate -------------------------------------------------------------------------------------------------------

@dataclass
class ValidationReport(Report):
    """Every finding of every workbook given; a workbook that cannot be read at all stops the run (exit 2)."""

    files: list[tuple[str, list[Finding]]] = field(default_factory=list)  # (file, its findings), in the order given
    unreadable: list[Finding] = field(default_factory=list)
    council: str = ""                  # from the register's Settings, when one was given
    as_of: dt.date | None = None       # the day the workbooks were checked as at

    @staticmethod
    def of(files: list[tuple[str, list[Finding]]], unreadable: list[Finding], **about: Any) -> "ValidationReport":
        found = [*unreadable, *(f for _name, fs in files for f in fs)]
        return ValidationReport(findings=found, stopped=bool(unreadable), files=files, unreadable=unreadable,
                                **about)

    def file_lines(self) -> list[tuple[str, str, list[Finding]]]:
        """(file, '2 errors and 1 warning' or 'no problems found', its findings) for each workbook read."""
        return [(name, count_words(found), found) for name, found in self.files]

    def as_json(self) -> dict:
        return {"findings": [f.model_dump(mode="json") for f in self.findings], "provisional": self.provisional,
                "valid": self.valid, "counts": self.counts, "exit_code": self.exit_code}



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
    files: list[tuple[str, list[Finding]]] = []
    unreadable: list[Finding] = []
    for path in paths:
        try:
            with FileWorkbook.open(path, settings) as source:
                files.append((str(path), validate_source(source, register, as_of)))
        except PartnerXLError as exc:
            unreadable.append(unusable(Path(path).name, exc))
    when = as_of or (register.as_of if register else None) or dt.date.today()
    return ValidationReport.of(files, unreadable, council=settings.council_name if settings else "", as_of=when)


def write_validation_report(result: ValidationReport, out: str | Path) -> Path:
    from partnerxl.documents.validation_report import write_report
    return write_report(result.findings, Path(out), council=result.council, as_of=result.as_of)


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


def score_json(text: str, *, label: str) -> "ScoreReport":
    """Score a review given in PartnerXL's JSON form (docs/scoring.md); PartnerXLError when it is not one."""
    from partnerxl.core.models import Review

    try:
        review = Review.model_validate_json(text)
    except ValueError as exc:
        lines = [line for line in str(exc).splitlines() if "For further information" not in line]
        raise PartnerXLError("is not a valid review in PartnerXL's JSON form: " + " | ".join(lines[:6]),
                             file=label) from None
    return ScoreReport.of(score_review(review, Settings(), as_of=dt.date.today()), None)


@dataclass
class ScoreReport(Report):
    """A review's scores, the findings they were made with, and whose settings scored them."""

    score: ReviewScore | None = None
    register: Path | None = None  # the register whose Settings were used; None: the defaults

    @staticmethod
    def of(score: ReviewScore, register: Path | None) -> "ScoreReport":
        return ScoreReport(findings=list(score.findings), score=score, register=register)

    @property
    def settings_words(self) -> str:
        """Whose settings scored the review, in an officer's words."""
        if self.register is None:
            return "the defaults: no register found"
        return f"the council's, from {self.register.name}"

    @property
    def headline(self) -> str:
        r, o = self.score, self.score.overall
        overall = (f"overall {o.score:.2f} ({o.band}, {o.rag})" if o.score is not None
                   else "overall not scored (an area has too few ratings)")
        return (f"{r.partnership_id} {r.year}, {plural(r.respondents, 'respondent')}: {overall}; "
                f"{plural(len(r.priority_benchmarks), 'priority benchmark')}, "
                f"{plural(len(r.split_benchmarks), 'split benchmark')}")

    @property
    def provisional_note(self) -> str | None:
        """The PROVISIONAL words every presenter shows, or None when every entry was read."""
        if not self.provisional:
            return None
        n = len(self.errors)
        return (f"PROVISIONAL: {plural(n, 'entry', 'entries')} could not be read and {'was' if n == 1 else 'were'} "
                "left out of these scores; correct "
                f"{'it' if n == 1 else 'them'} and score again.")

    def left_out_lines(self, limit: int | None = None) -> list[str]:
        """The entries left out, where each is in the review and what is wrong."""
        return problem_lines([f.model_copy(update={"file": ""}) for f in self.errors], limit=limit)

    def as_json(self) -> dict:
        return {**self.score.model_dump(mode="json"), "settings": self.settings_words}


def score(review_path: str | Path, *, register_path: str | Path | None = None) -> ScoreReport:
    """A review workbook's scores under the council's settings and as-of date: the register given, else the
    register whose reviews folder holds the review (else the defaults and today, and the report says so)."""
    if register_path:
        register, found = load_register(register_path), Path(register_path)
    else:
        register, found = register_for_review(review_path)
    return score_review_book(open_book(review_path, "review", register.settings if register else None),
                             register=register, register_path=found)


def score_open_review(review_book: Any, review_path: Path | None) -> ScoreReport:
    """The Score button's form: a review read from the open workbook, under the settings of its register when the
    workbook is saved where a register reads its reviews from."""
    register, found = register_for_review(review_path) if review_path else (None, None)
    return score_review_book(review_book, register=register, register_path=found)


def score_review_book(book: Any, *, register: Any, register_path: Path | None) -> ScoreReport:
    settings = register.settings if register else None
    return ScoreReport.of(score_book(book, settings, register.as_of if register else None), register_path)
