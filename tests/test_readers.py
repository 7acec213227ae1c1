"""Readers: models round-trip through the workbooks; tolerant of what officers type, strict about what matters."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import AS_OF, edit_cells, make_entry, make_review

from partnerxl.sheets import layout as L
from partnerxl.documents.fill import new_register, new_response, new_review
from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import Respondent, Review
from partnerxl.operations import read_workbook as read_any
from partnerxl.reading import RegisterBook, ResponseBook, ReviewBook, read_register, read_review
from partnerxl.core.settings import Settings
from partnerxl.core.values import parse_date, parse_number
from partnerxl.storage.opening import FileWorkbook
from partnerxl.sheets.cells import a1, parse_a1
from partnerxl.sheets.grid import Grid, MemoryWorkbook, WorkbookSource


def codes(book) -> list[str]:
    return [f.code for f in book.findings]


def test_grid_and_a1():
    g = Grid([[1, ""], [None, "x"]])
    assert g.cell(1, 1) == "x" and g.cell(0, 1) is None and g.cell(9, 9) is None
    assert a1(0, 0) == "A1" and a1(4, 27) == "AB5" and Grid.a1(2, 1) == "B3"
    assert parse_a1("AB5") == (4, 27) and g.at("B2") == "x"
    block = Grid.from_block([["a", "b"], [1, 2]], first_row=2, first_col=1)
    assert block.at("B3") == "a" and block.at("C4") == 2 and block.cell(0, 0) is None
    assert Grid.from_block("solo", 0, 0).at("A1") == "solo"
    assert Grid.from_block(["r1", "r2"], 1, 0).at("B2") == "r2"


def test_register_round_trip(register_path):
    book = read_any(register_path)
    assert isinstance(book, RegisterBook)
    assert [e.id for e in book.entries] == ["P001", "P002"]
    assert book.entries[0] == make_entry()
    assert book.row_of == {"P001": 2, "P002": 3}
    assert book.as_of == AS_OF and book.reviews_folder == "reviews"
    assert book.settings == Settings()
    assert book.findings == []


def test_review_round_trip(review_path):
    book = read_any(review_path)
    assert isinstance(book, ReviewBook)
    assert book.review == make_review()
    assert book.findings == []
    assert book.respondent_columns == {"Police": "C", "NHS": "D", "Fire": "E"}
    assert book.free_columns == L.respondent_columns()[3:]


def test_response_round_trip(tmp_path):
    resp = Respondent(organisation="Police", name="P Person", ratings={"1.1": 4, "2.3": 1})
    path = new_response(tmp_path / "r.xlsx", "P001", "Safer Streets", 2025, resp, {"2.3": "Needs work"})
    book = read_any(path)
    assert isinstance(book, ResponseBook)
    assert (book.partnership_id, book.partnership_name, book.year) == ("P001", "Safer Streets", 2025)
    assert book.respondent == resp and book.comments == {"2.3": "Needs work"}
    assert codes(book) == ["incomplete-respondent"]


def test_settings_sheet_values_are_read(tmp_path):
    s = Settings(significance_min_criteria=2, rag_amber_from=2.0, rag_green_from=3.0, review_interval_months=24)
    path = new_register(tmp_path / "r.xlsx", [make_entry()], settings=s)
    book = read_any(path)
    assert book.settings == s and book.as_of is None


def test_calamine_and_openpyxl_read_the_same_values(review_path, register_path):
    for path in (review_path, register_path):
        cal = FileWorkbook.open(path, engine="calamine")
        opx = FileWorkbook.open(path, engine="openpyxl")
        assert (cal.engine, opx.engine) == ("calamine", "openpyxl")
        assert cal.sheet_names() == opx.sheet_names()
        for name in cal.sheet_names():
            a, b = cal.grid(name), opx.grid(name)
            for r in range(max(a.n_rows, b.n_rows)):
                for c in range(max(a.n_cols, b.n_cols)):
                    va, vb = a.cell(r, c), b.cell(r, c)
                    if isinstance(va, float) and isinstance(vb, int):
                        vb = float(vb)
                    assert va == vb, (name, a1(r, c), va, vb)
    cal, opx = (FileWorkbook.open(review_path, engine=e) for e in ("calamine", "openpyxl"))
    assert read_review(opx).review == read_review(cal).review == make_review()


def test_readers_need_only_a_workbook_source(review_path):
    """What the add-in does: grids from somewhere else (xlwings) feed the same readers."""
    with FileWorkbook.open(review_path) as f:
        mem = MemoryWorkbook("Book1", {name: f.grid(name).rows for name in f.sheet_names()})
    assert isinstance(mem, WorkbookSource)
    book = read_review(mem)
    assert book.review == make_review()


def test_tolerates_what_officers_type(tmp_path, register_path):
    cols = L.register_columns()
    path = edit_cells(register_path, L.REGISTER, {
        # P001: trailing spaces, odd case, numbers and dates typed as text
        f"{cols['name']}2": "  Safer Streets  ",
        f"{cols['arrangement']}2": "partnership ",
        f"{cols['council_contribution_gbp']}2": "£150,000",
        f"{cols['officer_days']}2": " 40 ",
        f"{cols['start_date']}2": "01/04/2019",
        f"{cols['last_review_date']}2": "2024-05-01",
        # blank rows in the middle: P002 moves down to row 6
        **{f"{cols[f]}3": None for f in cols},
        f"{cols['id']}6": "P002", f"{cols['name']}6": "Healthy Homes",
    }, out=tmp_path / "typed.xlsx")
    book = read_any(path)
    assert book.entries[0] == make_entry()
    assert book.row_of["P001"] == 2 and book.row_of["P002"] == 6
    assert "duplicate-id" not in codes(book)


@pytest.mark.parametrize("typed, expected", [
    ("NO - action is needed", 1), ("no – but action is in hand", 2), ("Yes—but needs  improving", 3),
    ("YES – WORKING WELL", 4), ("3", 3), (4, 4), ("Don't know", None), ("  ", None),
])
def test_rating_labels_any_dash_case_spacing_or_number(review_path, tmp_path, typed, expected):
    row = next(r.row for r in L.benchmark_rows() if r.id == "1.1")
    path = edit_cells(review_path, L.BENCHMARKS, {f"C{row}": typed}, out=tmp_path / "rated.xlsx")
    book = read_any(path)
    assert book.review.respondents[0].ratings.get("1.1") == expected
    assert "bad-rating" not in codes(book)


def test_unknown_rating_is_an_error_with_its_cell(review_path, tmp_path):
    row = next(r.row for r in L.benchmark_rows() if r.id == "2.2")
    path = edit_cells(review_path, L.BENCHMARKS, {f"D{row}": "Quite good"}, out=tmp_path / "bad.xlsx")
    book = read_any(path)
    bad = [f for f in book.findings if f.code == "bad-rating"]
    assert len(bad) == 1 and (bad[0].sheet, bad[0].cell, bad[0].value) == ("Benchmarks", f"D{row}", "Quite good")
    assert bad[0].severity == "error"
    # the value is left out of the model, the rest is kept
    nhs = next(r for r in book.review.respondents if r.organisation == "NHS")
    assert "2.2" not in nhs.ratings and len(nhs.ratings) == 20


def test_duplicate_respondent_column_is_an_error(review_path, tmp_path):
    # The same person (organisation and name) twice; another person of Police would be welcome (docs/rules.md, "Invited respondents").
    path = edit_cells(review_path, L.BENCHMARKS, {f"E{L.BENCH_ORG_ROW}": " police ", f"E{L.BENCH_NAME_ROW}": "Police lead"},
                      out=tmp_path / "dup.xlsx")
    book = read_any(path)
    dup = [f for f in book.findings if f.code == "duplicate-respondent"]
    assert [(f.cell, f.value) for f in dup] == [(f"E{L.BENCH_ORG_ROW}", "police")]
    assert [r.organisation for r in book.review.respondents] == ["Police", "NHS"]


def test_unknown_benchmark_id_is_an_error(review_path, tmp_path):
    row = next(r.row for r in L.benchmark_rows() if r.id == "4.5")
    path = edit_cells(review_path, L.BENCHMARKS, {f"A{row}": "4.9"}, out=tmp_path / "id.xlsx")
    found = {(f.code, f.cell) for f in read_any(path).findings}
    assert ("unknown-benchmark", f"A{row}") in found and ("missing-item", None) in found


def test_parse_helpers():
    assert parse_date("31/03/2025") == dt.date(2025, 3, 31) == parse_date("2025-03-31") == parse_date(45747)
    assert parse_date(dt.datetime(2025, 3, 31, 0, 0)) == dt.date(2025, 3, 31)
    for bad in ("31/13/2025", "next week", True):
        with pytest.raises(ValueError):
            parse_date(bad)
    assert parse_number("£1,250.50") == 1250.5 and parse_number(" 7 ") == 7.0 and parse_number("") is None
    with pytest.raises(ValueError):
        parse_number("ten")


def test_review_partial_when_about_incomplete(tmp_path):
    path = new_review(tmp_path / "r.xlsx", Review(partnership_id="P009", year=2025))
    path = edit_cells(path, L.ABOUT, {L.ABOUT_FIELDS["partnership_id"][0]: None})
    book = read_any(path)
    assert book.review is None and codes(book) == ["missing-value"]


def test_register_book_entry_lookup(register_path):
    with FileWorkbook.open(register_path) as src:
        book = read_register(src)
    assert book.entry(" p001 ").name == "Safer Streets" and book.entry("P404") is None


def test_instrument_ids_all_present_in_review_template(review_path):
    inst = load_instruments()
    book = read_any(review_path)
    assert set(book.benchmark_rows) == {b.id for b in inst.benchmarks.benchmarks}


def test_reviews_folder_is_relative_to_the_register(register_path, tmp_path):
    book = read_any(register_path)
    assert book.reviews_dir(register_path) == register_path.resolve().parent / "reviews"
    book.reviews_folder = str(tmp_path / "elsewhere")
    assert book.reviews_dir(register_path) == tmp_path / "elsewhere"
    book.reviews_folder = None
    assert book.reviews_dir(register_path) is None


# --- property: any review survives fill → read unchanged, typed text stays text ------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_INST = load_instruments()
_BIDS = [b.id for b in _INST.benchmarks.benchmarks]
_text = st.text(alphabet=st.sampled_from(list("abcXYZ 019=+-@'\"é–;,.()")), min_size=1, max_size=25).map(
    str.strip).filter(bool)


@st.composite
def reviews(draw):
    orgs = draw(st.lists(_text, min_size=0, max_size=len(L.respondent_columns()),
                         unique_by=lambda s: s.casefold()))
    respondents = [Respondent(organisation=o, name=draw(st.none() | _text),
                              ratings=draw(st.dictionaries(st.sampled_from(_BIDS), st.integers(1, 4), min_size=1)))
                   for o in orgs]
    checklist = draw(st.dictionaries(st.sampled_from([q.id for q in _INST.checklist.questions]),
                                     st.builds(dict, status=st.sampled_from(_INST.checklist.statuses), evidence=_text,
                                               where=st.none() | _text), max_size=6))
    improvement = draw(st.dictionaries(st.sampled_from([a.id for a in _INST.improvement.areas]),
                                       st.builds(dict, answer=st.sampled_from(["Yes", "No"]), action=_text,
                                                 owner=st.none() | _text,
                                                 due=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1))),
                                       max_size=5))
    return Review(
        partnership_id=draw(_text), partnership_name=draw(st.none() | _text), year=draw(st.integers(1990, 2100)),
        coordinator=draw(st.none() | _text), review_date=draw(st.none() | st.dates(dt.date(2000, 1, 1), AS_OF)),
        respondents=respondents,
        benchmark_actions=draw(st.dictionaries(st.sampled_from(_BIDS), st.builds(dict, action_needed=_text,
                                                                                by_whom=_text), max_size=4)),
        factors_ticked=sorted(draw(st.sets(st.sampled_from(sorted(_INST.benchmarks.factor_ids)), max_size=4)),
                              key=lambda f: (int(f.split(".")[0]), int(f.split("f")[1]))),
        checklist=checklist, improvement=improvement,
        fitness=draw(st.dictionaries(st.sampled_from([q.id for q in _INST.fitness.questions]),
                                     st.sampled_from(["Yes", "No"]), max_size=9)),
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(review=reviews())
def test_any_review_round_trips(tmp_path, review):
    path = new_review(tmp_path / "prop.xlsx", review)
    book = read_any(path)
    assert book.review == review
    from openpyxl import load_workbook

    wb = load_workbook(path)
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_fill_is_reproducible(tmp_path):
    a = new_review(tmp_path / "a.xlsx", make_review())
    b = new_review(tmp_path / "b.xlsx", make_review())
    assert a.read_bytes() == b.read_bytes()


def test_register_columns_found_by_heading(register_path):
    """An officer's own column inserted in the middle moves the others: they are found by their headings, and
    findings name the cells where the values really are."""
    with FileWorkbook.open(register_path) as f:
        sheets = {n: [list(r) for r in f.grid(n).rows] for n in f.sheet_names()}
    for i, row in enumerate(sheets[L.REGISTER]):
        row.insert(2, "My notes" if i == 0 else ("note" if i < 3 else None))
    sheets[L.REGISTER][1][L.col_number(L.register_columns()["level"])] = "Tactical"  # level moved one right
    book = read_register(MemoryWorkbook("moved.xlsx", sheets))
    assert [e.id for e in book.entries] == ["P001", "P002"]
    bad = [f for f in book.findings if f.code == "unknown-choice"]
    assert [(f.cell, f.value) for f in bad] == [(f"{L.col_letter(L.col_number(L.register_columns()['level']) + 1)}2",
                                                 "Tactical")]
