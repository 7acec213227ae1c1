"""The ribbon's Python functions (partnerxl.addin) on xlwings' real API, through its remote engine.

No Excel here: each test builds the JSON payload an xlwings client would send from a real workbook (a PartnerXL
template filled with test data), opens it with `xlwings.Book(json=...)`, calls the button function with that book
and applies the actions it queued to a copy of the sheets (tests/addin_payload.py) to check what the officer
would see. The remote engine is xlwings PRO, used here under its noncommercial licence (set for these tests only).
"""

from __future__ import annotations

import pytest

from addin_payload import AppliedBook, display, ensure_remote_engine, make_payload, remote_book


@pytest.fixture(autouse=True, scope="module")
def _remote_engine():
    ensure_remote_engine()


def _sheet(name, rows):
    return {"name": name, "values": rows or [[""]], "pictures": [], "tables": []}


# --- excel_source helpers --------------------------------------------------------------------------------------

def test_read_sheet_rows_is_zero_based_from_a1_with_blanks_as_none():
    from partnerxl.excel_source import XlwingsWorkbook

    book = remote_book(make_payload([_sheet("S", [["a", ""], ["", 2], ["", ""]])]))
    src = XlwingsWorkbook(book)
    assert src.sheet_names() == ["S"]
    assert src.rows("S") == [["a", None], [None, 2]]
    assert src.rows("s") is src.rows("S")  # cached, one read per sheet


def test_write_block_is_one_action_and_makes_user_text_safe():
    from partnerxl.excel_source import link_formula, write_block

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


def test_owned_sheet_is_added_once_then_cleared():
    from partnerxl.excel_source import owned_sheet, write_block

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
    from partnerxl.excel_source import cell_runs, fill_cells

    assert cell_runs([(3, 1), (1, 1), (2, 1), (5, 1), (0, 0)]) == [(0, 0, 0), (1, 1, 3), (1, 5, 5)]
    payload = make_payload([_sheet("Data", [["x"]])])
    book = remote_book(payload)
    calls = fill_cells(book.sheets["Data"], [(1, 1), (2, 1), (3, 1), (7, 4)], "#FFC7CE")
    assert calls == 2
    applied = AppliedBook(payload).apply(book.json()["actions"])
    s = applied["Data"]
    assert [s.color(a) for a in ("B2", "B3", "B4", "E8", "B5")] == ["#ffc7ce"] * 4 + [None]


def test_book_folder_needs_a_saved_workbook(tmp_path):
    from partnerxl.errors import PartnerXLError
    from partnerxl.excel_source import book_folder

    book = remote_book(make_payload([_sheet("S", [["x"]])], book_name=str(tmp_path / "Register.xlsx")))
    assert book_folder(book) == tmp_path
    unsaved = remote_book(make_payload([_sheet("S", [["x"]])], book_name="Book1"))
    with pytest.raises(PartnerXLError, match="has not been saved"):
        book_folder(unsaved)


def test_button_wrapper_turns_errors_into_one_message_box():
    from partnerxl.addin import button
    from partnerxl.errors import PartnerXLError

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
