"""Roll up portfolio's output in the open register: the Portfolio workbook's six table sheets, written live.

The portfolio comes from `operations.portfolio`; the sheets' rows come from `sheets.reports.portfolio_sheets`, the
same rows the Portfolio workbook's writer lays out, so the register shows exactly the tables `partnerxl rollup`
writes. Each sheet is one block of values, then one call per fill colour and number format rectangle. The heatmap's
scores get the fill of their RAG band (the file also carries conditional formats for them).
"""

from __future__ import annotations

from typing import Any

from partnerxl.excel.live import autofit_columns, fill_cells, format_cells, owned_sheet, write_block
from partnerxl.sheets import palette
from partnerxl.sheets import reports as R

SHEETS = [R.SHEET_PORTFOLIO, R.SHEET_HEATMAP, R.SHEET_FLAGS, R.SHEET_ACTIONS, R.SHEET_COMMITTEE, R.SHEET_PROBLEMS]
RAG_COLOURS = {rag: palette.hash_colour(c) for rag, c in palette.RAG.items()}
ROW_FILLS = {"header": palette.hash_colour(palette.HEADER), "section": palette.hash_colour(palette.SECTION)}


def _cell_fill(sheet: R.SheetRows, style: str, c: int, value: Any, settings: Any) -> str | None:
    kind = sheet.kinds[c] if c < len(sheet.kinds) else None
    if style in ROW_FILLS:
        return ROW_FILLS[style]
    if style in ("legend", "rag") and isinstance(value, str):
        return RAG_COLOURS.get(value.split(":")[0])
    if style == "body" and kind == "rag" and isinstance(value, str):
        return RAG_COLOURS.get(value)
    if style == "body" and kind == "mark" and value == "Yes" and sheet.header_row is not None:
        mark = R.MARK_COLUMNS.get(sheet.rows[sheet.header_row][c])   # an overdue action red, an unowned one amber
        return RAG_COLOURS.get(mark) if mark else None
    if style == "body" and kind == "heat":
        band = R.band_of(value, settings)
        return RAG_COLOURS[band] if band else None
    return None


def sheet_styles(sheet: R.SheetRows, settings: Any) -> tuple[dict[str, list[tuple[int, int]]],
                                                             dict[str, list[tuple[int, int]]]]:
    """0-based cells of `sheet` by fill colour and by number format."""
    fills: dict[str, list[tuple[int, int]]] = {}
    formats: dict[str, list[tuple[int, int]]] = {}
    for r, (style, values) in enumerate(zip(sheet.styles, sheet.rows)):
        for c, v in enumerate(values):
            colour = _cell_fill(sheet, style, c, v, settings)
            if colour:
                fills.setdefault(colour, []).append((r, c))
            kind = sheet.kinds[c] if c < len(sheet.kinds) else None
            kind = "score" if kind == "heat" else "money" if style == "money" and c == 1 else kind
            fmt = R.NUMBER_FORMATS.get(kind or "")
            if fmt and v is not None and style in ("body", "money"):
                formats.setdefault(fmt, []).append((r, c))
    return fills, formats


def write_sheet(live: Any, sheet: R.SheetRows, settings: Any) -> dict[str, int]:
    """One sheet's values in one block, then its fills and number formats. Returns counts for tests."""
    width = max((len(r) for r in sheet.rows), default=1)
    rows = [list(r) + [None] * (width - len(r)) for r in sheet.rows] or [[None]]
    write_block(live, "A1", rows)
    fills, formats = sheet_styles(sheet, settings)
    calls = sum(fill_cells(live, cells, colour) for colour, cells in fills.items())
    calls += sum(format_cells(live, cells, fmt) for fmt, cells in formats.items())
    return {"rows": len(rows), "calls": calls}


def write_portfolio_sheets(book: Any, p: Any) -> list[str]:
    """Replace the six rollup sheets of the register with the portfolio `p`; the Committee summary is shown."""
    for sheet in R.portfolio_sheets(p):
        live = owned_sheet(book, sheet.name)
        write_sheet(live, sheet, p.settings)
        autofit_columns(live)
    book.sheets[R.SHEET_COMMITTEE].activate()
    return list(SHEETS)
