"""Issue 9, round two, phase 2: each attack built from the templates, as a careless or a hostile officer would.

Classes here: 1 ids that are not plain, 3 control characters, 5 formulas without a stored result (the finding),
6 grid drift, 7 matching, 8 files in the reviews folder that are not used, 9 invisible characters, 10 bounds,
14 the 32,767-character cell limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AS_OF, make_entry, make_review, sha256

from partnerxl.cli import main
from partnerxl.files.fill import new_register, new_review
from partnerxl.files.opening import FileWorkbook
from partnerxl.reading import read_register, read_review
from partnerxl.sheets import layout as L

COLS = L.register_columns()


def snapshot(root: Path) -> dict[Path, str]:
    return {p: sha256(p) for p in root.rglob("*") if p.is_file()}


def no_traceback(capsys) -> tuple[str, str]:
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, out + err
    return out, err


def found(findings) -> set[tuple[str, str | None]]:
    return {(f.code, f.cell) for f in findings}


def _register_book(path: Path):
    with FileWorkbook.open(path) as source:
        return read_register(source)


def _review_book(path: Path):
    with FileWorkbook.open(path) as source:
        return read_review(source)


def _openpyxl_edit(path: Path, sheet: str, values: dict, out: Path) -> Path:
    """Values written as a script would (openpyxl, no Excel): a string starting '=' becomes a formula with no
    stored value."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ref, value in values.items():
        wb[sheet][ref] = value
    wb.save(out)
    return out


# --- 10 bounds -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", [1e308, 1e12])
def test_an_absurd_contribution_is_refused_at_its_cell(register_path, tmp_path, amount, capsys):
    ref = f"{COLS['council_contribution_gbp']}2"
    days = f"{COLS['officer_days']}3"
    path = _openpyxl_edit(register_path, L.REGISTER, {ref: amount, days: 20_000}, tmp_path / "big.xlsx")
    book = _register_book(path)
    assert {("number-out-of-range", ref), ("number-out-of-range", days)} <= found(book.findings)
    assert book.entries[0].council_contribution_gbp is None and book.entries[1].officer_days is None
    message = next(f.message for f in book.findings if f.cell == ref)
    assert "£1,000,000,000" in message and "Settings sheet" in message
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    new_review(reviews / "Review P001 2025.xlsx", make_review())
    from partnerxl import operations as ops

    result = ops.portfolio(ops.load_register(path), sorted(reviews.glob("*.xlsx")), year=2025)
    total = result.committee["total_contribution_gbp"]
    assert isinstance(total, (int, float)) and total == 5000
    assert main(["rollup", str(path), str(reviews), "--year", "2025", "--out", str(tmp_path / "P.xlsx")]) == 1
    no_traceback(capsys)


def test_the_limit_is_a_setting(register_path, tmp_path):
    from conftest import edit_cells

    ref = f"{COLS['council_contribution_gbp']}2"
    path = _openpyxl_edit(register_path, L.REGISTER, {ref: 2e9}, tmp_path / "big.xlsx")
    path = edit_cells(path, L.SETTINGS, {f"B{L.settings_rows()['max_money_gbp']}": 5e9})
    book = _register_book(path)
    assert not any(f.code == "number-out-of-range" for f in book.findings)
    assert book.entries[0].council_contribution_gbp == 2e9
