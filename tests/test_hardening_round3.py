"""Issue 18, hardening round three: each attack built for real (zipfile, openpyxl, subprocesses), no mocks.

Classes: 1 numbers a file declares about itself, 2 international e-mail addresses, 3 encoded words in names,
4 consoles that cannot show every character, 5 Ctrl-C from the first line, 6 Excel's error values, 7 two zip
members of one name, 8 e-mail header lines, 10 data validations as Excel writes them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import make_entry, make_review

from partnerxl.documents.fill import new_register, new_response, new_review
from partnerxl.documents.templates import write_templates
from partnerxl.sheets import layout as L

ROOT = Path(__file__).resolve().parents[1]


def rewrite(src: Path, out: Path, change=lambda name, data: data, extra: tuple = ()) -> Path:
    """A copy of the workbook `src` with each member passed through `change`, and the `extra` (name, bytes) added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
        for name, data in extra:
            zout.writestr(name, data)
    return out


def sheet_xml(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)}


# --- 10 data validations as Excel writes them -----------------------------------------------------------------------

_FORMULA = re.compile(rb"<(?:\w+:)?formula([12])>([^<]*)</(?:\w+:)?formula\1>")


def _validation_formulas(path: Path) -> list[bytes]:
    return [m.group(2) for data in sheet_xml(path).values() for m in _FORMULA.finditer(data)]


def test_drop_downs_are_written_without_a_leading_equals_sign(tmp_path, response_factory):
    from openpyxl import load_workbook

    from partnerxl.operations import collate

    written = [*write_templates(tmp_path / "templates"), *sorted((ROOT / "workbooks").glob("*.xlsx")),
               new_register(tmp_path / "Register.xlsx", [make_entry()]),
               new_review(tmp_path / "Review P001 2025.xlsx", make_review()),
               new_response(tmp_path / "Response.xlsx", "P001", "Safer Streets", 2025)]
    # a review made from an older template, whose drop-downs were written with '=': collate's copy is Excel's form
    old = tmp_path / "old" / "Review P001 2025.xlsx"
    old.parent.mkdir()
    wb = load_workbook(new_review(tmp_path / "blank.xlsx", make_review(respondents=[])))
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list":
                dv.formula1 = "=" + dv.formula1
    wb.save(old)
    assert any(f.startswith(b"=") for f in _validation_formulas(old))
    collate(old, [response_factory("Police")], tmp_path / "Collated.xlsx")
    written.append(tmp_path / "Collated.xlsx")
    for path in written:
        formulas = _validation_formulas(path)
        assert formulas, path.name
        assert not [f for f in formulas if f.startswith(b"=")], path.name
        lists = {f.decode() for f in formulas if f.startswith(b"PXL_List_")}
        assert lists, path.name
        with zipfile.ZipFile(path) as zf:
            names = set(re.findall(r'<definedName name="([^"]+)"', zf.read("xl/workbook.xml").decode()))
        assert lists <= names, path.name  # every drop-down names a list the workbook defines


# --- 1 numbers a file declares about itself ---------------------------------------------------------------------------

_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_shared_strings(src: Path, out: Path, declared: int, count: int | None = None) -> Path:
    """`src` with a shared-strings part holding one real string and declaring `declared` of them, as the hostile
    register of issue 18 did; the register's A1 heading is the real string."""
    count = declared if count is None else count
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main" count="{count}" uniqueCount="{declared}"><si><t>ID</t></si></sst>').encode()

    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                              f'"{_SST_TYPE}"/></Types>'.encode())
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", f'<Relationship Id="rIdSst" Type="{_SST_REL}" '
                                                     f'Target="sharedStrings.xml"/></Relationships>'.encode())
        return data

    return rewrite(src, out, change, extra=(("xl/sharedStrings.xml", sst),))


def _register_part(path: Path) -> str:
    from partnerxl.storage.formulas import sheet_parts

    with zipfile.ZipFile(path) as zf:
        return sheet_parts(zf)[L.REGISTER]


def _run(argv: list[str]) -> tuple[int, str, str]:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "partnerxl", *argv], capture_output=True, timeout=300,
                          env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8"})
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def test_a_shared_strings_count_that_lies_is_refused_by_name_not_a_dead_process(register_path, tmp_path):
    liar = with_shared_strings(register_path, tmp_path / "Liar.xlsx", 2_147_483_647)
    code, out, err = _run(["validate", str(liar)])
    assert code == 2, err[-2000:]
    assert err.count("\n") == 1 and "Liar.xlsx" in err and "2,147,483,647" in err and "damaged" in err
    assert "Traceback" not in out + err and "memory allocation" not in err
    honest = with_shared_strings(register_path, tmp_path / "Honest.xlsx", 1)  # the same part, told truly
    assert _run(["validate", str(honest)])[0] in (0, 1)


def test_a_lying_file_is_left_out_of_a_rollup_as_unreadable(register_path, review_path, tmp_path):
    from partnerxl import operations as ops

    reviews = tmp_path / "reviews"
    reviews.mkdir()
    with_shared_strings(review_path, reviews / "Review P001 2025.xlsx", 10 ** 12)
    result = ops.portfolio(ops.load_register(register_path), sorted(reviews.glob("*.xlsx")), year=2025)
    problems = [f for f in result.problems if f.code == "unreadable-file"]
    assert [f.file for f in problems] == ["Review P001 2025.xlsx"] and "damaged" in problems[0].message


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
@pytest.mark.parametrize("lie", ["dimension", "far-cell", "far-row", "count"])
def test_every_number_a_file_declares_is_bounded_before_a_reader_trusts_it(register_path, tmp_path, lie, engine):
    from partnerxl.core.errors import PartnerXLError
    from partnerxl.storage.opening import FileWorkbook

    part = _register_part(register_path)
    edits = {
        "dimension": lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', d),
        "far-cell": lambda d: d.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is>'
                                                         b'<t>x</t></is></c></row></sheetData>'),
        "far-row": lambda d: d.replace(b"</sheetData>", b'<row r="1048576" spans="1:16384"/></sheetData>'),
    }
    if lie == "count":
        path = with_shared_strings(register_path, tmp_path / "lie.xlsx", 1, count=10 ** 15)
    else:
        path = rewrite(register_path, tmp_path / "lie.xlsx", lambda n, d: edits[lie](d) if n == part else d)
    with pytest.raises(PartnerXLError) as caught:
        with FileWorkbook.open(path, engine=engine) as source:
            source.grid(L.REGISTER)
    message = str(caught.value)
    assert "lie.xlsx" in message and ("XFD1048576" in message or "damaged" in message), message


def test_a_dimension_smaller_than_the_sheet_loses_no_row(register_path, tmp_path):
    """openpyxl read only the rows a too-small <dimension> admitted: a silent loss of every row below."""
    from partnerxl.reading import read_register
    from partnerxl.storage.opening import FileWorkbook

    part = _register_part(register_path)
    small = rewrite(register_path, tmp_path / "small.xlsx",
                    lambda n, d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B1"', d) if n == part else d)
    for engine in ("calamine", "openpyxl"):
        with FileWorkbook.open(small, engine=engine) as source:
            assert [e.id for e in read_register(source).entries] == ["P001", "P002"], engine


@pytest.mark.parametrize("member", ["xl/worksheets/sheet2.xml", "[Content_Types].xml"])
def test_sizes_in_the_zip_headers_are_bounded(register_path, tmp_path, member):
    """A member whose header says it unpacks to more than its packed bytes can hold is refused by name."""
    from partnerxl.core.errors import PartnerXLError
    from partnerxl.storage.opening import check_file

    path = rewrite(register_path, tmp_path / "sizes.xlsx")
    data = bytearray(path.read_bytes())
    # the central directory's uncompressed size of the member: 10 MB (within the zip-bomb limit, impossible here)
    central = next(i for i in _all(data, b"PK\x01\x02") if data[i + 46:i + 46 + len(member)] == member.encode())
    data[central + 24:central + 28] = (10 * 1024 * 1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(PartnerXLError) as caught:
        check_file(path)
    assert "sizes.xlsx" in str(caught.value) and "cannot hold" in str(caught.value)


def _all(data: bytearray, needle: bytes):
    i = data.find(needle)
    while i >= 0:
        yield i
        i = data.find(needle, i + 1)


def test_the_guard_costs_little(tmp_path):
    """The rollup opens thousands of reviews: the guard may add at most a few milliseconds to a 12-respondent one."""
    import time

    from partnerxl.storage.declared import check_package, check_sheet

    path = new_review(tmp_path / "rev12.xlsx", make_review(organisations=[f"Org {i}" for i in range(12)]))
    best = float("inf")
    for _ in range(20):
        start = time.perf_counter()
        with zipfile.ZipFile(path) as zf:
            check_package(zf, path.name, path.stat().st_size)
            for name, data in sheet_xml(path).items():
                check_sheet(data, name, path.name)
        best = min(best, time.perf_counter() - start)
    assert best < 0.02, f"{best * 1000:.1f} ms"


# --- 7 two zip members of one name ----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["same", "other-case"])
def test_two_members_of_one_name_are_refused_by_name(review_path, tmp_path, case, capsys):
    """A review holding a second Benchmarks part with every rating changed: scored from neither, refused."""
    import warnings

    from partnerxl.cli import main
    from partnerxl.storage.formulas import sheet_parts

    with zipfile.ZipFile(review_path) as zf:
        part = sheet_parts(zf)[L.BENCHMARKS]
        second = zf.read(part).replace(b"YES", b"NO")
    name = part if case == "same" else part.upper()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is told to write
        twin = rewrite(review_path, tmp_path / "Twin.xlsx", extra=((name, second),))
    with zipfile.ZipFile(twin) as zf:
        assert len(zf.namelist()) == len(set(zf.namelist())) + (case == "same")
    assert main(["validate", str(twin)]) == 2
    err = capsys.readouterr().err
    assert "Twin.xlsx" in err and "two copies" in err and part.casefold() in err.casefold()


# --- 6 Excel's error values ----------------------------------------------------------------------------------------

ERRORS = ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"]


def with_errors(src: Path, out: Path, cells: dict[str, dict[str, str]]) -> Path:
    """`src` with Excel's error values cached in cells, stored as Excel stores them (`<c t="e"><v>#N/A</v></c>`)."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    for sheet, refs in cells.items():
        for ref, error in refs.items():
            cell = wb[sheet][ref]
            cell.value = error
            cell.data_type = "e"
    wb.save(out)
    return out


def _errors_found(findings) -> dict[tuple[str | None, str | None], object]:
    return {(f.sheet, f.cell): f.value for f in findings if f.code == "error-value"}


def _register_errors() -> dict[str, dict[str, str]]:
    cols, rows = L.register_columns(), L.settings_rows()
    value = L.SETTINGS_VALUE_COL
    return {L.REGISTER: {f"{cols['council_contribution_gbp']}2": "#DIV/0!", f"{cols['start_date']}2": "#REF!",
                         f"{cols['lead_officer_email']}3": "#N/A", f"{cols['officer_days']}3": "#GETTING_DATA"},
            L.SETTINGS: {f"{value}{rows['rag_green_from']}": "#NAME?", f"{value}{rows[L.AS_OF_KEY]}": "#SPILL!"}}


def _review_errors() -> dict[str, dict[str, str]]:
    bench = {r.id: r.row for r in L.benchmark_rows() if r.kind == "item"}
    check = next(r.row for r in L.checklist_rows() if r.kind == "item")
    improve = L.improvement_rows()[0].row
    factor = next(r.row for r in L.factor_rows() if r.kind == "item")
    action = L.BENCHMARKS_SPEC.col("action_needed")
    return {L.ABOUT: {L.ABOUT_FIELDS["review_date"][0]: "#VALUE!"},
            L.CHECKLIST: {f"{L.CHECKLIST_SPEC.col('status')}{check}": "#N/A"},
            L.IMPROVEMENT: {f"{L.IMPROVEMENT_SPEC.col('answer')}{improve}": "#NUM!"},
            L.FACTORS: {f"{L.FACTORS_SPEC.col('tick')}{factor}": "#NULL!"},
            L.BENCHMARKS: {f"C{bench['1.1']}": "#N/A", f"D{bench['2.1']}": "#CALC!",
                           f"{action}{bench['1.2']}": "#REF!"},
            L.INVITED: {f"C{L.INVITED_SPEC.first_row}": "#N/A"}}


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_error_values_are_findings_at_their_cells_in_every_cell_read(register_path, review_path, tmp_path, engine):
    from partnerxl.reading import read_register, read_review
    from partnerxl.reading.books import read_response
    from partnerxl.storage.opening import FileWorkbook

    register = with_errors(register_path, tmp_path / "Register errors.xlsx", _register_errors())
    with FileWorkbook.open(register, engine=engine) as source:
        book = read_register(source)
    expected = {(sheet, ref): error for sheet, refs in _register_errors().items() for ref, error in refs.items()}
    assert _errors_found(book.findings) == expected
    assert {f.file for f in book.findings if f.code == "error-value"} == {register.name}
    assert book.entries[0].council_contribution_gbp is None and book.entries[0].start_date is None
    assert book.settings.rag_green_from == type(book.settings)().rag_green_from  # left out: the default holds
    message = next(f.message for f in book.findings if f.value == "#DIV/0!")
    assert "#DIV/0!" in message and "formula" in message and "type the value" in message

    review = with_errors(review_path, tmp_path / "Review errors.xlsx", _review_errors())
    with FileWorkbook.open(review, engine=engine) as source:
        found = _errors_found(read_review(source).findings)
    assert found == {(sheet, ref): error for sheet, refs in _review_errors().items() for ref, error in refs.items()}

    rating = f"{L.RESPONSE_SPEC.col('rating')}{L.response_rows()[1].row}"
    form = with_errors(new_response(tmp_path / "f.xlsx", "P001", "Safer Streets", 2025), tmp_path / "Form.xlsx",
                       {L.RESPONSE: {rating: "#N/A", L.RESPONSE_FIELDS["respondent_name"][0]: "#REF!"}})
    with FileWorkbook.open(form, engine=engine) as source:
        found = _errors_found(read_response(source).findings)
    assert found == {(L.RESPONSE, rating): "#N/A", (L.RESPONSE, L.RESPONSE_FIELDS["respondent_name"][0]): "#REF!"}


def test_a_review_with_an_error_value_is_scored_provisionally(review_path, tmp_path):
    from partnerxl import operations as ops

    clean = ops.score(review_path)
    bench = next(r.row for r in L.benchmark_rows() if r.kind == "item" and r.id == "1.1")
    errored = with_errors(review_path, tmp_path / "Review P001 2025.xlsx", {L.BENCHMARKS: {f"C{bench}": "#N/A"}})
    report = ops.score(errored)
    assert not clean.provisional and report.provisional and report.exit_code == 1
    assert [(f.code, f.sheet, f.cell) for f in report.findings if f.severity == "error"] == \
        [("error-value", L.BENCHMARKS, f"C{bench}")]


@pytest.mark.parametrize("error", ERRORS)
def test_every_error_value_is_read_the_same_by_both_engines(register_path, tmp_path, error):
    from partnerxl.reading import read_register
    from partnerxl.storage.opening import FileWorkbook

    ref = f"{L.register_columns()['council_contribution_gbp']}2"
    path = with_errors(register_path, tmp_path / "e.xlsx", {L.REGISTER: {ref: error}})
    for engine in ("calamine", "openpyxl"):
        with FileWorkbook.open(path, engine=engine) as source:
            assert _errors_found(read_register(source).findings) == {(L.REGISTER, ref): error}, engine


def test_the_live_reader_sees_error_values_too(review_path, tmp_path):
    """The add-in reads the open workbook through xlwings: errors come as text (err_to_str) or, over COM, as the
    error's code; both are the same finding at the same cell as from the file."""
    from addin_payload import payload_from_xlsx, remote_book

    from partnerxl.core.values import ErrorValue
    from partnerxl.excel.live import XlwingsWorkbook
    from partnerxl.reading import read_review
    from partnerxl.sheets.grid import Grid

    review = with_errors(review_path, tmp_path / "Review errors.xlsx", _review_errors())
    found = _errors_found(read_review(XlwingsWorkbook(remote_book(payload_from_xlsx(review)))).findings)
    assert found == {(sheet, ref): error for sheet, refs in _review_errors().items() for ref, error in refs.items()}
    com = Grid.from_block([[-2146826246, -2146826281, -2146826243, 5, "#N/A text?"]])  # as Excel over COM gives
    assert [com.input(0, c) for c in range(5)] == [ErrorValue("#N/A"), ErrorValue("#DIV/0!"), ErrorValue("#SPILL!"),
                                                   5, "#N/A text?"]


# --- 2, 3, 8 e-mail drafts: international addresses, names as text, header lines ----------------------------------

HOSTILE_NAME = "=?utf-8?q?Eve=0D=0ABcc:_spy@evil.example?="      # decodes to 'Eve', CR LF, 'Bcc: spy@evil.example'
LONG_NAME = "Lead officer " * 2520 + "Lead officer name"             # 32,777 characters: more than a cell, cut
PEOPLE = [("Józef Nowak", "józef.nowak@fernleigh.gov.uk"), ("Anna Żółw", "anna@żółw.pl"),
          (HOSTILE_NAME, "eve@evil.example"), (LONG_NAME[:32_767], "long@council.gov.uk"),
          ("Smith, Pat (Dr.)", "pat@council.gov.uk")]


def _draft_ok(path: Path, name: str, addr: str) -> object:
    """The draft at `path`: one recipient, no injected header, lines within RFC 5322's 998, the name as text."""
    import email
    from email import policy

    raw = path.read_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998, path.name
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78 + len(addr.encode()) + 4, path.name
    msg = email.message_from_string(raw.decode("utf-8"), policy=policy.default)  # headers may be UTF-8 (RFC 6532)
    assert msg["X-Unsent"] == "1" and "Bcc" not in msg and "Cc" not in msg and b"\nBcc:" not in raw
    [to] = msg["To"].addresses
    local, domain = addr.split("@")
    assert to.username == local and to.domain in (domain, domain.encode("idna").decode("ascii")), to
    shown = " ".join(name.split())
    if len(shown) <= 100:
        assert to.display_name == shown, (to.display_name, shown)
    else:
        assert to.display_name.endswith("…") and len(to.display_name) <= 100
        assert shown.startswith(to.display_name[:-1].rstrip())
    return msg


def test_summary_drafts_carry_any_address_and_any_name(tmp_path):
    import datetime as dt

    from portfolio_fixtures import entry, review, uniform

    from partnerxl.core.portfolio import build_portfolio, score_reviews
    from partnerxl.core.settings import Settings
    from partnerxl.documents.summaries import write_summaries
    from partnerxl.operations import email_drafts

    entries = [entry(f"P00{i}", f"Board {i}", lead_officer=name, lead_officer_email=addr)
               for i, (name, addr) in enumerate(PEOPLE, start=1)]
    reviews = [(f"{e.id}.xlsx", review(e.id, 2024, uniform(3))) for e in entries]
    p = build_portfolio(entries, score_reviews(reviews, Settings()), 2024, dt.date(2025, 3, 31))
    write_summaries(p, tmp_path / "summaries")
    drafts = email_drafts(tmp_path / "summaries", entries, tmp_path / "drafts").drafts
    assert [d.problem for d in drafts] == [None] * len(PEOPLE)
    for d, (name, addr) in zip(sorted(drafts, key=lambda d: d.draft.name), PEOPLE):
        msg = _draft_ok(d.draft, name, addr)
        greeting = msg.get_body(("plain",)).get_content().splitlines()[0]
        assert greeting.startswith("Dear ") and len(greeting) <= 110
    again = email_drafts(tmp_path / "summaries", entries, tmp_path / "drafts").drafts
    assert [d.draft.read_bytes() for d in again] == [d.draft.read_bytes() for d in drafts]  # still reproducible


def test_chasing_drafts_carry_any_address_and_no_name_stops_the_others(register_path, tmp_path, capsys):
    import datetime as dt
    import email
    from email import policy

    from partnerxl.cli import main
    from partnerxl.core.models import Invitee

    reviews = tmp_path / "reviews"
    reviews.mkdir()
    invited = [Invitee(organisation=f"Org {i}", name=name, email=addr) for i, (name, addr) in enumerate(PEOPLE)]
    new_review(reviews / "Review P001 2025.xlsx", make_review(invited=invited, review_date=dt.date(2025, 5, 20)))
    out = tmp_path / "out"
    code = main(["responses", str(register_path), str(reviews), "--year", "2025", "--out", str(out)])
    err = capsys.readouterr().err
    assert code in (0, 1) and "Traceback" not in err and "unexpected" not in err, err
    drafts = sorted(out.glob("*.eml"))
    assert len(drafts) == len(PEOPLE)
    by_address = {}
    for path in drafts:
        msg = email.message_from_string(path.read_text(encoding="utf-8"), policy=policy.default)
        by_address[msg["To"].addresses[0].username] = path
    for name, addr in PEOPLE:
        _draft_ok(by_address[addr.split("@")[0]], name[:32_767], addr)


def test_an_encoded_word_in_a_subject_is_text_too():
    import email
    from email import policy

    from partnerxl.documents.mail_headers import new_draft

    msg = new_draft("Ann", "ann@council.gov.uk", f"{HOSTILE_NAME}: annual partnership review summary 2025")
    msg.set_content("x")
    back = email.message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert "Bcc" not in back and back["Subject"] == f"{HOSTILE_NAME}: annual partnership review summary 2025"


# --- 4 any console, 5 Ctrl-C from the first line ------------------------------------------------------------------

def _entry_point() -> str:
    """The console script's code, as pip writes it from pyproject.toml's [project.scripts]."""
    import tomllib

    target = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["partnerxl"]
    module, function = target.split(":")
    return f"import sys\nfrom {module} import {function}\nsys.exit({function}())\n"


PROGRAMS = {"python -m partnerxl": "import runpy\nrunpy.run_module('partnerxl', run_name='__main__', alter_sys=True)\n",
            "partnerxl": None}  # None: the console script's own code


def _program(how: str, argv: list[str], *, env: dict | None = None, interrupt_at: str | None = None):
    """Run PartnerXL as a program in a new process; with `interrupt_at`, the process sends itself SIGINT (a real
    signal, as Ctrl-C sends) the moment that module is first imported."""
    import os
    import subprocess
    import sys

    code = PROGRAMS[how] or _entry_point()
    if interrupt_at:
        code = ("import os, signal, sys\nsent = []\n"
                "def hook(event, args):\n"
                f"    if event == 'import' and args[0] == {interrupt_at!r} and not sent:\n"
                "        sent.append(1); os.write(2, b'SIGINT-SENT\\n'); os.kill(os.getpid(), signal.SIGINT)\n"
                "sys.addaudithook(hook)\n") + code
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, timeout=300,
                          env={**os.environ, **(env or {})})
    return done.returncode, done.stdout, done.stderr


def test_the_entry_point_is_the_launcher():
    assert "from partnerxl.launch import main" in _entry_point()
    assert "from partnerxl.launch import main" in (ROOT / "src" / "partnerxl" / "__main__.py").read_text("utf-8")


@pytest.mark.parametrize("how", list(PROGRAMS))
@pytest.mark.parametrize("module", ["partnerxl.cli", "partnerxl.operations", "pandas", "python_calamine"])
def test_ctrl_c_while_the_program_starts_ends_quietly(register_path, tmp_path, how, module):
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    argv = ["rollup", str(register_path), str(reviews), "--year", "2025", "--out", str(tmp_path / "P.xlsx")]
    code, out, err = _program(how, argv, interrupt_at=module)
    if b"SIGINT-SENT" not in err:
        assert module not in ("partnerxl.cli", "partnerxl.operations"), err  # these every run imports
        pytest.skip(f"{module} is not imported by this run")
    assert code == 130, err
    assert b"Traceback" not in out + err and b"KeyboardInterrupt" not in err, err
    assert err.replace(b"SIGINT-SENT\n", b"").strip() == b"partnerxl: interrupted"
    assert not (tmp_path / "P.xlsx").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


NAMES = ("Żółw Trust — Łódź 🐢", "Józef Nowak")


@pytest.mark.parametrize("how", list(PROGRAMS))
@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_every_command_prints_on_any_console(tmp_path, how, encoding):
    register = new_register(tmp_path / "Register.xlsx", [make_entry("P001", NAMES[0], lead_officer=NAMES[1])])
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    (reviews / "Przegląd Żółw 🐢.xlsx").write_bytes(b"not a workbook")       # named on the console as a problem
    bad = rewrite(register, tmp_path / "Rejestr Żółw.xlsx")
    bad.write_bytes(b"PK\x03\x04" + bad.read_bytes()[4:100])                  # a damaged register, named
    env = {"PYTHONIOENCODING": encoding}
    for argv, codes in ((["rollup", str(register), str(reviews), "--year", "2025", "--out",
                          str(tmp_path / "P.xlsx")], (1,)),
                        (["validate", str(bad), str(reviews / "Przegląd Żółw 🐢.xlsx")], (2,)),
                        (["instruments"], (0,))):
        code, out, err = _program(how, argv, env=env)
        text = (out + err).decode(encoding)        # what the console was given, in its own encoding
        assert code in codes and "Traceback" not in text and "UnicodeEncodeError" not in text, text
        if argv[0] != "instruments":
            assert "Przegl" in text and "?" in text
