"""The dashboard: the portfolio at a glance on one A4 portrait page at 100%, in native Excel charts at 9 pt.

Three small tables (overall rating of the partnerships reviewed, movement since the previous review, and why the
rest have no review this year), a column chart of each of the first two, and council contribution against overall
score: one point a partnership, coloured by its RAG (one series a RAG in the palette's colours), labelled with its ID,
with the council's Green and Red thresholds (core/scoring.py's rag_ranges) drawn across. The data every chart draws
is on the sheet (the scatter's to the right of the printed page), so what is printed can be checked.
"""

from __future__ import annotations

import math
from typing import Any

from partnerxl.core.portfolio import Portfolio
from partnerxl.core.scoring import rag_ranges
from partnerxl.documents.xlsx import Book, print_setup, put
from partnerxl.sheets import palette
from partnerxl.sheets import reports as R

MOVEMENT_COLOURS = {"improved": R.RAG_COLOURS["Green"], "declined": R.RAG_COLOURS["Red"],
                    "unchanged": "A6A6A6", "not comparable": "D9D9D9"}
CHART_FONT = {"name": R.FONT, "size": 9}
TITLE_FONT = {"name": R.FONT, "size": 10, "bold": True}
# Columns: three count tables side by side (label, count, gap), 88 units: A4 portrait at 100%.
WIDTHS = [21, 7, 2, 21, 7, 2, 21, 7]
DATA_COL = 10           # the scatter's data, beyond the printed columns
# The printed columns' width in pixels as the chart anchors reckon it (7 a unit and 5 a column, at Arial 10): a
# chart no wider stays inside the printed columns, in Excel and in LibreOffice.
PAGE_PX = sum(round(w * 7) + 5 for w in WIDTHS) - 4
CHART_PX = (PAGE_PX - 16) // 2
ROW_PX = 17


def _counts(ws: Any, book: Book, row: int, col: int, title: str, counts: dict[str, int]) -> tuple[int, int]:
    """A small labelled table of counts at (`row`, `col`); returns the rows (first, last) of its values."""
    head = book.fmt(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER)
    put(ws, row, col, title, head)
    put(ws, row, col + 1, "Number", book.fmt(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER,
                                             align="right"))
    for i, (label, n) in enumerate(counts.items(), start=1):
        put(ws, row + i, col, label, book.fmt(bg_color=R.RAG_COLOURS[label]) if label in R.RAG_COLOURS
            else book.fmt())
        put(ws, row + i, col + 1, n, book.fmt())
    return row + 1, row + len(counts)


def _column_chart(book: Book, *, title: str, rows: tuple[int, int], col: int, colours: list[str],
                  counts: list[int]) -> Any:
    chart = book.wb.add_chart({"type": "column"})
    name = R.SHEET_DASHBOARD
    chart.add_series({
        "name": title, "categories": [name, rows[0], col, rows[1], col],
        "values": [name, rows[0], col + 1, rows[1], col + 1],
        "points": [{"fill": {"color": "#" + c}, "border": {"color": "#7F7F7F"}} for c in colours],
        "data_labels": {"value": True, "font": CHART_FONT}, "gap": 60})
    chart.set_title({"name": title, "name_font": TITLE_FONT})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_font": CHART_FONT, "min": 0, "max": max(counts, default=0) + 1, "major_unit": 1,
                      "num_format": "0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": CHART_FONT})
    chart.set_size({"width": CHART_PX, "height": 235})
    return chart


def axis_top(largest: float) -> tuple[float, float]:
    """(top, step) of an axis from 0: a round number just above `largest`, in 4 to 8 steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if largest <= 0:
        return 1.0, 0.25
    power = 10 ** math.floor(math.log10(largest))
    for unit in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = unit * power
        if largest / step < 7:
            break
    return (math.floor(largest / step) + 1) * step, step


def _scatter_data(ws: Any, book: Book, p: Portfolio) -> tuple[dict[str, tuple[int, int]], dict[str, list[str]]]:
    """The scatter's points, grouped by RAG, in columns DATA_COL.. (ID, name, RAG, contribution, score); returns
    RAG → (first row, last row) and RAG → the IDs in that order."""
    head = book.fmt(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER)
    put(ws, 2, DATA_COL, "The contribution chart's data (partnerships reviewed this year with a score)",
        book.fmt(bold=True))
    for i, h in enumerate(["ID", "Partnership", "RAG", "Council contribution a year", "Overall score"]):
        put(ws, 3, DATA_COL + i, h, head)
    points = [(r.current.score.overall.rag, r.entry.id, r.entry.name, r.entry.council_contribution_gbp,
               r.current.score.overall.score) for r in p.results
              if r.current is not None and r.current.score.overall.score is not None
              and r.entry.council_contribution_gbp is not None]
    ranges, ids, row = {}, {}, 4
    for rag in rag_ranges(p.settings):
        group = sorted((x for x in points if x[0] == rag), key=lambda x: x[1])
        if group:
            ranges[rag], ids[rag] = (row, row + len(group) - 1), [x[1] for x in group]
        for rag_, pid, name, money, score in group:
            for i, (v, fmt) in enumerate([(pid, None), (name, None), (rag_, None),
                                          (money, book.fmt(num_format=R.MONEY_FORMAT)),
                                          (score, book.fmt(num_format=R.SCORE_FORMAT))]):
                put(ws, row, DATA_COL + i, v, fmt)
            row += 1
    ws.set_column(DATA_COL, DATA_COL, 6)
    ws.set_column(DATA_COL + 1, DATA_COL + 1, 30)
    ws.set_column(DATA_COL + 2, DATA_COL + 4, 12)
    return ranges, ids


def _scatter(book: Book, ws: Any, p: Portfolio) -> Any | None:
    """Council contribution (x) against overall score (y): a series a RAG, each point labelled by its ID, and the
    Green and Red thresholds as lines across."""
    ranges, ids = _scatter_data(ws, book, p)
    if not ranges:
        return None
    name, rag = R.SHEET_DASHBOARD, rag_ranges(p.settings)
    last = max(last for _first, last in ranges.values())
    top, step = axis_top(max(_money(p)))
    chart = book.wb.add_chart({"type": "scatter"})
    for colour, (first, end) in ranges.items():
        chart.add_series({
            "name": f"{colour} ({_range_words(rag[colour])})",
            "categories": [name, first, DATA_COL + 3, end, DATA_COL + 3],
            "values": [name, first, DATA_COL + 4, end, DATA_COL + 4],
            "marker": {"type": "circle", "size": 8, "fill": {"color": "#" + R.RAG_COLOURS[colour]},
                       "border": {"color": "#595959"}},
            # Each point labelled with its ID: the text itself (LibreOffice draws no label that refers to a cell).
            "data_labels": {"value": True, "custom": [{"value": _label(pid)} for pid in ids[colour]],
                            "position": "right", "font": CHART_FONT}})
    line_row = last + 2
    put(ws, line_row, DATA_COL, "Thresholds", book.fmt(bold=True))
    for i, (label, y) in enumerate([(f"Green from {rag['Green'].low:g}", rag["Green"].low),
                                    (f"Red below {rag['Red'].high:g}", rag["Red"].high)]):
        r0 = line_row + 1 + 2 * i
        for j, x in enumerate((0, top)):
            put(ws, r0 + j, DATA_COL + 1, label)
            put(ws, r0 + j, DATA_COL + 3, x)
            put(ws, r0 + j, DATA_COL + 4, y)
        colour = R.RAG_COLOURS["Green" if i == 0 else "Red"]
        chart.add_series({"name": label, "categories": [name, r0, DATA_COL + 3, r0 + 1, DATA_COL + 3],
                          "values": [name, r0, DATA_COL + 4, r0 + 1, DATA_COL + 4], "marker": {"type": "none"},
                          "line": {"color": "#" + colour, "width": 1.5, "dash_type": "dash"}})
    chart.set_title({"name": f"Council contribution against overall score (green from {rag['Green'].low:g}, red "
                             f"below {rag['Red'].high:g})", "name_font": TITLE_FONT})
    chart.set_x_axis({"name": "Council contribution a year", "num_format": R.MONEY_FORMAT, "num_font": CHART_FONT,
                      "name_font": CHART_FONT, "min": 0, "max": top, "major_unit": step})
    chart.set_y_axis({"name": "Overall score (1 to 4)", "min": 1, "max": 4, "major_unit": 0.5,
                      "num_format": "0.0", "num_font": CHART_FONT, "name_font": CHART_FONT,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom", "font": CHART_FONT})
    chart.set_size({"width": PAGE_PX, "height": 420})
    return chart


def _money(p: Portfolio) -> list[float]:
    return [r.entry.council_contribution_gbp for r in p.results if r.current is not None
            and r.current.score.overall.score is not None and r.entry.council_contribution_gbp is not None] or [0]


def _range_words(r: Any) -> str:
    if r.low is None:
        return f"below {r.high:g}"
    return f"{r.low:g} and above" if r.high is None else f"{r.low:g} to below {r.high:g}"


def write_dashboard(book: Book, ws: Any, p: Portfolio, table: R.SheetRows | None = None, *, header: str) -> None:
    """The dashboard on `ws` (`table` is no longer read: the charts' data is written on the sheet itself)."""
    c = p.committee
    for i, w in enumerate(WIDTHS):
        ws.set_column(i, i, w)
    council = getattr(p.settings, "council_name", "") or ""
    put(ws, 0, 0, f"Partnership portfolio {p.year}: dashboard" + (f", {council}" if council else ""),
        book.fmt(bold=True, font_size=R.TITLE_SIZE, font_color=palette.TITLE_TEXT))
    ws.set_row(0, 24)
    put(ws, 1, 0, f"As at {p.as_of:%d %B %Y}: {c['partnerships']} partnerships in the register, "
                  f"{c['reviewed_this_year']} reviewed for {p.year}, {len(c['flagged'])} flagged.",
        book.fmt(italic=True, font_color="595959"))
    rags = {k: v for k, v in c["by_rag"].items() if k in R.RAG_COLOURS or k == "Not scored"}
    move = {R.MOVEMENT_WORDS.get(k, k): v for k, v in c["movement"].items()}
    rag_rows = _counts(ws, book, 3, 0, f"Overall rating, {p.year}", rags)
    move_rows = _counts(ws, book, 3, 3, "Since the previous review", move)
    _counts(ws, book, 3, 6, f"No review for {p.year}", dict(c.get("no_review", {})))
    chart_row = 3 + 2 + max(len(rags), len(move), len(c.get("no_review", {})))
    if rags:
        ws.insert_chart(chart_row, 0, _column_chart(
            book, title=f"Overall rating of the {c['reviewed_this_year']} reviewed", rows=rag_rows, col=0,
            colours=[R.RAG_COLOURS.get(k, R.NOT_SCORED_COLOUR) for k in rags], counts=list(rags.values())))
    ws.insert_chart(chart_row, 0, _column_chart(
        book, title="Year-on-year movement", rows=move_rows, col=3, counts=list(move.values()),
        colours=[MOVEMENT_COLOURS[k] for k in c["movement"]]), {"x_offset": PAGE_PX - CHART_PX})
    scatter_row = chart_row + 250 // ROW_PX
    scatter = _scatter(book, ws, p)
    if scatter is not None:
        ws.insert_chart(scatter_row, 0, scatter)
    print_setup(ws, header=header, landscape=False, fit_width=False)
    ws.print_area(0, 0, scatter_row + 430 // ROW_PX, len(WIDTHS) - 1)
    ws.activate()


def _label(text: str) -> str:
    """A point's label as text: XlsxWriter writes a custom label that looks like a cell reference ('Sheet!A1', with
    or without '=') as a formula, so in an ID (an officer's typing) each '!' is followed by a zero-width space,
    which breaks that reading and prints nothing."""
    return str(text).replace("!", "!\u200b")
