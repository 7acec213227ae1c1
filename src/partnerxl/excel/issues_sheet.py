"""Validate's output in the open workbook: the *Issues* sheet and the fills on the cells with a problem.

The findings come from `operations.validate_source`; this module only shows them. Each finding whose cell is an
input cell of the template gets a fill (light red for an error, yellow for a warning), and the Issues sheet lists
every finding with a link to its cell. The Issues sheet is also Validate's memory: the rows marked *Yes* are the
cells the last run filled, which the next run gives their template fill back unless they are still wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from partnerxl.excel.live import (autofit_columns, fill_cells, find_sheet, link_formula, owned_sheet,
                                  write_block)
from partnerxl.sheets import layout as L
from partnerxl.sheets import palette
from partnerxl.sheets.cells import cell_rc, col_letter

ISSUES_SHEET = "Issues"
ISSUES_HEADER = ["Severity", "Sheet", "Cell", "Field", "Value", "Problem", "Code", "Marked"]
HEADER_ROW = 4  # 0-based row of the header on the Issues sheet
ERROR_FILL = palette.hash_colour(palette.ERROR_MARK)
WARNING_FILL = palette.hash_colour(palette.WARNING_MARK)
INPUT_FILL = palette.hash_colour(palette.INPUT)
HEADER_COLOUR = palette.hash_colour(palette.SECTION)
_ORDER = {"error": 0, "warning": 1}
# Findings about a column an officer inserted: its cells are the officer's own, so Validate never fills them (a fill
# it later "restores" would give them the template's input colour).
OUTSIDE_TEMPLATE = ("unexpected-column", "ratings-not-read")

Marks = dict[str, dict[tuple[int, int], str]]   # sheet → {0-based (row, col): fill colour}


@dataclass(frozen=True)
class Shown:
    """What Validate did in the workbook: cells filled, fills taken off, whether the Issues sheet is new."""

    marked: int
    restored: int
    new_sheet: bool


def markable(kind: str, sheet: str, rc: tuple[int, int]) -> bool:
    """Is this cell an input cell of the template (one Validate may fill), rather than a heading or a statement?"""
    row, col = rc[0] + 1, col_letter(rc[1] + 1)
    if kind == "register":
        if sheet == L.REGISTER:
            return row >= L.REGISTER_FIRST_ROW
        return sheet == L.SETTINGS and col == L.SETTINGS_VALUE_COL and row >= L.SETTINGS_FIRST_ROW
    if kind == "review":
        return _review_input(sheet, row, col)
    if kind == "response" and sheet == L.RESPONSE:
        if f"{col}{row}" in {a for a, _label in L.RESPONSE_FIELDS.values()}:
            return True
        spec = L.RESPONSE_SPEC
        return col in {spec.col(r) for r in spec.inputs} and row >= spec.first_row
    return False


def _review_input(sheet: str, row: int, col: str) -> bool:
    if sheet == L.ABOUT:
        return f"{col}{row}" in {a for a, _label in L.ABOUT_FIELDS.values()}
    if sheet == L.BENCHMARKS:
        inputs = set(L.respondent_columns()) | {L.BENCHMARKS_SPEC.col("action_needed"),
                                                 L.BENCHMARKS_SPEC.col("by_whom")}
        return col in inputs and row >= L.BENCH_ORG_ROW
    for spec in (L.CHECKLIST_SPEC, L.IMPROVEMENT_SPEC, L.FITNESS_SPEC, L.FACTORS_SPEC):
        if sheet == spec.name:
            return col in {spec.col(r) for r in spec.inputs} and row >= spec.first_row
    return False


def previous_marks(source: Any) -> dict[str, set[tuple[int, int]]]:
    """Cells the last Validate filled, as listed on the Issues sheet (rows whose Marked column says Yes)."""
    if not any(n.casefold() == ISSUES_SHEET.casefold() for n in source.sheet_names()):
        return {}
    rows = source.rows(next(n for n in source.sheet_names() if n.casefold() == ISSUES_SHEET.casefold()))
    header_at = next((i for i, r in enumerate(rows) if r and r[0] == ISSUES_HEADER[0] and ISSUES_HEADER[-1] in r),
                     None)
    if header_at is None:
        return {}
    cols = {name: rows[header_at].index(name) for name in ("Sheet", "Cell", "Marked") if name in rows[header_at]}
    marks: dict[str, set[tuple[int, int]]] = {}
    for r in rows[header_at + 1:]:
        sheet, cell, marked = (r[cols[n]] if n in cols and cols[n] < len(r) else None
                               for n in ("Sheet", "Cell", "Marked"))
        rc = cell_rc(cell)
        if str(marked or "").strip().casefold() == "yes" and rc is not None and sheet:
            marks.setdefault(str(sheet), set()).add(rc)
    return marks


def _display_value(value: Any) -> Any:
    if value is None or isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."


def issue_rows(findings: list[Any], kind: str, sheet_names: dict[str, str]) -> tuple[list[list[Any]], Marks]:
    """The Issues sheet's rows (errors first) and the fills to put on input cells."""
    marks: Marks = {}
    rows: list[list[Any]] = []
    for f in sorted(findings, key=lambda f: _ORDER.get(f.severity, 2)):
        sheet = sheet_names.get(str(f.sheet or "").casefold())
        rc = cell_rc(f.cell)
        marked = bool(sheet and rc is not None and markable(kind, sheet, rc)) and f.code not in OUTSIDE_TEMPLATE
        if marked:
            cells = marks.setdefault(sheet, {})
            if cells.get(rc) != ERROR_FILL:  # an error outranks a warning on the same cell
                cells[rc] = ERROR_FILL if f.severity == "error" else WARNING_FILL
        cell = str(f.cell).replace("$", "") if f.cell else None
        link = link_formula(sheet, cell, cell) if (sheet and rc is not None) else cell
        rows.append([f.severity.capitalize(), f.sheet, link, f.field, _display_value(f.value), f.message, f.code,
                     "Yes" if marked else None])
    return rows, marks


def _apply_marks(book: Any, kind: str, old: dict[str, set[tuple[int, int]]], new: Marks,
                 sheet_names: dict[str, str]) -> tuple[int, int]:
    """Take last run's fills off (back to the template's input fill), then mark afresh: (restored, marked)."""
    restored = 0
    for name, cells in old.items():
        real = sheet_names.get(name.casefold())
        if real is None:
            continue
        back = [rc for rc in cells if rc not in new.get(real, {}) and markable(kind, real, rc)]
        if back:
            fill_cells(book.sheets[real], back, INPUT_FILL)
            restored += len(back)
    for name, cells in new.items():
        by_colour: dict[str, list[tuple[int, int]]] = {}
        for rc, colour in cells.items():
            by_colour.setdefault(colour, []).append(rc)
        for colour, rcs in by_colour.items():
            fill_cells(book.sheets[name], rcs, colour)
    return restored, sum(len(c) for c in new.values())


def show_findings(book: Any, source: Any, kind: str, findings: list[Any], title: str, note: str) -> Shown:
    """Mark the cells, then write the Issues sheet (title, note, the table); activated when there are findings."""
    sheet_names = {n.casefold(): n for n in source.sheet_names()}
    old = previous_marks(source)
    rows, new = issue_rows(findings, kind, sheet_names)
    restored, marked = _apply_marks(book, kind, old, new, sheet_names)
    new_sheet = find_sheet(book, ISSUES_SHEET) is None
    sheet = owned_sheet(book, ISSUES_SHEET)
    block: list[list[Any]] = [[title], [note], [None], [None], ISSUES_HEADER, *rows]
    if not rows:
        block.append(["None", None, None, None, None, "No problems found.", None, None])
    write_block(sheet, "A1", block, raw_columns=[ISSUES_HEADER.index("Cell")])
    sheet.range((HEADER_ROW + 1, 1), (HEADER_ROW + 1, len(ISSUES_HEADER))).color = HEADER_COLOUR
    autofit_columns(sheet)
    if findings:
        sheet.activate()
    return Shown(marked=marked, restored=restored, new_sheet=new_sheet)
