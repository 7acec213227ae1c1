"""One source of truth: the same workbooks get the same findings, scores, flags and counts from the command line,
the ribbon buttons (on xlwings' remote engine) and the demo.

Two portfolios go through every edge: the demo's own sample, and a copy of it with faults planted the way officers
make them — a rating off the scale, a date that is not a date, an id typed in the wrong case, an internationalised
lead-officer e-mail address.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from addin_payload import AppliedBook, display, payload_from_xlsx, remote_book
from conftest import edit_cells
from partnerxl.cli import main
from partnerxl.documents import sample
from partnerxl.core.findings import CODES
from partnerxl.sheets import layout as L

ISSUES_HEADER_ROW = 4   # 0-based row of the Issues sheet's heading row


def _plant(folder: Path) -> tuple[Path, Path]:
    register, reviews, _models = sample.write_sample(folder)
    edit_cells(reviews / "Review P001 2024.xlsx", L.ABOUT, {L.ABOUT_FIELDS["review_date"][0]: "31/13/2024"})
    edit_cells(reviews / "Review P002 2024.xlsx", L.ABOUT, {L.ABOUT_FIELDS["partnership_id"][0]: "p002"})
    email_col = L.register_columns()["lead_officer_email"]
    edit_cells(register, L.REGISTER, {f"{email_col}{L.REGISTER_FIRST_ROW}": "józef.nowak@fernleigh.gov.uk"})
    return register, reviews


@pytest.fixture(scope="module", params=["demo", "planted"])
def portfolio_files(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "demo":
        from partnerxl.demo import run_demo

        result = run_demo(folder / "d")
        return result.register, result.reviews_dir, result
    register, reviews = _plant(folder)
    return register, reviews, None


def _sheet_rows(path: Path, sheet: str) -> list[tuple]:
    return [tuple(r) for r in openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True)]


def _portfolio_view(rows: list) -> dict:
    """ID → (overall score rounded for display, overall RAG, flags, movement) from a Portfolio sheet."""
    head = list(rows[0])
    cols = [head.index(h) for h in ("ID", "Overall score", "Overall RAG", "Flags", "Movement")]
    out = {}
    for r in rows[1:]:
        pid, score, rag, flags, movement = (r[c] if c < len(r) else None for c in cols)
        out[pid] = (None if score in (None, "") else round(float(score), 9), rag or None, flags or None,
                    movement or None)
    return out


def _problem_view(rows: list) -> set:
    head = list(rows[0])
    cols = [head.index(h) for h in ("File", "Sheet", "Cell", "Problem")]  # the sheet names each code by its title
    return {tuple((r[c] or None) if c < len(r) else None for c in cols) for r in rows[1:] if r[cols[3]]}


def _cli_rollup(register: Path, reviews: Path, out: Path) -> tuple[dict, set]:
    code = main(["rollup", str(register), str(reviews), "--year", str(sample.YEAR), "--as-of",
                 sample.AS_OF.isoformat(), "--out", str(out)])
    assert code == 1  # both portfolios hold error findings: done, outputs written
    return _portfolio_view(_sheet_rows(out, "Portfolio")), _problem_view(_sheet_rows(out, "Problems"))


def _button_rollup(register: Path) -> tuple[dict, set]:
    from partnerxl.excel import buttons

    payload = payload_from_xlsx(register)
    book = remote_book(payload)
    buttons.rollup_portfolio(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    return (_portfolio_view(applied["Portfolio"].rows()), _problem_view(applied["Problems"].rows()))


def test_rollup_is_the_same_from_the_command_line_the_button_and_the_demo(portfolio_files, tmp_path):
    register, reviews, demo = portfolio_files
    cli_table, cli_problems = _cli_rollup(register, reviews, tmp_path / "Portfolio.xlsx")
    button_table, button_problems = _button_rollup(register)
    assert button_table == cli_table
    assert button_problems == cli_problems
    if demo is not None:
        demo_table = _portfolio_view(_sheet_rows(demo.portfolio_path, "Portfolio"))
        assert demo_table == cli_table
        assert _problem_view(_sheet_rows(demo.portfolio_path, "Problems")) == cli_problems


def _cli_validate(path: Path, register: Path, capsys) -> set:
    main(["validate", str(path), "--register", str(register), "--json"])
    data = json.loads(capsys.readouterr().out)
    return {(f["sheet"], f["cell"], f["code"]) for f in data["findings"]}


def _button_validate(path: Path) -> set:
    from partnerxl.excel import buttons

    payload = payload_from_xlsx(path)
    book = remote_book(payload)
    buttons.validate(book)
    from partnerxl.excel.issues_sheet import ISSUES_SHEET

    rows = AppliedBook(payload).apply(book.json()["actions"])[ISSUES_SHEET].rows()
    head = list(rows[ISSUES_HEADER_ROW])
    s, c, k = head.index("Sheet"), head.index("Cell"), head.index("Code")
    return {(r[s] or None, display(r[c]) or None, r[k]) for r in rows[ISSUES_HEADER_ROW + 1:] if r[k]}


def test_validate_and_score_agree_between_command_line_and_buttons(portfolio_files, capsys):
    register, reviews, _demo = portfolio_files
    from partnerxl.excel import buttons

    for name in ("Review P006 2023.xlsx", "Review P001 2024.xlsx", "Review P002 2024.xlsx"):
        path = reviews / name
        cli = _cli_validate(path, register, capsys)
        # The button has no register beside it, so the register's own checks (name, tier) are left to the rollup.
        register_only = {"not-in-register", "name-mismatch", "missing-instrument"}
        assert _button_validate(path) == {f for f in cli if f[2] not in register_only}, name

        main(["score", str(path), "--json"])
        scored = json.loads(capsys.readouterr().out)
        payload = payload_from_xlsx(path)
        book = remote_book(payload)
        message = buttons.score(book)
        overall = scored["overall"]["score"]
        assert (f"{overall:.2f}" in message) if overall is not None else ("not scored" in message), name
        assert ("provisional" in message.lower()) == scored["provisional"], name


def test_planted_faults_are_read_as_the_officer_meant(portfolio_files, tmp_path):
    register, reviews, demo = portfolio_files
    if demo is not None:
        pytest.skip("the faults are planted in the other portfolio")
    table, problems = _cli_rollup(register, reviews, tmp_path / "Portfolio.xlsx")
    # 'p002' is the register's P002: matched, scored, not a problem.
    assert table["P002"][0] is not None
    assert not any(p[3] == CODES["not-in-register"].title and "P002" in p[0] for p in problems)
    # the bad date is an error at its cell; the review still counts (provisional)
    assert ("Review P001 2024.xlsx", L.ABOUT, L.ABOUT_FIELDS["review_date"][0], CODES["bad-date"].title) in problems
    assert table["P001"][0] is not None
    # the internationalised address is valid for validation, the flags and the drafts alike
    assert "No lead officer" not in (table["P001"][2] or "")
