"""Where each column of a grid is: found by its heading, as the officer's workbook has it now.

The sheets are protected without a password (so an officer who needs to can unprotect them), which means a column
can be inserted, moved or deleted. Reading by the template's fixed letters would then read ratings as actions, or
drop a respondent column unseen; reading by heading keeps every value with its meaning. A heading that is not
found falls back to the template's letter. Columns that are not the template's are listed with what they hold, for
the checks to report (parsing only: nothing here judges a value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from partnerxl.core.values import text
from partnerxl.sheets.cells import a1, col_letter, col_number
from partnerxl.sheets.grid import Grid

RawCell = tuple[str, Any]


@lru_cache(maxsize=4096, typed=True)
def heading_key(value: Any) -> str:
    """Headings are matched ignoring case and runs of spaces (officers retype them)."""
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold()


def _keys(heading: str) -> set[str]:
    """A heading, and the heading without its hint in brackets ("Evidence (needed for Yes and Partly)" is also found
    as "Evidence"), since a retyped heading often drops the hint."""
    return {heading_key(heading), heading_key(heading.split(" (")[0])}


def headings_in(grid: Grid, row: int) -> dict[str, int]:
    """Heading key → 0-based column of its first occurrence in 0-based `row` (a copied column's heading is the
    second occurrence, and is an extra column)."""
    out: dict[str, int] = {}
    for c in range(grid.n_cols):
        key = heading_key(grid.cell(row, c))
        if key:
            out.setdefault(key, c)
    return out


def find_columns(grid: Grid, row: int, headings: dict[str, str], letters: dict[str, str]) -> dict[str, int]:
    """Role → 0-based column: where the role's heading (`headings`, role → text) is in 0-based `row`, else the
    template's letter (`letters`, role → letter)."""
    found = headings_in(grid, row)
    out: dict[str, int] = {}
    for role, letter in letters.items():
        heading = headings.get(role)
        c = next((found[k] for k in sorted(_keys(heading)) if k in found), None) if heading else None
        out[role] = c if c is not None else col_number(letter) - 1
    return out


@dataclass
class ExtraColumn:
    """A column that is not part of the template but holds something; its entries are not read."""

    letter: str
    cell: str                                   # its heading's cell, else its first entry's
    value: Any                                  # what that cell holds
    entries: dict[str, RawCell] = field(default_factory=dict)  # item id → its cell, where the item's row holds anything


def extra_columns(grid: Grid, known: set[int], first_row: int, heading_row: int | None = None,
                  item_rows: dict[str, int] | None = None) -> list[ExtraColumn]:
    """Every column not in `known` (0-based) holding anything from 0-based `first_row` down. Its heading (in
    `heading_row`) names it when there is one; `item_rows` (id → 0-based row) gives its entries on the items' rows."""
    out = []
    for c in range(grid.n_cols):
        if c in known:
            continue
        filled = [r for r in range(first_row, grid.n_rows) if text(grid.cell(r, c)) is not None]
        if not filled:
            continue
        head = heading_row if heading_row is not None and heading_row in filled else filled[0]
        entries = {ident: (a1(r, c), grid.cell(r, c)) for ident, r in (item_rows or {}).items()
                   if text(grid.cell(r, c)) is not None}
        out.append(ExtraColumn(letter=col_letter(c + 1), cell=a1(head, c), value=grid.cell(head, c),
                               entries=entries))
    return out


@dataclass
class CellColumn:
    """One role's cells down a table, read once: the raw values item by item, and where they are (each cell's
    A1 reference is made only when asked for: a check names the cells that fail)."""

    values: list[Any]
    rows: list[int]                             # 0-based row of each value
    col: int                                    # 0-based column

    def ref(self, i: int) -> str:
        return a1(self.rows[i], self.col)

    def cell(self, i: int) -> RawCell:
        return self.ref(i), self.values[i]


def read_column(grid: Grid, rows: list[int], col: int) -> CellColumn:
    return CellColumn(grid.inputs(rows, col), rows, col)
