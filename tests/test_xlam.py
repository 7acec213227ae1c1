"""The Excel add-in: built from addin/src and the installed xlwings, read back by olevba, olefile and LibreOffice."""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import olefile
import pytest
from defusedxml import ElementTree as SafeET

from partnerxl.cli import main
from partnerxl.core.errors import PartnerXLError
from partnerxl.xlam import build as B
from partnerxl.xlam.cfb import name_key, write_cfb
from partnerxl.xlam.install import (_standard_startup_path, default_addin_file, install_addin, update_config,
                                    user_config_path)
from partnerxl.xlam.ovba import decompress
from partnerxl.xlam.vba_project import parse_dir, template_modules

# oletools imports pyparsing grammar written for an older pyparsing
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "addin" / "src"
COMMITTED = ROOT / "addin" / "partnerxl.xlam"
XLWINGS = resources.files("xlwings")
PYTHON_FUNCTIONS = {"validate", "score", "collate_responses", "chase_responses", "committee_pack", "rollup_portfolio", "write_summaries",
                    "email_drafts", "new_review"}
MODULES = ["ThisWorkbook", "Dictionary", "PartnerXL", "Sheet2", "xlwings"]


@pytest.fixture(scope="module")
def addin() -> B.Addin:
    return B.build_addin_bytes(SRC)


@pytest.fixture(scope="module")
def package(addin) -> dict[str, bytes]:
    zf = zipfile.ZipFile(io.BytesIO(addin.data))
    return {name: zf.read(name) for name in zf.namelist()}


def lines(text: str) -> list[str]:
    """Lines with normalised line endings, without trailing empty lines."""
    out = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while out and out[-1] == "":
        out.pop()
    return out


def code_lines(text: str) -> list[str]:
    """As `lines`, without VBA attribute lines (which VBA editors and readers hide or rewrite)."""
    return [line for line in lines(text) if not line.startswith("Attribute ")]


# --- determinism -------------------------------------------------------------------------------------------------

def test_two_builds_give_identical_bytes(addin):
    assert B.build_addin_bytes(SRC).data == addin.data


def test_committed_addin_is_a_fresh_build(addin):
    assert COMMITTED.read_bytes() == addin.data, (
        "addin/partnerxl.xlam is not what addin/src and the installed xlwings build: run 'partnerxl addin build' "
        "and commit the result")


def test_cli_build_writes_the_same_bytes(tmp_path, addin, capsys):
    out = tmp_path / "sub" / "partnerxl.xlam"
    assert main(["addin", "build", "--src", str(SRC), "--out", str(out)]) == 0
    assert out.read_bytes() == addin.data
    assert "Built" in capsys.readouterr().out


# --- package parts -----------------------------------------------------------------------------------------------

def _rels(data: bytes) -> dict[str, tuple[str, str]]:
    root = SafeET.fromstring(data)
    return {r.get("Id"): (r.get("Type"), r.get("Target")) for r in root}


def test_package_parts_content_types_and_relationships(addin, package):
    zf = zipfile.ZipFile(io.BytesIO(addin.data))
    assert zf.namelist()[0] == "[Content_Types].xml"
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())
    assert zf.testzip() is None

    types = SafeET.fromstring(package["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.tag.endswith("Override")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
    for part in overrides:
        assert part.lstrip("/") in package, part

    ui = package["customUI/customUI14.xml"]
    assert ui == (SRC / "customUI.xml").read_bytes().replace(b"\r\n", b"\n")
    assert SafeET.fromstring(ui).tag == "{http://schemas.microsoft.com/office/2009/07/customui}customUI"
    root_rels = _rels(package["_rels/.rels"])
    ui_rels = [t for t in root_rels.values() if t[0].endswith("/ui/extensibility")]
    # the 2009/07 namespace (customUI14) goes with the 2007 relationship type
    assert ui_rels == [("http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
                        "customUI/customUI14.xml")]
    for _, target in root_rels.values():
        assert target in package, target
    wb_rels = _rels(package["xl/_rels/workbook.xml.rels"])
    assert ("http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin") in wb_rels.values()
    for _, target in wb_rels.values():
        assert "xl/" + target in package, target


def test_config_sheet_is_named_for_partnerxl(package):
    workbook = SafeET.fromstring(package["xl/workbook.xml"])
    names = [s.get("name") for s in workbook.iter() if s.tag.endswith("}sheet")]
    assert names == ["_partnerxl.conf"]
    assert b"myaddin" not in package["xl/workbook.xml"].lower()
    assert b"absPath" not in package["xl/workbook.xml"]


# --- the VBA project ---------------------------------------------------------------------------------------------

def _olevba_modules(data: bytes) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser("partnerxl.xlam", data=data)
    try:
        return {Path(stream).name: code for (_, stream, _, code) in parser.extract_all_macros()}
    finally:
        parser.close()


def test_olevba_reads_every_module_back(addin):
    modules = _olevba_modules(addin.data)
    assert sorted(modules) == sorted(MODULES)

    assert lines(modules["PartnerXL"]) == lines((SRC / "PartnerXL.bas").read_text(encoding="utf-8"))

    shipped = (XLWINGS / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    expected = shipped.replace('PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "partnerxl"')
    assert expected != shipped
    assert lines(modules["xlwings"]) == lines(expected)

    cls = lines((XLWINGS / "addin" / "Dictionary.cls").read_text(encoding="utf-8"))
    body = cls[cls.index("END") + 1:]
    assert code_lines(modules["Dictionary"]) == code_lines("\n".join(body))
    assert lines(modules["Dictionary"])[:2] == ['Attribute VB_Name = "Dictionary"',
                                                 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"']
    for doc in ("ThisWorkbook", "Sheet2"):
        assert lines(modules[doc])[0] == f'Attribute VB_Name = "{doc}"'


def test_vba_project_is_source_only(addin):
    ole = olefile.OleFileIO(io.BytesIO(addin.vba_project))
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    records = parse_dir(decompress(ole.openstream("VBA/dir").read()))
    modules = template_modules(records)
    assert [m["name"] for m in modules] == MODULES
    assert all(m["offset"] == 0 and m["stream"] == m["name"] for m in modules)
    kinds = {m["name"]: m["type"] for m in modules}
    assert kinds == {"ThisWorkbook": 0x22, "Dictionary": 0x22, "PartnerXL": 0x21, "Sheet2": 0x22, "xlwings": 0x21}
    assert dict(records)[0x0004] == b"PartnerXLAddin"
    assert dict(records)[0x000F] == struct.pack("<H", len(MODULES))
    for m in MODULES:  # each module stream is exactly the compressed source
        assert decompress(ole.openstream(f"VBA/{m}").read()).decode("cp1252").startswith(f'Attribute VB_Name = "{m}"')

    project = ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    assert [line for line in project if line.split("=")[0] in ("Document", "Module", "Class")] == [
        "Document=ThisWorkbook/&H00000000", "Class=Dictionary", "Module=PartnerXL",
        "Document=Sheet2/&H00000000", "Module=xlwings"]
    assert 'Name="PartnerXLAddin"' in project
    wm = ole.openstream("PROJECTwm").read()
    assert wm == b"".join(m.encode() + b"\0" + m.encode("utf-16-le") + b"\0\0" for m in MODULES) + b"\0\0"


def _ovba_decrypt(hexed: str) -> tuple[int, int, bytes]:
    """[MS-OVBA] §2.4.3.3 Data Decryption: (version, project key, data)."""
    enc = bytes.fromhex(hexed)
    seed, version_enc, key_enc = enc[:3]
    state = {"u1": seed ^ key_enc, "e1": key_enc, "e2": version_enc}

    def step(byte_enc: int) -> int:
        byte = byte_enc ^ ((state["e2"] + state["u1"]) & 0xFF)
        state.update(e2=state["e1"], e1=byte_enc, u1=byte)
        return byte

    pos = 3
    for _ in range((seed & 6) // 2):
        step(enc[pos])
        pos += 1
    length = int.from_bytes(bytes(step(enc[pos + i]) for i in range(4)), "little")
    data = bytes(step(enc[pos + 4 + i]) for i in range(length))
    return seed ^ version_enc, seed ^ key_enc, data


def test_project_is_unprotected_visible_and_its_fields_match_the_project_id(addin):
    ole = olefile.OleFileIO(io.BytesIO(addin.vba_project))
    fields = dict(line.split("=", 1) for line in ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
                  if "=" in line and not line.startswith("&H"))
    key = sum(fields["ID"].strip('"').encode()) & 0xFF  # the key the protection fields are obfuscated with
    expected = {"CMG": b"\0\0\0\0", "DPB": b"\0", "GC": b"\xff"}  # not protected, no password, visible
    for name, data in expected.items():
        assert _ovba_decrypt(fields[name].strip('"')) == (2, key, data), name


# --- the ribbon --------------------------------------------------------------------------------------------------

def _ribbon():
    root = SafeET.fromstring((SRC / "customUI.xml").read_bytes())
    return root, root.tag.split("}")[0] + "}"


def test_ribbon_layout_and_texts():
    root, ns = _ribbon()
    tabs = list(root.iter(ns + "tab"))
    assert [t.get("label") for t in tabs] == ["Partnerships"]
    groups = {g.get("label"): [b.get("label") for b in g.iter(ns + "button")] for g in tabs[0].iter(ns + "group")}
    assert groups == {"Check": ["Validate", "Score", "Collate responses", "Chase responses"],
                      "Portfolio": ["Roll up portfolio", "Write summaries", "Email drafts", "Committee pack"],
                      "Reviews": ["New review"]}
    for button in root.iter(ns + "button"):
        assert button.get("size") == "large" and button.get("imageMso"), button.get("id")
        assert button.get("screentip") and len(button.get("supertip", "")) > 40, button.get("id")


def test_control_ids_are_unique():
    root, _ = _ribbon()
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == 13  # tab, 3 groups, 9 buttons


def test_every_onaction_has_its_sub_calling_the_python_function():
    root, _ = _ribbon()
    source = (SRC / "PartnerXL.bas").read_text(encoding="utf-8")
    subs = {m.group(1): m for m in re.finditer(
        r"^Sub (\w+)\(([^)]*)\)\n(.*?)^End Sub", source.replace("\r\n", "\n"), re.M | re.S)}
    actions = [el.get("onAction") for el in root.iter() if el.get("onAction")]
    assert len(actions) == 9
    called = set()
    for action in actions:
        sub = subs[action.split(".")[-1]]
        assert sub.group(2) == "control As IRibbonControl"
        call = re.fullmatch(r'\s*RunPython "import partnerxl\.excel\.buttons; partnerxl\.excel\.buttons\.(\w+)\(\)"\s*', sub.group(3))
        assert call, sub.group(0)
        called.add(call.group(1))
    assert called == PYTHON_FUNCTIONS
    assert set(subs) == {a.split(".")[-1] for a in actions}


def _src_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "src"
    shutil.copytree(SRC, dst)
    return dst


def test_line_endings_of_the_checkout_do_not_change_the_build(tmp_path, addin):
    src = _src_copy(tmp_path)
    for name in ("customUI.xml", "PartnerXL.bas"):
        data = (src / name).read_bytes().replace(b"\r\n", b"\n")
        (src / name).write_bytes(data.replace(b"\n", b"\r\n"))
    assert B.build_addin_bytes(src).data == addin.data


def test_build_refuses_an_onaction_without_its_sub(tmp_path):
    src = _src_copy(tmp_path)
    ui = (src / "customUI.xml").read_text(encoding="utf-8").replace('onAction="PxlScore"', 'onAction="PxlMissing"')
    (src / "customUI.xml").write_text(ui, encoding="utf-8")
    with pytest.raises(PartnerXLError, match="PxlMissing"):
        B.build_addin_bytes(src)


def test_build_refuses_a_callback_with_the_wrong_signature(tmp_path):
    src = _src_copy(tmp_path)
    bas = (src / "PartnerXL.bas").read_text(encoding="utf-8").replace("Sub PxlScore(control As IRibbonControl)",
                                                                    "Sub PxlScore()")
    (src / "PartnerXL.bas").write_text(bas, encoding="utf-8")
    with pytest.raises(PartnerXLError, match="IRibbonControl"):
        B.build_addin_bytes(src)


def test_build_refuses_duplicate_ids_and_bad_xml(tmp_path):
    src = _src_copy(tmp_path)
    text = (src / "customUI.xml").read_text(encoding="utf-8")
    (src / "customUI.xml").write_text(text.replace('id="pxlScore"', 'id="pxlValidate"'), encoding="utf-8")
    with pytest.raises(PartnerXLError, match="pxlValidate"):
        B.build_addin_bytes(src)
    (src / "customUI.xml").write_text(text.replace("</customUI>", ""), encoding="utf-8")
    assert main(["addin", "build", "--src", str(src), "--out", str(tmp_path / "x.xlam")]) == 2


# --- the compound file writer ------------------------------------------------------------------------------------

def _random_tree(rnd: random.Random, depth: int = 0) -> dict:
    tree: dict = {}
    for _ in range(rnd.randrange(1, 12 if depth else 30)):
        name = "".join(rnd.choice("abcXYZ_09é") for _ in range(rnd.randrange(1, 31)))
        if name.upper() in {n.upper() for n in tree}:
            continue
        if depth < 2 and rnd.random() < 0.2:
            tree[name] = _random_tree(rnd, depth + 1)
        else:
            size = rnd.choice([0, 1, 63, 64, 65, 4095, 4096, 4097, rnd.randrange(20000)])
            tree[name] = bytes(rnd.randrange(256) for _ in range(size))
    return tree


def _walk(tree: dict, prefix: tuple = ()):
    for name, value in tree.items():
        if isinstance(value, dict):
            yield from _walk(value, prefix + (name,))
        else:
            yield prefix + (name,), value


def _check_red_black(ole: olefile.OleFileIO) -> None:
    entries = ole.direntries

    def black_height(sid: int, parent_red: bool, low, high) -> int:
        if sid == olefile.NOSTREAM:
            return 1
        e = entries[sid]
        key = name_key(e.name)
        assert (low is None or low < key) and (high is None or key < high), "siblings out of order"
        red = e.color == 0
        assert not (red and parent_red), "red node with a red parent"
        left = black_height(e.sid_left, red, low, key)
        right = black_height(e.sid_right, red, key, high)
        assert left == right, "unequal black heights"
        return left + (0 if red else 1)

    for e in entries:
        if e is not None and e.entry_type in (olefile.STGTY_STORAGE, olefile.STGTY_ROOT):
            if e.sid_child != olefile.NOSTREAM:
                assert entries[e.sid_child].color == 1, "tree root must be black"
                black_height(e.sid_child, False, None, None)


@pytest.mark.parametrize("seed", range(8))
def test_cfb_writer_output_reads_back_with_olefile(seed):
    tree = _random_tree(random.Random(seed))
    data = write_cfb(tree)
    assert write_cfb(tree) == data
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    try:
        streams = dict(_walk(tree))
        assert sorted(tuple(p) for p in ole.listdir(streams=True, storages=False)) == sorted(streams)
        for path, value in streams.items():
            assert ole.openstream("/".join(path)).read() == value
        _check_red_black(ole)
    finally:
        ole.close()


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 40])
def test_cfb_directory_trees_are_valid_red_black_trees(n):
    tree = {f"s{i:03d}": b"x" for i in range(n)}
    ole = olefile.OleFileIO(io.BytesIO(write_cfb(tree)), raise_defects=olefile.DEFECT_INCORRECT)
    _check_red_black(ole)
    assert len(ole.listdir()) == n


def test_vba_project_reads_back_with_identical_streams(addin):
    ole = olefile.OleFileIO(io.BytesIO(addin.vba_project), raise_defects=olefile.DEFECT_INCORRECT)
    try:
        streams = {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}
        rebuilt = {}
        for path, data in streams.items():
            node = rebuilt
            *dirs, leaf = path.split("/")
            for d in dirs:
                node = node.setdefault(d, {})
            node[leaf] = data
        assert write_cfb(rebuilt) == addin.vba_project
        _check_red_black(ole)
        assert ole.root.clsid in ("", "00000000-0000-0000-0000-000000000000")
    finally:
        ole.close()


# --- install -----------------------------------------------------------------------------------------------------

@pytest.mark.skipif(sys.platform.startswith(("win", "darwin")), reason="checks the no-Excel path")
def test_install_without_excel_says_so_and_exits_2(capsys):
    assert main(["addin", "install", "--file", str(COMMITTED)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("partnerxl: ") and "Excel" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(PartnerXLError):
        install_addin(COMMITTED)


def test_install_defaults_to_the_built_addin_of_this_checkout():
    assert default_addin_file() == COMMITTED


def test_install_refuses_a_missing_file(tmp_path, capsys):
    assert main(["addin", "install", "--file", str(tmp_path / "nope.xlam")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_settings_file_and_startup_locations(tmp_path):
    conf = tmp_path / ".partnerxl" / "partnerxl.conf"
    conf.parent.mkdir()
    conf.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\n"SHOW CONSOLE","True"\n', encoding="utf-8")
    update_config(conf, "INTERPRETER_WIN", "C:\\new\\python.exe")
    assert conf.read_text(encoding="utf-8").splitlines() == ['"SHOW CONSOLE","True"',
                                                             '"INTERPRETER_WIN","C:\\new\\python.exe"']
    assert user_config_path("win32", tmp_path) == tmp_path / ".partnerxl" / "partnerxl.conf"
    assert user_config_path("darwin", tmp_path).parts[-4:] == ("Containers", "com.microsoft.Excel", "Data",
                                                               "partnerxl.conf")
    assert _standard_startup_path("win32", tmp_path, {"APPDATA": str(tmp_path)}) is None  # Excel never ran
    (tmp_path / "Microsoft" / "Excel").mkdir(parents=True)
    assert _standard_startup_path("win32", tmp_path, {"APPDATA": str(tmp_path)}) == \
        tmp_path / "Microsoft" / "Excel" / "XLSTART"
    (tmp_path / "Library" / "Group Containers" / "UBF8T346G9.Office").mkdir(parents=True)
    assert _standard_startup_path("darwin", tmp_path, {}).parts[-2:] == ("Startup.localized", "Excel")
    assert _standard_startup_path("linux", tmp_path, {}) is None


# --- LibreOffice -------------------------------------------------------------------------------------------------

UNO_SCRIPT = r'''
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

path, profile = sys.argv[1], sys.argv[2]
pipe = "partnerxltest%d" % os.getpid()
office = subprocess.Popen(
    ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
     "-env:UserInstallation=" + uno.systemPathToFileUrl(profile), "--accept=pipe,name=%s;urp;" % pipe],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):  # up to a minute: a first start creates the profile
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            if office.poll() is not None:
                sys.exit("soffice exited with code %s" % office.returncode)
            time.sleep(0.25)
    else:
        sys.exit("could not connect to soffice")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (hidden,))
    if doc is None:
        sys.exit("LibreOffice could not open the file")
    result = {"sheets": list(doc.Sheets.ElementNames), "libraries": {}}
    libraries = doc.BasicLibraries
    for name in libraries.ElementNames:
        libraries.loadLibrary(name)
        library = libraries.getByName(name)
        result["libraries"][name] = {m: library.getByName(m) for m in library.ElementNames}
    doc.close(True)
    print(json.dumps(result))
finally:
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        office.wait(timeout=20)
    except Exception:
        office.kill()
'''


def _uno_python() -> str | None:
    for candidate in (os.environ.get("PARTNERXL_UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).exists():
            ok = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
            if ok:
                return candidate
    return None


def _need(what: str, reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI: {reason}")
    pytest.skip(reason)


def test_libreoffice_loads_the_vba_modules(tmp_path):
    if not shutil.which("soffice"):
        _need("LibreOffice", "soffice is not installed (Debian: apt-get install libreoffice-calc-nogui python3-uno)")
    python = _uno_python()
    if python is None:
        _need("python3-uno", "no Python with LibreOffice's uno module (Debian: apt-get install python3-uno)")

    # LibreOffice refuses the add-in content type, so load the same build as a macro-enabled workbook.
    xlsm = tmp_path / "partnerxl.xlsm"
    build = B.build_addin_bytes(SRC, main_content_type=B.CT_XLSM)
    xlsm.write_bytes(build.data)
    script = tmp_path / "dump_vba.py"
    script.write_text(UNO_SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = subprocess.run([python, str(script), str(xlsm), str(tmp_path / "profile")], capture_output=True,
                          text=True, timeout=90, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    assert seen["sheets"] == ["_partnerxl.conf"]
    # the VBA project becomes a Basic library named after the project, with one module per VBA module
    assert "PartnerXLAddin" in seen["libraries"], sorted(seen["libraries"])
    assert sorted(seen["libraries"]["PartnerXLAddin"]) == sorted(MODULES)
    kinds = {"PartnerXL": "VBAModule", "xlwings": "VBAModule", "Dictionary": "VBAClassModule",
             "ThisWorkbook": "VBADocumentModule", "Sheet2": "VBADocumentModule"}
    for module in build.modules:
        text = seen["libraries"]["PartnerXLAddin"][module.name]
        got = lines(text)
        # LibreOffice prefixes its own markers and drops the Attribute lines
        assert got[0] == f"Rem Attribute VBA_ModuleType={kinds[module.name]}"
        while got and (got[0].startswith("Rem Attribute VBA_ModuleType=") or got[0].startswith("Option VBASupport")
                       or got[0] == "Option ClassModule"):
            got.pop(0)
        assert got == code_lines(module.source), module.name
