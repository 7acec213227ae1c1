"""The review workbook's sheets → raw records. Parsing only: what is found where, never whether it is right.

Instrument sheets are read by the id in their ID column, not by row number, so a row an officer moved is still
found; every column is found by its heading (sheets/columns.py), so a column an officer inserted moves the others
harmlessly and is itself listed, for the checks to report. Layout facts (an id that is missing, twice, or not the instrument's) are reported as plain data for the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from partnerxl.core.values import present, text
from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import a1, col_letter, col_number
from partnerxl.sheets.columns import CellColumn, ExtraColumn, extra_columns, find_columns, heading_key, read_column
from partnerxl.sheets.grid import Grid

RawCell = tuple[str, Any]


@dataclass
class ItemRows:
    """Where each of an instrument's ids was found on its sheet."""

    rows: dict[str, int] = field(default_factory=dict)            # id → 0-based row of its first occurrence
    duplicates: list[tuple[str, str, int]] = field(default_factory=list)  # (id, id cell, Excel row of the first)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (what was typed, id cell): looks like an id
    missing: list[str] = field(default_factory=list)              # the instrument's ids not found


def locate_items(grid: Grid, first_row: int, ids: list[str], pattern: str, id_col: int = 0) -> ItemRows:
    """Scan the id column from `first_row` (1-based). Text that does not look like an id (`pattern`) is a heading
    or a note, not an unknown id."""
    known = set(ids)
    found = ItemRows()
    for r in range(first_row - 1, grid.n_rows):
        ident = text(grid.cell(r, id_col))
        if ident is None:
            continue
        if ident in known:
            if ident in found.rows:
                found.duplicates.append((ident, a1(r, id_col), found.rows[ident] + 1))
            else:
                found.rows[ident] = r
        elif re.fullmatch(pattern, ident):
            found.unknown.append((ident, a1(r, id_col)))
    found.missing = [ident for ident in ids if ident not in found.rows]
    return found


@dataclass
class ItemTable:
    """An instrument sheet: where its items are, and each role's column of cells ("status", "due", …), item by
    item in instrument order (`ids`: the instrument's ids found on the sheet)."""

    sheet: str
    located: ItemRows
    ids: list[str]
    columns: dict[str, CellColumn]
    extra: list[ExtraColumn] = field(default_factory=list)   # columns that are not the template's but hold something

    @property
    def cells(self) -> dict[str, dict[str, RawCell]]:
        """id → role → (reference, raw value), in instrument order."""
        return {ident: {role: column.cell(i) for role, column in self.columns.items()}
                for i, ident in enumerate(self.ids)}


def item_table(grid: Grid, sheet: str, located: ItemRows, ids: list[str], cols: dict[str, int],
               roles: tuple[str, ...], extra: list[ExtraColumn]) -> ItemTable:
    found = [ident for ident in ids if ident in located.rows]
    rows = [located.rows[ident] for ident in found]
    return ItemTable(sheet=sheet, located=located, ids=found,
                     columns={role: read_column(grid, rows, cols[role]) for role in roles}, extra=extra)


def parse_items(grid: Grid, spec: L.SheetSpec, ids: list[str], pattern: str, roles: tuple[str, ...],
                first_row: int | None = None) -> ItemTable:
    """The items' cells, each role's column found by its heading (the template's letter when it is not found)."""
    hr = spec.header_row - 1
    cols = find_columns(grid, hr, {role: spec.headers.get(letter, "") for role, letter in spec.columns.items()},
                        spec.columns)
    located = locate_items(grid, first_row or spec.first_row, ids=ids, pattern=pattern, id_col=cols["id"])
    extra = extra_columns(grid, set(cols.values()), first_row=hr, heading_row=hr, item_rows=located.rows)
    return item_table(grid, spec.name, located, ids, cols, roles, extra)


@dataclass
class RespondentColumn:
    letter: str
    organisation: RawCell
    name: RawCell
    email: RawCell
    ratings: CellColumn                         # its rating cells, one for every benchmark row found (ids order)


@dataclass
class BenchmarksSheet:
    items: ItemTable                            # roles: action_needed, by_whom; `extra` also holds surplus columns
    columns: list[RespondentColumn]


RESPONDENT_HEADING = re.compile(r"resp\w*\.?\s*(?:no\.?|number|#)?\s*(\d+)")
"""'Respondent 3' as the template heads it, and the ways an officer retypes it ('Resp. 3', 'respondent #3')."""


def benchmark_columns(grid: Grid) -> tuple[dict[str, int], list[int]]:
    """The Benchmarks sheet's fixed columns (role → 0-based column) and its respondent columns, left to right.

    Respondent columns are found by their numbered headings in the label row; at most the template's number of
    them are read, so a column headed 'Respondent 13', or a second 'Respondent 3', is an extra column. When a
    numbered heading is not found, its template column is used if no other heading claims it."""
    spec, row = L.BENCHMARKS_SPEC, L.BENCH_LABEL_ROW - 1
    cols = find_columns(grid, row, {"text": "Respondent →", "action_needed": L.ACTION_NEEDED_HEADER,
                                    "by_whom": L.BY_WHOM_HEADER},
                        {"text": spec.col("text"), "action_needed": spec.col("action_needed"),
                         "by_whom": spec.col("by_whom")})
    numbered: dict[int, int] = {}
    for c in range(grid.n_cols):
        m = RESPONDENT_HEADING.fullmatch(heading_key(grid.cell(row, c)))
        if m and 1 <= int(m.group(1)) <= L.RESPONDENT_COLUMNS and c not in cols.values():
            numbered.setdefault(int(m.group(1)), c)
    claimed = set(cols.values()) | set(numbered.values())
    for n, letter in enumerate(L.respondent_columns(), start=1):
        if n not in numbered and col_number(letter) - 1 not in claimed:
            numbered[n] = col_number(letter) - 1
    left = min(numbered.values(), default=cols["text"] + 1)
    cols["id"] = next((c for c in range(left) if heading_key(grid.cell(L.BENCH_ORG_ROW - 1, c)) == "id"),
                      col_number(spec.col("id")) - 1)
    return cols, sorted(numbered.values())


def parse_benchmarks(grid: Grid, ids: list[str]) -> BenchmarksSheet:
    cols, respondent = benchmark_columns(grid)
    located = locate_items(grid, L.BENCH_FIRST_ROW, ids=ids, pattern=r"\d+\.\d+", id_col=cols["id"])
    extra = extra_columns(grid, set(cols.values()) | set(respondent), first_row=L.BENCH_LABEL_ROW - 1,
                          heading_row=L.BENCH_LABEL_ROW - 1, item_rows=located.rows)
    items = item_table(grid, L.BENCHMARKS, located, ids, cols, ("action_needed", "by_whom"), extra)
    rows = items.columns["action_needed"].rows
    org_row, name_row, email_row = L.BENCH_ORG_ROW - 1, L.BENCH_NAME_ROW - 1, L.BENCH_EMAIL_ROW - 1
    columns = []
    for c in respondent:
        columns.append(RespondentColumn(letter=col_letter(c + 1), organisation=(a1(org_row, c), grid.input(org_row, c)),
                                        name=(a1(name_row, c), grid.input(name_row, c)),
                                        email=(a1(email_row, c), grid.input(email_row, c)),
                                        ratings=read_column(grid, rows, c)))
    return BenchmarksSheet(items=items, columns=columns)


def parse_header(grid: Grid, fields: dict[str, tuple[str, str]]) -> dict[str, RawCell]:
    """The fixed header cells of the About (or Response) sheet: key → (reference, raw value)."""
    return {key: (ref, grid.input_at(ref)) for key, (ref, _label) in fields.items()}


def parse_invited(grid: Grid) -> tuple[list[tuple[int, dict[str, RawCell]]], list[ExtraColumn]]:
    """The invited respondents' lines that hold anything: (Excel row, role → cell), top to bottom, and the columns
    that are not the template's. The sheet is read to its last row, so a line typed below the prepared ones still
    counts."""
    spec = L.INVITED_SPEC
    hr = spec.header_row - 1
    cols = find_columns(grid, hr, {role: spec.headers[letter] for role, letter in spec.columns.items()},
                        spec.columns)
    lines = []
    for r in range(spec.first_row - 1, grid.n_rows):
        cells = {role: (a1(r, c), grid.input(r, c)) for role, c in cols.items() if role in spec.inputs}
        if any(present(v) for _ref, v in cells.values()):
            lines.append((r + 1, cells))
    return lines, extra_columns(grid, set(cols.values()), first_row=hr, heading_row=hr)


@dataclass
class ReviewSheets:
    about: dict[str, RawCell]
    checklist: ItemTable
    improvement: ItemTable
    fitness: ItemTable
    factors: ItemTable
    benchmarks: BenchmarksSheet
    invited: list[tuple[int, dict[str, RawCell]]] = field(default_factory=list)
    invited_extra: list[ExtraColumn] = field(default_factory=list)

    @property
    def extra(self) -> dict[str, list[ExtraColumn]]:
        """Sheet name → its columns that are not the template's but hold something."""
        tables = (self.checklist, self.improvement, self.fitness, self.benchmarks.items, self.factors)
        return {**{t.sheet: t.extra for t in tables}, L.INVITED: self.invited_extra}


def parse_review(grids: dict[str, Grid], inst: Any) -> ReviewSheets:
    """Every sheet of a review; `grids` maps sheet name → Grid, `inst` gives the instruments' ids."""
    invited, invited_extra = parse_invited(grids[L.INVITED]) if L.INVITED in grids else ([], [])
    return ReviewSheets(
        about=parse_header(grids[L.ABOUT], L.ABOUT_FIELDS),
        checklist=parse_items(grids[L.CHECKLIST], L.CHECKLIST_SPEC, ids=[q.id for q in inst.checklist.questions],
                              pattern=r"\d+[a-z]", roles=("status", "evidence", "where")),
        improvement=parse_items(grids[L.IMPROVEMENT], L.IMPROVEMENT_SPEC,
                                ids=[a.id for a in inst.improvement.areas], pattern=r"I\d+",
                                roles=("answer", "action", "owner", "due")),
        fitness=parse_items(grids[L.FITNESS], L.FITNESS_SPEC, ids=[q.id for q in inst.fitness.questions],
                            pattern=r"F\d+", roles=("answer", "owner", "due")),
        factors=parse_items(grids[L.FACTORS], L.FACTORS_SPEC,
                            ids=[f.id for a in inst.benchmarks.areas for f in a.factors], pattern=r"\d+\.f\d+",
                            roles=("tick",)),
        benchmarks=parse_benchmarks(grids[L.BENCHMARKS], [b.id for b in inst.benchmarks.benchmarks]),
        invited=invited, invited_extra=invited_extra,
    )
