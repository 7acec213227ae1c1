"""The one reading layer every reader goes through: a workbook seen as sheets of cell values.

Readers see a workbook only as a `WorkbookSource`: a label for messages, its sheet names and, per sheet, a `Grid`
of cell values. A file on disk (`files.opening.FileWorkbook`), a book open in Excel (the add-in's xlwings source)
and grids already in memory (`MemoryWorkbook`) all look the same from here, so they give the same findings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, runtime_checkable

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.values import UNCALCULATED, ErrorValue, clean_text, excel_error
from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import a1, parse_a1


class Grid:
    """One sheet's values as rows of cells, 0-based, starting at A1. Empty cells are None (never "").

    `uncalculated` holds the (row, col) of formula cells saved without their result (a workbook written by a
    script, not by Excel): they read as blank here, but they are not blank, and a reader should say so at the cell
    rather than report a missing value or leave a number out unseen.

    `errors` holds the cells that hold one of Excel's error values (#N/A, #DIV/0!, …), each an `ErrorValue`: they
    too read as blank (calamine gives '', openpyxl the text '#N/A', xlwings None unless asked), and `input` gives
    the ErrorValue so the checks report it at the cell. Every source says where they are (the file's XML, the live
    values), and this is the one place they are held.
    """

    def __init__(self, rows: list[list[Any]] | None = None, uncalculated: set[tuple[int, int]] | None = None,
                 errors: dict[tuple[int, int], ErrorValue] | None = None, *, dates: bool = False):
        # control characters are removed here, once, so every reader and writer after this sees clean text;
        # `dates`: midnight datetimes become dates (plain_value) in the same pass
        self.rows: list[list[Any]] = _clean_rows(rows or [], dates)
        self.uncalculated: set[tuple[int, int]] = set(uncalculated or ())
        self.errors: dict[tuple[int, int], ErrorValue] = dict(errors or {})
        for r, c in self.errors:  # however an engine showed the error ('', '#N/A'), it is no value
            if r < len(self.rows) and c < len(self.rows[r]):
                self.rows[r][c] = None

    def is_uncalculated(self, row: int, col: int) -> bool:
        """Is the cell at 0-based (row, col) a formula whose value was never calculated (so it reads blank)?"""
        return (row, col) in self.uncalculated

    def input(self, row: int, col: int) -> Any:
        """An input cell as the checks need it: its value, UNCALCULATED for a formula saved without one, or the
        ErrorValue of a cell holding one of Excel's error values."""
        if (row, col) in self.errors:
            return self.errors[(row, col)]
        return UNCALCULATED if (row, col) in self.uncalculated else self.cell(row, col)

    def inputs(self, rows: list[int], col: int) -> list[Any]:
        """`input(r, col)` for each 0-based row of `rows`: one column of a table, read in one go."""
        if self.errors or self.uncalculated:
            return [self.input(r, col) for r in rows]
        cells = self.rows
        if rows and 0 <= col < self._width() and 0 <= min(rows) and max(rows) < len(cells):
            return [cells[r][col] for r in rows]  # every row reaches the column (a sheet read as a block)
        out = []
        for r in rows:
            row = cells[r] if 0 <= r < len(cells) else ()
            out.append(row[col] if 0 <= col < len(row) else None)
        return out

    def _width(self) -> int:
        """How far every row reaches (the shortest row's length), worked out once."""
        width = self.__dict__.get("_shortest")
        if width is None:
            width = self.__dict__["_shortest"] = min((len(r) for r in self.rows), default=0)
        return width

    def input_at(self, ref: str) -> Any:
        return self.input(*parse_a1(ref))

    @classmethod
    def from_block(cls, values: Any, first_row: int = 0, first_col: int = 0) -> "Grid":
        """A grid from a block of values whose top-left cell is (first_row, first_col), 0-based — e.g. from
        xlwings `used_range.value` (a scalar for one cell, a flat list for one row or column is accepted). A value
        that is one of Excel's error values as xlwings gives it (the text '#N/A' with err_to_str, or its code over
        COM) is held as that error (core.values.excel_error)."""
        if values is None:
            block: list[list[Any]] = []
        elif not isinstance(values, (list, tuple)):
            block = [[values]]
        elif values and not isinstance(values[0], (list, tuple)):
            block = [list(values)]
        else:
            block = [list(r) for r in values]
        rows = [[] for _ in range(first_row)] + [[None] * first_col + r for r in block]
        errors = {(r, c): e for r, row in enumerate(rows) for c, v in enumerate(row)
                  if (e := excel_error(v)) is not None}
        return cls(rows, errors=errors)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, col: int) -> Any:
        """Value at 0-based (row, col); None outside the grid."""
        if 0 <= row < len(self.rows):
            r = self.rows[row]
            if 0 <= col < len(r):
                return r[col]
        return None

    def at(self, ref: str) -> Any:
        """Value at an A1 reference."""
        return self.cell(*parse_a1(ref))

    a1 = staticmethod(a1)


@runtime_checkable
class WorkbookSource(Protocol):
    path_label: str

    def sheet_names(self) -> list[str]: ...

    def grid(self, sheet_name: str) -> Grid: ...


class MemoryWorkbook:
    """A source made of grids in memory (tests, and any caller that already has the values)."""

    def __init__(self, path_label: str, sheets: dict[str, Grid | list[list[Any]]]):
        self.path_label = path_label
        self._sheets = {k: v if isinstance(v, Grid) else Grid(v) for k, v in sheets.items()}

    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def grid(self, sheet_name: str) -> Grid:
        if sheet_name not in self._sheets:
            raise missing_sheet(self.path_label, sheet_name)
        return self._sheets[sheet_name]


def missing_sheet(label: str, sheet: str) -> PartnerXLError:
    return PartnerXLError(f"has no sheet named '{sheet}' (was it renamed or deleted?). Restore the sheet's name, or "
                          "copy your entries into a fresh PartnerXL template.", file=label)


def _clean_rows(rows: list[list[Any]], dates: bool) -> list[list[Any]]:
    """The rows with '' as None (and midnight datetimes as dates), in one pass; control characters removed from
    the texts that hold any, found by one search over all the sheet's text (none, nearly always)."""
    if dates:
        out = [[None if v == "" else v if type(v) is not dt.datetime else plain_value(v) for v in row]
               for row in rows]
    else:
        out = [[None if v == "" else v for v in row] for row in rows]
    texts = [v for row in out for v in row if type(v) is str]
    joined = "\n".join(texts)  # a line feed is text: it neither hides nor makes a control character
    if clean_text(joined) is not joined:
        out = [[clean_text(v) for v in row] for row in out]
    return out


def plain_value(value: Any) -> Any:
    """Midnight datetimes (how Excel stores a date) become dates, so every engine gives the same grid."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    return value


def detect_kind(source: WorkbookSource) -> tuple[str, int]:
    """(kind, template version) from the hidden `_partnerxl` sheet; PartnerXLError if it is not a usable PartnerXL
    workbook."""
    label = source.path_label
    if L.MARKER_SHEET not in source.sheet_names():
        raise PartnerXLError("is not a PartnerXL workbook (it has no PartnerXL template marker). Start from a "
                             "PartnerXL template (partnerxl templates) and copy your entries into it.", file=label)
    g = source.grid(L.MARKER_SHEET)
    title, kind, version = g.at(L.MARKER_TITLE_CELL), g.at(L.MARKER_KIND_CELL), g.at(L.MARKER_VERSION_CELL)
    kind = str(kind).strip().lower() if kind is not None else ""
    try:
        version_no = int(float(str(version).strip()))
    except (TypeError, ValueError):
        version_no = -1
    if str(title or "").strip() != L.MARKER_TITLE or kind not in L.KINDS or version_no < 1:
        raise PartnerXLError("is not a PartnerXL workbook (its template marker is damaged). Start from a fresh "
                             "PartnerXL template and copy your entries into it.", file=label)
    if version_no > L.TEMPLATE_VERSION:
        raise PartnerXLError(f"was made by a newer version of PartnerXL (template version {version_no}; this "
                             f"PartnerXL reads up to version {L.TEMPLATE_VERSION}) — update PartnerXL and run again.",
                             file=label)
    return kind, version_no
