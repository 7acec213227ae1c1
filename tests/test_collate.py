"""Collate: each returned Response form in its own respondent column of a NEW review; forms left out are named
(exit 1) while the good ones are still collated — the same rule as the Collate responses button; inputs untouched."""

from __future__ import annotations

import pytest
from conftest import edit_cells, sha256
from openpyxl import load_workbook

from partnerxl.sheets import layout as L
from partnerxl.cli import main
from partnerxl.operations import collate
from partnerxl.core.errors import PartnerXLError
from partnerxl.operations import read_workbook as read_any


def test_collate_two_forms(blank_review_path, response_factory, tmp_path, capsys):
    police = response_factory("Police", rating=4, comments={"1.1": "=SUM(A1) is how we track it"})
    nhs = response_factory("NHS", rating=2)
    inputs = [blank_review_path, police, nhs]
    before = [sha256(p) for p in inputs]
    out = tmp_path / "collated.xlsx"
    assert main(["collate", str(blank_review_path), str(police), str(nhs), "--out", str(out)]) == 0
    assert "2 responses added" in capsys.readouterr().out
    assert [sha256(p) for p in inputs] == before
    book = read_any(out)
    review = book.review
    assert [r.organisation for r in review.respondents] == ["Police", "NHS"]
    assert set(review.respondents[0].ratings.values()) == {4} and len(review.respondents[0].ratings) == 21
    assert set(review.respondents[1].ratings.values()) == {2}
    assert book.respondent_columns == {"Police": "C", "NHS": "D"}
    ws = load_workbook(out)[L.BENCHMARKS]
    row = book.benchmark_rows["1.1"]
    assert ws[f"C{row}"].value == "YES – working well"  # the drop-down label, not a bare number
    assert ws[f"C{row}"].comment.text == "Police: =SUM(A1) is how we track it"
    assert ws.protection.sheet  # the copy keeps the template's protection and drop-downs
    assert ws.data_validations.dataValidation
    # a second round adds to the next free column and refuses an organisation already there
    fire = response_factory("Fire")
    out2 = tmp_path / "collated2.xlsx"
    collate(out, [fire], out2)
    assert read_any(out2).respondent_columns == {"Police": "C", "NHS": "D", "Fire": "E"}
    plan = collate(out2, [response_factory("police")], tmp_path / "x.xlsx")
    assert [f.code for f in plan.findings] == ["duplicate-form"] and plan.exit_code == 1
    assert "already has ratings" in plan.findings[0].message and not plan.added


def test_leaves_out_form_for_another_partnership(blank_review_path, response_factory, tmp_path, capsys):
    other = response_factory("Police", pid="P002")
    good = response_factory("NHS")
    out = tmp_path / "out.xlsx"
    assert main(["collate", str(blank_review_path), str(other), str(good), "--out", str(out)]) == 0  # a warning
    printed = capsys.readouterr().out
    assert f"left out {other.name}" in printed and "P002" in printed and "Traceback" not in printed
    assert read_any(out).respondent_columns == {"NHS": "C"}


def test_leaves_out_duplicate_forms_and_other_year(blank_review_path, response_factory, tmp_path):
    a = response_factory("Police")
    b = edit_cells(a, L.RESPONSE, {"C6": " POLICE person"}, out=tmp_path / "copy.xlsx")  # the same person again
    late = response_factory("Fire", year=2024)
    plan = collate(blank_review_path, [a, b, late], tmp_path / "out.xlsx")
    assert [(f.file, f.code) for f in plan.findings] == [("copy.xlsx", "duplicate-form"),
                                                          (late.name, "form-for-another-review")]
    assert "2024" in plan.findings[1].message and plan.exit_code == 1
    assert read_any(tmp_path / "out.xlsx").respondent_columns == {"Police": "C"}


def test_two_people_of_one_organisation_both_rate(blank_review_path, response_factory, tmp_path):
    # docs/rules.md: a respondent is a person of an organisation. A second person of Police (another name) gets the
    # next free column; the first person's form sent twice is refused.
    a = response_factory("Police")
    b = edit_cells(a, L.RESPONSE, {"C6": "Someone else"}, out=tmp_path / "someone.xlsx")
    again = edit_cells(a, L.RESPONSE, {}, out=tmp_path / "again.xlsx")
    plan = collate(blank_review_path, [a, b, again], tmp_path / "out.xlsx")
    assert [(col, form.respondent_name) for col, _name, form in plan.added] == [("C", "Police person"),
                                                                                ("D", "Someone else")]
    assert [(f.file, f.code) for f in plan.findings] == [("again.xlsx", "duplicate-form")]
    review = read_any(tmp_path / "out.xlsx").review
    assert [(r.organisation, r.name) for r in review.respondents] == [("Police", "Police person"),
                                                                      ("Police", "Someone else")]


def test_leaves_out_forms_with_errors_or_wrong_kind(blank_review_path, response_factory, tmp_path, capsys):
    bad = response_factory("Police")
    row = next(r.row for r in L.response_rows() if r.id == "3.2")
    bad = edit_cells(bad, L.RESPONSE, {f"C{row}": "fine"}, out=tmp_path / "bad.xlsx")
    out = tmp_path / "out.xlsx"
    assert main(["collate", str(blank_review_path), str(bad), str(blank_review_path.parent / "nothing.xlsx"),
                 str(blank_review_path), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert f"Response!C{row}" in printed and "bad.xlsx" in printed and "nothing.xlsx" in printed
    plan = collate(blank_review_path, [bad, blank_review_path], tmp_path / "out2.xlsx")
    assert [f.code for f in plan.findings] == ["form-has-errors", "wrong-kind"]
    assert plan.findings[0].cell == f"C{row}"


def test_never_overwrites_an_input(blank_review_path, response_factory):
    form = response_factory("Police")
    before = sha256(blank_review_path)
    with pytest.raises(PartnerXLError, match="one of the inputs"):
        collate(blank_review_path, [form], blank_review_path)
    assert sha256(blank_review_path) == before


def test_leaves_out_forms_beyond_the_free_columns(review_path, response_factory, tmp_path):
    # the full review already has 3 respondents: 9 of the 12 columns are left, so the 10th form is left out
    forms = [response_factory(f"Org {i}") for i in range(len(L.respondent_columns()) - 2)]
    plan = collate(review_path, forms, tmp_path / "out.xlsx")
    assert len(plan.added) == 9 and [f.code for f in plan.findings] == ["no-free-column"]
    assert forms[-1].name == plan.findings[0].file
