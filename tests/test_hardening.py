"""Issue 9, round two, phase 1: each attack built from the templates, as a careless or a hostile officer would.

Classes here: 1 file names made from data, 2 an output over an input, 4 silent guesses, 5 formulas without a stored
result, 10 absurd numbers, 11 leftovers and permissions, 12 pipes and the top-level handler, 13 one text guard.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import AS_OF, edit_cells, make_entry, make_review, sha256

from partnerxl.cli import main
from partnerxl.core.values import parse_date, parse_number, within
from partnerxl.documents.fill import new_register, new_review
from partnerxl.sheets import layout as L

COLS = L.register_columns()


def snapshot(root: Path) -> dict[Path, str]:
    return {p: sha256(p) for p in root.rglob("*") if p.is_file()}


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# --- 1 file names made from data -------------------------------------------------------------------------------------

HOSTILE_IDS = ["../../Register", "a/b/../../c", "..\\..\\evil", "CON", "nul", "COM1", "P7. . ", "P8...",
               "L" * 300, "/etc/passwd", "C:\\Windows\\win", "Review P001 2025"]


def test_hostile_ids_never_leave_the_output_folder(tmp_path, capsys):
    inputs = tmp_path / "inputs"
    reviews = inputs / "reviews"
    reviews.mkdir(parents=True)
    entries = [make_entry(pid, f"Partnership {i}") for i, pid in enumerate(HOSTILE_IDS)]
    register = new_register(inputs / "Register.xlsx", entries, reviews_folder="reviews", as_of=AS_OF)
    for i, pid in enumerate(HOSTILE_IDS):
        new_review(reviews / f"Review {i}.xlsx", make_review(pid, partnership_name=f"Partnership {i}"))
    out = reviews / "out"
    before = snapshot(tmp_path)
    code = main(["summaries", str(register), str(reviews), "--year", "2025", "--out", str(out)])
    assert code in (0, 1), capsys.readouterr()
    after = snapshot(tmp_path)
    assert {p: h for p, h in after.items() if out not in p.parents} == before  # inputs byte-identical, nothing new
    written = sorted(p for p in after if out in p.parents)
    assert len(written) == len(HOSTILE_IDS)
    for p in written:
        assert p.parent == out and len(p.name) < 100 and not p.name.rstrip(".xlsx").endswith((".", " "))
        assert p.name.split(" ")[1].upper() not in {"CON", "NUL", "COM1"}
    drafts = tmp_path / "drafts"
    assert main(["email", str(out), str(register), "--out", str(drafts)]) in (0, 1)
    assert all(p.parent == drafts for p in drafts.rglob("*") if p.is_file())
    assert snapshot(inputs) == after


def test_new_review_for_a_hostile_id_stays_in_its_folder(tmp_path, register_path):
    from partnerxl import operations as ops

    folder = tmp_path / "new"
    folder.mkdir()
    register = ops.load_register(register_path)
    for pid in HOSTILE_IDS:
        path = ops.new_review(register, make_entry(pid), folder, 2025).path
        assert path.parent == folder and path.exists()


# --- 2 an output over an input ---------------------------------------------------------------------------------------

@pytest.fixture
def portfolio_dir(tmp_path, register_path, review_path):
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    review_path.rename(reviews / review_path.name)
    return register_path, reviews


def _spellings(register: Path, reviews: Path) -> dict[str, Path]:
    symlink = reviews / "link.xlsx"
    symlink.symlink_to(register)
    hardlink = reviews.parent / "hard.xlsx"
    os.link(register, hardlink)
    return {"dot-dot": reviews / ".." / register.name, "symlink": symlink, "hard link": hardlink,
            "review": next(reviews.glob("Review*.xlsx"))}


@pytest.mark.parametrize("spelling", ["dot-dot", "symlink", "hard link", "review"])
def test_rollup_refuses_an_input_however_spelled(portfolio_dir, spelling, capsys):
    register, reviews = portfolio_dir
    out = _spellings(register, reviews)[spelling]
    before = snapshot(register.parent)
    assert main(["rollup", str(register), str(reviews), "--year", "2025", "--out", str(out)]) == 2
    assert "is one of the inputs" in one_line(capsys.readouterr().err)
    assert snapshot(register.parent) == before


def test_other_case_is_the_same_file_where_the_system_ignores_case(portfolio_dir, monkeypatch, capsys):
    from partnerxl.operations import common

    register, reviews = portfolio_dir
    monkeypatch.setattr(common, "_ignores_case", lambda folder: True)  # as on Windows and macOS
    out = register.with_name(register.name.upper())
    assert main(["rollup", str(register), str(reviews), "--year", "2025", "--out", str(out)]) == 2
    assert "is one of the inputs" in one_line(capsys.readouterr().err)


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="probes a case-sensitive file system")
def test_case_probe_on_a_case_sensitive_system(tmp_path):
    from partnerxl.operations.common import _ignores_case, same_file

    (tmp_path / "Reg.xlsx").write_bytes(b"x")
    assert not _ignores_case(tmp_path)
    assert not same_file(tmp_path / "REG.xlsx", tmp_path / "Reg.xlsx")


def test_validate_report_and_collate_refuse_an_input(portfolio_dir, response_factory, capsys):
    register, reviews = portfolio_dir
    review = next(reviews.glob("Review*.xlsx"))
    form = response_factory("Police")
    link = reviews / "form-link.xlsx"
    link.symlink_to(form)
    before = {**snapshot(register.parent), form: sha256(form)}
    assert main(["validate", str(review), "--report", str(reviews / ".." / "reviews" / review.name)]) == 2
    assert main(["collate", str(review), str(form), "--out", str(link)]) == 2
    assert main(["collate", str(review), str(form), "--out", str(reviews / "." / review.name)]) == 2
    err = capsys.readouterr().err
    assert err.count("is one of the inputs") == 3 and "Traceback" not in err
    assert {**snapshot(register.parent), form: sha256(form)} == before


def test_summaries_into_the_reviews_folder_never_replace_a_review(portfolio_dir, capsys):
    register, reviews = portfolio_dir
    review = next(reviews.glob("Review*.xlsx"))
    from partnerxl.sheets.reports import summary_file_name

    clash = review.rename(reviews / summary_file_name("P001", 2025))
    before = sha256(clash)
    code = main(["summaries", str(register), str(reviews), "--year", "2025", "--out", str(reviews)])
    assert sha256(clash) == before and code == 2


# --- 4 silent guesses, 10 absurd numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [("12,000", 12000), ("£1,234,567.50", 1234567.5), ("-£1,234.50", -1234.5),
                                          (" 3.5 ", 3.5), ("1 000", 1000), ("£ 250", 250), (".5", 0.5)])
def test_unambiguous_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["1,00", "1,2,3", "100.000,50", "1.000.000", "12,0000", "1 000,000", "1e3", "inf",
                                  "nan", "--5", "£-5", "9" * 400, float("inf"), float("nan"), 10 ** 400])
def test_ambiguous_or_absurd_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_two_digit_years_follow_excels_window():
    assert parse_date("01/04/85") == dt.date(1985, 4, 1)
    assert parse_date("01/04/30") == dt.date(1930, 4, 1)
    assert parse_date("01/04/29") == dt.date(2029, 4, 1)
    assert parse_date("1.4.00") == dt.date(2000, 4, 1)


def test_within_bounds():
    from partnerxl.core.settings import Settings

    s = Settings()
    assert within(None, s.max_money_gbp) and within(150000, s.max_money_gbp) and within(-5, 10)
    assert not within(1e308, s.max_money_gbp) and not within(10_001, s.max_days) and not within(float("nan"), 1)


def test_register_guesses_are_reported_at_their_cells(register_path, tmp_path):
    from partnerxl.storage.opening import FileWorkbook
    from partnerxl.reading import read_register

    edits = {f"{COLS['officer_days']}2": "1,2,3", f"{COLS['council_contribution_gbp']}2": "100.000,50",
             f"{COLS['council_contribution_gbp']}3": "1,00", f"{COLS['last_review_date']}3": "01/04/85"}
    path = edit_cells(register_path, L.REGISTER, edits, out=tmp_path / "guesses.xlsx")
    with FileWorkbook.open(path) as source:
        book = read_register(source)
    bad = {(f.code, f.cell) for f in book.findings}
    assert {("bad-number", f"{COLS['officer_days']}2"), ("bad-number", f"{COLS['council_contribution_gbp']}2"),
            ("bad-number", f"{COLS['council_contribution_gbp']}3")} <= bad
    assert not any(f.code == "date-in-future" for f in book.findings)  # 2085 would be
    p001, p002 = book.entries
    assert p001.officer_days is None and p001.council_contribution_gbp is None
    assert p002.last_review_date == dt.date(1985, 4, 1)


def test_an_infinite_contribution_is_refused_at_its_cell(register_path, tmp_path):
    """A number cell holding 1e999 (what a sum of two 1e308 becomes) is read by calamine as infinity."""
    import zipfile

    from partnerxl.storage.opening import FileWorkbook
    from partnerxl.reading import read_register

    ref = f"{COLS['council_contribution_gbp']}2"
    edited = edit_cells(register_path, L.REGISTER, {ref: 1.5e308}, out=tmp_path / "big.xlsx")
    path = tmp_path / "inf.xlsx"
    with zipfile.ZipFile(edited) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename).replace(b"1.5e+308", b"1e999"))
    with FileWorkbook.open(path) as source:
        assert source.grid(L.REGISTER).at(ref) == float("inf")
        book = read_register(source)
    assert ("bad-number", ref) in {(f.code, f.cell) for f in book.findings}
    assert book.entries[0].council_contribution_gbp is None
