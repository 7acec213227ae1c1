"""PartnerXL in xlwings Lite: main.py's scripts on xlwings' remote engine, the workbooks that carry them, `partnerxl lite`.

Lite runs main.py under Pyodide, where `xlwings.script` is xlwings' server decorator and a script is called by
`custom_scripts_call` with the open workbook and the arguments of the script's form. These tests do exactly that
(`run`): main.py is compiled from the text the templates carry, the workbook is a payload built from one of the
demo's books (tests/addin_payload.py, as the button tests do), and Lite's /data is a tmp folder handed to each
script as its `folder` argument, as an officer would type it in the script's folder box. Where a script has a
command-line twin, the answers are compared: the same scores, findings, sheets and files.
"""

from __future__ import annotations

import ast
import asyncio
import re
import shutil
import sys
import types
import zipfile
from pathlib import Path

import pytest

from addin_payload import AppliedBook, display, ensure_remote_engine, payload_from_xlsx, remote_book

ROOT = Path(__file__).resolve().parents[1]
WORKBOOKS = ROOT / "workbooks"
LITE_BUTTONS = {"validate", "score", "new_review", "collate_responses", "rollup_portfolio", "write_summaries",
                "email_drafts"}


@pytest.fixture(scope="module")
def main_py():
    """main.py as Lite loads it: a module whose `script` is xlwings' server decorator (Lite's, under Pyodide)."""
    ensure_remote_engine()
    import xlwings
    import xlwings.server

    from partnerxl.documents.lite_files import MAIN_PY

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(xlwings, "script", xlwings.server.script)
        module = types.ModuleType("main")
        exec(compile(MAIN_PY, "main.py", "exec"), module.__dict__)
    return module


def run(module, name: str, book, *args) -> None:
    """Run a script as Lite does: xlwings' custom_scripts_call, the open book injected by its type hint."""
    import xlwings as xw
    from xlwings.pro.udfs_officejs import custom_scripts_call

    asyncio.run(custom_scripts_call(module, name, typehint_to_value={xw.Book: book}, args=list(args)))


def pressed(module, name: str, path: Path, *args, **payload_options) -> tuple[AppliedBook, str]:
    """The workbook at `path` open in Excel (no folder: Lite's book name is its file name), script `name` run."""
    payload = payload_from_xlsx(path, book_name=path.name, **payload_options)
    book = remote_book(payload)
    run(module, name, book, *args)
    applied = AppliedBook(payload).apply(book.json()["actions"])
    return applied, applied.message


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    from partnerxl.documents import sample

    data = tmp_path_factory.mktemp("pristine") / "data"
    sample.write_sample(data)
    return data


@pytest.fixture
def data(demo_data, tmp_path) -> Path:
    """Lite's /data with the demo's register and reviews folder imported (a fresh copy for every test)."""
    return Path(shutil.copytree(demo_data, tmp_path / "data"))


# --- main.py: one line per script, each naming a function of partnerxl.excel.lite --------------------------------

def scripts_of(source: str) -> dict[str, ast.AsyncFunctionDef]:
    tree = ast.parse(source)
    return {f.name: f for f in tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            and any("script" in ast.unparse(d) for d in f.decorator_list)}


def test_every_script_of_main_py_is_one_line_naming_a_function_of_partnerxl_excel_lite():
    import inspect

    from partnerxl.documents.lite_files import MAIN_PY
    from partnerxl.excel import lite

    scripts = scripts_of(MAIN_PY)
    assert LITE_BUTTONS <= set(scripts)
    for name, f in scripts.items():
        body = [s for s in f.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        assert len(body) == 1, name
        call = body[0].value.value  # await _run("name", book, …)
        assert ast.unparse(call.func) == "_run" and call.args[0].value == name, name
        target = getattr(lite, name)
        params = [a.arg for a in f.args.args]
        assert params == list(inspect.signature(target).parameters), name
        assert [ast.unparse(a) for a in call.args[1:]] == params, name
        assert [ast.unparse(d) for d in f.args.defaults] == ["HOME"] * len(f.args.defaults), name
        assert all(p.default in (inspect.Parameter.empty, lite.HOME)
                   for p in inspect.signature(target).parameters.values())


# --- the workbooks carry the scripts -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["Register", "Review"])
def test_the_committed_register_and_review_carry_the_shipped_main_py_and_requirements(kind):
    from partnerxl.documents.lite_extension import lite_settings
    from partnerxl.documents.lite_files import MAIN_PY, requirements_txt

    settings = lite_settings(WORKBOOKS / f"PartnerXL {kind}.xlsx")
    assert list(settings) == ["main.py", "pyodideVersion", "addinVersion", "requirements.txt"]
    assert settings["main.py"] == MAIN_PY and settings["requirements.txt"] == requirements_txt()
    assert set(scripts_of(settings["main.py"])) == set(scripts_of(MAIN_PY))  # the same scripts read back out
    assert settings["pyodideVersion"] == "0.27.5"
    assert lite_settings(WORKBOOKS / "PartnerXL Response.xlsx") == {}  # partners' forms need no scripts


def test_the_web_extension_is_written_as_lite_writes_it():
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(WORKBOOKS / "PartnerXL Register.xlsx") as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    we = parts["xl/webextensions/webextension1.xml"]
    assert we.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<we:webextension')
    root = ET.fromstring(we)
    ns = {"we": "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"}
    ref = root.find("we:reference", ns)
    assert (ref.get("id"), ref.get("storeType")) == ("wa200008175", "OMEX")
    assert [p.get("name") for p in root.find("we:properties", ns)] == [
        "main.py", "pyodideVersion", "addinVersion", "requirements.txt"]
    assert b'value="&quot;0.27.5&quot;"' in we and b"\\/data" in we  # JSON strings, '/' written as Office does
    types_xml = parts["[Content_Types].xml"].decode()
    assert ('<Override PartName="/xl/webextensions/webextension1.xml" '
            'ContentType="application/vnd.ms-office.webextension+xml"/>') in types_xml
    assert ('<Override PartName="/xl/webextensions/taskpanes.xml" '
            'ContentType="application/vnd.ms-office.webextensiontaskpanes+xml"/>') in types_xml
    assert re.search(r'Type="http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes" '
                     r'Target="xl/webextensions/taskpanes.xml"', parts["_rels/.rels"].decode())
    pane = ET.fromstring(parts["xl/webextensions/taskpanes.xml"])[0]
    assert (pane.get("dockstate"), pane.get("visibility")) == ("right", "0")
    assert b'Target="webextension1.xml"' in parts["xl/webextensions/_rels/taskpanes.xml.rels"]


def test_requirements_start_with_lites_lines_and_bring_every_dependency_partnerxl_has_under_pyodide():
    import tomllib

    from packaging.requirements import Requirement

    from partnerxl.documents.lite_files import requirements_txt

    lines = [line.split("#")[0].strip() for line in requirements_txt().splitlines()]
    assert [Requirement(x).name for x in lines[:4]] == ["xlwings", "python-dotenv", "pyodide-http", "black"]
    assert all(line.endswith("# required") for line in requirements_txt().splitlines()[:4])
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {r.name for r in map(Requirement, pyproject["project"]["dependencies"])
              if r.marker is None or r.marker.evaluate({"sys_platform": "emscripten"})}
    assert wanted == {Requirement(x).name for x in lines[4:]}
    assert requirements_txt("partnerxl==0.1.0").splitlines()[-1].startswith("partnerxl==0.1.0")


def test_a_new_review_and_collates_copy_keep_the_scripts_of_their_original(blank_review_path, response_factory,
                                                                          tmp_path):
    from partnerxl import operations as ops
    from partnerxl.documents.lite_extension import lite_settings
    from partnerxl.documents.lite_files import MAIN_PY

    from partnerxl.operations.lite_support import add_lite_scripts

    assert lite_settings(blank_review_path)["main.py"] == MAIN_PY  # made by fill.py (New review, the demo)
    # the council names its own PartnerXL wheel in the review's requirements.txt; the copy must keep that
    review = add_lite_scripts(blank_review_path, tmp_path / "council",
                              "https://intranet.example.gov.uk/wheels/partnerxl-0.1.0-py3-none-any.whl")
    before = lite_settings(review)
    response_factory("Police")
    out = tmp_path / "out" / "Collated.xlsx"
    plan = ops.collate(review, [tmp_path / "Response Police P001.xlsx"], out)
    assert len(plan.added) == 1
    assert lite_settings(out) == before and "intranet.example.gov.uk" in before["requirements.txt"]
    assert ops.validate([out]).exit_code in (0, 1)  # still a workbook PartnerXL reads


# --- the scripts on the remote engine, against the demo's books --------------------------------------------------

def test_score_gives_the_commands_answer_under_the_registers_settings(main_py, data):
    from partnerxl import operations as ops

    review = data / "reviews" / "Review P001 2024.xlsx"
    applied, msg = pressed(main_py, "score", review, str(data))
    cli = ops.score(review)  # `partnerxl score`: finds the register that reads the reviews folder
    rows = applied["Scores"].rows()
    overall = next(r for r in rows if r and r[0] == "Overall")
    assert overall[2] == pytest.approx(cli.score.overall.score) and overall[4] == cli.score.overall.band
    assert cli.register is not None and cli.settings_words in msg and "Register.xlsx" in msg
    assert msg.startswith("Score: " + cli.headline)


def test_validate_lists_exactly_the_commands_findings(main_py, data):
    from partnerxl import operations as ops

    for path in [data / "Register.xlsx", data / "reviews" / "Review P006 2023.xlsx"]:
        applied, msg = pressed(main_py, "validate", path)
        rows = applied["Issues"].rows()
        header = next(i for i, r in enumerate(rows) if r and r[0] == "Severity")
        code, sheet, cell = (rows[header].index(h) for h in ("Code", "Sheet", "Cell"))
        got = sorted((r[code], r[sheet], display(r[cell])) for r in rows[header + 1:] if r[code])
        assert got == sorted((f.code, f.sheet, f.cell) for f in ops.validate([path]).findings), path.name
        assert msg.startswith("Validate:")


def test_rollup_writes_the_rollup_sheets_into_the_open_register_from_the_reviews_under_the_folder(main_py, data,
                                                                                                   tmp_path):
    from partnerxl import operations as ops
    from partnerxl.documents import sample
    from partnerxl.sheets import reports as RL

    applied, msg = pressed(main_py, "rollup_portfolio", data / "Register.xlsx", str(data))
    cli = ops.rollup(data / "Register.xlsx", data / "reviews", year=sample.YEAR, out=tmp_path / "Portfolio.xlsx")
    for sheet in RL.portfolio_sheets(cli.portfolio):
        assert [r[0] for r in applied[sheet.name].rows()] == [r[0] for r in sheet.rows], sheet.name
    assert f"Reviews read from {data / 'reviews'}" in msg and cli.headline in msg


def test_summaries_and_email_drafts_are_written_under_the_folder_as_the_command_writes_them(main_py, data, tmp_path):
    from partnerxl import operations as ops
    from partnerxl.documents import sample

    _, msg = pressed(main_py, "email_drafts", data / "Register.xlsx", str(data))
    assert "Write summaries first" in msg
    _, msg = pressed(main_py, "write_summaries", data / "Register.xlsx", str(data))
    cli = ops.summaries(data / "Register.xlsx", data / "reviews", year=sample.YEAR, out_dir=tmp_path / "cli",
                        as_of=sample.AS_OF)
    written = data / "summaries"
    assert str(written) in msg and sorted(p.name for p in written.glob("*.xlsx")) == sorted(p.name for p in cli.paths)
    assert all((written / p.name).read_bytes() == p.read_bytes() for p in cli.paths)
    _, msg = pressed(main_py, "email_drafts", data / "Register.xlsx", str(data))
    drafts = ops.email_from_register(written, data / "Register.xlsx", tmp_path / "cli drafts")
    assert sorted(p.name for p in (data / "email drafts").glob("*.eml")) == sorted(d.draft.name for d in drafts.written)
    assert "Nothing was sent" in msg


def test_new_review_writes_the_selected_partnerships_review_into_the_reviews_folder(main_py, data):
    from partnerxl.documents import sample
    from partnerxl.documents.lite_extension import lite_settings
    from partnerxl.operations import read_workbook
    from partnerxl.sheets import layout as L

    _, msg = pressed(main_py, "new_review", data / "Register.xlsx", str(data), active_sheet=L.REGISTER,
                     selection="D3")
    second = sample.sample_models().entries[1]
    made = data / "reviews" / f"Review {second.id} {sample.AS_OF.year}.xlsx"
    assert made.exists() and str(made) in msg
    assert read_workbook(made).review.partnership_id == second.id
    assert lite_settings(made)["main.py"]  # the new review works in Lite as it is
    _, msg = pressed(main_py, "new_review", data / "Register.xlsx", str(data), active_sheet=L.REGISTER,
                     selection="D3")
    assert "already exists" in msg


def test_collate_adds_the_response_forms_imported_into_the_folder(main_py, blank_review_path, response_factory,
                                                                  tmp_path):
    from partnerxl.sheets import layout as L

    response_factory("Police", rating=4)
    response_factory("NHS", rating=2)
    response_factory("Elsewhere", pid="P009")
    applied, msg = pressed(main_py, "collate_responses", blank_review_path, str(tmp_path))
    cols = L.respondent_columns()
    got = {applied[L.BENCHMARKS].value(f"{c}{L.BENCH_ORG_ROW}") for c in cols[:2]}
    assert got == {"Police", "NHS"} and "2 responses added" in msg and "P009" in msg


def test_chase_writes_a_form_and_a_draft_per_partner_not_returned_under_the_folder(main_py, data, tmp_path):
    from partnerxl import operations as ops

    def unreturned(path):
        return [i for i in ops.score(path).score.invited if not i.returned]

    review = next(p for p in sorted((data / "reviews").glob("*.xlsx")) if ops.validate([p]).valid and unreturned(p))
    _, msg = pressed(main_py, "chase_responses", review, str(data))
    cli = ops.chase_open_review(ops.open_book(review, "review"), review, out=tmp_path / "cli")
    out = data / "responses to chase"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert len(unreturned(review)) == len(cli.chased) and cli.headline in msg and "Nothing was sent" in msg


def test_committee_pack_says_plainly_that_lite_cannot_print_it_and_what_to_use(main_py, data):
    applied, msg = pressed(main_py, "committee_pack", data / "Register.xlsx")
    assert "not available in xlwings Lite" in msg and "partnerxl pack" in msg and "Traceback" not in msg
    assert applied.alerts[-1]["mode"] == "info"


def test_every_problem_is_one_plain_message_and_nothing_half_done_reaches_excel(main_py, data, monkeypatch):
    from partnerxl import operations as ops

    review = data / "reviews" / "Review P001 2024.xlsx"
    applied, msg = pressed(main_py, "score", data / "Register.xlsx", str(data))
    assert msg.startswith("Score stopped.") and "Score works in an annual review workbook" in msg
    monkeypatch.setattr(ops, "score_open_review", lambda *a: 1 / 0)
    payload = payload_from_xlsx(review, book_name=review.name)
    book = remote_book(payload)
    book.sheets[0]["A1"].value = "half-done"
    run(main_py, "score", book, str(data))
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    msg = book.json()["actions"][0]["args"][0]
    assert "unexpected problem: ZeroDivisionError" in msg and "output pane" in msg and "Traceback" not in msg


def test_a_windows_reviews_folder_on_the_settings_sheet_is_looked_for_by_its_name_under_the_folder(data):
    from partnerxl.operations.lite_support import lite_reviews_folder

    class Register:
        reviews_folder = "C:\\Partnerships\\reviews"

    assert lite_reviews_folder(Register(), data) == data / "reviews"
    Register.reviews_folder = "\\\\council-fs\\share\\Annual reviews"
    with pytest.raises(Exception, match="Import/Export"):
        lite_reviews_folder(Register(), data)
    Register.reviews_folder = "reviews\\2025"
    assert lite_reviews_folder(Register(), data, create=True) == data / "reviews" / "2025"


# --- main.py brings PartnerXL itself from a wheel under /data -------------------------------------------------------

def test_main_py_installs_partnerxl_from_the_wheel_imported_under_data_when_lite_has_not_got_it(
        main_py, data, tmp_path, monkeypatch):
    monkeypatch.setattr(main_py, "HOME", str(tmp_path / "home"))
    monkeypatch.setitem(sys.modules, "partnerxl.excel.lite", None)  # import fails: Lite has no PartnerXL yet
    review = data / "reviews" / "Review P001 2024.xlsx"
    _, msg = pressed(main_py, "validate", review)
    assert "PartnerXL is not installed in xlwings Lite yet" in msg and "Import/Export" in msg

    wheel = tmp_path / "home" / "wheels" / "partnerxl-0.1.0-py3-none-any.whl"
    wheel.parent.mkdir(parents=True)
    wheel.write_bytes(b"a wheel")
    installed = []

    async def install(url):  # micropip.install: record the URL, then PartnerXL can be imported
        installed.append(url)
        monkeypatch.delitem(sys.modules, "partnerxl.excel.lite")

    monkeypatch.setitem(sys.modules, "micropip", types.SimpleNamespace(install=install))
    _, msg = pressed(main_py, "validate", review)
    assert installed == [f"emfs:{wheel}"] and msg.startswith("Validate:")


# --- partnerxl lite ---------------------------------------------------------------------------------------------

def test_partnerxl_lite_writes_the_files_and_puts_the_scripts_into_a_workbook_changing_nothing_else(tmp_path,
                                                                                                     capsys):
    from partnerxl.cli import main
    from partnerxl.documents.lite_extension import lite_settings, read_parts
    from partnerxl.documents.lite_files import lite_files

    assert main(["lite", "--out", str(tmp_path / "lite")]) == 0
    for name, text in lite_files().items():
        assert (tmp_path / "lite" / name).read_text(encoding="utf-8") == text
    book = Path(shutil.copy(WORKBOOKS / "PartnerXL Response.xlsx", tmp_path / "Older register.xlsx"))
    before = dict(read_parts(book))
    assert main(["lite", "--into", str(book), "--out", str(tmp_path / "with scripts")]) == 0
    assert dict(read_parts(book)) == before  # the workbook given is never changed: a copy carries the scripts
    copy = tmp_path / "with scripts" / book.name
    after = dict(read_parts(copy))
    changed = {n for n in after if after[n] != before.get(n)}
    assert changed == {"[Content_Types].xml", "_rels/.rels", "xl/webextensions/webextension1.xml",
                       "xl/webextensions/taskpanes.xml", "xl/webextensions/_rels/taskpanes.xml.rels"}
    url = "emfs:/data/partnerxl-0.1.0-py3-none-any.whl"
    assert main(["lite", "--into", str(copy), "--package", url, "--out", str(tmp_path / "again")]) == 0
    again = dict(read_parts(tmp_path / "again" / book.name))
    assert {n for n in again if again[n] != after[n]} == {"xl/webextensions/webextension1.xml"}
    assert lite_settings(tmp_path / "again" / book.name)["requirements.txt"] == lite_files(url)["requirements.txt"]
    assert main(["lite"]) == 2 and "--out" in capsys.readouterr().err
    assert main(["lite", "--into", str(copy), "--out", str(copy.parent)]) == 2  # never over the workbook given


def test_scripts_go_into_a_lite_workbook_keeping_its_other_settings_and_beside_another_addins_pane():
    from partnerxl.documents import lite_extension as X

    base = [("[Content_Types].xml", b'<Types xmlns="t"></Types>'), ("_rels/.rels", b'<Relationships xmlns="r">'
            b'<Relationship Id="rId1" Type="o" Target="xl/workbook.xml"/></Relationships>')]
    other = re.sub(rb"(?i)wa200008175", b"wa104379190", X.webextension_xml({"main.py": "x"}))  # another add-in
    with_other = [*base, ("xl/webextensions/webextension1.xml", other),
                  ("xl/webextensions/taskpanes.xml", X.taskpanes_xml()),
                  ("xl/webextensions/_rels/taskpanes.xml.rels", X.relationships_xml(X._relationship(
                      "rId1", X.REL_WEBEXTENSION, "webextension1.xml")))]
    parts = dict(X.with_extension(with_other))
    assert X.lite_part(list(parts.items())) == "xl/webextensions/webextension2.xml"
    assert parts["xl/webextensions/taskpanes.xml"].count(b"<wetp:taskpane ") == 2
    assert b'Id="rId2"' in parts["xl/webextensions/_rels/taskpanes.xml.rels"]
    assert parts["xl/webextensions/webextension1.xml"] == other
    lite = list(X.with_extension(base, {"main.py": "old", "requirements.txt": "r", "Startup": "autostart"}))
    updated = dict(X.with_extension(lite, {"main.py": "new"}))
    settings = X.settings_of(updated["xl/webextensions/webextension1.xml"])
    assert settings["main.py"] == "new" and settings["Startup"] == "autostart" and settings["requirements.txt"] == "r"
    assert X.with_extension(base) == X.with_extension(base)  # deterministic
