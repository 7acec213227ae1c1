"""A column of cells read in one pass (checks.values.ColumnValues) says exactly what reading each cell on its own
(CellValues) says: the same value, or the same findings at the same cells, in the same order; and a record built
from columns is the record of the row's cells (issue 19: read once, check by column)."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerxl.checks import run, watch
from partnerxl.checks.values import (BLANK, NOTHING, REFUSED, CellValues, ColumnValues, FieldSpec, in_item_order,
                                     row_records)
from partnerxl.core.findings import finding
from partnerxl.core.values import UNCALCULATED, CleanedText, ErrorValue
from partnerxl.sheets.columns import CellColumn

RAWS = [None, "", "  ", 0.0, -0.0, "Yes", "yes ", "No", "Partly", "n/a", "Maybe", 1, 1.0, 2, 4.0, 5, 0, -3, 2.5, True, False,
        "3", "4 - Working well", "Don't know", "1,234", "£12,000", "12,00", 1e308, float("nan"), "31/03/2025",
        "2025-02-30", dt.date(2024, 6, 1), dt.datetime(2024, 6, 1, 0, 0), "a@example.gov.uk", "not an address",
        "x", "✓", 2024, "1989", UNCALCULATED, ErrorValue("#N/A"), CleanedText("Ye\u200bs"), CleanedText("Yes")]
SPECS = [FieldSpec("Text {}"), FieldSpec("Required {}", required=True),
         FieldSpec("Status {}", "choice", ("Yes", "Partly", "No", "Not applicable")),
         FieldSpec("Date {}", "date"), FieldSpec("Money {}", "money", limit=1e9), FieldSpec("Days {}", "number", limit=365),
         FieldSpec("E-mail {}", "email"), FieldSpec("Year {}", "year"), FieldSpec("Rating {}", "rating"),
         FieldSpec("Tick {}", "tick")]


def _one_by_one(spec: FieldSpec, column: CellColumn, names: list[str]):
    values, found = [], []
    for i, raw in enumerate(column.values):
        single = FieldSpec(spec.label.format(names[i]), spec.kind, spec.choices, spec.required, spec.limit)
        check = CellValues("f.xlsx", "S", cells={"x": (column.ref(i), raw)}, specs={"x": single})
        found += run(check)
        rec = check.record
        values.append(rec.values["x"] if "x" in rec.values else BLANK if "x" in rec.blank
                      else REFUSED if "x" in rec.refused else NOTHING)
    return values, found


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.label)
def test_a_column_reads_as_its_cells_one_by_one(spec):
    column = CellColumn(list(RAWS) * 2, rows=list(range(5, 5 + 2 * len(RAWS))), col=2)  # twice: remembered verdicts
    names = [f"q{i}" for i in range(len(column.values))]
    expected_values, expected = _one_by_one(spec, column, names)
    check = ColumnValues("f.xlsx", "S", column=column, spec=spec, names=names)
    found = run(check)
    assert found == expected
    assert [type(v) if isinstance(v, float) and v != v else v for v in check.values] == \
        [type(v) if isinstance(v, float) and v != v else v for v in expected_values]
    assert [f.cell for f in found] == [column.ref(i) for i in check.at]


def test_findings_are_put_in_item_order():
    a, b, c = (finding("missing-value", "f", "S", cell=x, field=x) for x in ("A1", "B1", "A2"))
    # column 0 found rows 0 and 1, column 1 found row 0: read item by item, row 0's come first
    assert in_item_order([([a, c], [0, 1]), ([b], [0])]) == [a, b, c]


def test_records_of_a_row_of_columns():
    columns = {"id": CellColumn(["P1", None], [1, 2], 0), "amount": CellColumn([-1, "12"], [1, 2], 1)}
    specs = {"id": FieldSpec("ID", required=True), "amount": FieldSpec("Amount", "money")}
    with watch() as log:
        checks = [ColumnValues("f", "R", column=columns[k], spec=specs[k]) for k in columns]
        for c in checks:
            run(c)
    assert {f.code for _c, f in log} == {"missing-value", "negative-number"}
    first, second = row_records(columns, checks)
    assert first.values == {"id": "P1"} and first.refused == {"amount"} and first.refs["amount"] == "B2"
    assert second.values == {"amount": 12.0} and second.blank == {"id"} and dict(second.refs) == {"id": "A3",
                                                                                                   "amount": "B3"}
