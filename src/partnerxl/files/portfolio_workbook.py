"""`partnerxl rollup`: read the register and a folder of reviews, build the portfolio, write Portfolio.xlsx.

The edge around portfolio.py: `load_inputs` opens each workbook once (validation and reading share the opened
source), `write_portfolio` lays the tables out as sheets (layout constants in report_layout.py). Reviews that fail
to open, are not reviews, or have validation errors go on the Problems sheet and are left out of the scores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from partnerxl.sheets import reports as L
from partnerxl.core.errors import PartnerXLError
from partnerxl.core.models import RegisterEntry, Review
from partnerxl.core.portfolio import Portfolio, Problem, build_portfolio, score_reviews
from partnerxl.core.settings import Settings
from partnerxl.files.writing import check_not_open


@dataclass
class Inputs:
    """Everything read from disk: the register's entries and settings, and every usable review."""

    entries: list[RegisterEntry]
    settings: Settings
    register_as_of: dt.date | None
    reviews: list[tuple[str, Review]]
    problems: list[Problem] = field(default_factory=list)
    review_paths: dict[str, Path] = field(default_factory=dict)
    # Each review's scores, worked out where it was read (in the worker process when reading in parallel);
    # score_reviews takes them instead of scoring again.
    scores: dict[str, Any] = field(default_factory=dict)


def _finding_problem(f: Any, fallback_file: str) -> Problem:
    return Problem(file=Path(getattr(f, "file", None) or fallback_file).name, message=f.message,
                   sheet=getattr(f, "sheet", None), cell=getattr(f, "cell", None),
                   code=getattr(f, "code", "invalid"), severity=getattr(f, "severity", "error"))


def review_files(folder: Path) -> list[Path]:
    """The workbooks in `folder` (not sub-folders, not Excel's `~$` lock files), in name order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PartnerXLError("is not a folder. Give the folder that holds the review workbooks.", file=str(folder))
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith(("~$", ".~")))


def load_register(register_path: Path, as_of: dt.date | None = None) -> tuple[Any, list[Problem]]:
    """The register book (entries, settings, as-of date) and its errors as Problems."""
    from partnerxl.reading import read_register
    from partnerxl.files.opening import FileWorkbook, detect_kind

    with FileWorkbook.open(Path(register_path)) as source:
        kind, _version = detect_kind(source)
        if kind != "register":
            raise PartnerXLError(f"is a PartnerXL {kind} workbook, not the register. Give the register first.",
                                 file=source.path_label)
        book = read_register(source, as_of=as_of) if as_of else read_register(source)
    problems = [_finding_problem(f, Path(register_path).name) for f in book.findings if f.severity == "error"]
    return book, problems


# Findings that do not make a review's scores wrong: the rollup shows them as portfolio flags instead of leaving
# the review out (a missing instrument is the "Missing instrument for tier" flag of RULES.md §3).
FLAGGED_NOT_EXCLUDED = {"missing-instrument"}


def load_review(path: Path, settings: Settings, register: Any, as_of: dt.date | None
                ) -> tuple[Review | None, list[Problem]]:
    """One review workbook, opened and read once: (the review or None if it cannot be used, its problems).

    Validation findings come from the same read (the reader collects them) plus the checks against the register;
    any error except those in FLAGGED_NOT_EXCLUDED leaves the review out of the scores.
    """
    from partnerxl.reading import read_review
    from partnerxl.files.opening import FileWorkbook, detect_kind

    name = path.name
    try:
        with FileWorkbook.open(path, settings) as source:
            kind, _version = detect_kind(source)
            if kind != "review":
                return None, [Problem(file=name, code="not-a-review",
                                      message=f"is a PartnerXL {kind} workbook, not a review: move it out of the "
                                              "reviews folder.")]
            book = read_review(source, as_of=as_of) if as_of else read_review(source)
            findings = list(book.findings)
            # The checks against the register (validation.review_against_register) are not repeated here: an
            # unknown id is a Problem when reviews are matched to the register, a missing instrument is a flag and
            # a name that differs is only a warning — so the rollup scores each review once, in portfolio.py.
    except PartnerXLError as exc:
        return None, [Problem(file=name, code="unreadable", message=str(exc))]
    errors = [f for f in findings if f.severity == "error" and f.code not in FLAGGED_NOT_EXCLUDED]
    problems = [_finding_problem(f, name) for f in errors]
    if book.review is None and not errors:
        problems.append(Problem(file=name, code="unreadable", message="the review could not be read."))
    if errors or book.review is None:
        return None, problems
    return book.review, problems


def workers_for(n_files: int) -> int:
    """Worker processes for reading `n_files` workbooks: PARTNERXL_WORKERS if set, else one per core for a large
    folder (PARALLEL_FROM files or more) and none for a small one, where starting processes costs more than it saves.

    Measured on the 2-core machine (benchmarks/README.md): two workers read 1,000 reviews in about 60% of the time of
    one, when the machine is otherwise idle; on a machine busy with other jobs they can be slower, hence the setting.
    The files written are identical either way.
    """
    import os

    env = os.environ.get("PARTNERXL_WORKERS", "").strip()
    if env.isdigit() and int(env) >= 1:
        return int(env)
    return min(os.cpu_count() or 1, 4) if n_files >= PARALLEL_FROM else 1


PARALLEL_FROM = 64   # below this many files, starting worker processes costs more than it saves


def _load_review_task(args: tuple) -> tuple[Review | None, list[Problem], Any]:
    from partnerxl.core.scoring import score_review

    review, problems = load_review(*args)
    settings = args[1]
    return review, problems, (score_review(review, settings) if review is not None else None)


def load_inputs(register_path: Path, reviews_dir: Path, as_of: dt.date | None = None) -> Inputs:
    book, problems = load_register(Path(register_path), as_of)
    settings = book.settings or Settings()
    when = as_of or book.as_of
    files = [p for p in review_files(Path(reviews_dir)) if p.resolve() != Path(register_path).resolve()]
    tasks = [(path, settings, None, when) for path in files]
    workers = workers_for(len(files))
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            loaded = list(pool.map(_load_review_task, tasks, chunksize=max(1, len(tasks) // (workers * 8))))
    else:
        loaded = [_load_review_task(t) for t in tasks]
    reviews: list[tuple[str, Review]] = []
    paths: dict[str, Path] = {}
    scores: dict[str, Any] = {}
    for path, (review, found, score) in zip(files, loaded):
        problems += found
        if review is not None:
            reviews.append((path.name, review))
            paths[path.name] = path
            scores[path.name] = score
    return Inputs(entries=list(book.entries), settings=settings, register_as_of=book.as_of, reviews=reviews,
                  problems=problems, review_paths=paths, scores=scores)


def portfolio_from_files(register_path: Path, reviews_dir: Path, year: int, as_of: dt.date | None = None) -> Portfolio:
    inputs = load_inputs(register_path, reviews_dir, as_of)
    when = as_of or inputs.register_as_of or dt.date.today()
    scored = score_reviews(inputs.reviews, inputs.settings, inputs.scores)
    return build_portfolio(inputs.entries, scored, year, when, inputs.settings, problems=inputs.problems)


def run_rollup(register_path: Path, reviews_dir: Path, year: int, out: Path, as_of: dt.date | None = None) -> Portfolio:
    check_not_open(Path(out))
    portfolio = portfolio_from_files(register_path, reviews_dir, year, as_of)
    write_portfolio(portfolio, Path(out))
    return portfolio


# --- writing ----------------------------------------------------------------------------------------------------

def _formats(header: str) -> str | None:
    if header.endswith(" score"):
        return L.SCORE_FORMAT
    if header.startswith("Change in"):
        return L.CHANGE_FORMAT
    if header == "Contribution (£)":
        return L.MONEY_FORMAT
    return None


def _write_frame(ws: Any, frame: Any, *, start_row: int = 1, rag_columns: bool = True) -> None:
    headers = list(frame.columns)
    for c, h in enumerate(headers, start=1):
        L.put(ws, start_row, c, h, font=L.HEADER_FONT, fill=L.HEADER_FILL)
        ws.column_dimensions[get_column_letter(c)].width = L.WIDTHS.get(h, L.DEFAULT_WIDTH)
    # What each column needs is decided once, not for every cell (a 1,000-partnership portfolio has 100,000 cells).
    columns = [(c, _formats(h), rag_columns and h.endswith("RAG"), h in ("Reason", "Message", "Action", "Item"))
               for c, h in enumerate(headers, start=1)]
    for r, values in enumerate(frame.itertuples(index=False, name=None), start=start_row + 1):
        for (c, fmt, rag, wrap), v in zip(columns, values):
            v = L.clean(v)
            if isinstance(v, bool):
                v = "Yes" if v else "No"
            fill = L.RAG_FILL.get(v) if rag and isinstance(v, str) else None
            L.put(ws, r, c, v, number_format=fmt, fill=fill, wrap=wrap)
    ws.freeze_panes = ws.cell(row=start_row + 1, column=3 if "Name" in headers or "Partnership" in headers else 1)


def _add_table(ws: Any, name: str, rows: int, cols: int) -> None:
    if rows == 0:
        return
    ref = f"A1:{get_column_letter(cols)}{rows + 1}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)


def _committee_sheet(ws: Any, p: Portfolio) -> None:
    c = p.committee
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 70
    row = 1
    L.put(ws, row, 1, f"Partnership portfolio {p.year}: committee summary (as at {p.as_of:%d %B %Y})", font=L.TITLE_FONT)
    row += 2

    def section(title: str) -> None:
        nonlocal row
        for col in (1, 2, 3):
            ws.cell(row=row, column=col).fill = L.SECTION_FILL
        L.put(ws, row, 1, title, font=L.SECTION_FONT)
        row += 1

    def line(label: str, value: Any, fmt: str | None = None, note: str | None = None) -> None:
        nonlocal row
        L.put(ws, row, 1, label)
        L.put(ws, row, 2, value, number_format=fmt)
        if note:
            L.put(ws, row, 3, note, wrap=True)
        row += 1

    section("The portfolio")
    line("Partnerships in the register", c["partnerships"])
    line(f"Reviewed for {p.year}", c["reviewed_this_year"])
    line("Total council contribution a year (excluding Closed)", c["total_contribution_gbp"], L.MONEY_FORMAT)
    line("Total officer days a year (excluding Closed)", c["total_officer_days"], "#,##0.#")
    line("Reviews overdue", c["overdue"])
    line("Arrangements outside the strategy's scope", c["out_of_scope"])
    row += 1
    for title, counts in (("By status", c["by_status"]), ("By tier", c["by_tier"]), ("By overall RAG", c["by_rag"])):
        section(title)
        for k, v in counts.items():
            L.put(ws, row, 1, k, fill=L.RAG_FILL.get(k))
            L.put(ws, row, 2, v)
            row += 1
        row += 1
    section("Year-on-year movement (overall score against the previous review)")
    for k, v in c["movement"].items():
        line(k.capitalize(), v)
    row += 1
    section("Partnerships flagged")
    if not c["flagged"]:
        line("None", "")
    for pid, name, flags in c["flagged"]:
        line(f"{pid} {name}", "", note=flags)
    if p.problems:
        row += 1
        section("Problems")
        line("Workbooks or entries left out (see the Problems sheet)", len({x.file for x in p.problems}))


def portfolio_workbook(p: Portfolio) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = L.SHEET_PORTFOLIO
    table = p.table.drop(columns=["In scope"]) if "In scope" in p.table.columns else p.table
    _write_frame(ws, table)
    _add_table(ws, L.PORTFOLIO_TABLE, len(table), len(table.columns))

    hm = wb.create_sheet(L.SHEET_HEATMAP)
    _write_frame(hm, p.heatmap)
    if len(p.heatmap):
        first, last = get_column_letter(3), get_column_letter(len(p.heatmap.columns))
        low, mid, high = L.SCALE_COLOURS
        hm.conditional_formatting.add(
            f"{first}2:{last}{len(p.heatmap) + 1}",
            ColorScaleRule(start_type="num", start_value=1, start_color=low,
                           mid_type="num", mid_value=p.settings.rag_amber_from, mid_color=mid,
                           end_type="num", end_value=4, end_color=high))

    fl = wb.create_sheet(L.SHEET_FLAGS)
    _write_frame(fl, p.flags)
    ac = wb.create_sheet(L.SHEET_ACTIONS)
    _write_frame(ac, p.actions)
    _committee_sheet(wb.create_sheet(L.SHEET_COMMITTEE), p)

    pr = wb.create_sheet(L.SHEET_PROBLEMS)
    import pandas as pd

    problems = pd.DataFrame([{"File": x.file, "Sheet": x.sheet, "Cell": x.cell, "Severity": x.severity,
                              "Code": x.code, "Message": x.message} for x in p.problems],
                            columns=["File", "Sheet", "Cell", "Severity", "Code", "Message"])
    _write_frame(pr, problems)
    if problems.empty:
        L.put(pr, 2, 1, "No problems: every review in the folder was read and used.")
    for sheet in wb.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    return wb


def write_portfolio(p: Portfolio, out: Path) -> Path:
    return L.save_report(portfolio_workbook(p), Path(out), L.stamp_for(p.as_of))
