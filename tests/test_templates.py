"""The three templates: deterministic builds, committed copies up to date, Excel conventions, LibreOffice opens them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partnerxl.sheets import layout as L
from partnerxl.core.instruments import load_instruments
from partnerxl.documents.templates import write_templates
from partnerxl.storage.opening import FileWorkbook
from partnerxl.sheets.grid import detect_kind

ROOT = Path(__file__).resolve().parents[1]
WORKBOOKS = ROOT / "workbooks"


def signature(path: Path) -> dict:
    """Everything that makes a template what it is: cells, styles that matter, validations, names, protection."""
    wb = load_workbook(path)
    sig: dict = {"sheets": wb.sheetnames, "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None or c.has_style:
                    cells[c.coordinate] = (c.value, c.data_type, c.protection.locked, c.number_format,
                                           c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None)
        sig[ws.title] = {
            "state": ws.sheet_state,
            "cells": cells,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted((str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.errorStyle, dv.showErrorMessage,
                                   dv.showInputMessage, dv.prompt, dv.error) for dv in ws.data_validations.dataValidation),
            "protection": (ws.protection.sheet, ws.protection.password),
            "freeze": ws.freeze_panes,
            "print": (ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.fitToWidth,
                      ws.print_title_rows),
            "widths": sorted((k, v.width) for k, v in ws.column_dimensions.items()),
            "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
        }
    return sig


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    paths = write_templates(out)
    return {kind: p for kind, p in zip(L.KINDS, paths)}


def test_two_builds_are_identical(fresh, tmp_path):
    again = write_templates(tmp_path)
    for kind, path in zip(L.KINDS, again):
        assert signature(path) == signature(fresh[kind]), kind


def test_two_builds_are_byte_identical(fresh, tmp_path):
    """Fixed document properties and zip timestamps: rebuilding leaves git with nothing to commit."""
    for kind, path in zip(L.KINDS, write_templates(tmp_path)):
        assert path.read_bytes() == fresh[kind].read_bytes(), kind


@pytest.mark.parametrize("kind", L.KINDS)
def test_committed_templates_match_a_fresh_build(fresh, kind):
    committed = WORKBOOKS / L.FILE_NAMES[kind]
    assert committed.exists(), "run: partnerxl templates --out workbooks/"
    assert signature(committed) == signature(fresh[kind]), (
        f"{committed.name} differs from a fresh build: run  partnerxl templates --out workbooks/  and commit")


@pytest.mark.parametrize("kind", L.KINDS)
def test_marker_sheet_and_defined_name(fresh, kind):
    wb = load_workbook(fresh[kind])
    ws = wb[L.MARKER_SHEET]
    assert ws.sheet_state == "hidden"
    assert (ws["A1"].value, ws["B1"].value, ws["C1"].value) == (L.MARKER_TITLE, kind, L.TEMPLATE_VERSION)
    assert wb.defined_names[L.MARKER_NAME].attr_text == L.MARKER_REF
    assert wb[L.LISTS_SHEET].sheet_state == "hidden"
    with FileWorkbook.open(fresh[kind]) as source:
        assert detect_kind(source) == (kind, L.TEMPLATE_VERSION)
    assert [s for s in wb.sheetnames if not s.startswith("_")] == L.SHEETS[kind]


def _validation_for(ws, ref: str):
    return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]


def _assert_dropdown(ws, ref: str, key: str):
    dvs = _validation_for(ws, ref)
    assert dvs, f"{ws.title}!{ref} has no drop-down"
    dv = dvs[0]
    assert (dv.type, dv.formula1, dv.errorStyle) == ("list", L.list_name(key), "stop"), ref
    assert dv.showErrorMessage and dv.showInputMessage and dv.prompt and dv.error


def test_register_sheet_conventions(fresh):
    inst = load_instruments()
    wb = load_workbook(fresh["register"])
    ws = wb[L.REGISTER]
    cols = L.register_columns(inst)
    for f in inst.register.fields:
        assert ws[f"{cols[f.name]}{L.REGISTER_HEADER_ROW}"].value == f.label
        if f.type == "choice":
            for row in (L.REGISTER_FIRST_ROW, L.REGISTER_FIRST_ROW + 500):
                _assert_dropdown(ws, f"{cols[f.name]}{row}", f.name)
        if f.type == "date":
            assert _validation_for(ws, f"{cols[f.name]}{L.REGISTER_FIRST_ROW}")[0].type == "date"
    assert not ws.protection.sheet, "the Register table must stay open for new rows"
    assert list(ws.tables) == [L.REGISTER_TABLE]
    assert ws.freeze_panes == f"C{L.REGISTER_FIRST_ROW}"
    # Far wider than a page: at 100% across pages, left to right then down, ID and name on every page.
    assert int(ws.page_setup.paperSize) == 9 and int(ws.page_setup.scale) == 100
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.pageOrder == "overThenDown" and ws.print_title_cols == "$A:$B"
    lists = wb[L.LISTS_SHEET]
    for key, choices in L.closed_lists(inst).items():
        ref = wb.defined_names[L.list_name(key)].attr_text
        first, last = ref.split("!")[1].replace("$", "").split(":")
        assert [c.value for row in lists[first:last] for c in row] == choices


def test_settings_sheet_has_every_setting(fresh):
    from partnerxl.core.settings import Settings

    ws = load_workbook(fresh["register"])[L.SETTINGS]
    rows = L.settings_rows()
    for key in Settings.model_fields:
        assert ws[f"{L.SETTINGS_KEY_COL}{rows[key]}"].value == key
        shown = ws[f"{L.SETTINGS_VALUE_COL}{rows[key]}"].value
        assert (shown if shown is not None else "") == getattr(Settings(), key)  # a blank text setting is ""
        assert ws[f"{L.SETTINGS_VALUE_COL}{rows[key]}"].protection.locked is False
    assert ws[f"{L.SETTINGS_KEY_COL}{rows[L.AS_OF_KEY]}"].value == L.AS_OF_KEY
    # Money and shares shown as they are meant: £100,000 and 50%.
    assert ws[f"{L.SETTINGS_VALUE_COL}{rows['significant_contribution_gbp']}"].number_format == L.MONEY_FORMAT
    assert ws[f"{L.SETTINGS_VALUE_COL}{rows['low_response_share']}"].number_format == "0%"
    assert ws[f"{L.SETTINGS_DEFAULT_COL}{rows['split_share']}"].number_format == "0%"
    assert ws[f"{L.SETTINGS_KEY_COL}{rows[L.REVIEWS_FOLDER_KEY]}"].value == L.REVIEWS_FOLDER_KEY
    assert ws.protection.sheet and not ws.protection.password
    # Officers see plain labels: the keys' column is hidden and has no heading; no visible cell is a snake_case key.
    assert ws.column_dimensions[L.SETTINGS_KEY_COL].hidden
    assert ws[f"{L.SETTINGS_KEY_COL}{L.SETTINGS_HEADER_ROW}"].value is None
    visible = [c.value for row in ws.iter_rows() for c in row
               if c.column_letter != L.SETTINGS_KEY_COL and isinstance(c.value, str)]
    assert visible and not [v for v in visible if v in rows or re.fullmatch(r"[a-z]+(_[a-z]+)+", v)]


def test_review_sheets_protected_inputs_unlocked_dropdowns(fresh):
    inst = load_instruments()
    wb = load_workbook(fresh["review"])
    for name in (L.ABOUT, L.CHECKLIST, L.IMPROVEMENT, L.FITNESS, L.BENCHMARKS, L.FACTORS):
        assert wb[name].protection.sheet and not wb[name].protection.password, name
    ws = wb[L.CHECKLIST]
    for r in L.checklist_rows(inst):
        if r.kind == "item":
            assert ws[f"A{r.row}"].value == r.id and ws[f"A{r.row}"].protection.locked
            assert ws[f"B{r.row}"].protection.locked
            _assert_dropdown(ws, f"C{r.row}", "checklist_status")
            assert ws[f"C{r.row}"].protection.locked is False and ws[f"D{r.row}"].protection.locked is False
    assert len([r for r in L.checklist_rows(inst) if r.kind == "item"]) == 29
    ws = wb[L.IMPROVEMENT]
    rows = L.improvement_rows(inst)
    assert len(rows) == 14
    for r in rows:
        _assert_dropdown(ws, f"C{r.row}", "yes_no")
    ws = wb[L.FITNESS]
    items = [r for r in L.fitness_rows(inst) if r.kind == "item"]
    assert len(items) == 9
    q2 = next(r for r in items if r.id == "F2")
    assert ws[f"D{q2.row}"].value == "Review membership"
    _assert_dropdown(ws, f"C{q2.row}", "yes_no")
    ws = wb[L.BENCHMARKS]
    items = [r for r in L.benchmark_rows(inst=inst) if r.kind == "item"]
    assert len(items) == 21
    assert len(L.respondent_columns()) >= 12
    for r in items:
        for col in L.respondent_columns():
            _assert_dropdown(ws, f"{col}{r.row}", "rating")
            assert ws[f"{col}{r.row}"].protection.locked is False
    assert ws[f"{L.BENCHMARKS_SPEC.col('action_needed')}{L.BENCH_LABEL_ROW}"].value == "Action needed"
    assert ws[f"{L.BENCHMARKS_SPEC.col('by_whom')}{L.BENCH_LABEL_ROW}"].value == "By whom?"
    for col in L.respondent_columns():
        assert ws[f"{col}{L.BENCH_ORG_ROW}"].protection.locked is False
    assert ws[f"{L.respondent_columns()[0]}{L.BENCH_EMAIL_ROW}"].protection.locked is False  # tells people apart
    assert ws.freeze_panes == "C6" and ws.print_title_rows == "$1:$5"
    ws = wb[L.FACTORS]
    items = [r for r in L.factor_rows(inst) if r.kind == "item"]
    assert len(items) == sum(len(a.typical_factors) for a in inst.benchmarks.areas)
    for r in items:
        _assert_dropdown(ws, f"C{r.row}", "tick")


def test_response_form(fresh):
    wb = load_workbook(fresh["response"])
    ws = wb[L.RESPONSE]
    assert ws.protection.sheet
    for _key, (ref, _label) in L.RESPONSE_FIELDS.items():
        assert ws[ref].protection.locked is False
    items = [r for r in L.response_rows() if r.kind == "item"]
    assert len(items) == 21
    for r in items:
        _assert_dropdown(ws, f"C{r.row}", "rating")
        assert ws[f"D{r.row}"].protection.locked is False
    rating_labels = [c.value for c in wb[L.LISTS_SHEET]["T"][1:]]
    assert rating_labels[:4] == [lv.label for lv in load_instruments().benchmarks.scale]
    # The form shows the rating scale beside the fields, and where the date to return it by goes (locked: the
    # chase fills it, the partner does not type it).
    scale = " ".join(str(ws[f"{L.RESPONSE_SCALE_COL}{r}"].value) for r in range(3, 9))
    assert all(lv.label in scale for lv in load_instruments().benchmarks.scale) and "Don't know" in scale
    assert ws[f"B{L.RESPONSE_RETURN_BY[0][1:]}"].value == L.RESPONSE_RETURN_BY[1]
    assert ws[L.RESPONSE_RETURN_BY[0]].protection.locked
    # Partners don't run commands: the Read me tells them to send the form back, not to collate it.
    readme = " ".join(str(c.value) for row in wb[L.README].iter_rows() for c in row if c.value)
    assert "partnerxl" not in readme.replace("PartnerXL", "") and "send it back to the officer" in readme


def test_chased_form_shows_the_date_to_return_it_by(tmp_path):
    import datetime as dt

    from partnerxl.core.models import Respondent
    from partnerxl.documents.fill import new_response
    from partnerxl.operations import read_workbook

    path = new_response(tmp_path / "Response P006 2024 Police.xlsx", "P006", "Older People's Forum", 2024,
                        Respondent(organisation="Fernshire Police", name="Sam Lewis"), return_by=dt.date(2025, 4, 28))
    ws = load_workbook(path)[L.RESPONSE]
    assert ws[L.RESPONSE_RETURN_BY[0]].value.date() == dt.date(2025, 4, 28)
    form = read_workbook(path)  # the date above the fields is not read as anything the partner typed
    assert [f.code for f in form.findings] == ["incomplete-respondent"]  # no rating yet: only that is said
    assert form.respondent.organisation == "Fernshire Police"


def test_statement_text_is_never_a_formula(fresh):
    for path in fresh.values():
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", f"{ws.title}!{c.coordinate}"


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed but CI is set: .ci/run must install libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return soffice


def test_libreoffice_opens_every_template(fresh, tmp_path):
    soffice = _soffice()
    profile = tmp_path / "lo-profile"
    out = tmp_path / "pdf"
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
           str(out), *[str(p) for p in fresh.values()]]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    for path in fresh.values():
        pdf = out / (path.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, f"{path.name} did not convert: {proc.stdout} {proc.stderr}"
        assert pdf.read_bytes().startswith(b"%PDF")


def test_workbooks_saved_by_another_spreadsheet_read_the_same(tmp_path, register_path, review_path):
    """A register and a review opened and re-saved by LibreOffice Calc (as .xlsx) read back to the same models."""
    from conftest import make_entry, make_review

    from partnerxl.operations import read_workbook as read_any

    soffice = _soffice()
    out = tmp_path / "resaved"
    cmd = [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to",
           "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(register_path), str(review_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    register = read_any(out / register_path.name)
    assert register.entries[0] == make_entry() and register.findings == [] and register.reviews_folder == "reviews"
    review = read_any(out / review_path.name)
    assert review.review == make_review() and review.findings == []
