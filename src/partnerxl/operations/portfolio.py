"""The portfolio: every review in a folder read once, scored, matched to the register and rolled up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import Finding, finding
from partnerxl.core.models import Review
from partnerxl.core.portfolio import Portfolio, ScoredReview, build_portfolio
from partnerxl.core.settings import Settings
from partnerxl.operations.checking import score_book
from partnerxl.operations.common import (OUTPUT_IN_FOLDER, errors, load_register, not_used, read_any_kind,
                                         refuse_output_over_input, unusable, workbook_files)
from partnerxl.operations.progress import phase
from partnerxl.operations.report import Report, plural
from partnerxl.sheets.layout import ABOUT, ABOUT_FIELDS


@dataclass
class PortfolioReport(Report):
    """A portfolio read and rolled up: the committee's numbers, every problem kept out of the scores, and what
    was written. Its findings are the portfolio's problems."""

    portfolio: Portfolio | None = None
    reviews_folder: Path | None = None
    out: Path | None = None                            # the Portfolio workbook written, if any

    @staticmethod
    def of(p: Portfolio, **where: Any) -> "PortfolioReport":
        return PortfolioReport(findings=list(p.problems), portfolio=p, **where)

    @property
    def reviewed(self) -> int:
        return int(self.portfolio.committee["reviewed_this_year"])

    @property
    def flagged(self) -> int:
        return len(self.portfolio.committee["flagged"])

    @property
    def workbooks_with_problems(self) -> int:
        return len({f.file for f in self.findings})

    @property
    def headline(self) -> str:
        p, c = self.portfolio, self.portfolio.committee
        return (f"Portfolio {p.year}, as at {p.as_of:%d %b %Y}: {plural(int(c['partnerships']), 'partnership')}, "
                f"{self.reviewed} reviewed ({c['provisional']} provisional), {self.flagged} flagged, "
                f"{plural(len(self.findings), 'problem')}")



# --- the portfolio --------------------------------------------------------------------------------------------------

def read_review_file(path: Path, settings: Settings, as_of: dt.date | None) -> tuple[ScoredReview | None, list[Finding]]:
    """One review workbook, read once and scored: (the scored review, or None when it cannot be used; findings)."""
    from partnerxl.storage.opening import FileWorkbook

    try:
        with FileWorkbook.open(path, settings) as source:
            kind, book = read_any_kind(source, as_of)
    except PartnerXLError as exc:
        from partnerxl.storage.opening import written_by_partnerxl

        if written_by_partnerxl(path):  # a summary saved into the reviews folder: not a review, not a fault
            return None, [finding("file-not-used", path.name, value=path.suffix, detail=OUTPUT_IN_FOLDER)]
        return None, [unusable(path.name, exc)]
    if kind != "review":
        return None, [finding("wrong-kind", path.name, field="review", value=kind,
                              detail="move it out of the reviews folder.")]
    findings = [f.model_copy(update={"file": path.name}) for f in book.findings]
    if book.review is None:
        return None, [finding("review-incomplete", path.name), *errors(findings)]
    score = score_book(book, settings, as_of).model_copy(update={"findings": findings})
    id_cell = (ABOUT, ABOUT_FIELDS["partnership_id"][0])
    return ScoredReview(review=book.review, score=score, source=path.name, id_cell=id_cell), findings


def _read_review_task(args: tuple) -> Any:
    """`read_review_file` as the portfolio keeps it: the review as far as the portfolio's outputs use it (its About
    sheet's fields; the scores carry the rest), and its text-cut notes, made from the whole review, with its
    findings. From a worker it travels packed (core/compact.py)."""
    from partnerxl.core.compact import made

    scored, findings = read_review_file(*args)
    if scored is not None:
        findings = [*findings, *cut_texts([scored])]
        about = {key: getattr(scored.review, key) for key in ABOUT_FIELDS}
        scored = replace(scored, review=made(Review, **about))
    return scored, findings


def read_reviews(paths: list[Path], settings: Settings, as_of: dt.date | None, *, progress: Any = None
                 ) -> tuple[list[ScoredReview], list[Finding]]:
    """Every review in `paths` (in worker processes for a large folder: the results are the same either way), as
    the portfolio keeps them: each review's About fields and scores; the findings include each usable review's
    text-cut notes (`cut_texts`). `progress` (operations/progress.py), if given, is told as reviews are read."""
    from functools import partial

    from partnerxl.core.compact import pack, unpack
    from partnerxl.core.instruments import instrument_texts
    from partnerxl.storage.parallel import run_all

    tasks = [(p, settings, as_of) for p in paths]
    loaded = run_all(_read_review_task, tasks, progress=phase(progress, "reading reviews"), send=pack,
                     receive=partial(unpack, texts=instrument_texts(), shared={}))
    scored = [s for s, _f in loaded if s is not None]
    return scored, [f for _s, found in loaded for f in found]


def portfolio(register: Any, review_paths: list[Path], *, year: int | None = None,
              as_of: dt.date | None = None, progress: Any = None) -> Portfolio:
    """The portfolio of a read register and review files; `year` None = the latest review year up to the as-of
    date's year (the add-in's choice), else the year asked for."""
    when = as_of or register.as_of or dt.date.today()
    problems = [f for f in register.findings if f.severity == "error"]
    scored, found = read_reviews(review_paths, register.settings, when, progress=progress)
    if year is None:
        years = [s.year for s in scored if s.year <= when.year]
        year = max(years) if years else when.year
    left = (not_used(review_paths) + [f for f in found if f.code == "file-not-used"]
            + [f for f in found if f.code == "text-cut"])
    return build_portfolio(list(register.entries), scored, year, when, register.settings,
                           problems=problems + left + errors(found), entry_rows=register.row_of)


def cut_texts(scored: list[ScoredReview]) -> list[Finding]:
    """A text-cut note for every text of a review that (nearly) fills a cell: where an output adds to it (the
    '(by …)' owner of an action, a heading) the text is cut there, visibly, and the officer should know why."""
    from partnerxl.core.values import CELL_LIMIT, long_texts

    near = CELL_LIMIT - 1000  # a review whose whole JSON is shorter holds no text this long: nothing to walk
    return [finding("text-cut", s.source, field=where.replace("_", " ").capitalize(), value=f"{length:,}",
                    detail=f"{CELL_LIMIT:,}")
            for s in scored if len(s.review.model_dump_json()) > near
            for where, length in long_texts(s.review.model_dump(mode="json"), near)]


def reviews_folder(register: Any, register_path: Path) -> Path:
    """Where a register's reviews are: the folder named on its Settings sheet (relative to the register's folder),
    else the register's own folder; PartnerXLError when the folder named does not exist."""
    folder = register.reviews_dir(register_path) or Path(register_path).resolve().parent
    if not folder.is_dir():
        raise PartnerXLError(
            f"The reviews folder '{register.reviews_folder}' named on the Settings sheet does not exist (looked for "
            f"{folder}). Correct the folder on the Settings sheet (a folder name relative to the register's folder, "
            "or a full path) and try again.")
    return folder


def register_portfolio(register: Any, register_path: Path, *, year: int | None = None,
                       as_of: dt.date | None = None, progress: Any = None) -> PortfolioReport:
    """The portfolio of a read register and the reviews in its reviews folder (the buttons' and Lite's form)."""
    folder = reviews_folder(register, register_path)
    paths = workbook_files(folder, skip=(register_path,))
    return PortfolioReport.of(portfolio(register, paths, year=year, as_of=as_of, progress=progress),
                              reviews_folder=folder)


def rollup(register_path: str | Path, reviews_dir: str | Path, *, year: int, out: str | Path,
           as_of: dt.date | None = None, progress: Any = None) -> PortfolioReport:
    """Read the register and every review in the folder, and write the Portfolio workbook; `progress`
    (operations/progress.py), if given, is told as the reviews are read."""
    from partnerxl.documents.portfolio_workbook import write_portfolio
    from partnerxl.storage.writing import check_not_open

    register_path, out = Path(register_path), Path(out)
    register = load_register(register_path, as_of)
    paths = workbook_files(Path(reviews_dir), skip=(register_path,))
    refuse_output_over_input(out, [register_path, *paths], option="--out")
    check_not_open(out)
    result = portfolio(register, paths, year=year, as_of=as_of, progress=progress)
    write_portfolio(result, out)
    return PortfolioReport.of(result, reviews_folder=Path(reviews_dir), out=out)
