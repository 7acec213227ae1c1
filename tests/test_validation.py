"""Validation: every code of CODES is produced by a realistic mistake, at the right sheet and cell; CLI outputs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import AS_OF, edit_cells, make_entry, make_review, sha256
from openpyxl import load_workbook

from partnerxl.sheets import layout as L
from partnerxl.cli import main
from partnerxl.documents.fill import new_register, new_review
from partnerxl.core.models import Review
from partnerxl.checks import declared_codes
from partnerxl.core.findings import CODES, OPERATIONS_CODES, Finding, finding
from partnerxl.reading import read_register, validate_source
from partnerxl.documents.validation_report import write_report
from partnerxl.storage.opening import FileWorkbook
from partnerxl.sheets.grid import MemoryWorkbook

COLS = L.register_columns()
SEEN: set[str] = set()


def validate_path(path, register_path=None, as_of=None) -> list[Finding]:
    """Open one workbook (and the register first, when given) and validate it, as the command line does."""
    register = None
    if register_path is not None:
        with FileWorkbook.open(register_path) as reg_source:
            register = read_register(reg_source)
    with FileWorkbook.open(path, register.settings if register else None) as source:
        return validate_source(source, register, as_of)


def _rows(kind_rows, ident: str) -> int:
    return next(r.row for r in kind_rows if r.id == ident)


def _check(findings: list[Finding], code: str, sheet: str | None, cell: str | None) -> Finding:
    hits = [f for f in findings if f.code == code and f.sheet == sheet and f.cell == cell]
    assert hits, f"no {code} at {sheet}!{cell}; got {[(f.code, f.sheet, f.cell) for f in findings]}"
    SEEN.add(code)
    f = hits[0]
    assert f.severity == CODES[code].severity
    assert f.message and "{" not in f.message
    return f


def reg(**values) -> dict[str, object]:
    """Register cell edits for row 2 (P001) given by field name."""
    return {f"{COLS[k]}2": v for k, v in values.items()}


REGISTER_CASES = [
    ("missing-value", reg(purpose=None), "purpose"),
    ("unknown-choice", reg(level="Tactical"), "level"),
    ("bad-date", reg(start_date="soon"), "start_date"),
    ("bad-number", reg(officer_days="ten"), "officer_days"),
    ("negative-number", reg(council_contribution_gbp=-5), "council_contribution_gbp"),
    ("number-out-of-range", reg(council_contribution_gbp=1e12), "council_contribution_gbp"),
    ("id-not-plain", reg(id="P/001"), "id"),
    ("bad-email", reg(lead_officer_email="a.officer at council"), "lead_officer_email"),
    ("end-before-start", reg(duration="Time-limited", end_date=dt.date(2018, 1, 1)), "end_date"),
    ("end-date-needed", reg(duration="Time-limited"), "end_date"),
    ("date-in-future", reg(last_review_date=dt.date(2025, 7, 1)), "last_review_date"),
    ("out-of-scope", reg(arrangement="Commercial agreement"), "arrangement"),
    ("gatekeeper-missing", reg(status="Proposed"), "needs_many_organisations"),
    ("gatekeeper-reconsider", reg(status="Proposed", needs_many_organisations="Yes", long_term="No",
                                  existing_partnership_could_deliver="No"), "long_term"),
]


@pytest.mark.parametrize("code, edits, field", REGISTER_CASES, ids=[c[0] for c in REGISTER_CASES])
def test_register_codes(register_path, tmp_path, code, edits, field):
    path = edit_cells(register_path, L.REGISTER, edits, out=tmp_path / "edited.xlsx")
    _check(validate_path(path), code, L.REGISTER, f"{COLS[field]}2")


def test_register_duplicates_missing_column_and_rows_left_out(register_path, tmp_path):
    path = edit_cells(register_path, L.REGISTER, {
        f"{COLS['id']}3": "p001",                       # duplicate id (case-insensitive)
        f"{COLS['id']}4": "P003", f"{COLS['name']}4": "SAFER STREETS",  # duplicate name
        f"{COLS['risk']}1": "Danger",                   # renamed heading
    }, out=tmp_path / "dup.xlsx")
    findings = validate_path(path)
    assert _check(findings, "duplicate-id", L.REGISTER, f"{COLS['id']}3").value == "p001"
    _check(findings, "duplicate-name", L.REGISTER, f"{COLS['name']}4")
    _check(findings, "missing-column", L.REGISTER, f"{COLS['risk']}1")
    from partnerxl.operations import read_workbook as read_any

    assert [e.id for e in read_any(path).entries] == ["P001"]


def test_bad_settings_fall_back_to_defaults(register_path, tmp_path):
    rows = L.settings_rows()
    path = edit_cells(register_path, L.SETTINGS, {
        f"B{rows['significance_min_criteria']}": 9, f"B{rows['rag_green_from']}": "high",
        f"B{rows['as_of']}": "someday"}, out=tmp_path / "s.xlsx")
    findings = validate_path(path)
    _check(findings, "bad-setting", L.SETTINGS, f"B{rows['significance_min_criteria']}")
    _check(findings, "bad-setting", L.SETTINGS, f"B{rows['rag_green_from']}")
    _check(findings, "bad-date", L.SETTINGS, f"B{rows['as_of']}")
    from partnerxl.operations import read_workbook as read_any
    from partnerxl.core.settings import Settings

    assert read_any(path).settings == Settings()


CL = L.checklist_rows()
IM = L.improvement_rows()
BR = L.benchmark_rows()


def test_review_codes(review_path, tmp_path):
    r11, r12, r23 = _rows(BR, "1.1"), _rows(BR, "1.2"), _rows(BR, "2.3")
    path = edit_cells(review_path, L.ABOUT, {"B5": "twenty twenty-five", "B7": dt.date(2030, 1, 1)},
                      out=tmp_path / "r.xlsx")
    path = edit_cells(path, L.CHECKLIST, {
        f"D{_rows(CL, '1a')}": None,                   # Yes without evidence
        f"A{_rows(CL, '1c')}": "1b",                   # the same question twice (and 1c missing)
        f"A{_rows(CL, '2a')}": "9z",                   # unknown question id
        f"C{_rows(CL, '3a')}": "Maybe"})
    path = edit_cells(path, L.IMPROVEMENT, {f"C{_rows(IM, 'I03')}": "No"})
    path = edit_cells(path, L.BENCHMARKS, {
        f"C{r11}": "brilliant",                           # bad rating
        f"D{L.BENCH_ORG_ROW}": None,                      # ratings without an organisation
        f"E{L.BENCH_ORG_ROW}": "POLICE",                  # duplicate respondent: the same organisation
        f"E{L.BENCH_NAME_ROW}": "police LEAD",            # and the same person as column C
        **{f"{c}{r23}": None for c in "CDE"},             # nobody rated 2.3
        f"P{r11}": None,                                  # action without owner
        f"F{L.BENCH_ORG_ROW}": "Council", f"F{r12}": 4,   # a respondent who rated one statement
        f"A{_rows(BR, '4.5')}": "5.1",                    # unknown benchmark id
    })
    findings = validate_path(path)
    _check(findings, "bad-year", L.ABOUT, "B5")
    _check(findings, "date-in-future", L.ABOUT, "B7")
    _check(findings, "evidence-missing", L.CHECKLIST, f"D{_rows(CL, '1a')}")
    assert _check(findings, "duplicate-item", L.CHECKLIST, f"A{_rows(CL, '1c')}").value == "1b"
    _check(findings, "missing-item", L.CHECKLIST, None)
    _check(findings, "unknown-item", L.CHECKLIST, f"A{_rows(CL, '2a')}")
    _check(findings, "unknown-choice", L.CHECKLIST, f"C{_rows(CL, '3a')}")
    _check(findings, "action-missing", L.IMPROVEMENT, f"D{_rows(IM, 'I03')}")
    _check(findings, "bad-rating", L.BENCHMARKS, f"C{r11}")
    _check(findings, "respondent-without-organisation", L.BENCHMARKS, f"D{L.BENCH_ORG_ROW}")
    _check(findings, "duplicate-respondent", L.BENCHMARKS, f"E{L.BENCH_ORG_ROW}")
    _check(findings, "unrated-benchmark", L.BENCHMARKS, f"C{r23}")
    _check(findings, "action-without-owner", L.BENCHMARKS, f"P{r11}")
    _check(findings, "incomplete-respondent", L.BENCHMARKS, f"F{L.BENCH_ORG_ROW}")
    _check(findings, "unknown-benchmark", L.BENCHMARKS, f"A{_rows(BR, '4.5')}")


def test_column_codes(review_path, tmp_path):
    # columns that are not the template's (the sheets are protected without a password, so one can be inserted)
    r11 = _rows(BR, "1.1")
    path = edit_cells(review_path, L.CHECKLIST, {f"F{_rows(CL, '1a')}": "see minutes"}, out=tmp_path / "c.xlsx")
    path = edit_cells(path, L.BENCHMARKS, {f"Q{L.BENCH_LABEL_ROW}": "Respondent 13", f"Q{r11}": "3"})
    findings = validate_path(path)
    assert _check(findings, "unexpected-column", L.CHECKLIST, f"F{_rows(CL, '1a')}").value == "see minutes"
    assert _check(findings, "ratings-not-read", L.BENCHMARKS, f"Q{r11}").value == "Respondent 13"


def test_invited_codes(review_path, tmp_path):
    first = L.INVITED_SPEC.first_row
    path = edit_cells(review_path, L.INVITED, {
        f"A{first}": "Police", f"B{first}": "Ann Lee", f"C{first}": "ann.lee@police.example",
        f"A{first + 1}": "police ", f"B{first + 1}": "Bob Roe", f"C{first + 1}": "ANN.LEE@police.example",  # twice
        f"A{first + 2}": "Police", f"B{first + 2}": "Cy Doe",       # a second person of Police: welcome
        f"B{first + 3}": "Nobody's", f"C{first + 3}": "not an address"}, out=tmp_path / "inv.xlsx")
    findings = validate_path(path)
    assert _check(findings, "duplicate-invitee", L.INVITED, f"A{first + 1}").value == "Bob Roe, police"
    _check(findings, "bad-email", L.INVITED, f"C{first + 3}")
    _check(findings, "missing-value", L.INVITED, f"A{first + 3}")
    from partnerxl.operations import read_workbook as read_any

    invited = read_any(path).review.invited
    assert [(i.organisation, i.name) for i in invited] == [("Police", "Ann Lee"), ("Police", "Cy Doe")]


def test_review_against_register(register_path, tmp_path):
    # P001 is Significant: a review with only the improvement template misses the checklist and the benchmarks.
    inst_review = Review(partnership_id="P001", partnership_name="Safer streets (old name)", year=2025,
                         improvement={"I01": {"answer": "Yes"}})
    path = new_review(tmp_path / "thin.xlsx", inst_review)
    findings = validate_path(path, register_path)
    _check(findings, "name-mismatch", L.ABOUT, "B4")
    _check(findings, "missing-instrument", L.CHECKLIST, None)
    assert {f.field for f in findings if f.code == "missing-instrument"} == {"Checklist", "benchmark self-assessment"}
    # P002 is Standard: the improvement template is enough
    path = new_review(tmp_path / "p2.xlsx", Review(partnership_id="P002", year=2025,
                                                  improvement={"I01": {"answer": "Yes"}}))
    assert [f for f in validate_path(path, register_path) if f.code == "missing-instrument"] == []
    path = new_review(tmp_path / "p9.xlsx", make_review(pid="P999"))
    _check(validate_path(path, register_path), "not-in-register", L.ABOUT, "B3")


def test_response_codes(response_factory, register_path, tmp_path):
    path = response_factory("Police", pid="P777")
    rows = L.response_rows()
    path = edit_cells(path, L.RESPONSE, {"C7": None, "C5": "last year", f"C{_rows(rows, '1.1')}": "7"})
    findings = validate_path(path, register_path)
    _check(findings, "missing-value", L.RESPONSE, "C7")
    _check(findings, "bad-year", L.RESPONSE, "C5")
    _check(findings, "bad-rating", L.RESPONSE, f"C{_rows(rows, '1.1')}")
    _check(findings, "not-in-register", L.RESPONSE, "C3")


def test_invalid_record_safety_net(review_path, monkeypatch):
    """A model that rejects values the checks let through is reported, not raised."""
    import partnerxl.reading.review_book as readers

    def refuse(**_kw):
        Review(partnership_id="P001", year=1066)  # raises ValidationError

    monkeypatch.setattr(readers, "Review", refuse)
    from partnerxl.operations import read_workbook as read_any

    book = read_any(review_path)
    assert book.review is None
    _check(book.findings, "invalid-record", L.ABOUT, None)


def test_formula_without_value_and_control_characters(review_path, tmp_path):
    """A name typed as a formula by a script (no value stored) and a name pasted from Word with a vertical tab."""
    im = L.improvement_rows()
    path = edit_cells(review_path, L.IMPROVEMENT, {f"D{_rows(im, 'I02')}": "Train_x000B_the board"},
                      out=tmp_path / "pasted.xlsx")
    wb = load_workbook(path)
    wb[L.ABOUT]["B4"] = '="Safer "&"Streets"'
    wb.save(path)
    findings = validate_path(path)
    _check(findings, "formula-without-value", L.ABOUT, "B4")
    f = _check(findings, "control-characters", L.IMPROVEMENT, f"D{_rows(im, 'I02')}")
    assert "'Trainthe board'" in f.message
    assert not any(x.code == "missing-value" for x in findings)


def test_error_values_are_findings_at_their_cells(review_path, tmp_path):
    """A formula whose cached result is one of Excel's error values (#N/A, …): an error at its cell, left out."""
    wb = load_workbook(review_path)
    wb[L.ABOUT]["B7"] = "#N/A"  # openpyxl stores Excel's error literals as error values (<c t="e">)
    wb.save(tmp_path / "na.xlsx")
    f = _check(validate_path(tmp_path / "na.xlsx"), "error-value", L.ABOUT, "B7")
    assert f.value == "#N/A" and "#N/A" in f.message


def test_every_code_is_covered():
    """Every code of the catalogue is declared by a check or emitted by the operations layer, and every code a
    check declares is asserted (through `_check`, which proves it is produced) by a test in this file."""
    import re

    declared = declared_codes()
    assert declared | set(OPERATIONS_CODES) == set(CODES)
    source = Path(__file__).read_text(encoding="utf-8")
    checked = set(re.findall(r'_check\([^,]+, "([a-z-]+)"', source))
    checked |= {case[0] for case in REGISTER_CASES}
    assert checked == declared, f"codes never checked: {sorted(declared - checked)}"
    if len(SEEN) > 20:  # the whole file ran: the checks really produced them
        assert SEEN == declared


def test_codes_are_kebab_case_and_messages_say_what_to_do():
    for code, (severity, _title, template) in CODES.items():
        assert code == code.lower() and " " not in code and "_" not in code
        assert severity in ("error", "warning")
        assert ":" in template, code  # what is wrong: what to do
    f = finding("bad-date", "x.xlsx", "Register", "AA2", "Start date", "soon")
    assert f.message == "Start date 'soon' is not a date: type it as dd/mm/yyyy (e.g. 31/03/2025)."


def test_validate_source_with_memory_workbook(review_path):
    with FileWorkbook.open(review_path) as f:
        mem = MemoryWorkbook("Open book", {n: f.grid(n) for n in f.sheet_names()})
    assert validate_source(mem) == []


# --- the command line -------------------------------------------------------------------------------------------

def test_cli_exit_codes_and_inputs_untouched(register_path, review_path, tmp_path, capsys):
    bad = edit_cells(review_path, L.CHECKLIST, {f"D{_rows(CL, '1a')}": None}, out=tmp_path / "bad.xlsx")
    warn = edit_cells(review_path, L.BENCHMARKS, {f"P{_rows(BR, '1.1')}": None}, out=tmp_path / "warn.xlsx")
    inputs = [register_path, review_path, bad, warn]
    before = [sha256(p) for p in inputs]
    assert main(["validate", str(register_path), str(review_path)]) == 0
    assert main(["validate", str(warn)]) == 0
    assert main(["validate", str(bad), "--register", str(register_path)]) == 1
    out = capsys.readouterr().out
    assert "Checklist!D5" in out and "evidence-missing" in out
    assert main(["validate", str(bad), str(tmp_path / "missing.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "missing.xlsx" in err and "Traceback" not in err
    assert [sha256(p) for p in inputs] == before


def test_cli_json_and_report(review_path, tmp_path, capsys):
    bad = edit_cells(review_path, L.BENCHMARKS, {f"C{_rows(BR, '1.1')}": "=HYPERLINK(\"http://x\")"},
                     out=tmp_path / "bad.xlsx")
    report = tmp_path / "report.xlsx"
    assert main(["validate", str(bad), "--json", "--report", str(report)]) == 1
    printed = json.loads(capsys.readouterr().out)
    records = printed["findings"] if isinstance(printed, dict) else printed  # the command now wraps the records
    rec = next(r for r in records if r["code"] == "bad-rating")
    assert set(rec) == {"code", "severity", "file", "sheet", "cell", "field", "value", "message"}
    assert (rec["file"], rec["sheet"], rec["cell"]) == ("bad.xlsx", "Benchmarks", f"C{_rows(BR, '1.1')}")
    ws = load_workbook(report)["Findings"]
    assert [c.value for c in ws[1]] == ["Severity", "Problem", "File", "Sheet", "Cell", "Field", "Value", "Message"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value]
    assert any(c.value == '=HYPERLINK("http://x")' for c in cells)
    assert all(c.data_type == "s" for c in cells), "user text must never become a formula"


def test_write_report_empty(tmp_path):
    out = write_report([], tmp_path / "none.xlsx")
    assert load_workbook(out)["Findings"]["H2"].value == "No problems found."


def test_cli_score(review_path, tmp_path, capsys):
    from partnerxl.core.scoring import score_review

    before = sha256(review_path)
    assert main(["score", str(review_path), "--json"]) == 0
    # Actions are judged overdue against today when no register gives an as-of date.
    expected = score_review(make_review(), as_of=dt.date.today())
    printed = json.loads(capsys.readouterr().out)
    assert printed.pop("settings") == "the defaults: no register found"
    assert printed == json.loads(expected.model_dump_json())
    assert main(["score", str(review_path)]) == 0
    out = capsys.readouterr().out
    assert "Overall:" in out and "Leadership" in out
    assert sha256(review_path) == before
    empty = edit_cells(review_path, L.ABOUT, {"B3": None}, out=tmp_path / "noid.xlsx")
    assert main(["score", str(empty)]) == 2
    assert "Partnership ID" in capsys.readouterr().err


def test_cli_templates(tmp_path, capsys):
    assert main(["templates", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(L.FILE_NAMES.values())


def test_as_of_from_settings_decides_future_dates(register_path, tmp_path):
    # AS_OF is 30/06/2025: a last review on 01/06/2025 is fine, one on 01/07/2025 is in the future.
    ok = edit_cells(register_path, L.REGISTER, reg(last_review_date=dt.date(2025, 6, 1)), out=tmp_path / "ok.xlsx")
    assert [f for f in validate_path(ok) if f.code == "date-in-future"] == []
    assert [f.code for f in validate_path(ok, as_of=dt.date(2025, 5, 1))] == ["date-in-future"]
    assert AS_OF == dt.date(2025, 6, 30) and make_entry().last_review_date < AS_OF
    assert isinstance(new_register(tmp_path / "n.xlsx", []), Path)


def test_docs_list_every_code():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "validation.md").read_text(encoding="utf-8")
    for code, (severity, _title, template) in CODES.items():
        assert f"| `{code}` | {severity} | {template} |" in docs, f"docs/validation.md: update the row for {code}"


def test_report_never_overwrites_an_input(review_path, capsys):
    before = sha256(review_path)
    assert main(["validate", str(review_path), "--report", str(review_path)]) == 2
    assert "never rewrites an input" in capsys.readouterr().err
    assert sha256(review_path) == before
