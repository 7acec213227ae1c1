"""The checks: each declares the codes it can emit, together with the operations' codes they are exactly the
catalogue, and no check ever emits a code it did not declare (run over real workbooks with planted faults)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import edit_cells, make_review

from partnerxl.checks import all_checks, declared_codes, watch
from partnerxl.checks.engine import Check
from partnerxl.core.findings import CODES, OPERATIONS_CODES
from partnerxl.core.models import Review
from partnerxl.core.settings import Settings
from partnerxl.documents.fill import new_review
from partnerxl.storage.opening import FileWorkbook
from partnerxl.reading import read_register, validate_source
from partnerxl.sheets import layout as L

COLS = L.register_columns()


def _row(rows, ident: str) -> int:
    return next(r.row for r in rows if r.id == ident)


def _validate(path, register=None):
    with FileWorkbook.open(path) as source:
        return validate_source(source, register)


def _register(path):
    with FileWorkbook.open(path) as source:
        return read_register(source)


def test_every_check_declares_its_codes():
    checks = all_checks()
    assert len(checks) >= 10
    for check in checks:
        assert check.codes, f"{check.__name__} declares no codes"
        assert set(check.codes) <= set(CODES), f"{check.__name__} declares codes outside the catalogue"


def test_declared_codes_and_operations_codes_are_the_catalogue():
    declared = declared_codes()
    assert declared | set(OPERATIONS_CODES) == set(CODES)
    assert not declared & set(OPERATIONS_CODES)


def test_a_check_refuses_a_code_it_did_not_declare():
    class Narrow(Check):
        codes = ("bad-date",)

    with pytest.raises(ValueError, match="does not declare"):
        Narrow("x.xlsx", "Register").finding("bad-number", "A1")


def _faulty_register(register_path, tmp_path):
    rows = L.settings_rows()
    path = edit_cells(register_path, L.REGISTER, {
        f"{COLS['purpose']}2": None, f"{COLS['level']}2": "Tactical", f"{COLS['start_date']}2": "soon",
        f"{COLS['officer_days']}2": "ten", f"{COLS['council_contribution_gbp']}2": -5,
        f"{COLS['lead_officer_email']}2": "a.officer at council", f"{COLS['last_review_date']}2": dt.date(2025, 7, 1),
        f"{COLS['arrangement']}2": "Commercial agreement", f"{COLS['status']}2": "Proposed",
        f"{COLS['end_date']}3": dt.date(2018, 1, 1), f"{COLS['council_contribution_gbp']}3": 1e12,
        f"{COLS['duration']}4": "Time-limited",
        f"{COLS['id']}4": "P003", f"{COLS['name']}4": "healthy homes", f"{COLS['id']}5": "p001",
        f"{COLS['name']}5": "Another", f"{COLS['risk']}1": "Danger",
        f"{COLS['id']}6": "P/006", f"{COLS['name']}6": "Sixth", f"{COLS['status']}6": "Proposed",
        f"{COLS['needs_many_organisations']}6": "Yes", f"{COLS['long_term']}6": "No",
        f"{COLS['existing_partnership_could_deliver']}6": "No",
    }, out=tmp_path / "faulty register.xlsx")
    return edit_cells(path, L.SETTINGS, {f"B{rows['significance_min_criteria']}": 9,
                                         f"B{rows['rag_amber_from']}": 3.9, f"B{rows['rag_green_from']}": 3.0,
                                         f"B{rows['long_duration_years']}": "long", f"B{rows['as_of']}": "someday"})


def _scripted(path, sheet, formulas):
    """Formulas written by a script (openpyxl): saved without a calculated value."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ref, formula in formulas.items():
        wb[sheet][ref] = formula
    wb.save(path)
    return path


def _faulty_review(review_path, tmp_path):
    cl, im, br, fr = L.checklist_rows(), L.improvement_rows(), L.benchmark_rows(), L.factor_rows()
    r11, r12, r23 = _row(br, "1.1"), _row(br, "1.2"), _row(br, "2.3")
    path = edit_cells(review_path, L.ABOUT, {"B5": "twenty twenty-five", "B7": dt.date(2030, 1, 1)},
                      out=tmp_path / "faulty review.xlsx")
    path = edit_cells(path, L.CHECKLIST, {f"D{_row(cl, '1a')}": None, f"A{_row(cl, '1c')}": "1b",
                                          f"A{_row(cl, '2a')}": "9z", f"C{_row(cl, '3a')}": "Maybe"})
    path = edit_cells(path, L.IMPROVEMENT, {f"C{_row(im, 'I03')}": "No", f"F{_row(im, 'I04')}": "next spring",
                                            f"D{_row(im, 'I05')}": "Pasted_x000B_from Word"})
    path = _scripted(path, L.ABOUT, {"B6": "=UPPER(B3)", "B4": "#REF!"})  # '#REF!': stored as Excel's error value
    path = edit_cells(path, L.FACTORS, {f"C{_row(fr, '1.f1')}": "perhaps", f"E{_row(fr, '1.f2')}": "a note"})
    first = L.INVITED_SPEC.first_row
    path = edit_cells(path, L.INVITED, {f"A{first}": "Police", f"A{first + 1}": "POLICE"})
    return edit_cells(path, L.BENCHMARKS, {
        f"C{r11}": "brilliant", f"D{L.BENCH_ORG_ROW}": None, f"E{L.BENCH_ORG_ROW}": "POLICE",
        f"E{L.BENCH_NAME_ROW}": "Police lead",
        **{f"{c}{r23}": None for c in "CDE"}, f"P{r11}": None, f"F{L.BENCH_ORG_ROW}": "Council", f"F{r12}": 4,
        f"A{_row(br, '4.5')}": "5.1", f"R{L.BENCH_ORG_ROW}": "Parish", f"R{r12}": 2})


def test_no_check_emits_a_code_it_did_not_declare(register_path, review_path, response_factory, tmp_path):
    register_file = _faulty_register(register_path, tmp_path)
    review_file = _faulty_review(review_path, tmp_path)
    rows = L.response_rows()
    response_file = edit_cells(response_factory("Police", pid="P777"), L.RESPONSE,
                               {"C7": None, "C5": "last year", f"C{_row(rows, '1.1')}": "7",
                                f"C{_row(rows, '2.1')}": None})
    thin = new_review(tmp_path / "thin.xlsx", Review(partnership_id="p001\u200b", partnership_name="Old name",
                                                    year=2025, improvement={"I01": {"answer": "Yes"}}))
    stranger = new_review(tmp_path / "stranger.xlsx", make_review(pid="P999"))
    register = _register(register_path)
    with watch() as log:
        for path in (register_file, review_file, response_file):
            _validate(path)
        for path in (response_file, thin, stranger):
            _validate(path, register)
    assert log, "the planted faults produced no findings"
    for check, found in log:
        assert found.code in type(check).codes, f"{type(check).__name__} emitted {found.code}"
        assert not re.fullmatch(r"[a-z]+(_[a-z]+)+", found.field or ""), f"{found.code} names a key: {found.field}"
    emitted = {f.code for _check, f in log}
    missing = declared_codes() - emitted - {"invalid-record"}  # the model's last net: no workbook reaches it
    assert not missing, f"planted faults did not produce {sorted(missing)}"


def test_invisible_characters_do_not_make_an_id_unique(register_path, tmp_path):
    path = edit_cells(register_path, L.REGISTER, {f"{COLS['id']}2": "p001", f"{COLS['id']}3": "P001\u200b"},
                      out=tmp_path / "zw.xlsx")
    book = _register(path)
    dup = [f for f in book.findings if f.code == "duplicate-id"]
    assert [(f.cell, f.value) for f in dup] == [(f"{COLS['id']}3", "P001\u200b")]
    assert [e.id for e in book.entries] == ["p001"]
    assert book.entry("P001").name == "Safer Streets" and book.entry("\uff30001 ").name == "Safer Streets"


def test_email_addresses_judged_by_email_validator(register_path, tmp_path):
    path = edit_cells(register_path, L.REGISTER, {f"{COLS['lead_officer_email']}2": "józef.nowak@fernleigh.gov.uk",
                                                  f"{COLS['lead_officer_email']}3": "jo@x_y.gov.uk"},
                      out=tmp_path / "emails.xlsx")
    book = _register(path)
    bad = [f for f in book.findings if f.code == "bad-email"]
    assert [(f.cell, f.value) for f in bad] == [(f"{COLS['lead_officer_email']}3", "jo@x_y.gov.uk")]
    assert book.entries[0].lead_officer_email == "józef.nowak@fernleigh.gov.uk"
    assert book.entries[1].lead_officer_email is None  # left out, as if blank


def test_bad_setting_names_the_setting_in_plain_words(register_path, tmp_path):
    rows = L.settings_rows()
    path = edit_cells(register_path, L.SETTINGS, {f"B{rows['rag_amber_from']}": 3.9,
                                                  f"B{rows['rag_green_from']}": 3.0}, out=tmp_path / "s.xlsx")
    book = _register(path)
    bad = [f for f in book.findings if f.code == "bad-setting"]
    # Green below Amber: Green is blamed first; then Amber is still above the default Green, and is blamed too
    assert [f.cell for f in bad] == [f"B{rows['rag_green_from']}", f"B{rows['rag_amber_from']}"]
    assert bad[0].field == Settings.model_fields["rag_green_from"].description
    assert "rag_" not in bad[0].message and Settings.model_fields["rag_amber_from"].description in bad[0].message
    assert book.settings == Settings()


def test_catalogue_words_are_for_officers():
    for code, entry in CODES.items():
        words = entry.title + " " + entry.template
        assert entry.title and entry.title[0].isupper(), code
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", words), code
        assert "seed" not in words.lower() and "RULES" not in words, code
