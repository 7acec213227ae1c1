"""`partnerxl summaries`: one printable page per partnership reviewed in the year (A4 portrait, one page).

A summary holds values only — no formulas, macros, hidden sheets or external links — and only its own
partnership's data. Every string a user typed goes through `set_text` (via report_layout.put), so text such as
`=HYPERLINK(...)` stays text. The native bar chart of the four areas reads the score cells on the same sheet.
The page's sections are written by `summary_sections.py`, top to bottom.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from openpyxl import Workbook

from partnerxl.core.portfolio import PartnershipResult, Portfolio
from partnerxl.files import summary_sections as sections
from partnerxl.files.names import inside, safe_part
from partnerxl.files.writing import check_not_open
from partnerxl.sheets import reports as L


def summary_workbook(result: PartnershipResult, portfolio: Portfolio) -> Workbook:
    """The one-page summary of `result` (which must have a current review)."""
    assert result.current is not None
    wb = Workbook()
    ws = wb.active
    ws.title = L.SUMMARY_SHEET
    for col, width in L.SUMMARY_COLUMNS.items():
        ws.column_dimensions[col].width = width
    s = sections.SummarySheet(ws)
    for section in (sections.header, sections.register_facts, sections.scores, sections.strengths,
                    sections.priorities, sections.factors, sections.checklist, sections.improvement_plan,
                    sections.fitness, sections.guides):
        section(s, result)
    sections.footnote(s, result, portfolio)
    _fit_to_one_page(ws, last_row=s.row - 1)
    e, year = result.entry, result.current.year
    wb.properties.title = f"Annual review summary {e.id} {year}"
    wb.properties.identifier = e.id
    wb.properties.subject = str(year)
    wb.properties.keywords = "PartnerXL summary"
    return wb


def _fit_to_one_page(ws: Any, last_row: int) -> None:
    ws.print_area = f"A1:{list(L.SUMMARY_COLUMNS)[-1]}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False


def _summary_task(args: tuple) -> Path:
    result, as_of, settings, path, stamp = args
    context = SimpleNamespace(as_of=as_of, settings=settings)
    return L.save_report(summary_workbook(result, context), path, stamp)  # type: ignore[arg-type]


def write_summaries(portfolio: Portfolio, out_dir: Path) -> list[Path]:
    """Write `Summary <id> <year>.xlsx` for every partnership reviewed in the portfolio's year (in worker processes
    for a large portfolio; the files are identical either way)."""
    from partnerxl.files.parallel import run_all

    out_dir = Path(out_dir)
    todo = [r for r in portfolio.results if r.current is not None]
    paths = [inside(out_dir, L.summary_file_name(safe_part(r.entry.id), portfolio.year)) for r in todo]
    for path in paths:  # refuse before writing anything if one of the outputs is open in Excel
        check_not_open(path)
    stamp = L.stamp_for(portfolio.as_of)
    return run_all(_summary_task, [(r, portfolio.as_of, portfolio.settings, path, stamp) for r, path in zip(todo, paths)])
