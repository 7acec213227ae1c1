"""One answer under the council's settings: after a council moves its Green threshold and its split share on the
register's Settings sheet, the rollup, `partnerxl score` (with and without --register) and the Score button (on
xlwings' remote engine) rate the demo's P002 (3.02) alike, and each says whose settings it used."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from addin_payload import AppliedBook, payload_from_xlsx, remote_book
from conftest import edit_cells
from partnerxl.cli import main
from partnerxl.documents import sample
from partnerxl.sheets import layout as L

P002 = "Review P002 2024.xlsx"


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    """The demo portfolio with Green from 3.0 and a split view needing 40% of raters on each side."""
    folder = tmp_path_factory.mktemp("council")
    register, reviews, _models = sample.write_sample(folder)
    rows = L.settings_rows()
    edit_cells(register, L.SETTINGS, {f"{L.SETTINGS_VALUE_COL}{rows['rag_green_from']}": 3.0,
                                      f"{L.SETTINGS_VALUE_COL}{rows['split_share']}": 0.4})
    return register, reviews


def _score_json(capsys, *args: str) -> dict:
    assert main(["score", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_command_and_the_rollup_use_the_councils_settings(council, capsys, tmp_path):
    register, reviews = council
    given = _score_json(capsys, str(reviews / P002), "--register", str(register))
    found = _score_json(capsys, str(reviews / P002))          # the register that reads reviews/ is found
    assert 3.0 < given["overall"]["score"] < 3.5 and given["overall"]["rag"] == "Green"
    assert given == found and found["settings"] == "the council's, from Register.xlsx"

    out = tmp_path / "Portfolio.xlsx"
    main(["rollup", str(register), str(reviews), "--year", str(sample.YEAR), "--out", str(out)])
    capsys.readouterr()
    rows = list(openpyxl.load_workbook(out, read_only=True)["Portfolio"].iter_rows(values_only=True))
    head = list(rows[0])
    p002 = next(r for r in rows if r[head.index("ID")] == "P002")
    assert p002[head.index("Overall RAG")] == "Green"

    # The split share moved from 25% to 40%: fewer benchmarks are split than under the defaults.
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(reviews / P002, alone / P002)
    defaults = _score_json(capsys, str(alone / P002))
    assert defaults["settings"] == "the defaults: no register found" and defaults["overall"]["rag"] == "Amber"
    assert set(given["split_benchmarks"]) < set(defaults["split_benchmarks"])


def test_the_score_button_uses_the_councils_settings_and_says_so(council, capsys):
    from partnerxl.excel import buttons

    register, reviews = council
    command = _score_json(capsys, str(reviews / P002))
    payload = payload_from_xlsx(reviews / P002)
    book = remote_book(payload)
    message = buttons.score(book)
    assert "Green" in message and "Amber" not in message
    assert "the council's, from Register.xlsx" in message
    rows = AppliedBook(payload).apply(book.json()["actions"])["Scores"].rows()
    assert any("Settings used: the council's, from Register.xlsx" in str(r[0]) for r in rows[:5])
    overall = next(r for r in rows if r and r[0] == "Overall")
    assert overall[2] == pytest.approx(command["overall"]["score"]) and overall[5] == "Green"


def test_a_register_older_than_a_setting_never_reads_another_settings_value(tmp_path):
    """A register made before a setting existed has another setting (or nothing) on that setting's row: the new
    setting keeps its default instead of taking the other one's value."""
    from partnerxl.operations import load_register

    register, _reviews, _models = sample.write_sample(tmp_path)
    rows = L.settings_rows()
    key_col = L.SETTINGS_KEY_COL
    wb = openpyxl.load_workbook(register)
    ws = wb[L.SETTINGS]
    # Move 'committee_name' out of the sheet, as if the register were older, and put the council name's key and
    # value on its row: that row now belongs to another setting.
    row = rows["committee_name"]
    ws[f"{key_col}{row}"] = "council_name"
    ws[f"{L.SETTINGS_VALUE_COL}{row}"] = "Somewhere Else Council"
    ws[f"{key_col}{rows['council_name']}"] = None
    wb.save(register)
    read = load_register(register)
    assert read.settings.council_name == "Somewhere Else Council"
    assert read.settings.committee_name == ""
