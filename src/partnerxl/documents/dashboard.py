"""The Portfolio workbook's first sheet: the portfolio at a glance in three native Excel charts.

Overall ratings (red, amber, green), year-on-year movement, and council contribution against overall score (one
point a partnership, read from the Portfolio sheet). The counts the first two charts draw are on the sheet beside
them, so what is printed can be checked.
"""

from __future__ import annotations

from typing import Any

from partnerxl.core.portfolio import Portfolio
from partnerxl.core.scoring import rag_ranges
from partnerxl.documents.xlsx import Book, print_setup, put
from partnerxl.sheets import palette
from partnerxl.sheets import reports as R

MOVEMENT_COLOURS = {"improved": R.RAG_COLOURS["Green"], "declined": R.RAG_COLOURS["Red"],
                    "unchanged": "A6A6A6", "not comparable": "D9D9D9"}
CHART_FONT = {"name": R.FONT, "size": 9}


def _counts(ws: Any, book: Book, row: int, title: str, counts: dict[str, int]) -> tuple[int, int]:
    """A small labelled table of counts at `row`; returns the rows (first, last) of its values."""
    put(ws, row, 0, title, book.fmt(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER))
    put(ws, row, 1, "Partnerships", book.fmt(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER,
                                              align="right"))
    for i, (label, n) in enumerate(counts.items(), start=1):
        put(ws, row + i, 0, label, book.fmt())
        put(ws, row + i, 1, n, book.fmt())
    return row + 1, row + len(counts)


def _column_chart(book: Book, *, title: str, rows: tuple[int, int], colours: list[str]) -> Any:
    chart = book.wb.add_chart({"type": "column"})
    name = R.SHEET_DASHBOARD
    chart.add_series({
        "name": title, "categories": [name, rows[0], 0, rows[1], 0], "values": [name, rows[0], 1, rows[1], 1],
        "points": [{"fill": {"color": "#" + c}, "border": {"color": "#7F7F7F"}} for c in colours],
        "data_labels": {"value": True, "font": CHART_FONT}, "gap": 60})
    chart.set_title({"name": title, "name_font": {**CHART_FONT, "size": 11, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_font": CHART_FONT, "min": 0, "major_gridlines": {"visible": True,
                                                                            "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": CHART_FONT})
    chart.set_size({"width": 400, "height": 280})
    return chart


def _scatter(book: Book, table: R.SheetRows, p: Portfolio) -> Any | None:
    """Council contribution (x) against overall score (y), from the Portfolio sheet's columns."""
    headers = table.rows[0] if table.rows else []
    money = [c for c, k in enumerate(table.kinds) if k == "money"]
    if not money or "Overall score" not in headers or len(table.rows) < 2:
        return None
    x, y, last = money[0], headers.index("Overall score"), len(table.rows) - 1
    chart = book.wb.add_chart({"type": "scatter"})
    chart.add_series({"name": "Partnerships", "categories": [R.SHEET_PORTFOLIO, 1, x, last, x],
                      "values": [R.SHEET_PORTFOLIO, 1, y, last, y],
                      "marker": {"type": "circle", "size": 7, "fill": {"color": "#" + R.AVERAGE_COLOUR},
                                 "border": {"color": "#FFFFFF"}}})
    rag = rag_ranges(p.settings)
    chart.set_title({"name": f"Council contribution against overall score (green from {rag['Green'].low:g}, red "
                             f"below {rag['Red'].high:g})",
                     "name_font": {**CHART_FONT, "size": 11, "bold": True}})
    chart.set_x_axis({"name": "Council contribution a year", "num_format": R.MONEY_FORMAT, "num_font": CHART_FONT,
                      "name_font": CHART_FONT, "min": 0})
    chart.set_y_axis({"name": "Overall score (1 to 4)", "min": 1, "max": 4, "major_unit": 0.5,
                      "num_font": CHART_FONT, "name_font": CHART_FONT,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 810, "height": 300})
    return chart


def write_dashboard(book: Book, ws: Any, p: Portfolio, table: R.SheetRows, *, header: str) -> None:
    c = p.committee
    council = getattr(p.settings, "council_name", "") or ""
    ws.set_column(0, 0, 27)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 16, 8.5)
    put(ws, 0, 0, f"Partnership portfolio {p.year}" + (f": {council}" if council else ""),
        book.fmt(bold=True, font_size=R.TITLE_SIZE, font_color=palette.TITLE_TEXT))
    ws.set_row(0, 24)
    put(ws, 1, 0, f"As at {p.as_of:%d %B %Y} · {c['partnerships']} partnerships in the register, "
                  f"{c['reviewed_this_year']} reviewed for {p.year}, {len(c['flagged'])} flagged "
                  "(see the Committee summary and Flags sheets)", book.fmt(italic=True, font_color="595959"))
    rag_rows = _counts(ws, book, 3, "Overall rating", dict(c["by_rag"]))
    move = {k.capitalize(): v for k, v in c["movement"].items()}
    move_rows = _counts(ws, book, rag_rows[1] + 2, "Since the previous review", move)
    rag_colours = [R.RAG_COLOURS.get(k, R.NOT_SCORED_COLOUR) for k in c["by_rag"]]
    if c["by_rag"]:
        ws.insert_chart(3, 2, _column_chart(book, title=f"Overall rating {p.year}", rows=rag_rows,
                                            colours=rag_colours), {"x_offset": 10})
    ws.insert_chart(3, 9, _column_chart(book, title="Year-on-year movement", rows=move_rows,
                                        colours=[MOVEMENT_COLOURS[k] for k in c["movement"]]), {"x_offset": 30})
    scatter = _scatter(book, table, p)
    if scatter is not None:
        ws.insert_chart(22, 2, scatter, {"x_offset": 10})
    print_setup(ws, header=header)
    ws.fit_to_pages(1, 1)
    ws.print_area(0, 0, 39, 16)
    ws.activate()
