"""The ribbon's Python functions (partnerxl.excel.buttons) on xlwings' real API, through its remote engine.

No Excel here: each test builds the JSON payload an xlwings client would send from a real workbook (a PartnerXL
template filled with test data), opens it with `xlwings.Book(json=...)`, calls the button function with that book
and applies the actions it queued to a copy of the sheets (tests/addin_payload.py) to check what the officer
would see. The remote engine is xlwings PRO, used here under its noncommercial licence (set for these tests only).
Where a button has a command-line twin, the test compares the two: the buttons reach policy only through
partnerxl.operations, so the same workbook must give the same findings and scores.
"""

from __future__ import annotations

import pytest

from addin_data import entry_values, register_workbook, review_workbook
from addin_payload import (AppliedBook, display, ensure_remote_engine, make_payload, payload_from_workbook,
                           payload_from_xlsx, remote_book)


@pytest.fixture(autouse=True, scope="module")
def _remote_engine():
    ensure_remote_engine()


def _sheet(name, rows):
    return {"name": name, "values": rows or [[""]], "pictures": [], "tables": []}


# --- excel/live.py helpers -------------------------------------------------------------------------------------

def test_read_sheet_rows_is_zero_based_from_a1_with_blanks_as_none():
    from partnerxl.excel.live import XlwingsWorkbook

    book = remote_book(make_payload([_sheet("S", [["a", ""], ["", 2], ["", ""]])]))
    src = XlwingsWorkbook(book)
    assert src.sheet_names() == ["S"]
    assert src.rows("S") == [["a", None], [None, 2]]
    assert src.grid("S") is src.grid("S")  # cached, one read per sheet
    assert src.grid("S").at("B2") == 2


def test_write_block_is_one_action_and_makes_user_text_safe():
    from partnerxl.excel.live import link_formula, write_block

    payload = make_payload([_sheet("Data", [["x"]])])
    book = remote_book(payload)
    sheet = book.sheets["Data"]
    write_block(sheet, "B2", [["=cmd|' /C calc'!A0", "+1", 3], ["ok", link_formula("Data", "A1", 'go "there"')]],
                raw_columns=[1])
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["setValues"]
    applied = AppliedBook(payload).apply(actions)
    s = applied["Data"]
    assert s.value("B2") == "'=cmd|' /C calc'!A0"  # text, never a formula
    assert display(s.value("B2")) == "=cmd|' /C calc'!A0"
    assert s.value("C2") == "+1"  # raw column: written as given (only PartnerXL's own formulas go there)
    assert s.value("D2") == 3 and s.value("D3") is None
    assert s.value("C3").startswith('=HYPERLINK("#\'Data\'!A1"')
    assert s.text("C3") == 'go "there"'


def test_safe_value_prefixes_every_text_excel_could_read_as_a_formula():
    from partnerxl.excel.live import safe_value
    from partnerxl.storage.writing import FORMULA_TRIGGERS

    for trigger in (*FORMULA_TRIGGERS, "\t", "\r"):
        assert safe_value(trigger + "cmd|' /C calc'!A0") == "'" + trigger + "cmd|' /C calc'!A0"
    assert safe_value("Plain text") == "Plain text" and safe_value(" =1") == " =1"
    assert safe_value(3) == 3 and safe_value(None) is None


def test_owned_sheet_is_added_once_then_cleared():
    from partnerxl.excel.live import owned_sheet, write_block

    payload = make_payload([_sheet("Data", [["x"]])])
    book = remote_book(payload)
    write_block(owned_sheet(book, "Issues"), "A1", [["first"]])
    applied = AppliedBook(payload).apply(book.json()["actions"])
    assert applied.sheet_names == ["Data", "Issues"]
    second = applied.to_payload()
    book2 = remote_book(second)
    write_block(owned_sheet(book2, "issues"), "A1", [["second"]])
    applied2 = AppliedBook(second).apply(book2.json()["actions"])
    assert applied2.sheet_names == ["Data", "Issues"]
    assert applied2["Issues"].rows() == [["second"]]


def test_fill_cells_groups_runs():
    from partnerxl.excel.live import cell_runs, fill_cells

    assert cell_runs([(3, 1), (1, 1), (2, 1), (5, 1), (0, 0)]) == [(0, 0, 0, 0), (1, 1, 3, 1), (5, 1, 5, 1)]
    assert cell_runs([(4, c) for c in range(8)] + [(5, 0), (5, 1)]) == [(4, 0, 5, 1), (4, 2, 4, 7)]
    payload = make_payload([_sheet("Data", [["x"]])])
    book = remote_book(payload)
    calls = fill_cells(book.sheets["Data"], [(1, 1), (2, 1), (3, 1), (7, 4)], "#FFC7CE")
    assert calls == 2
    applied = AppliedBook(payload).apply(book.json()["actions"])
    s = applied["Data"]
    assert [s.color(a) for a in ("B2", "B3", "B4", "E8", "B5")] == ["#ffc7ce"] * 4 + [None]


def test_book_folder_needs_a_saved_workbook(tmp_path):
    from partnerxl.core.errors import PartnerXLError
    from partnerxl.excel.live import book_folder

    book = remote_book(make_payload([_sheet("S", [["x"]])], book_name=str(tmp_path / "Register.xlsx")))
    assert book_folder(book) == tmp_path
    unsaved = remote_book(make_payload([_sheet("S", [["x"]])], book_name="Book1"))
    with pytest.raises(PartnerXLError, match="has not been saved"):
        book_folder(unsaved)


def test_button_wrapper_turns_errors_into_one_message_box():
    from partnerxl.excel.buttons import button
    from partnerxl.core.errors import PartnerXLError

    @button("Test")
    def fails_plainly(book):
        book.sheets[0]["A1"].value = "half-done"
        raise PartnerXLError("the register has no Settings sheet. Add it back from the template.")

    @button("Test")
    def crashes(book):
        return 1 / 0

    @button("Test")
    def works(book):
        return "Done: 3 things."

    payload = make_payload([_sheet("S", [["x"]])])
    book = remote_book(payload)
    msg = fails_plainly(book)
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]  # the half-done write is not sent
    assert "no Settings sheet" in msg and "Traceback" not in msg
    assert actions[0]["args"][3] == "critical"

    book = remote_book(payload)
    msg = crashes(book)
    assert "ZeroDivisionError" in msg and "Traceback" not in msg
    assert AppliedBook(payload).apply(book.json()["actions"]).message == msg

    book = remote_book(payload)
    assert works(book) == "Done: 3 things."
    assert AppliedBook(payload).apply(book.json()["actions"]).message == "Done: 3 things."


# --- detection --------------------------------------------------------------------------------------------------

def test_a_workbook_that_is_not_partnerxl_gets_a_plain_message():
    from partnerxl.excel import buttons as addin

    payload = make_payload([_sheet("Budget", [["Item", "Cost"], ["Pens", 3]])], book_name="/tmp/Budget.xlsx")
    for func in (addin.validate, addin.score):
        book = remote_book(payload)
        func(book)
        applied = AppliedBook(payload).apply(book.json()["actions"])
        assert applied.sheet_names == ["Budget"]  # nothing added, nothing changed
        assert "not a PartnerXL workbook" in applied.message
        assert "Traceback" not in applied.message


def test_score_in_the_register_says_which_workbook_it_needs(tmp_path):
    from partnerxl.excel import buttons as addin

    payload = payload_from_workbook(register_workbook([entry_values(1)]), book_name=str(tmp_path / "Register.xlsx"))
    book = remote_book(payload)
    addin.score(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    assert "is a partnership register; Score works in a annual review workbook" not in applied.message
    assert "Score works in an annual review workbook" in applied.message
    assert SCORES not in applied


# --- Validate ---------------------------------------------------------------------------------------------------

ISSUES, SCORES = "Issues", "Scores"


def _issue_rows(sheet):
    rows = sheet.rows()
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Severity")
    return rows[header], [[display(v) for v in r] for r in rows[header + 1:]]


def test_validate_marks_cells_lists_issues_and_restores_on_the_next_run(tmp_path):
    from partnerxl.excel import buttons as addin
    from partnerxl.excel.issues_sheet import ERROR_FILL
    from partnerxl.sheets import layout as L

    cols = L.register_columns()
    rows = [entry_values(1), entry_values(2, risk="Very high"), entry_values(3, lead_officer_email="not-an-email"),
            entry_values(4, name="Partnership 1")]
    payload = payload_from_workbook(register_workbook(rows), book_name=str(tmp_path / "Register.xlsx"))
    book = remote_book(payload)
    msg = addin.validate(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    assert ISSUES in applied
    header, issues = _issue_rows(applied[ISSUES])
    cells = {(r[1], r[2]) for r in issues}
    risk_cell = f"{cols['risk']}3"
    email_cell = f"{cols['lead_officer_email']}4"
    assert ("Register", risk_cell) in cells and ("Register", email_cell) in cells
    # every finding's cell links to it
    reg = applied["Register"]
    link_col = header.index("Cell")
    linked = [v for v in applied[ISSUES].rows()[5:] if v[link_col]]
    assert all(str(v[link_col]).startswith("=HYPERLINK(\"#'Register'!") for v in linked)
    # offending input cells are filled; the rest of the register is untouched
    assert reg.color(risk_cell) == ERROR_FILL.lower()
    assert reg.color(email_cell) == ERROR_FILL.lower()
    assert reg.color(f"{cols['risk']}2") is None
    assert reg.rows() == AppliedBook(payload)["Register"].rows()  # values never changed
    assert "error" in msg and "Issues" in msg
    assert applied.message == msg

    # The officer fixes the risk; a second run takes the fill off that cell and does not duplicate the sheet.
    second = applied.to_payload()
    r = 2  # 0-based row of partnership 2
    second["sheets"][applied.sheet_names.index("Register")]["values"][r][L.col_number(cols["risk"]) - 1] = "Low"
    book2 = remote_book(second)
    addin.validate(book2)
    applied2 = AppliedBook(second)
    # carry the first run's fills (the payload has values only, Excel keeps the fills)
    applied2["Register"].colors.update(reg.colors)
    applied2.apply(book2.json()["actions"])
    assert applied2.sheet_names.count(ISSUES) == 1
    assert applied2["Register"].color(risk_cell) == "#" + L.INPUT_FILL.lower()
    assert applied2["Register"].color(email_cell) == ERROR_FILL.lower()
    _, issues2 = _issue_rows(applied2[ISSUES])
    assert ("Register", risk_cell) not in {(r[1], r[2]) for r in issues2}
    assert "fixed" in applied2.message


def test_validate_clean_review_says_no_problems(tmp_path):
    from partnerxl.excel import buttons as addin

    payload = payload_from_workbook(review_workbook(respondents=3), book_name=str(tmp_path / "Review.xlsx"))
    book = remote_book(payload)
    msg = addin.validate(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    errors = [r for r in _issue_rows(applied[ISSUES])[1] if r[0] == "Error"]
    assert not errors, errors
    assert msg.startswith("Validate:")


# --- Score ------------------------------------------------------------------------------------------------------

def test_score_writes_the_scores_sheet_with_rag_colours_and_replaces_it_on_rerun(tmp_path):
    from partnerxl import operations as ops
    from partnerxl.excel import buttons as addin
    from partnerxl.excel.live import XlwingsWorkbook
    from partnerxl.excel.scores_sheet import RAG_COLOURS

    ratings = {"1.1": [1, 1, 2], "1.2": [1, 4, 4], "2.1": ["YES – working well", 4, "Don't know"]}
    payload = payload_from_workbook(review_workbook(ratings=ratings, respondents=3),
                                    book_name=str(tmp_path / "Review.xlsx"))
    expected = ops.score_book(ops.read_any_kind(XlwingsWorkbook(remote_book(payload)))[1])
    assert not expected.provisional
    book = remote_book(payload)
    msg = addin.score(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    s = applied[SCORES]
    rows = s.rows()
    overall = next(r for r in rows if r and r[0] == "Overall")
    assert overall[2] == pytest.approx(expected.overall.score)
    assert overall[4] == expected.overall.band and overall[5] == expected.overall.rag
    r_overall = rows.index(overall)
    assert s.colors[(r_overall, 5)] == RAG_COLOURS[expected.overall.rag].lower()
    assert not any("PROVISIONAL" in str(v) for r in rows for v in r)
    assert s.formats[(r_overall, 2)] == "0.00"
    bench: dict = {}
    for r in rows:  # the statistics table comes first; the priority and split lists repeat some ids below it
        if r and isinstance(r[0], str) and r[0] in {b.id for b in expected.benchmarks}:
            bench.setdefault(r[0], r)
    assert bench["1.1"][3] == 3 and bench["1.1"][4] == pytest.approx(4 / 3)
    assert bench["1.2"][12] == "Split"
    assert bench["2.1"][3] == 2  # "Don't know" is no rating
    prio_header = next(i for i, r in enumerate(rows) if r and r[0] == "Rank")
    assert rows[prio_header + 1][1] == expected.priority_benchmarks[0]
    assert "Score:" in msg and applied.message == msg
    # nothing outside the Scores sheet changed
    original = AppliedBook(payload)
    for name in original.sheet_names:
        assert applied[name].rows() == original[name].rows()

    # a second run replaces the sheet's contents
    second = applied.to_payload()
    book2 = remote_book(second)
    addin.score(book2)
    applied2 = AppliedBook(second).apply(book2.json()["actions"])
    assert applied2.sheet_names.count(SCORES) == 1
    assert applied2[SCORES].rows()[3:] == rows[3:]


def test_score_scores_a_review_with_an_unreadable_rating_as_provisional_like_the_command(tmp_path):
    from partnerxl import operations as ops
    from partnerxl.excel import buttons as addin

    path = tmp_path / "Review.xlsx"
    review_workbook(ratings={"1.1": ["Maybe", 2, 3]}).save(path)
    expected = ops.score(path)  # the command's answer for the same file
    assert expected.provisional
    payload = payload_from_xlsx(path)
    book = remote_book(payload)
    msg = addin.score(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    rows = applied[SCORES].rows()
    assert "PROVISIONAL" in rows[0][0] and any("PROVISIONAL" in str(r[0]) for r in rows[1:4])
    overall = next(r for r in rows if r and r[0] == "Overall")
    assert overall[2] == pytest.approx(expected.score.overall.score) and overall[4] == expected.score.overall.band
    # the findings are listed: severity, sheet, cell, problem
    header = next(i for i, r in enumerate(rows) if r[:4] == ["Severity", "Sheet", "Cell", "Problem"])
    listed = [tuple(r[:4]) for r in rows[header + 1:] if r and r[0]]
    want = {(f.severity.capitalize(), f.sheet, f.cell, f.message) for f in expected.findings}
    assert set(listed) == want and any("Maybe" in r[3] for r in listed)
    assert "PROVISIONAL" in msg and "Maybe" in msg and "Validate" in msg
    for word in ("bad-rating", "seed", "RULES", "_"):
        assert word not in msg


def test_score_without_partnership_id_stops_with_a_plain_message(tmp_path):
    from partnerxl.excel import buttons as addin

    payload = payload_from_workbook(review_workbook(pid=None), book_name=str(tmp_path / "Review.xlsx"))
    book = remote_book(payload)
    msg = addin.score(book)
    assert msg.startswith("Score stopped.") and "partnership ID" in msg and "Traceback" not in msg
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


# --- the register: roll up, summaries, email drafts, new review --------------------------------------------------

@pytest.fixture
def sample_register(tmp_path):
    from partnerxl.documents import sample as sample

    register, reviews_dir, _models = sample.write_sample(tmp_path / "portfolio")
    return register, reviews_dir


def test_rollup_portfolio_writes_the_rollup_sheets_into_the_register_and_replaces_them(sample_register):
    from partnerxl import operations as ops
    from partnerxl.excel import buttons as addin
    from partnerxl.sheets import reports as RL
    from partnerxl.documents import sample as sample
    from partnerxl.storage.writing import unchanged

    register, reviews_dir = sample_register
    payload = payload_from_xlsx(register)
    book = remote_book(payload)
    with unchanged([register, *sorted(reviews_dir.glob("*.xlsx"))]):
        msg = addin.rollup_portfolio(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    owned = [RL.SHEET_PORTFOLIO, RL.SHEET_HEATMAP, RL.SHEET_FLAGS, RL.SHEET_ACTIONS, RL.SHEET_COMMITTEE,
             RL.SHEET_PROBLEMS]
    names = applied.sheet_names
    first = names.index(owned[0])
    assert names[first:first + 6] == owned and names.index("_partnerxl") > first  # after the visible sheets
    # the same tables as `partnerxl rollup` writes to Portfolio.xlsx
    p = ops.portfolio(ops.load_register(register), ops.workbook_files(reviews_dir, skip=(register,)))
    assert p.year == sample.YEAR and p.as_of == sample.AS_OF
    expected = {s.name: s.rows for s in RL.portfolio_sheets(p)}
    for name in owned:
        want = expected[name]
        got = applied[name].rows()
        assert len(got) == len(want), name
        assert [r[0] for r in got] == [r[0] for r in want], name
    portfolio = applied[RL.SHEET_PORTFOLIO].rows()
    rag_col = portfolio[0].index("Overall RAG")
    reds = [i for i, r in enumerate(portfolio) if r[rag_col] == "Red"]
    assert reds and applied[RL.SHEET_PORTFOLIO].colors[(reds[0], rag_col)] == "#f8696b"
    assert f"{sample.YEAR}" in msg and "Problems sheet" in msg
    # register sheets untouched
    original = AppliedBook(payload)
    for name in original.sheet_names:
        assert applied[name].rows() == original[name].rows()

    second = applied.to_payload()
    book2 = remote_book(second)
    addin.rollup_portfolio(book2)
    applied2 = AppliedBook(second).apply(book2.json()["actions"])
    assert applied2.sheet_names == applied.sheet_names  # replaced, not duplicated
    assert applied2[RL.SHEET_FLAGS].rows() == applied[RL.SHEET_FLAGS].rows()


def test_rollup_problems_sheet_lists_the_findings_of_the_command(sample_register, tmp_path):
    from partnerxl import operations as ops
    from partnerxl.excel import buttons as addin
    from partnerxl.documents import sample as sample
    from partnerxl.sheets import reports as RL

    register, reviews_dir = sample_register
    payload = payload_from_xlsx(register)
    book = remote_book(payload)
    addin.rollup_portfolio(book)
    rows = AppliedBook(payload).apply(book.json()["actions"])[RL.SHEET_PROBLEMS].rows()
    header = rows[0]
    got = sorted((r[header.index("Problem")], r[header.index("File")], r[header.index("Sheet")],
                  r[header.index("Cell")]) for r in rows[1:] if r[header.index("Problem")])
    cli = ops.rollup(register, reviews_dir, year=sample.YEAR, out=tmp_path / "Portfolio.xlsx")
    want = sorted((f.title, f.file, f.sheet, f.cell) for f in cli.findings)
    bad_rating = next(f.title for f in cli.findings if f.code == "bad-rating")  # the planted "Maybe" rating
    assert got == want and any(title == bad_rating for title, *_ in got)


def test_write_summaries_and_email_drafts_write_the_commands_outputs_next_to_the_register(sample_register, tmp_path):
    from partnerxl import operations as ops
    from partnerxl.excel import buttons as addin
    from partnerxl.documents import sample as sample

    register, reviews_dir = sample_register
    payload = payload_from_xlsx(register)
    book = remote_book(payload)
    msg = addin.email_drafts(book)
    assert "Write summaries first" in msg

    book = remote_book(payload)
    msg = addin.write_summaries(book)
    out = register.parent / addin.SUMMARIES_FOLDER
    files = sorted(out.glob("*.xlsx"))
    assert files and str(out) in msg
    cli = ops.summaries(register, reviews_dir, year=sample.YEAR, out_dir=tmp_path / "cli", as_of=sample.AS_OF).paths
    assert [p.name for p in files] == sorted(p.name for p in cli)
    for p in cli:  # reproducible writers: byte for byte the command's output
        assert (out / p.name).read_bytes() == p.read_bytes()
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]  # nothing written into the register

    book = remote_book(payload)
    msg = addin.email_drafts(book)
    drafts = register.parent / addin.DRAFTS_FOLDER
    cli_drafts = ops.email_from_register(out, register, tmp_path / "cli drafts")
    assert sorted(p.name for p in drafts.glob("*.eml")) == sorted(r.draft.name for r in cli_drafts.written)
    assert "Nothing was sent" in msg and "skipped" in msg


def test_new_review_for_the_selected_row(register_path):
    from partnerxl.excel import buttons as addin
    from partnerxl.sheets import layout as L
    from partnerxl.operations import read_workbook as read_any

    payload = payload_from_xlsx(register_path, active_sheet=L.REGISTER, selection="D3")
    book = remote_book(payload)
    msg = addin.new_review(book)
    made = register_path.parent / "reviews" / f"Review P002 {AS_OF_YEAR}.xlsx"
    assert made.exists() and str(made) in msg
    review = read_any(made).review
    assert (review.partnership_id, review.partnership_name, review.year) == ("P002", "Healthy Homes", AS_OF_YEAR)
    # a second press refuses to overwrite it
    book = remote_book(payload)
    assert "already exists" in addin.new_review(book)


def test_new_review_needs_a_register_row_selected(register_path):
    from partnerxl.excel import buttons as addin
    from partnerxl.sheets import layout as L

    for sheet, cell in ((L.SETTINGS, "B3"), (L.REGISTER, "A1"), (L.REGISTER, "A40")):
        book = remote_book(payload_from_xlsx(register_path, active_sheet=sheet, selection=cell))
        msg = addin.new_review(book)
        assert "Select a partnership's row" in msg or "cannot be used" in msg, msg


AS_OF_YEAR = 2025


# --- Collate responses -------------------------------------------------------------------------------------------

def test_collate_responses_fills_free_respondent_columns_from_the_forms_beside_the_review(
        blank_review_path, response_factory):
    from partnerxl.excel import buttons as addin
    from partnerxl.sheets import layout as L
    from partnerxl.excel.live import XlwingsWorkbook
    from partnerxl.reading import read_review
    from partnerxl.storage.writing import unchanged

    forms = [response_factory("Police", rating=4), response_factory("NHS", rating=2),
             response_factory("Elsewhere", pid="P009")]
    payload = payload_from_xlsx(blank_review_path)
    book = remote_book(payload)
    with unchanged(forms + [blank_review_path]):
        msg = addin.collate_responses(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    # two neighbouring columns: one block for organisation and name, one per area's benchmark rows (the locked
    # area heading rows of the protected sheet are not written)
    writes = [a for a in book.json()["actions"] if a["func"] == "setValues"]
    assert len(writes) == 5 and all(a["column_count"] == 2 for a in writes)
    from partnerxl.sheets.layout import benchmark_rows
    headings = {r.row - 1 for r in benchmark_rows() if r.kind == "heading"}
    assert not any(a["start_row"] <= h < a["start_row"] + a["row_count"] for a in writes for h in headings)
    bench = applied[L.BENCHMARKS]
    cols = L.respondent_columns()
    assert {bench.value(f"{cols[0]}{L.BENCH_ORG_ROW}"), bench.value(f"{cols[1]}{L.BENCH_ORG_ROW}")} == {"Police", "NHS"}
    assert "2 responses added" in msg
    assert forms[2].name in msg and "P009" in msg  # the form for another partnership is named and left alone
    # the collated live book reads back as a review with both respondents
    again = remote_book(applied.to_payload())
    review = read_review(XlwingsWorkbook(again)).review
    assert sorted(r.organisation for r in review.respondents) == ["NHS", "Police"]
    assert all(len(r.ratings) == 21 for r in review.respondents)

    # pressing it again adds nothing twice
    book2 = remote_book(applied.to_payload())
    msg2 = addin.collate_responses(book2)
    assert "0 responses added" in msg2 and "already has ratings" in msg2
    assert forms[0].name in msg2 and forms[1].name in msg2
    assert [a["func"] for a in book2.json()["actions"]] == ["alert"]


def test_collate_names_a_bad_form_and_a_duplicate_and_adds_the_rest_like_the_command(
        blank_review_path, response_factory, tmp_path):
    import shutil

    from partnerxl import operations as ops
    from partnerxl.excel import buttons as addin
    from partnerxl.sheets import layout as L
    from conftest import edit_cells

    good = response_factory("Police")
    other = response_factory("NHS")
    bad = response_factory("Fire")
    edit_cells(bad, L.RESPONSE, {f"{L.RESPONSE_SPEC.col('rating')}{L.RESPONSE_SPEC.first_row + 1}": "Perhaps"})
    duplicate = good.with_name("Response Police again.xlsx")
    shutil.copy(good, duplicate)
    payload = payload_from_xlsx(blank_review_path)
    book = remote_book(payload)
    msg = addin.collate_responses(book)
    assert "2 responses added" in msg and "2 forms left out" in msg
    named = {line[2:].split(": ", 1)[0].split(", ")[0]: line for line in msg.split("left out:")[1].splitlines()
             if line.startswith("- ")}
    assert set(named) == {bad.name, duplicate.name} and other.name in msg.split("left out:")[0]
    assert "Perhaps" in named[bad.name] and "already has ratings" in named[duplicate.name]
    # the same rule as `partnerxl collate` given the same forms (in name order, as the button reads the folder)
    plan = ops.collate(blank_review_path, ops.workbook_files(tmp_path, skip=(blank_review_path,)),
                       tmp_path / "out" / "Collated.xlsx")
    assert sorted(f.file for f in plan.findings) == sorted([bad.name, duplicate.name])
    assert sorted(f.code for f in plan.findings) == ["duplicate-form", "form-has-errors"]
    applied = AppliedBook(payload).apply(book.json()["actions"])
    cols = L.respondent_columns()
    assert [applied[L.BENCHMARKS].value(f"{c}{L.BENCH_ORG_ROW}") for c in cols[:3]] == ["NHS", "Police", None]


# --- start-up cost and the COM-only union fill --------------------------------------------------------------------

def test_importing_the_addin_module_imports_nothing_heavy():
    import subprocess
    import sys

    code = ("import sys, partnerxl.excel.buttons; heavy = [m for m in ('pandas', 'numpy', 'openpyxl', 'xlwings', 'pydantic', "
            "'python_calamine', 'partnerxl.core.instruments') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_fill_cells_over_com_batches_rectangles_into_union_addresses(monkeypatch):
    from partnerxl.excel import live as excel_source

    class FakeRange:
        def __init__(self, log, address):
            self.log, self.address = log, address

        @property
        def color(self):  # pragma: no cover
            return None

        @color.setter
        def color(self, value):
            self.log.append((self.address, value))

    class FakeSheet:
        book = object()

        def __init__(self):
            self.log = []

        def range(self, address):
            return FakeRange(self.log, address)

    monkeypatch.setattr(excel_source, "engine_name", lambda book: "excel")
    monkeypatch.setattr(excel_source.sys, "platform", "win32")
    sheet = FakeSheet()
    cells = [(r, 2 * c) for r in range(0, 200, 2) for c in range(3)]  # 300 scattered cells
    calls = excel_source.fill_cells(sheet, cells, (255, 199, 206))
    assert calls == len(sheet.log) < 30
    assert all(len(addr) <= 255 for addr, _ in sheet.log)
    covered = {a for addr, _ in sheet.log for a in addr.split(",")}
    assert len(covered) == 300


def test_collate_reads_the_folder_named_in_the_review(blank_review_path, response_factory):
    import shutil

    from partnerxl.excel import buttons as addin
    from partnerxl.sheets import layout as L

    forms = blank_review_path.parent / "returned forms"
    forms.mkdir()
    shutil.move(str(response_factory("Police")), forms)
    payload = payload_from_xlsx(blank_review_path)
    about = next(i for i, s in enumerate(payload["sheets"]) if s["name"] == L.ABOUT)
    book = remote_book(payload)
    assert "0 responses added" in addin.collate_responses(book)  # nothing beside the review
    values = payload["sheets"][about]["values"]
    for row in values:
        row.extend([""] * (4 - len(row)))
    values[0][3] = "returned forms"
    payload["names"].append({"name": addin.RESPONSES_FOLDER_NAME, "sheet_index": about, "address": "$D$1",
                             "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})
    book = remote_book(payload)
    msg = addin.collate_responses(book)
    assert "1 response added" in msg and "returned forms" in msg


def test_validate_lists_exactly_the_findings_of_the_command(sample_register):
    from partnerxl import operations as ops
    from partnerxl.excel import buttons as addin

    register, reviews_dir = sample_register
    for path in [register, *sorted(reviews_dir.glob("*.xlsx"))[:4]]:
        payload = payload_from_xlsx(path)
        book = remote_book(payload)
        addin.validate(book)
        applied = AppliedBook(payload).apply(book.json()["actions"])
        header, rows = _issue_rows(applied[ISSUES])
        got = sorted((r[header.index("Code")], r[header.index("Sheet")], r[header.index("Cell")])
                     for r in rows if r[header.index("Code")])
        want = sorted((f.code, f.sheet, f.cell) for f in ops.validate([path]).findings)
        assert got == want, path.name
