"""Grid drift (issue 9, class 6): the sheets are protected without a password, so an officer can insert a column.

Every grid's columns are found by their headings, so an inserted column moves the others harmlessly; a column that
is not the template's is reported (`unexpected-column`), and ratings in one (a 13th respondent) are an error
(`ratings-not-read`), never dropped unseen. Collate writes into the respondent columns actually found.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from conftest import make_review
from openpyxl import load_workbook

from partnerxl.core.models import Review
from partnerxl.documents.fill import new_response, new_review
from partnerxl.storage.writing import set_text
from partnerxl.operations import collate
from partnerxl.operations import read_workbook as read_any
from partnerxl.sheets import layout as L


def _insert_column(path: Path, sheet: str, letter: str, out: Path, values: dict[int, object] | None = None) -> Path:
    """A copy of `path` with a column inserted before `letter` on `sheet` (as Excel's Insert > Sheet Columns does
    once the sheet is unprotected), its cells then typed with `values` (row → value)."""
    from openpyxl.utils import column_index_from_string

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(path)
    ws = wb[sheet]
    ws.insert_cols(column_index_from_string(letter))
    for row, value in (values or {}).items():
        set_text(ws[f"{letter}{row}"], value)
    wb.save(out)
    return out


def _scores(book) -> list[tuple[str, dict[str, int]]]:
    return [(r.organisation, r.ratings) for r in book.review.respondents]


def _row(rows, ident: str) -> int:
    return next(r.row for r in rows if r.id == ident)


def test_column_inserted_before_the_respondents_keeps_the_ratings(review_path, tmp_path):
    before = read_any(review_path)
    r11 = _row(L.benchmark_rows(), "1.1")
    out = _insert_column(review_path, L.BENCHMARKS, "C", tmp_path / "inserted.xlsx",
                         {L.BENCH_LABEL_ROW: "Our notes", r11: "asked the board"})
    after = read_any(out)
    assert _scores(after) == _scores(before)  # not read as actions and owners
    assert after.review.benchmark_actions == before.review.benchmark_actions
    assert after.respondent_columns == {"Police": "D", "NHS": "E", "Fire": "F"}
    hits = [f for f in after.findings if f.code == "unexpected-column"]
    assert [(f.sheet, f.cell, f.severity) for f in hits] == [(L.BENCHMARKS, f"C{L.BENCH_LABEL_ROW}", "warning")]
    assert "Column C" in hits[0].message and "Our notes" in hits[0].message
    assert not [f for f in after.findings if f.severity == "error"]


def test_empty_inserted_column_is_harmless(review_path, tmp_path):
    out = _insert_column(review_path, L.BENCHMARKS, "D", tmp_path / "empty.xlsx")
    book, before = read_any(out), read_any(review_path)
    assert _scores(book) == _scores(before)
    assert book.review.benchmark_actions == before.review.benchmark_actions  # not "By whom?" read as the action
    assert book.respondent_columns == {"Police": "C", "NHS": "E", "Fire": "F"}
    assert [f.code for f in book.findings] == []


def test_column_inserted_on_checklist_and_improvement_keeps_the_answers(review_path, tmp_path):
    review = make_review(improvement={"I01": {"answer": "No", "action": "Write a plan", "owner": "Chair"}})
    path = new_review(tmp_path / "r.xlsx", review)
    before = read_any(path).review
    path = _insert_column(path, L.CHECKLIST, "C", tmp_path / "c.xlsx")
    path = _insert_column(path, L.IMPROVEMENT, "A", tmp_path / "ci.xlsx",
                          {L.IMPROVEMENT_SPEC.header_row: "Ref", _row(L.improvement_rows(), "I01"): "x-1"})
    book = read_any(path)
    assert book.review.checklist == before.checklist
    assert book.review.improvement == before.improvement
    assert book.review.improvement["I01"].action == "Write a plan"
    assert [(f.code, f.sheet, f.cell) for f in book.findings] == [
        ("unexpected-column", L.IMPROVEMENT, f"A{L.IMPROVEMENT_SPEC.header_row}")]


def test_column_inserted_on_fitness_factors_invited_and_response(review_path, tmp_path, response_factory):
    before = read_any(review_path).review
    path = _insert_column(review_path, L.FITNESS, "C", tmp_path / "f.xlsx")
    path = _insert_column(path, L.FACTORS, "B", tmp_path / "ff.xlsx")
    path = _insert_column(path, L.INVITED, "A", tmp_path / "ffi.xlsx")
    book = read_any(path)
    assert book.review.fitness == before.fitness and book.review.factors_ticked == before.factors_ticked
    assert book.findings == []
    form = response_factory("Police", rating=2)
    moved = _insert_column(form, L.RESPONSE, "C", tmp_path / "form.xlsx")
    read = read_any(moved)
    assert read.organisation == "Police" and set(read.respondent.ratings.values()) == {2}
    assert read.findings == []


def test_thirteenth_respondent_column_is_an_error(review_path, tmp_path):
    r11, r12 = _row(L.benchmark_rows(), "1.1"), _row(L.benchmark_rows(), "1.2")
    # a column inserted after the twelfth respondent, before "Action needed" (column O of the template)
    out = _insert_column(review_path, L.BENCHMARKS, "O", tmp_path / "thirteen.xlsx",
                         {L.BENCH_LABEL_ROW: "Respondent 13", L.BENCH_ORG_ROW: "Parish council",
                          r11: "YES – working well", r12: 3})
    book = read_any(out)
    hits = [f for f in book.findings if f.code == "ratings-not-read"]
    assert [(f.sheet, f.cell, f.severity) for f in hits] == [(L.BENCHMARKS, f"O{r11}", "error")]
    assert "Column O" in hits[0].message and "Respondent 13" in hits[0].message
    assert book.review.benchmark_actions == read_any(review_path).review.benchmark_actions  # still found by heading


def test_unheaded_column_beyond_the_template_with_ratings_is_an_error(review_path, tmp_path):
    r11 = _row(L.benchmark_rows(), "1.1")
    wb = load_workbook(review_path)
    set_text(wb[L.BENCHMARKS][f"R{L.BENCH_ORG_ROW}"], "Parish council")
    set_text(wb[L.BENCHMARKS][f"R{r11}"], "2")
    wb.save(tmp_path / "r.xlsx")
    book = read_any(tmp_path / "r.xlsx")
    assert [(f.code, f.cell) for f in book.findings] == [("ratings-not-read", f"R{r11}")]
    assert "Parish council" in book.findings[0].message


def test_collate_writes_into_a_respondent_column_found_by_its_heading(blank_review_path, response_factory,
                                                                      tmp_path):
    review = _insert_column(blank_review_path, L.BENCHMARKS, "C", tmp_path / "inserted.xlsx")
    form = response_factory("Police", rating=4)
    out = tmp_path / "collated.xlsx"
    plan = collate(review, [form], out)
    assert [col for col, _name, _form in plan.added] == ["D"]
    ws = load_workbook(out)[L.BENCHMARKS]
    assert ws[f"D{L.BENCH_LABEL_ROW}"].value == "Respondent 1"
    assert ws[f"D{L.BENCH_ORG_ROW}"].value == "Police" and ws[f"C{L.BENCH_ORG_ROW}"].value is None
    book = read_any(out)
    assert book.respondent_columns == {"Police": "D"}
    assert set(book.review.respondents[0].ratings.values()) == {4} and book.findings == []


def test_free_columns_are_the_found_ones(tmp_path):
    path = new_review(tmp_path / "b.xlsx", Review(partnership_id="P001", year=2025))
    out = _insert_column(path, L.BENCHMARKS, "E", tmp_path / "e.xlsx")
    free = read_any(out).free_columns
    assert free == ["C", "D", *"FGHIJKLMNO"] and len(free) == L.RESPONDENT_COLUMNS


def test_response_form_header_moves_with_the_rating_column(tmp_path):
    path = new_response(tmp_path / "f.xlsx", "P001", "Safer Streets", 2025)
    out = _insert_column(path, L.RESPONSE, "B", tmp_path / "g.xlsx")
    book = read_any(out)
    assert (book.partnership_id, book.year) == ("P001", 2025)


def test_collate_button_writes_into_the_live_respondent_columns_found(blank_review_path, response_factory, tmp_path):
    from addin_payload import AppliedBook, ensure_remote_engine, payload_from_xlsx, remote_book

    from partnerxl.excel import buttons as addin
    from partnerxl.excel.live import XlwingsWorkbook
    from partnerxl.reading import read_review

    ensure_remote_engine()
    review = _insert_column(blank_review_path, L.BENCHMARKS, "C", tmp_path / "Review with a column.xlsx")
    response_factory("Police", rating=4)
    payload = payload_from_xlsx(review)
    book = remote_book(payload)
    assert "1 response added" in addin.collate_responses(book)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    bench = applied[L.BENCHMARKS]
    assert bench.value(f"D{L.BENCH_ORG_ROW}") == "Police" and bench.value(f"C{L.BENCH_ORG_ROW}") is None
    again = read_review(XlwingsWorkbook(remote_book(applied.to_payload())))
    assert again.respondent_columns == {"Police": "D"} and len(again.review.respondents[0].ratings) == 21


def test_validate_in_excel_leaves_an_inserted_column_unpainted():
    from partnerxl.core.findings import finding
    from partnerxl.excel.issues_sheet import issue_rows

    found = [finding("unexpected-column", "r.xlsx", L.BENCHMARKS, "C7", field="Column C", value="notes", detail="C"),
             finding("bad-rating", "r.xlsx", L.BENCHMARKS, "D7", field="Rating of 1.1", value="great")]
    rows, marks = issue_rows(found, "review", {L.BENCHMARKS.casefold(): L.BENCHMARKS})
    assert list(marks[L.BENCHMARKS]) == [(6, 3)] and len(rows) == 2  # listed, but only the rating cell is filled
