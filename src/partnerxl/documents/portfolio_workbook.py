"""The Portfolio workbook, written with XlsxWriter: a Dashboard of native charts, then the portfolio's sheets.

What goes in it is decided in core/portfolio.py and operations/; the sheets' rows come from sheets/reports.py
(the same rows the add-in writes into the register). This module lays them out for the screen and for paper:
print titles, fit to the page width, the council's name, the year and the as-of date in the page header,
"Page x of y" in the footer, row heights that show wrapped text, the heatmap coloured by the RAG bands (a fill and
conditional formats with the settings' thresholds) and a sparkline per partnership of its overall score by year.
Thousands of rows a sheet: every sheet but the dashboard and the Portfolio sheet (a table) streams its rows to disk
as they are written (documents/xlsx.py's constant-memory Book), so their rows must be written top to bottom;
XlsxWriter drops a cell written above the row being written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from partnerxl.core.portfolio import Portfolio
from partnerxl.core.scoring import rag_ranges
from partnerxl.documents.dashboard import write_dashboard
from partnerxl.documents.xlsx import Book, header_text, print_setup, put, table_lines
from partnerxl.sheets import palette
from partnerxl.sheets import reports as R


class _Styles:
    """The formats of the Portfolio workbook, made once per book."""

    def __init__(self, book: Book):
        f = book.fmt
        self.title = f(bold=True, font_size=R.TITLE_SIZE, font_color=palette.TITLE_TEXT, valign="vcenter")
        self.remark = f(italic=True, font_color="595959")  # a note row under a title, a key's last line
        self.section = f(bold=True, font_size=R.SECTION_SIZE, font_color=palette.TITLE_TEXT, bg_color=palette.SECTION)
        self.header = f(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER, text_wrap=True,
                        border=1, border_color="BFBFBF")
        self.plain = f()
        self.wrap = f(text_wrap=True)
        self.note = f(text_wrap=True, indent=1)   # text beside a number in a table
        self.numbers = {kind: f(num_format=fmt) for kind, fmt in R.NUMBER_FORMATS.items()}
        self.numbers["count"] = f(align="center")
        self.marks = {rag: f(align="center", bg_color=colour) for rag, colour in R.RAG_COLOURS.items()}
        self.marks[None] = f(align="center")
        self.rag = {rag: f(bg_color=colour) for rag, colour in R.RAG_COLOURS.items()}
        self.heat = {rag: f(bg_color=colour, num_format=R.SCORE_FORMAT, align="center")
                     for rag, colour in R.RAG_COLOURS.items()}
        self.heat[None] = f(num_format=R.SCORE_FORMAT, align="center")
        self.cf = {rag: book.wb.add_format({"bg_color": "#" + colour, "pattern": 1, "fg_color": "#" + colour})
                   for rag, colour in R.RAG_COLOURS.items()}

    def cell(self, kind: str | None, value: Any, settings: Any, mark: str | None = None) -> Any:
        if kind == "mark":   # a Yes/No column: "Yes" on the column's colour (an overdue action red)
            return self.marks[mark if value == "Yes" else None]
        if kind == "rag":
            return self.rag.get(value) if isinstance(value, str) else None
        if kind == "heat":
            return self.heat[R.band_of(value, settings)]
        if kind == "wrap":
            return self.wrap
        if kind == "note":   # text beside a number: set off from it
            return self.note
        return self.numbers.get(kind or "", self.plain)


def _write_rows(ws: Any, sheet: R.SheetRows, st: _Styles, settings: Any) -> list[float]:
    """Every row of `sheet`, its column widths and the row heights wrapped text needs; returns the heights (points,
    a row of one line at the default 12.75)."""
    heights: list[float] = []
    for c, width in enumerate(sheet.widths):
        ws.set_column(c, c, width)
    head = sheet.rows[sheet.header_row] if sheet.header_row is not None else []
    marks = {c: R.MARK_COLUMNS.get(h) for c, h in enumerate(head)}
    for r, (style, values) in enumerate(zip(sheet.styles, sheet.rows)):
        lines = 1
        for c, v in enumerate(values):
            kind = sheet.kinds[c] if c < len(sheet.kinds) else None
            fmt = _row_format(style, kind, c, v, st, settings, marks.get(c))
            put(ws, r, c, v, fmt, date_fmt=st.numbers["date"])
            if (kind in ("wrap", "note") and style in ("body", "money", "rag") or style == "header") and c < len(sheet.widths) \
                    and isinstance(v, str):
                lines = max(lines, table_lines(v, sheet.widths[c], bold=style == "header"))
        if style == "title":
            ws.set_row(r, 24)
        elif lines > 1:  # neither LibreOffice nor a printer grows a row for wrapped text unless told its height
            ws.set_row(r, min(R.MAX_ROW_PT, lines * R.LINE_PT + 3))
        heights.append(24.0 if style == "title" else min(R.MAX_ROW_PT, lines * R.LINE_PT + 3) if lines > 1
                       else R.ROW_PT)
    return heights


def _row_format(style: str, kind: str | None, col: int, value: Any, st: _Styles, settings: Any,
                mark: str | None = None) -> Any:
    if style == "title":
        return st.title
    if style in ("note", "legend"):
        return st.rag.get(value.split(":")[0], st.remark) if style == "legend" and isinstance(value, str) else st.remark
    if style == "section":
        return st.section
    if style == "header":
        return st.header
    if style == "money" and col == 1:
        return st.numbers["money"]
    if style == "rag" and col == 0:
        return st.rag.get(value, st.plain)
    return st.cell(kind, value, settings, mark)


def _table(ws: Any, sheet: R.SheetRows, name: str, header_format: Any) -> None:
    n = len(sheet.rows) - 1
    if n <= 0:
        return
    headers = sheet.rows[0]
    # The table writes its own heading cells: give them the wrapping heading format, or long headings are cut off.
    ws.add_table(0, 0, n, len(headers) - 1, {"name": name, "style": "Table Style Light 9", "header_row": True,
                                             "columns": [{"header": h, "header_format": header_format}
                                                         for h in headers]})


def _heatmap_rules(ws: Any, sheet: R.SheetRows, st: _Styles, settings: Any) -> None:
    """Conditional formats with exactly the RAG thresholds, so an edited score recolours itself."""
    top = (sheet.header_row or 0) + 1
    bottom = len(sheet.rows) - 1
    cols = [c for c, k in enumerate(sheet.kinds) if k == "heat"]
    if bottom < top or not cols:
        return
    area = f"{xl_rowcol_to_cell(top, cols[0])}:{xl_rowcol_to_cell(bottom, cols[-1])}"
    first = xl_rowcol_to_cell(top, cols[0], row_abs=False, col_abs=False)
    for rag, (low, high) in rag_ranges(settings).items():
        tests = [f"ISNUMBER({first})", *([f"{first}>={low}"] if low is not None else []),
                 *([f"{first}<{high}"] if high is not None else [])]
        ws.conditional_format(area, {"type": "formula", "criteria": f"=AND({','.join(tests)})", "format": st.cf[rag],
                                     "stop_if_true": True})


def _sparklines(ws: Any, sheet: R.SheetRows, years: list[int]) -> None:
    """A sparkline per partnership in the Trend column, over its overall score columns, one a review year."""
    headers = sheet.rows[0]
    if R.TREND not in headers or not years:
        return
    trend = headers.index(R.TREND)
    first = headers.index(f"Overall score {years[0]}")
    last = headers.index(f"Overall score {years[-1]}")
    rows = range(1, len(sheet.rows))
    if not rows:
        return
    # One group of sparklines (lists of locations and ranges): XlsxWriter works out the style once, not per row.
    ws.add_sparkline(rows[0], trend, {
        "location": [f"{xl_col_to_name(trend)}{r + 1}" for r in rows],
        "range": [f"'{sheet.name}'!{xl_col_to_name(first)}{r + 1}:{xl_col_to_name(last)}{r + 1}" for r in rows],
        # Columns, one a review year, the latest darker: they print (LibreOffice draws a line sparkline as specks).
        "type": "column", "min": 1, "max": 4, "series_color": "#" + R.TREND_COLOUR, "last_point": True,
        "last_color": "#" + R.AVERAGE_COLOUR})


def portfolio_book(p: Portfolio, scratch: Path | None = None) -> Book:
    # Thousands of rows a sheet: each sheet's rows go to disk (a scratch folder in `scratch`, the output's folder) as
    # they are written, not held until the file is saved.
    book = Book(R.stamp_for(p.as_of), title=f"Partnership portfolio {p.year}", subject=str(p.year),
                keywords="PartnerXL portfolio", scratch=scratch)
    st = _Styles(book)
    council = getattr(p.settings, "council_name", "") or ""
    years = R.portfolio_frame(p)[1]
    dash = book.sheet(R.SHEET_DASHBOARD, streamed=False)     # its tables and its charts' data are written out of order
    sheets = R.portfolio_sheets(p)
    sheets.reverse()
    while sheets:   # each sheet's rows let go once written
        sheet = sheets.pop()
        # A table cannot be streamed (XlsxWriter writes its heading cells itself).
        ws = book.sheet(sheet.name, streamed=sheet.name != R.SHEET_PORTFOLIO)
        _write_sheet(ws, sheet, st, p, council, years)
    write_dashboard(book, dash, p, header=header_text(
        council, f"Partnership portfolio {p.year}: dashboard", f"As at {p.as_of:%d %B %Y}"))
    return book


def _write_sheet(ws: Any, sheet: R.SheetRows, st: _Styles, p: Portfolio, council: str, years: list[int]) -> None:
    _write_rows(ws, sheet, st, p.settings)
    head = sheet.header_row
    keyed = head is not None and sheet.rows[head][:2] in (["ID", "Name"], ["ID", "Partnership"])
    # Every sheet at 100% (9-point text): a wide one prints across A4 landscape pages, left to right and then
    # down, with its heading row and its ID and name columns on every page.
    print_setup(ws, header=header_text(council, f"Partnership portfolio {p.year}: {sheet.name}",
                                       f"As at {p.as_of:%d %B %Y}"),
                title_rows=(head, head) if head is not None else None, fit_width=False,
                landscape=sheet.name != R.SHEET_COMMITTEE)
    ws.print_area(0, 0, max(len(sheet.rows), 1) - 1, max(len(sheet.widths), 1) - 1)  # not a long title's overflow
    if keyed:
        ws.repeat_columns(0, 1)
        ws.print_across()
    if head is not None:
        ws.freeze_panes(head + 1, 2 if keyed else 0)
    if sheet.name == R.SHEET_PORTFOLIO:
        _table(ws, sheet, R.PORTFOLIO_TABLE, st.header)
        _sparklines(ws, sheet, years)
    elif sheet.name == R.SHEET_HEATMAP:
        _heatmap_rules(ws, sheet, st, p.settings)


def write_portfolio(p: Portfolio, out: Path) -> Path:
    return portfolio_book(p, scratch=Path(out).parent).save(Path(out))
