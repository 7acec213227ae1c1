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
from partnerxl.documents.fill import new_register, new_review
from partnerxl.storage.opening import FileWorkbook
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


# --- 5 formulas without a stored result ------------------------------------------------------------------------------

def test_formulas_saved_without_a_value_are_findings_at_their_cells(register_path, review_path, tmp_path):
    money = f"{COLS['council_contribution_gbp']}2"
    register = _openpyxl_edit(register_path, L.REGISTER, {money: "=1000*12"}, tmp_path / "scripted register.xlsx")
    register = _openpyxl_edit(register, L.SETTINGS, {f"B{L.settings_rows()['max_days']}": "=5000*2"}, register)
    book = _register_book(register)
    assert {("formula-without-value", money),
            ("formula-without-value", f"B{L.settings_rows()['max_days']}")} <= found(book.findings)
    assert book.entries[0].council_contribution_gbp is None
    b = L.benchmark_rows()
    r11 = next(r.row for r in b if r.id == "1.1")
    im = next(r.row for r in L.improvement_rows() if r.id == "I01")
    cells = {L.ABOUT: {"B4": '="Safer "&"Streets"'}, L.BENCHMARKS: {f"C{r11}": "=2+1", f"D{L.BENCH_ORG_ROW}": "=A1"},
             L.IMPROVEMENT: {f"C{im}": '="Yes"'}}
    review = review_path
    for sheet, values in cells.items():
        review = _openpyxl_edit(review, sheet, values, tmp_path / "scripted review.xlsx")
    rbook = _review_book(review)
    expected = {("formula-without-value", ref) for values in cells.values() for ref in values}
    assert expected <= found(rbook.findings)
    assert not any(f.code in ("missing-value", "respondent-without-organisation") for f in rbook.findings)
    assert rbook.review.partnership_name is None and "I01" not in rbook.review.improvement


# --- 3 control characters --------------------------------------------------------------------------------------------

def test_control_characters_are_removed_at_reading_with_a_finding(tmp_path, capsys):
    from conftest import edit_cells

    inputs = tmp_path / "inputs"
    reviews = inputs / "reviews"
    reviews.mkdir(parents=True)
    entries = [make_entry(), make_entry("P0\n03", "Line\nbreak", lead_officer_email="b.officer@council.gov.uk")]
    register = new_register(inputs / "Register.xlsx", entries, reviews_folder="reviews", as_of=AS_OF)
    name = f"{COLS['name']}2"
    edit_cells(register, L.REGISTER, {name: "Safer_x000B_Streets_x0001_"})
    im = next(r.row for r in L.improvement_rows() if r.id == "I02")
    review = new_review(reviews / "Review P001 2025.xlsx",
                        make_review(improvement={"I02": {"answer": "No", "action": "x"}}))
    edit_cells(review, L.IMPROVEMENT, {f"D{im}": "Train_x000B_the board",
                                       f"E{im}": "Chair_x001F_"})
    new_review(reviews / "Review P003 2025.xlsx", make_review("P0\n03", partnership_name="Line\nbreak"))
    book = _register_book(register)
    assert ("control-characters", name) in found(book.findings)
    assert book.entries[0].name == "SaferStreets"
    rbook = _review_book(review)
    assert {("control-characters", f"D{im}"), ("control-characters", f"E{im}")} <= found(rbook.findings)
    assert rbook.review.improvement["I02"].action == "Trainthe board"
    before = snapshot(inputs)
    out = tmp_path / "out"
    assert main(["rollup", str(register), str(reviews), "--year", "2025", "--out", str(tmp_path / "P.xlsx")]) in (0, 1)
    assert main(["summaries", str(register), str(reviews), "--year", "2025", "--out", str(out)]) in (0, 1)
    assert len(list(out.glob("*.xlsx"))) == 2
    assert main(["email", str(out), str(register), "--out", str(tmp_path / "drafts")]) in (0, 1)
    no_traceback(capsys)
    assert len(list((tmp_path / "drafts").glob("*.eml"))) == 2
    assert snapshot(inputs) == before


# --- 1 ids that are not plain ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("pid", ["../P001", "P 001", "P001.", "P0\n01", "A/B"])
def test_an_id_that_is_not_plain_is_a_warning(register_path, tmp_path, pid):
    from conftest import edit_cells

    ref = f"{COLS['id']}2"
    book = _register_book(edit_cells(register_path, L.REGISTER, {ref: pid}, out=tmp_path / "ids.xlsx"))
    hits = [f for f in book.findings if f.code == "id-not-plain"]
    assert [(f.cell, f.severity) for f in hits] == [(ref, "warning")]
    review = new_review(tmp_path / "review.xlsx", make_review(pid))
    assert ("id-not-plain", L.ABOUT_FIELDS["partnership_id"][0]) in found(_review_book(review).findings)


def test_plain_ids_are_not_flagged(register_path):
    assert not any(f.code == "id-not-plain" for f in _register_book(register_path).findings)


# --- 7 matching, 9 invisible characters ------------------------------------------------------------------------------

@pytest.mark.parametrize("pid", ["p001", "P001\u200b", " P001 ", "Ｐ００１"])
def test_a_review_id_in_another_spelling_is_used_everywhere(register_path, tmp_path, pid, capsys):
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    review = new_review(reviews / "Review.xlsx", make_review(pid))
    before = snapshot(tmp_path)
    assert main(["validate", str(review), "--register", str(register_path)]) == 0
    assert main(["rollup", str(register_path), str(reviews), "--year", "2025", "--out",
                 str(tmp_path / "P.xlsx")]) == 0
    out, _err = no_traceback(capsys)
    assert "1 reviewed" in out and "0 problems" in out
    assert main(["summaries", str(register_path), str(reviews), "--year", "2025", "--out",
                 str(tmp_path / "sums")]) == 0
    assert [p.name for p in (tmp_path / "sums").glob("*.xlsx")] == ["Summary P001 2025.xlsx"]
    no_traceback(capsys)
    assert {p: h for p, h in snapshot(tmp_path).items() if p in before} == before


@pytest.mark.parametrize("twin", ["Police\u200b", "POLICE", "Ｐolice", "Police\u00ad"])
def test_invisible_characters_do_not_make_a_respondent_new(review_path, tmp_path, twin):
    from conftest import edit_cells

    path = edit_cells(review_path, L.BENCHMARKS, {f"D{L.BENCH_ORG_ROW}": twin, f"D{L.BENCH_NAME_ROW}": "Police lead"},
                      out=tmp_path / "twin.xlsx")
    book = _review_book(path)
    assert ("duplicate-respondent", f"D{L.BENCH_ORG_ROW}") in found(book.findings)
    assert len(book.review.respondents) == 2


# --- 8 files in the reviews folder that are not used -----------------------------------------------------------------

def test_every_file_not_used_is_named_with_its_reason(register_path, review_path, tmp_path, capsys):
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    review_path.rename(reviews / review_path.name)
    for name in ("Review P002 2025.ods", "Old review.xls", "ratings.csv", "notes.txt", "~$Review P001 2025.xlsx",
                 ".~partnerxl-abc.xlsx", ".DS_Store"):
        (reviews / name).write_bytes(b"not a workbook")
    (reviews / "old").mkdir()
    before = snapshot(tmp_path)
    assert main(["summaries", str(register_path), str(reviews), "--year", "2025", "--out", str(tmp_path / "s")]) == 0
    summary = next((tmp_path / "s").glob("*.xlsx"))
    summary.rename(reviews / summary.name)  # a summary saved into the reviews folder
    no_traceback(capsys)
    expected = {"Review P002 2025.ods": ".ods", "Old review.xls": ".xls", "ratings.csv": "CSV",
                "notes.txt": "not an Excel workbook", summary.name: "PartnerXL wrote"}
    for command in (["rollup", "--out", str(tmp_path / "P.xlsx")], ["summaries", "--out", str(tmp_path / "s2")]):
        code = main([command[0], str(register_path), str(reviews), "--year", "2025", *command[1:]])
        out, _err = no_traceback(capsys)
        assert code == 0, out
        for name, words in expected.items():
            line = next((x for x in out.splitlines() if name in x), "")
            assert words in line, (name, out)
        assert "~$" not in out and ".~partnerxl" not in out and "DS_Store" not in out
    from partnerxl import operations as ops

    p = ops.portfolio(ops.load_register(register_path), ops.workbook_files(reviews, skip=(register_path,)), year=2025)
    assert {f.file for f in p.problems if f.code == "file-not-used"} == set(expected)
    assert p.committee["reviewed_this_year"] == 1 and p.committee["workbooks_left_out"] == 0
    from openpyxl import load_workbook

    problems = load_workbook(tmp_path / "P.xlsx", read_only=True)["Problems"]
    shown = " ".join(str(c) for row in problems.iter_rows(values_only=True) for c in row if c)
    assert all(name in shown for name in expected)
    assert {p: h for p, h in snapshot(tmp_path).items() if p in before and p.parent == reviews} == \
        {p: h for p, h in before.items() if p.parent == reviews}


# --- 14 the 32,767-character cell limit ------------------------------------------------------------------------------

def test_text_longer_than_a_cell_is_cut_visibly_and_keeps_the_owner(register_path, tmp_path, capsys):
    from openpyxl import load_workbook

    from partnerxl.core.values import CELL_LIMIT

    reviews = tmp_path / "reviews"
    reviews.mkdir()
    action = "Rewrite the terms of reference. " * 1250  # 40,000 characters
    assert len(action) == 40_000
    review = make_review(benchmark_actions={"1.1": {"action_needed": action, "by_whom": "Board chair"}},
                         respondents=[r.model_copy(update={"ratings": {**r.ratings, "1.1": 1}})
                                      for r in make_review().respondents])
    filled = new_review(tmp_path / "filled.xlsx", review)  # the openpyxl filled copy cuts visibly
    ref = f"{L.BENCHMARKS_SPEC.col('action_needed')}{next(r.row for r in L.benchmark_rows() if r.id == '1.1')}"
    assert load_workbook(filled)[L.BENCHMARKS][ref].value.endswith("…")
    # Excel (and openpyxl) keep 32,767 characters of the 40,000 typed: the review holds a cell filled to the brim
    _openpyxl_edit(filled, L.BENCHMARKS, {ref: action}, reviews / "Review P001 2025.xlsx")
    before = snapshot(tmp_path)
    portfolio = tmp_path / "Portfolio.xlsx"
    assert main(["rollup", str(register_path), str(reviews), "--year", "2025", "--out", str(portfolio)]) == 0
    out, _err = no_traceback(capsys)
    assert "Review P001 2025.xlsx" in out and "was cut" in out and "Benchmark actions 1.1 action needed" in out
    assert main(["summaries", str(register_path), str(reviews), "--year", "2025", "--out", str(tmp_path / "s")]) == 0
    no_traceback(capsys)
    actions = load_workbook(portfolio, read_only=True)["Actions"]
    rows = [row for row in actions.iter_rows(values_only=True) if any(isinstance(c, str) and c.startswith("Rewrite")
                                                                       for c in row)]
    assert rows and "Board chair" in rows[0]
    assert any(isinstance(c, str) and len(c) == CELL_LIMIT for c in rows[0])
    summary = next((tmp_path / "s").glob("*.xlsx"))
    # The summary's key actions table: the action cut short with a visible "…", its owner kept in its own cell.
    rows = [[c for c in row if isinstance(c, str)] for ws in load_workbook(summary, read_only=True)
            for row in ws.iter_rows(values_only=True) if any(isinstance(c, str) and "Rewrite the terms" in c
                                                                for c in row)]
    assert rows and all(len(t) <= CELL_LIMIT for row in rows for t in row)
    assert any("…" in row[0] and "Board chair" in row for row in rows), rows
    assert {p: h for p, h in snapshot(tmp_path).items() if p in before} == before


def test_fit_cell():
    from partnerxl.core.values import CELL_LIMIT, fit_cell

    assert fit_cell("short", " (by X)") == "short (by X)"
    cut = fit_cell("a" * 40_000, " (by Board chair)")
    assert len(cut) == CELL_LIMIT and cut.endswith("… (by Board chair)")
    both = fit_cell("a" * 40_000, "b" * 40_000)
    assert len(both) <= CELL_LIMIT and both.endswith("…") and "b" in both
