"""The review workbook's sheets → raw records. Parsing only: what is found where, never whether it is right.

Instrument sheets are read by the id in column A, not by row number, so a row an officer moved is still found.
Layout facts (an id that is missing, twice, or not the instrument's) are reported as plain data for the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from partnerxl.core.values import present, text
from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import a1, col_number
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
    """An instrument sheet: where its items are, and each found item's cells by role ("status", "due", …)."""

    sheet: str
    located: ItemRows
    cells: dict[str, dict[str, RawCell]]        # id → role → (reference, raw value), in instrument order


def parse_items(grid: Grid, spec: L.SheetSpec, ids: list[str], pattern: str, roles: tuple[str, ...],
                first_row: int | None = None) -> ItemTable:
    located = locate_items(grid, first_row or spec.first_row, ids=ids, pattern=pattern)
    cols = {role: col_number(spec.col(role)) - 1 for role in roles}
    cells = {ident: {role: (a1(located.rows[ident], c), grid.input(located.rows[ident], c))
                     for role, c in cols.items()}
             for ident in ids if ident in located.rows}
    return ItemTable(sheet=spec.name, located=located, cells=cells)


@dataclass
class RespondentColumn:
    letter: str
    organisation: RawCell
    name: RawCell
    email: RawCell
    ratings: dict[str, RawCell]                 # benchmark id → its rating cell, for every benchmark row found


@dataclass
class BenchmarksSheet:
    items: ItemTable                            # roles: action_needed, by_whom
    columns: list[RespondentColumn]


def parse_benchmarks(grid: Grid, ids: list[str]) -> BenchmarksSheet:
    items = parse_items(grid, L.BENCHMARKS_SPEC, ids=ids, pattern=r"\d+\.\d+", roles=("action_needed", "by_whom"),
                        first_row=L.BENCH_FIRST_ROW)
    org_row, name_row, email_row = L.BENCH_ORG_ROW - 1, L.BENCH_NAME_ROW - 1, L.BENCH_EMAIL_ROW - 1
    columns = []
    for letter in L.respondent_columns():
        c = col_number(letter) - 1
        ratings = {bid: (a1(r, c), grid.input(r, c)) for bid, r in items.located.rows.items()}
        columns.append(RespondentColumn(letter=letter, organisation=(a1(org_row, c), grid.input(org_row, c)),
                                        name=(a1(name_row, c), grid.input(name_row, c)),
                                        email=(a1(email_row, c), grid.input(email_row, c)),
                                        ratings={bid: ratings[bid] for bid in ids if bid in ratings}))
    return BenchmarksSheet(items=items, columns=columns)


def parse_header(grid: Grid, fields: dict[str, tuple[str, str]]) -> dict[str, RawCell]:
    """The fixed header cells of the About (or Response) sheet: key → (reference, raw value)."""
    return {key: (ref, grid.input_at(ref)) for key, (ref, _label) in fields.items()}


def parse_invited(grid: Grid) -> list[tuple[int, dict[str, RawCell]]]:
    """The invited respondents' lines that hold anything: (Excel row, role → cell), top to bottom. The sheet is read
    to its last row, so a line typed below the prepared ones still counts."""
    spec = L.INVITED_SPEC
    cols = {role: col_number(spec.col(role)) - 1 for role in spec.inputs}
    lines = []
    for r in range(spec.first_row - 1, grid.n_rows):
        cells = {role: (a1(r, c), grid.input(r, c)) for role, c in cols.items()}
        if any(present(v) for _ref, v in cells.values()):
            lines.append((r + 1, cells))
    return lines


@dataclass
class ReviewSheets:
    about: dict[str, RawCell]
    checklist: ItemTable
    improvement: ItemTable
    fitness: ItemTable
    factors: ItemTable
    benchmarks: BenchmarksSheet
    invited: list[tuple[int, dict[str, RawCell]]] = field(default_factory=list)


def parse_review(grids: dict[str, Grid], inst: Any) -> ReviewSheets:
    """Every sheet of a review; `grids` maps sheet name → Grid, `inst` gives the instruments' ids."""
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
        invited=parse_invited(grids[L.INVITED]) if L.INVITED in grids else [],
    )
