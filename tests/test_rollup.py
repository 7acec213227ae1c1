"""`partnerxl rollup` / `summaries` / `email` on a small hand-made portfolio written to real workbooks."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest

from partnerxl.documents import fill as fill
from partnerxl.cli import main

from portfolio_fixtures import entry, review, uniform
from test_summaries import NASTY, assert_text_only


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def files(tmp_path):
    inputs = tmp_path / "in"
    entries = [
        entry("P001", "Alpha Board", council_contribution_gbp=150_000, priority_impact="High", risk="High",
              purpose="Joint working on alpha"),
        entry("P002", "Beta Forum", purpose=NASTY[0], lead_officer=NASTY[3]),
        entry("P003", "Gamma Group", last_review_date=dt.date(2023, 1, 1)),
    ]
    fill.new_register(inputs / "Register.xlsx", entries, as_of=dt.date(2025, 3, 31))
    reviews = inputs / "reviews"
    # File names deliberately do not match the ids inside: matching is by the id in the workbook.
    fill.new_review(reviews / "beta.xlsx", review("P001", 2024, uniform(1), name="Alpha Board"), entries[0])
    fill.new_review(reviews / "alpha.xlsx", review("P001", 2023, uniform(2), name="Alpha Board"), entries[0])
    fill.new_review(reviews / "x.xlsx", review("P002", 2024, {"1": [4, 4], "2": [4, 4], "3": [3, 3], "4": [3, 3]},
                                                name="Beta Forum",
                                                improvement={"I02": {"answer": "No", "action": NASTY[1],
                                                                     "owner": NASTY[2]},
                                                             "I03": {"answer": "No", "action": NASTY[0],
                                                                     "owner": "Bob"}}), entries[1])
    (reviews / "broken.xlsx").write_bytes(b"not a workbook at all")
    fill.new_register(reviews / "stray register.xlsx", entries[:1])
    return inputs


def test_rollup_cli(files, tmp_path, capsys):
    before = _hashes(files)
    out = tmp_path / "out" / "Portfolio.xlsx"
    args = ["rollup", str(files / "Register.xlsx"), str(files / "reviews"), "--year", "2024",
            "--as-of", "2025-03-31", "--out", str(out)]
    assert main(args) == 1   # done, with error findings: broken.xlsx and the stray register are left out
    assert "3 partnerships, 2 reviewed" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    ws = wb["Portfolio"]
    head = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    # P001: all ratings 1 -> overall 1.00 Red; 2023 all 2 -> 2.00 Red; change 1 - 2 = -1.
    assert rows["P001"]["Overall score"] == 1 and rows["P001"]["Overall RAG"] == "Red"
    assert rows["P001"]["Change in overall"] == -1
    assert "Consider ending or merging" in rows["P001"]["Flags"]
    assert "Value-for-money concern" in rows["P001"]["Flags"]
    # Significant (3 criteria) without a checklist -> missing instrument, yet its scores are used.
    assert "Missing instrument for tier" in rows["P001"]["Flags"]
    # P002: areas 4, 4, 3, 3 -> 3.5 Green; no previous review -> no change.
    assert rows["P002"]["Overall score"] == 3.5 and rows["P002"]["Overall RAG"] == "Green"
    assert rows["P002"]["Change in overall"] is None
    # P003: last review 1 Jan 2023 -> due 1 Jan 2024 < 31 Mar 2025 -> overdue.
    assert rows["P003"]["Flags"] == "Overdue review"
    assert ws.tables and list(ws.tables)[0] == "PortfolioTable"
    problems = {r[0] for r in wb["Problems"].iter_rows(min_row=2, values_only=True)}
    assert problems == {"broken.xlsx", "stray register.xlsx"}
    assert wb["Heatmap"].conditional_formatting
    assert_text_only(out, expect_nasty=True)
    assert _hashes(files) == before
    first = hashlib.sha256(out.read_bytes()).digest()
    assert main(args) == 1
    assert hashlib.sha256(out.read_bytes()).digest() == first


def test_summaries_and_email_cli(files, tmp_path, capsys):
    before = _hashes(files)
    sdir, edir = tmp_path / "s", tmp_path / "e"
    assert main(["summaries", str(files / "Register.xlsx"), str(files / "reviews"), "--year", "2024",
                 "--out", str(sdir)]) == 1   # written; the unusable workbooks in the folder are named
    assert sorted(p.name for p in sdir.iterdir()) == ["Summary P001 2024.xlsx", "Summary P002 2024.xlsx"]
    for p in sdir.iterdir():
        assert_text_only(p, expect_nasty=p.name.startswith("Summary P002"))
    s_hashes = _hashes(sdir)
    assert main(["email", str(sdir), str(files / "Register.xlsx"), "--out", str(edir)]) == 0
    assert sorted(p.name for p in edir.iterdir()) == ["Summary P001 2024.eml", "Summary P002 2024.eml"]
    assert _hashes(files) == before and _hashes(sdir) == s_hashes


def test_open_output_reported(files, tmp_path, capsys):
    out = tmp_path / "Portfolio.xlsx"
    out.write_bytes(b"old")
    (tmp_path / "~$Portfolio.xlsx").write_text("lock")
    code = main(["rollup", str(files / "Register.xlsx"), str(files / "reviews"), "--year", "2024", "--out", str(out)])
    assert code == 2
    assert "open in Excel" in capsys.readouterr().err
    assert out.read_bytes() == b"old"
