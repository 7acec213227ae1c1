"""What is written from a portfolio: summaries, e-mail drafts, and a new review for a partnership."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import finding
from partnerxl.core.portfolio import Portfolio
from partnerxl.core.text import match_key, valid_email
from partnerxl.operations.common import load_register, refuse_output_over_input, workbook_files
from partnerxl.operations.portfolio import PortfolioReport, portfolio
from partnerxl.operations.report import Report, plural


@dataclass
class SummariesReport(PortfolioReport):
    """The portfolio the summaries were written from, and the summaries."""

    paths: list[Path] = field(default_factory=list)
    out_dir: Path | None = None
    pdfs: list[Path] = field(default_factory=list)
    pdf_note: str | None = None     # why PDFs were asked for and not printed

    @property
    def headline(self) -> str:
        if not self.paths:
            return f"no partnership has a usable review for {self.portfolio.year}, so no summary was written"
        text = f"{plural(len(self.paths), 'summary', 'summaries')} for {self.portfolio.year}"
        return text + (", each with its PDF" if self.pdfs else "") + (f" ({self.pdf_note})" if self.pdf_note else "")


@dataclass(frozen=True)
class DraftResult:
    summary: Path
    draft: Path | None
    problem: str | None = None


@dataclass
class DraftsReport(Report):
    """An unsent draft per summary, and a finding for each summary that got none (and why)."""

    drafts: list[DraftResult] = field(default_factory=list)
    out_dir: Path | None = None

    @property
    def written(self) -> list[DraftResult]:
        return [d for d in self.drafts if d.draft]

    @property
    def skipped(self) -> list[DraftResult]:
        return [d for d in self.drafts if d.problem]

    @property
    def headline(self) -> str:
        text = plural(len(self.written), 'email draft')
        return text + (f"; {plural(len(self.skipped), 'summary', 'summaries')} skipped" if self.skipped else "")


@dataclass
class NewReviewReport(Report):
    path: Path | None = None
    partnership_id: str = ""
    partnership_name: str = ""
    year: int = 0

    @property
    def headline(self) -> str:
        return f"{self.partnership_id} {self.partnership_name}, {self.year}, created as {self.path}"



# --- summaries, e-mail drafts, new review ---------------------------------------------------------------------------

def summaries(register_path: str | Path, reviews_dir: str | Path, *, year: int, out_dir: str | Path,
              as_of: dt.date | None = None, pdf: bool = False, progress: Any = None) -> SummariesReport:
    """One summary workbook per partnership reviewed in `year`, from the same portfolio as the rollup."""
    register_path = Path(register_path)
    register = load_register(register_path, as_of)
    paths = workbook_files(Path(reviews_dir), skip=(register_path,))
    result = portfolio(register, paths, year=year, as_of=as_of, progress=progress)
    from partnerxl.documents.summaries import summary_paths

    refuse_output_over_input(summary_paths(result, Path(out_dir)), [register_path, *paths], option="--out")
    return write_summaries(result, Path(out_dir), pdf=pdf, progress=progress)


def write_summaries(p: Portfolio, out_dir: Path, *, pdf: bool = False, progress: Any = None) -> SummariesReport:
    """`Summary <id> <year>.xlsx` in `out_dir` for every partnership with a review in the portfolio's year, and
    with `pdf` each printed beside it (what the e-mail drafts attach) when LibreOffice is installed; without it the
    report says so and the drafts attach the workbook alone. `progress` (operations/progress.py), if given, is
    told as they are written."""
    from partnerxl.documents.pdf_print import libreoffice
    from partnerxl.documents.summaries import write_summaries as write
    from partnerxl.operations.progress import phase

    printable = pdf and libreoffice() is not None
    paths = write(p, Path(out_dir), pdf=printable, progress=phase(progress, "writing summaries"))
    note = ("no PDFs: LibreOffice is not installed, so the e-mail drafts attach the workbook only"
            if pdf and not printable else None)
    pdfs = [x.with_suffix(".pdf") for x in paths] if printable else []
    return SummariesReport(findings=list(p.problems), portfolio=p, paths=paths, out_dir=Path(out_dir), pdfs=pdfs,
                           pdf_note=note)


def email_drafts(summaries_dir: str | Path, entries: list[Any], out_dir: str | Path) -> DraftsReport:
    """An unsent draft per summary, to its partnership's lead officer; a summary whose partnership is not in the
    register, or whose lead officer has no valid address, is named and skipped."""
    from partnerxl.documents.email_drafts import build_draft, draft_path, summary_facts, summary_files, summary_identity
    from partnerxl.storage.writing import atomic_write_bytes

    summaries_dir, out_dir = Path(summaries_dir), Path(out_dir)
    by_key = {match_key(e.id): e for e in entries}
    report = DraftsReport(out_dir=out_dir)
    results = report.drafts
    for path in summary_files(summaries_dir, out_dir):
        ident = summary_identity(path)
        if ident is None:
            continue  # not a PartnerXL summary
        pid, year = ident
        entry = by_key.get(match_key(pid))
        if entry is None:
            results.append(DraftResult(path, None, f"partnership {pid} is not in the register: draft skipped."))
            report.findings.append(finding("draft-not-written", path.name, value=path.name,
                                           detail=results[-1].problem))
        elif not valid_email(entry.lead_officer_email):
            why = "has no lead officer email" if not entry.lead_officer_email else \
                f"has an invalid lead officer email '{entry.lead_officer_email}'"
            results.append(DraftResult(path, None, f"{entry.id} {entry.name} {why} in the register: draft skipped. "
                                                   "Correct the register and run again."))
            report.findings.append(finding("draft-not-written", path.name, value=path.name,
                                           detail=results[-1].problem))
        else:
            pdf = path.with_suffix(".pdf")
            data = build_draft(entry, year, path.read_bytes(), path.name, facts=summary_facts(path),
                               pdf=pdf.read_bytes() if pdf.is_file() else None)
            results.append(DraftResult(path, atomic_write_bytes(draft_path(out_dir, path), data)))
    return report


def email_from_register(summaries_dir: str | Path, register_path: str | Path, out_dir: str | Path) -> DraftsReport:
    return email_drafts(summaries_dir, list(load_register(register_path).entries), out_dir)  # the CLI's form


def new_review(register: Any, entry: Any, folder: Path, year: int) -> NewReviewReport:
    """A new review workbook for `entry` and `year` in `folder`, filled with its id, name and year; never over an
    existing review."""
    from partnerxl.core.models import Review
    from partnerxl.documents.fill import new_review as write_review
    from partnerxl.storage.names import inside, safe_part

    path = inside(folder, f"Review {safe_part(entry.id)} {year}.xlsx")
    if path.exists():
        raise PartnerXLError(f"A review of {entry.id} for {year} already exists:\n{path}\n\nOpen that workbook "
                             "instead; PartnerXL never overwrites a review.")
    written = write_review(path, Review(partnership_id=entry.id, partnership_name=entry.name, year=year), entry)
    return NewReviewReport(path=written, partnership_id=entry.id, partnership_name=entry.name, year=year)
