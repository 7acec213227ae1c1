"""The Portfolio workbook: the portfolio's tables laid out as sheets (layout constants in sheets/reports.py).

What goes in it is decided in core/portfolio.py and operations/; this module only writes it: Portfolio, Heatmap,
Flags, Actions, Committee summary and Problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from partnerxl.core.portfolio import Portfolio
from partnerxl.core.tables import column_types
from partnerxl.sheets import reports as L


# --- writing ----------------------------------------------------------------------------------------------------

FORMATS = {"score": L.SCORE_FORMAT, "change": L.CHANGE_FORMAT, "money": L.MONEY_FORMAT, "percent": "0%",
           "date": L.DATE_FORMAT}


def _formats(header: str, kinds: dict[str, str]) -> str | None:
    return FORMATS.get(kinds.get(header, ""))


def _write_frame(ws: Any, frame: Any, *, start_row: int = 1, rag_columns: bool = True) -> None:
    headers = list(frame.columns)
    for c, h in enumerate(headers, start=1):
        L.put(ws, start_row, c, h, font=L.HEADER_FONT, fill=L.HEADER_FILL)
        ws.column_dimensions[get_column_letter(c)].width = L.WIDTHS.get(h, L.DEFAULT_WIDTH)
    # What each column needs is decided once, not for every cell (a 1,000-partnership portfolio has 100,000 cells).
    kinds = column_types()
    columns = [(c, _formats(h, kinds), rag_columns and h.endswith("RAG"), h in ("Reason", "Message", "Action", "Item"))
               for c, h in enumerate(headers, start=1)]
    widths = [L.WIDTHS.get(h, L.DEFAULT_WIDTH) for h in headers]
    for r, values in enumerate(frame.itertuples(index=False, name=None), start=start_row + 1):
        lines = 1
        for (c, fmt, rag, wrap), v in zip(columns, values):
            v = L.clean(v)
            if isinstance(v, bool):
                v = "Yes" if v else "No"
            fill = L.RAG_FILL.get(v) if rag and isinstance(v, str) else None
            L.put(ws, r, c, v, number_format=fmt, fill=fill, wrap=wrap)
            if wrap and isinstance(v, str):
                # About one character a unit of column width in the body font: a safe count for the row height.
                lines = max(lines, sum(-(-len(part) // int(widths[c - 1])) or 1 for part in v.split("\n")))
        if lines > 1:  # neither LibreOffice nor a printer grows a row for wrapped text unless told its height
            ws.row_dimensions[r].height = lines * 15
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
    line("Provisional reviews (some entries could not be read)", c["provisional"])
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
    section(f"Year-on-year movement of the {c['reviewed_this_year']} reviewed (overall score against the previous "
            "review)")
    for k, v in c["movement"].items():
        line(k.capitalize(), v)
    for pid, name, why in c["not_comparable"]:
        line(f"   {pid} {name}", "", note=f"not comparable: {why}")
    row += 1
    section("Partnerships flagged")
    if not c["flagged"]:
        line("None", "")
    for pid, name, flags in c["flagged"]:
        line(f"{pid} {name}", "", note=flags)
    if p.problems:
        row += 1
        section("Problems")
        line("Workbooks left out whole (see the Problems sheet)", c["workbooks_left_out"])
        line("Workbooks with entries left out (see the Problems sheet)",
             len({x.file for x in p.problems}) - c["workbooks_left_out"])


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
        L.put(pr, 2, 1, "No problems: every review in the folder was read and used in full.")
    for sheet in wb.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    return wb


def write_portfolio(p: Portfolio, out: Path) -> Path:
    return L.save_report(portfolio_workbook(p), Path(out), L.stamp_for(p.as_of))
