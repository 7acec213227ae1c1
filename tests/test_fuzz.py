"""Fuzz: arbitrary values typed into the register's and a review's input cells, then validate, score and rollup.

Whatever is typed — text in any script, control characters as Excel stores them (`_x000B_`), numbers from tiny to
absurd, booleans, dates, formulas saved without a result, Excel's error values (#N/A, #DIV/0!, #SPILL!, …) —
every command ends with findings and an exit code of
0, 1 or 2, never an exception, and every input is byte-identical afterwards. Deterministic (derandomized, a fixed
number of examples) so it runs the same in CI, in well under a minute.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, make_entry, make_review, sha256
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from partnerxl.cli import main
from partnerxl.documents.fill import new_register, new_review
from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import col_letter

EXAMPLES = 40


def _cells(sheet: str, rows: range, cols: range) -> list[tuple[str, str]]:
    return [(sheet, f"{col_letter(c)}{r}") for r in rows for c in cols]


COLS = L.register_columns()
REGISTER_CELLS = [*_cells(L.REGISTER, range(2, 4), range(1, len(L.register_columns()) + 1)),
                  *[(L.SETTINGS, f"{L.SETTINGS_VALUE_COL}{r}") for r in L.settings_rows().values()]]
REVIEW_CELLS = [*[(L.ABOUT, ref) for ref, _label in L.ABOUT_FIELDS.values()],
                *_cells(L.BENCHMARKS, range(L.BENCH_FIRST_ROW, L.BENCH_FIRST_ROW + 30), range(1, 21)),
                *_cells(L.CHECKLIST, range(1, 40), range(1, 8)),
                *_cells(L.IMPROVEMENT, range(1, 30), range(1, 8)),
                *_cells(L.FITNESS, range(1, 20), range(1, 6)),
                *_cells(L.FACTORS, range(1, 40), range(1, 6))]

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _as_excel_stores(text: str) -> str:
    """Control characters as Excel itself writes them into the file (openpyxl refuses them raw)."""
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


class Formula(str):
    """Text written as a formula (openpyxl stores no value for it, as any script does)."""


class ExcelError(str):
    """One of Excel's error values, stored as Excel stores a formula's error result (`<c t="e"><v>#N/A</v></c>`)."""


EXCEL_ERRORS = ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!",
                "#CALC!"]


VALUES = st.one_of(
    st.text(max_size=40).map(_as_excel_stores),
    st.sampled_from(["1,00", "100.000,50", "1,2,3", "01/04/85", "31/02/2025", "P001", " p001 ", "p\u200b001",
                     "=HYPERLINK(\"http://x\",\"y\")", "\t=1+1", "Yes", "N/A", "4", "4.0", "1e308", "£1,234.50",
                     "x" * 3000, "_x000B_", "a\nb", "YES – working well", "Don't know"]),
    st.integers(min_value=-10 ** 6, max_value=10 ** 6), st.sampled_from([10 ** 300, -(10 ** 30), 2 ** 63]),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from(["=1/0", "=A1", "=SUM(1,2)", "=\"text\"", "=NOW()"]).map(Formula),
    st.sampled_from(EXCEL_ERRORS).map(ExcelError),
)


def _edits(cells: list[tuple[str, str]]):
    return st.lists(st.tuples(st.sampled_from(cells), VALUES), min_size=1, max_size=6)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("fuzz-base")
    register = new_register(folder / "Register.xlsx", [make_entry(), make_entry("P002", "Healthy Homes")],
                            reviews_folder="reviews", as_of=AS_OF)
    review = new_review(folder / "Review P001 2025.xlsx", make_review())
    return register, review


def _edit(src: Path, out: Path, edits: list[tuple[tuple[str, str], object]]) -> Path:
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell

    from partnerxl.storage.writing import set_text

    wb = load_workbook(src)
    for (sheet, ref), value in edits:
        cell = wb[sheet][ref]
        if isinstance(cell, MergedCell):
            continue  # only a merged range's first cell can be typed into
        try:
            if isinstance(value, Formula):
                cell.value = str(value)
            elif isinstance(value, ExcelError):
                cell.value, cell.data_type = str(value), "e"
            else:
                set_text(cell, value)
        except (ValueError, TypeError):  # a value openpyxl cannot store, so no officer's file can hold it either
            cell.value = None
    wb.save(out)
    return out


def _run(argv: list[str], out: list[str] | None = None) -> int:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = main(argv)
    assert "Traceback" not in sink.getvalue()
    if out is not None:
        out.append(sink.getvalue())
    return code


# Cells every reader takes whatever else was typed: an error value typed into one is an error-value finding there.
READ_FOR_SURE = {*((L.REGISTER, f"{COLS[name]}{row}") for name in ("council_contribution_gbp", "start_date", "name")
                   for row in (2, 3)),
                 *((L.SETTINGS, f"{L.SETTINGS_VALUE_COL}{row}") for row in L.settings_rows().values()),
                 *((L.ABOUT, ref) for ref, _label in L.ABOUT_FIELDS.values())}


def _error_cells(text: str) -> set[tuple[str, str]]:
    """(sheet, cell) of every error-value finding in validate's --json output, whatever its shape."""
    found: set[tuple[str, str]] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("code") == "error-value":
                found.add((node.get("sheet"), node.get("cell")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(text[text.index("{"):]))
    return found


# No shrinking: a failure is reported as found (with its edits), so a failing run stays as short as a passing one.
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          report_multiple_bugs=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(register_edits=_edits(REGISTER_CELLS), review_edits=_edits(REVIEW_CELLS))
@example(register_edits=[((L.REGISTER, f"{L.register_columns()['start_date']}2"), -(10 ** 30))],  # calamine panicked
         review_edits=[((L.ABOUT, L.ABOUT_FIELDS["review_date"][0]), -(10 ** 30))])
@example(register_edits=[((L.REGISTER, f"{COLS['council_contribution_gbp']}2"), ExcelError("#DIV/0!")),
                         ((L.SETTINGS, f"B{L.settings_rows()[L.AS_OF_KEY]}"), ExcelError("#REF!"))],
         review_edits=[((L.BENCHMARKS, f"C{L.BENCH_FIRST_ROW + 1}"), ExcelError("#N/A")),
                       ((L.ABOUT, L.ABOUT_FIELDS["year"][0]), ExcelError("#SPILL!"))])
def test_anything_typed_gives_findings_never_an_exception(base, tmp_path_factory, register_edits, review_edits):
    folder = tmp_path_factory.mktemp("fuzz")
    reviews = folder / "reviews"
    reviews.mkdir()
    register = _edit(base[0], folder / "Register.xlsx", register_edits)
    review = _edit(base[1], reviews / "Review P001 2025.xlsx", review_edits)
    before = {p: sha256(p) for p in (register, review)}
    printed: list[str] = []
    assert _run(["validate", str(register), str(review), "--register", str(register), "--json"], printed) in (0, 1, 2)
    typed_errors = {where for where, value in dict(register_edits + review_edits).items()
                    if isinstance(value, ExcelError) and where in READ_FOR_SURE}
    assert typed_errors <= _error_cells(printed[0])
    assert _run(["score", str(review), "--register", str(register), "--json"]) in (0, 1, 2)
    out = folder / "Portfolio.xlsx"
    assert _run(["rollup", str(register), str(reviews), "--year", "2025", "--out", str(out)]) in (0, 1, 2)
    assert {p: sha256(p) for p in before} == before
    shutil.rmtree(folder, ignore_errors=True)
