"""The register workbook's sheets → raw records. Parsing only: no value is judged here (that is partnerxl.checks).

A raw cell is `(A1 reference, value as the workbook holds it)`, so a check can name the cell it finds fault with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from partnerxl.core.values import present, text
from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import a1, col_number
from partnerxl.sheets.columns import CellColumn, heading_key, read_column
from partnerxl.sheets.grid import Grid

RawCell = tuple[str, Any]


@dataclass
class RegisterRow:
    row: int                                   # Excel row number (1-based)
    cells: dict[str, RawCell]                  # field name → (reference, raw value), for every column found


@dataclass
class RegisterSheet:
    header_row: int                            # Excel row number of the headings
    columns: dict[str, int] = field(default_factory=dict)            # field name → 0-based column
    missing_columns: dict[str, str] = field(default_factory=dict)    # field name → where its heading belongs
    row_numbers: list[int] = field(default_factory=list)             # Excel row of each non-blank row
    cells: dict[str, CellColumn] = field(default_factory=dict)       # field name → its column, row by row

    @property
    def rows(self) -> list[RegisterRow]:
        """The non-blank rows below the headings, each with its cells (field name → (reference, raw value))."""
        return [RegisterRow(row=n, cells={name: column.cell(i) for name, column in self.cells.items()})
                for i, n in enumerate(self.row_numbers)]


def parse_register(grid: Grid, fields: list) -> RegisterSheet:
    """Locate each field's column by its heading (its label, or its name), then each field's column of cells over
    the non-blank rows below the headings.

    Columns are found by heading so an officer's own column inserted in the middle moves the others harmlessly.
    """
    hr = L.REGISTER_HEADER_ROW - 1
    headings = {heading_key(grid.cell(hr, c)): c for c in range(grid.n_cols) if grid.cell(hr, c) is not None}
    default_cols = L.register_columns()
    sheet = RegisterSheet(header_row=hr + 1)
    for f in fields:
        c = headings.get(heading_key(f.label), headings.get(heading_key(f.name)))
        if c is None:
            sheet.missing_columns[f.name] = f"{default_cols.get(f.name, 'A')}{hr + 1}"
        else:
            sheet.columns[f.name] = c
    cols = list(sheet.columns.values())
    rows = [r for r in range(hr + 1, grid.n_rows) if _filled(grid, r, cols)]
    sheet.row_numbers = [r + 1 for r in rows]
    sheet.cells = {name: read_column(grid, rows, c) for name, c in sheet.columns.items()}
    return sheet


def _filled(grid: Grid, r: int, cols: list[int]) -> bool:
    """Does row `r` hold anything in the register's columns (a value, a formula without one, an error value)?"""
    if grid.errors or grid.uncalculated:
        return any(present(grid.input(r, c)) for c in cols)
    row = grid.rows[r]
    return any(present(row[c]) for c in cols if c < len(row) and row[c] is not None)


def parse_settings(grid: Grid) -> dict[str, RawCell]:
    """Settings key → its value cell. Rows are found by the key column (so rows may be moved or added above);
    a key that is not found is read from its row in the template only when that row holds no other key: in a
    register made before a setting existed, that row is another setting's, and reading it would be a guess."""
    key_col = col_number(L.SETTINGS_KEY_COL) - 1
    val_col = col_number(L.SETTINGS_VALUE_COL) - 1
    rows: dict[str, int] = {}
    for r in range(L.SETTINGS_HEADER_ROW, grid.n_rows):
        key = grid.cell(r, key_col)
        if text(key) is not None:
            rows.setdefault(str(key).strip(), r)
    claimed = set(rows.values())
    for key, default_row in L.settings_rows().items():
        r = default_row - 1
        if key not in rows and r not in claimed and text(grid.cell(r, key_col)) is None:
            rows[key] = r
    return {key: (a1(r, val_col), grid.input(r, val_col)) for key, r in rows.items() if key in L.settings_rows()}
