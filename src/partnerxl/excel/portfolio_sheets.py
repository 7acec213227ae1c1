"""Roll up portfolio's output in the open register: the Portfolio workbook's six sheets, copied in.

The portfolio comes from `operations.portfolio`; the sheets are laid out by the Portfolio workbook's own writer
(`files.portfolio_workbook.portfolio_workbook`, built in memory and never saved), so the register shows exactly the
tables `partnerxl rollup` writes. Each sheet is copied with one block of values, then one call per fill colour and
number format rectangle. The file's Heatmap colour scale is conditional formatting, which not every engine
supports; live, each score cell gets its red/amber/green fill instead.
"""

from __future__ import annotations

from typing import Any

from partnerxl.excel.live import autofit_columns, fill_cells, format_cells, owned_sheet, write_block
from partnerxl.sheets import palette
from partnerxl.sheets import reports as R

SHEETS = [R.SHEET_PORTFOLIO, R.SHEET_HEATMAP, R.SHEET_FLAGS, R.SHEET_ACTIONS, R.SHEET_COMMITTEE, R.SHEET_PROBLEMS]
RAG_COLOURS = {rag: palette.hash_colour(c) for rag, c in palette.RAG.items()}


def _hex(colour: Any) -> str | None:
    rgb = getattr(colour, "rgb", None)
    if isinstance(rgb, str) and len(rgb) >= 6:
        return "#" + rgb[-6:].upper()
    return None


def copy_sheet_into(ws: Any, sheet: Any) -> dict[str, int]:
    """Put an openpyxl worksheet's values, solid fills and number formats into a live sheet: one block write for
    the values, then one call per fill colour / number format rectangle. Returns counts for tests."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    write_block(sheet, "A1", rows or [[None]])
    fills: dict[str, list[tuple[int, int]]] = {}
    formats: dict[str, list[tuple[int, int]]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.fill is not None and cell.fill.fill_type == "solid":
                colour = _hex(cell.fill.fgColor)
                if colour:
                    fills.setdefault(colour, []).append((cell.row - 1, cell.column - 1))
            fmt = cell.number_format
            if fmt and fmt != "General" and cell.value is not None:
                formats.setdefault(fmt, []).append((cell.row - 1, cell.column - 1))
    calls = sum(fill_cells(sheet, cells, colour) for colour, cells in fills.items())
    calls += sum(format_cells(sheet, cells, fmt) for fmt, cells in formats.items())
    return {"rows": len(rows), "calls": calls}


def heatmap_fills(p: Any) -> dict[str, list[tuple[int, int]]]:
    """0-based cells of the Heatmap's score columns (below the header), by RAG colour."""
    from partnerxl.core.scoring import rag_of

    by_rag: dict[str, list[tuple[int, int]]] = {}
    for r, values in enumerate(p.heatmap.itertuples(index=False), start=1):
        for c, v in enumerate(values):
            if c >= 2 and isinstance(v, (int, float)) and v == v:
                rag = rag_of(float(v), p.settings)
                if rag:
                    by_rag.setdefault(RAG_COLOURS[rag], []).append((r, c))
    return by_rag


def write_portfolio_sheets(book: Any, p: Any) -> list[str]:
    """Replace the six rollup sheets of the register with the portfolio `p`; the Committee summary is shown."""
    from partnerxl.files.portfolio_workbook import portfolio_workbook

    wb = portfolio_workbook(p)
    for name in SHEETS:
        sheet = owned_sheet(book, name)
        copy_sheet_into(wb[name], sheet)
        if name == R.SHEET_HEATMAP:
            for colour, cells in heatmap_fills(p).items():
                fill_cells(sheet, cells, colour)
        autofit_columns(sheet)
    book.sheets[R.SHEET_COMMITTEE].activate()
    return list(SHEETS)
