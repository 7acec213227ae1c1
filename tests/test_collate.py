"""Collate: each returned Response form in its own respondent column of a NEW review; refusals; inputs untouched."""

from __future__ import annotations

import pytest
from conftest import edit_cells, sha256
from openpyxl import load_workbook

from partnerxl.sheets import layout as L
from partnerxl.cli import main
from partnerxl.collate import collate
from partnerxl.core.errors import PartnerXLError
from partnerxl.reading import read_any


def test_collate_two_forms(blank_review_path, response_factory, tmp_path, capsys):
    police = response_factory("Police", rating=4, comments={"1.1": "=SUM(A1) is how we track it"})
    nhs = response_factory("NHS", rating=2)
    inputs = [blank_review_path, police, nhs]
    before = [sha256(p) for p in inputs]
    out = tmp_path / "collated.xlsx"
    assert main(["collate", str(blank_review_path), str(police), str(nhs), "--out", str(out)]) == 0
    assert "2 response(s) collated" in capsys.readouterr().out
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
    with pytest.raises(PartnerXLError, match="already has ratings"):
        collate(out2, [response_factory("police")], tmp_path / "x.xlsx")


def test_refuses_form_for_another_partnership(blank_review_path, response_factory, tmp_path, capsys):
    other = response_factory("Police", pid="P002")
    out = tmp_path / "out.xlsx"
    assert main(["collate", str(blank_review_path), str(other), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "for partnership 'P002'" in err and other.name in err and "Traceback" not in err
    assert not out.exists()


def test_refuses_duplicate_forms_and_other_year(blank_review_path, response_factory, tmp_path):
    a = response_factory("Police")
    b = edit_cells(a, L.RESPONSE, {"C6": "Someone else"}, out=tmp_path / "copy.xlsx")
    with pytest.raises(PartnerXLError, match="already has ratings"):
        collate(blank_review_path, [a, b], tmp_path / "out.xlsx")
    late = response_factory("Fire", year=2024)
    with pytest.raises(PartnerXLError, match="2024 review"):
        collate(blank_review_path, [late], tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_refuses_forms_with_errors_or_wrong_kind(blank_review_path, response_factory, tmp_path):
    bad = response_factory("Police")
    row = next(r.row for r in L.response_rows() if r.id == "3.2")
    bad = edit_cells(bad, L.RESPONSE, {f"C{row}": "fine"}, out=tmp_path / "bad.xlsx")
    with pytest.raises(PartnerXLError, match=f"Response!C{row}"):
        collate(blank_review_path, [bad], tmp_path / "out.xlsx")
    with pytest.raises(PartnerXLError, match="not a response"):
        collate(blank_review_path, [blank_review_path], tmp_path / "out.xlsx")


def test_never_overwrites_an_input(blank_review_path, response_factory):
    form = response_factory("Police")
    before = sha256(blank_review_path)
    with pytest.raises(PartnerXLError, match="one of the inputs"):
        collate(blank_review_path, [form], blank_review_path)
    assert sha256(blank_review_path) == before


def test_refuses_more_forms_than_free_columns(review_path, response_factory, tmp_path):
    # the full review already has 3 respondents: 9 columns are left
    forms = [response_factory(f"Org {i}") for i in range(len(L.respondent_columns()) - 2)]
    with pytest.raises(PartnerXLError, match="room for 9 more"):
        collate(review_path, forms, tmp_path / "out.xlsx")
