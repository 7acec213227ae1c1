"""Build `partnerxl.xlam` from text sources, without Excel.

Inputs:

* `addin/src/customUI.xml` - the ribbon;
* `addin/src/*.bas` - PartnerXL's own VBA standard modules (the ribbon callbacks in PartnerXL.bas);
* the *installed* xlwings package: its custom add-in template `quickstart_addin_ribbon.xlam` (what
  `xlwings quickstart NAME --addin --ribbon` copies) supplies the workbook parts, the `_myaddin.conf` sheet and the
  VBA project's settings and references; `xlwings_custom_addin.bas` supplies the xlwings module (RunPython and
  friends) and `addin/Dictionary.cls` the Dictionary class it needs on macOS. The template's one-button ribbon
  module is left out. The name "myaddin" becomes "partnerxl" (the add-in then reads `partnerxl.conf` settings).

The VBA project is written *source-only*, as [MS-OVBA] §2.3.4.1 prescribes for writers: the `_VBA_PROJECT` stream
is the 7-byte header with version 0xFFFF and no performance cache, and every module stream is the module's
compressed source at offset 0. Excel then compiles the project from source when it opens the add-in. The `dir`
stream keeps the template's project information and references and gets new module records; the `PROJECT` and
`PROJECTwm` streams are regenerated to list the same modules.

The result is deterministic: the zip entries are stored (not deflated, so no zlib version can change the bytes) in
a fixed order with fixed timestamps, and the compound file has zero timestamps and CLSIDs. Two builds from the same
sources and the same xlwings give the same bytes; `tests/test_xlam.py` checks that the committed add-in is such a
build.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from defusedxml import ElementTree as SafeET

from partnerxl.core.errors import PartnerXLError
from partnerxl.xlam.cfb import write_cfb
from partnerxl.xlam.ovba import compress, decompress

PROJECT_NAME = "partnerxl"         # xlwings' PROJECT_NAME: the add-in reads partnerxl.conf settings
VBA_PROJECT_NAME = "PartnerXLAddin"  # the VBA project's name; must differ from every module name
TEMPLATE_PROJECT_NAME = "myaddin"
TEMPLATE_RIBBON_MODULE = "RibbonMyAddin"
CODEPAGE = "cp1252"

NS_CUSTOMUI_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
NS_CUSTOMUI_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
# The relationship type and part name Office expects for each ribbon XML namespace.
CUSTOMUI_PARTS = {
    NS_CUSTOMUI_2006: ("customUI/customUI.xml", "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"),
    NS_CUSTOMUI_2009: ("customUI/customUI14.xml", "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"),
}
CT_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"

VBA_PROJECT_STREAM = b"\xcc\x61\xff\xff\x00\x01\x00"  # Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0001
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"  # VB_Base of a VBA class module
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# Parts copied from the template unchanged (in this order, after the generated ones).
_TEMPLATE_PARTS = ["docProps/app.xml", "xl/_rels/workbook.xml.rels", "xl/theme/theme1.xml", "xl/styles.xml",
                   "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"]


class BuildError(PartnerXLError):
    """The add-in cannot be built from these sources (one line saying what to fix)."""


# --- VBA modules -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Module:
    name: str
    kind: str          # "procedural", "class" or "document"
    source: str        # the stored source, CRLF line endings, attribute lines included
    docstring: str = ""


def crlf(text: str) -> str:
    """Normalise line endings to CRLF (VBA's) and end with one line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n").replace("\n", "\r\n") + "\r\n"


def _vb_name(source: str, where: str) -> str:
    match = re.match(r'Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]*)"\r\n', source)
    if not match:
        raise BuildError('the first line must be Attribute VB_Name = "ModuleName" (a VBA identifier)', file=where)
    return match.group(1)


def bas_module(text: str, where: str) -> Module:
    """A standard module from the text of a .bas file as exported by the VBA editor."""
    source = crlf(text)
    name = _vb_name(source, where)
    if len(name) > 31:
        raise BuildError("module names must have at most 31 characters", file=where)
    try:
        source.encode(CODEPAGE)
    except UnicodeEncodeError as exc:
        raise BuildError(f"has a character Windows-1252 cannot hold ({source[exc.start]!r}); VBA source is stored "
                         "in that code page", file=where) from None
    return Module(name, "procedural", source)


def cls_module(text: str, where: str) -> Module:
    """A class module from an exported .cls file, stored as the VBA editor stores an imported one: without the
    VERSION/BEGIN...END header, with VB_Base after VB_Name and VB_TemplateDerived/VB_Customizable after
    VB_Exposed. The VB_Description attribute becomes the module's docstring."""
    lines = crlf(text).split("\r\n")
    if lines and lines[0].startswith("VERSION "):
        try:
            end = lines.index("END")
        except ValueError:
            raise BuildError("has a VERSION header without END", file=where) from None
        lines = lines[end + 1:]
    out: list[str] = []
    docstring = ""
    for line in lines:
        out.append(line)
        if line.startswith("Attribute VB_Name = "):
            out.append(f'Attribute VB_Base = "{CLASS_BASE}"')
        elif line.startswith("Attribute VB_Exposed = "):
            out += ["Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
        elif line.startswith('Attribute VB_Description = "'):
            docstring = line[len('Attribute VB_Description = "'):-1].replace('""', '"').replace("\\r\\n", "\r\n")
    source = "\r\n".join(out)
    name = _vb_name(source, where)
    return Module(name, "class", source, docstring)


# --- the dir stream ([MS-OVBA] §2.3.4.2) -------------------------------------------------------------------------

_PROJECTVERSION = 0x0009
_PROJECTNAME = 0x0004
_PROJECTMODULES = 0x000F
_DIR_TERMINATOR = 0x0010


def parse_dir(data: bytes) -> list[tuple[int, bytes]]:
    """The records of a decompressed dir stream as (id, payload) pairs."""
    records = []
    pos = 0
    while pos < len(data):
        if pos + 6 > len(data):
            raise BuildError("the template's VBA dir stream is truncated")
        rid, size = struct.unpack_from("<HI", data, pos)
        pos += 6
        if rid == _PROJECTVERSION:  # Reserved (=4) is in the size's place; 6 bytes follow
            size = 6
        records.append((rid, data[pos:pos + size]))
        pos += size
    return records


def write_dir(records: list[tuple[int, bytes]]) -> bytes:
    out = bytearray()
    for rid, payload in records:
        size = 4 if rid == _PROJECTVERSION else len(payload)
        out += struct.pack("<HI", rid, size) + payload
    return bytes(out)


def template_modules(records: list[tuple[int, bytes]]) -> list[dict]:
    """Module records of a dir stream: name, stream name, type, offset, docstring."""
    modules: list[dict] = []
    current: dict | None = None
    for rid, payload in records:
        if rid == 0x0019:
            current = {"name": payload.decode(CODEPAGE), "docstring": ""}
        elif current is None:
            continue
        elif rid == 0x001A:
            current["stream"] = payload.decode(CODEPAGE)
        elif rid == 0x001C:
            current["docstring"] = payload.decode(CODEPAGE)
        elif rid == 0x0031:
            current["offset"] = struct.unpack("<I", payload)[0]
        elif rid in (0x0021, 0x0022):
            current["type"] = rid
        elif rid == 0x002B:
            modules.append(current)
            current = None
    return modules


def module_records(modules: list[Module]) -> list[tuple[int, bytes]]:
    """PROJECTMODULES (§2.3.4.2.3) for source-only modules (MODULEOFFSET 0, cookies 0xFFFF as on write)."""
    recs: list[tuple[int, bytes]] = [(_PROJECTMODULES, struct.pack("<H", len(modules))),
                                     (0x0013, struct.pack("<H", 0xFFFF))]
    for m in modules:
        name_mbcs, name_utf16 = m.name.encode(CODEPAGE), m.name.encode("utf-16-le")
        doc_mbcs, doc_utf16 = m.docstring.encode(CODEPAGE), m.docstring.encode("utf-16-le")
        recs += [
            (0x0019, name_mbcs), (0x0047, name_utf16),          # MODULENAME, MODULENAMEUNICODE
            (0x001A, name_mbcs), (0x0032, name_utf16),          # MODULESTREAMNAME (+ unicode)
            (0x001C, doc_mbcs), (0x0048, doc_utf16),            # MODULEDOCSTRING (+ unicode)
            (0x0031, struct.pack("<I", 0)),                     # MODULEOFFSET: source starts the stream
            (0x001E, struct.pack("<I", 0)),                     # MODULEHELPCONTEXT
            (0x002C, struct.pack("<H", 0xFFFF)),                # MODULECOOKIE
            (0x0021 if m.kind == "procedural" else 0x0022, b""),  # MODULETYPE
            (0x002B, b""),                                      # terminator
        ]
    recs.append((_DIR_TERMINATOR, b""))
    return recs


# --- PROJECT and PROJECTwm streams (§2.3.1, §2.3.3) --------------------------------------------------------------

def project_stream(template: str, modules: list[Module], project_name: str) -> bytes:
    """The template's PROJECT stream with the module lines, Name= and [Workspace] regenerated."""
    lines = template.replace("\r\n", "\n").split("\n")
    head: list[str] = []
    rest: list[str] = []
    section = None
    for line in lines:
        if line.startswith("["):
            section = line
        if section is None:
            if line.startswith(("Document=", "Module=", "Class=", "BaseClass=", "Package=")):
                continue
            if line.startswith("Name="):
                line = f'Name="{project_name}"'
            head.append(line)
        elif section != "[Workspace]":
            rest.append(line)
    if not head or not head[0].startswith("ID="):
        raise BuildError("the template's PROJECT stream does not start with ID=")
    module_lines = []
    for m in modules:
        if m.kind == "document":
            module_lines.append(f"Document={m.name}/&H00000000")
        elif m.kind == "class":
            module_lines.append(f"Class={m.name}")
        else:
            module_lines.append(f"Module={m.name}")
    while rest and rest[-1] == "":
        rest.pop()
    workspace = ["", "[Workspace]"] + [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    text = "\r\n".join([head[0], *module_lines, *head[1:], *rest, *workspace]) + "\r\n"
    return text.encode(CODEPAGE)


def projectwm_stream(modules: list[Module]) -> bytes:
    out = bytearray()
    for m in modules:
        out += m.name.encode(CODEPAGE) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


# --- the template and xlwings sources ----------------------------------------------------------------------------

@dataclass(frozen=True)
class XlwingsSources:
    version: str
    template: bytes        # quickstart_addin_ribbon.xlam
    custom_addin_bas: str  # xlwings_custom_addin.bas
    dictionary_cls: str    # addin/Dictionary.cls


def xlwings_sources() -> XlwingsSources:
    """Read the add-in template and VBA sources from the installed xlwings package."""
    try:
        import xlwings
    except ImportError:  # pragma: no cover - xlwings is a dependency
        raise BuildError("xlwings is not installed; run: pip install partnerxl") from None
    root = resources.files("xlwings")
    try:
        return XlwingsSources(
            version=xlwings.__version__,
            template=(root / "quickstart_addin_ribbon.xlam").read_bytes(),
            custom_addin_bas=(root / "xlwings_custom_addin.bas").read_bytes().decode("utf-8"),
            dictionary_cls=(root / "addin" / "Dictionary.cls").read_bytes().decode("utf-8"),
        )
    except OSError as exc:
        raise BuildError(f"the installed xlwings {xlwings.__version__} lacks a file the build needs "
                         f"({exc.filename}); reinstall it with: pip install partnerxl") from None


def xlwings_module(text: str) -> Module:
    """xlwings' custom add-in module with PROJECT_NAME set to partnerxl."""
    const = f'Public Const PROJECT_NAME As String = "{TEMPLATE_PROJECT_NAME}"'
    if text.count(const) != 1:
        raise BuildError(f"xlwings_custom_addin.bas no longer contains the line '{const}'; this xlwings version "
                         "is not supported by the add-in build (pyproject.toml pins the supported one)")
    return bas_module(text.replace(const, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"'),
                      "xlwings_custom_addin.bas")


def _read_template_vba(vba_bin: bytes) -> tuple[list[tuple[int, bytes]], list[dict], dict[str, str], str]:
    try:
        import olefile  # reads the template's compound file; only building the add-in needs it
    except ImportError:
        raise BuildError("building the add-in needs olefile: pip install olefile") from None
    ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    try:
        records = parse_dir(decompress(ole.openstream("VBA/dir").read()))
        modules = template_modules(records)
        sources = {}
        for m in modules:
            raw = ole.openstream(f"VBA/{m['stream']}").read()
            sources[m["name"]] = decompress(raw[m["offset"]:]).decode(CODEPAGE)
        project = ole.openstream("PROJECT").read().decode(CODEPAGE)
    finally:
        ole.close()
    return records, modules, sources, project


# --- ribbon ------------------------------------------------------------------------------------------------------

def ribbon_callbacks(xml: bytes, where: str = "customUI.xml") -> tuple[str, list[str], list[str]]:
    """(namespace, control ids, onAction callbacks) of a ribbon XML; raises BuildError if it is malformed."""
    try:
        root = SafeET.fromstring(xml)
    except SafeET.ParseError as exc:
        raise BuildError(f"is not well-formed XML ({exc})", file=where) from None
    match = re.match(r"\{(.*)\}customUI$", root.tag)
    if not match or match.group(1) not in CUSTOMUI_PARTS:
        raise BuildError("the root element must be customUI in the 2006/01 or 2009/07 customui namespace",
                         file=where)
    ids, actions = [], []
    for el in root.iter():
        if el.get("id") is not None:  # custom controls' ids (idMso names built-in controls and may repeat)
            ids.append(el.get("id"))
        if el.get("onAction"):
            actions.append(el.get("onAction"))
    return match.group(1), ids, actions


_SUB_RE = re.compile(r"^(?:Public\s+|Private\s+)?Sub\s+([A-Za-z][A-Za-z0-9_]*)\s*\(([^)]*)\)", re.M | re.I)


def subs(source: str) -> dict[str, str]:
    """Sub name -> parameter list, for the Subs of a module."""
    return {m.group(1): " ".join(m.group(2).split()) for m in _SUB_RE.finditer(source.replace("\r\n", "\n"))}


def check_callbacks(actions: list[str], ids: list[str], modules: list[Module], where: str) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise BuildError(f"control ids must be unique; repeated: {', '.join(dupes)}", file=where)
    by_module = {m.name: subs(m.source) for m in modules if m.kind == "procedural"}
    for action in actions:
        module, _, sub = action.rpartition(".")
        found = [(name, params) for name, table in by_module.items() if (not module or name == module)
                 for s, params in table.items() if s.lower() == sub.lower()]
        if not found:
            raise BuildError(f"onAction=\"{action}\" has no Sub {sub} in the add-in's modules", file=where)
        if found[0][1].lower() != "control as iribboncontrol":
            raise BuildError(f"Sub {sub} must be declared as Sub {sub}(control As IRibbonControl)", file=where)


# --- package -----------------------------------------------------------------------------------------------------

def _content_types(template: bytes, main_type: str) -> bytes:
    text = template.decode("utf-8")
    text, n = re.subn(r'(<Override PartName="/xl/workbook.xml" ContentType=")[^"]*(")', rf"\g<1>{main_type}\g<2>", text)
    if n != 1 or f'PartName="/xl/vbaProject.bin" ContentType="{CT_VBA}"' not in text:
        raise BuildError("the xlwings template's [Content_Types].xml is not as expected")
    return text.encode("utf-8")


def _root_rels(customui_part: str, customui_rel: str) -> bytes:
    rels = [("rId1", REL_OFFICE_DOCUMENT, "xl/workbook.xml"), ("rId2", REL_CORE, "docProps/core.xml"),
            ("rId3", REL_EXTENDED, "docProps/app.xml"), ("rId4", customui_rel, customui_part)]
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{p}"/>' for i, t, p in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{body}</Relationships>").encode("utf-8")


def _core_xml(xlwings_version: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>PartnerXL</dc:title>"
            "<dc:subject>Partnership governance for councils</dc:subject>"
            "<dc:creator>PartnerXL</dc:creator>"
            f"<dc:description>PartnerXL Excel add-in, built by partnerxl addin build with xlwings {xlwings_version}."
            "</dc:description>"
            "</cp:coreProperties>").encode("utf-8")


def _workbook_xml(template: bytes) -> bytes:
    text = template.decode("utf-8")
    old, new = f'<sheet name="_{TEMPLATE_PROJECT_NAME}.conf"', f'<sheet name="_{PROJECT_NAME}.conf"'
    if text.count(old) != 1:
        raise BuildError(f"the xlwings template's workbook has no _{TEMPLATE_PROJECT_NAME}.conf sheet")
    text = text.replace(old, new)
    # The template records the folder it was last saved in (x15ac:absPath); it means nothing here.
    text = re.sub(r"<mc:AlternateContent [^>]*><mc:Choice Requires=\"x15\"><x15ac:absPath [^>]*/></mc:Choice>"
                  r"</mc:AlternateContent>", "", text)
    return text.encode("utf-8")


def zip_parts(parts: list[tuple[str, bytes]]) -> bytes:
    """A zip of `parts` in the given order, stored, with fixed timestamps and attributes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data)
    return buf.getvalue()


# --- the build ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Addin:
    data: bytes                 # the .xlam file
    modules: list[Module]       # in the order of the VBA project
    vba_project: bytes          # xl/vbaProject.bin
    customui_part: str


def read_sources(src_dir: Path) -> tuple[bytes, list[Module]]:
    src_dir = Path(src_dir)
    if not src_dir.is_dir():
        raise BuildError("is not a folder; give the add-in sources' folder (addin/src)", file=str(src_dir))
    ui_path = src_dir / "customUI.xml"
    try:
        ui = ui_path.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read the ribbon XML ({exc.strerror})", file=str(ui_path)) from None
    # LF line endings whatever the checkout did (git's autocrlf on Windows), so every checkout builds the same bytes
    ui = ui.replace(b"\r\n", b"\n")
    modules = []
    for path in sorted(src_dir.glob("*.bas")):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise BuildError(f"cannot read the module ({exc})", file=str(path)) from None
        module = bas_module(text, str(path))
        if module.name.lower() != path.stem.lower():
            raise BuildError(f'VB_Name "{module.name}" must match the file name', file=str(path))
        modules.append(module)
    if not modules:
        raise BuildError("holds no .bas module", file=str(src_dir))
    return ui, modules


def build_addin_bytes(src_dir: Path | str, xlw: XlwingsSources | None = None, *,
                      main_content_type: str = CT_ADDIN) -> Addin:
    """Build the add-in in memory. `main_content_type` CT_XLSM gives a macro-enabled workbook instead (for tests:
    LibreOffice refuses the add-in content type)."""
    xlw = xlw or xlwings_sources()
    ui, own_modules = read_sources(Path(src_dir))
    try:
        template = zipfile.ZipFile(io.BytesIO(xlw.template))
        parts = {name: template.read(name) for name in template.namelist()}
    except (zipfile.BadZipFile, KeyError) as exc:
        raise BuildError(f"the xlwings add-in template cannot be read ({exc})") from None

    records, tmpl_modules, tmpl_sources, tmpl_project = _read_template_vba(parts["xl/vbaProject.bin"])
    xlwings_mod = xlwings_module(xlw.custom_addin_bas)
    dictionary = cls_module(xlw.dictionary_cls, "xlwings/addin/Dictionary.cls")
    modules: list[Module] = []
    for tm in tmpl_modules:
        name = tm["name"]
        if name == TEMPLATE_RIBBON_MODULE:
            modules += own_modules
        elif name == xlwings_mod.name:
            modules.append(xlwings_mod)
        elif name == dictionary.name:
            modules.append(dictionary)
        elif tm["type"] == 0x0022 and tmpl_sources[name].startswith(f'Attribute VB_Name = "{name}"'):
            modules.append(Module(name, "document", crlf(tmpl_sources[name]), tm["docstring"]))
        else:
            raise BuildError(f"the xlwings add-in template has an unexpected VBA module {name}")
    if not any(m in modules for m in own_modules):
        raise BuildError(f"the xlwings add-in template has no {TEMPLATE_RIBBON_MODULE} module to replace")
    names = [m.name.lower() for m in modules]
    clash = sorted({n for n in names if names.count(n) > 1} | ({VBA_PROJECT_NAME.lower()} & set(names)))
    if clash:
        raise BuildError(f"module names must be unique and differ from the project name: {', '.join(clash)}")

    namespace, ids, actions = ribbon_callbacks(ui)
    check_callbacks(actions, ids, modules, "customUI.xml")
    customui_part, customui_rel = CUSTOMUI_PARTS[namespace]

    info = [(rid, payload) for rid, payload in records[:_index(records, _PROJECTMODULES)]]
    info = [(rid, VBA_PROJECT_NAME.encode(CODEPAGE) if rid == _PROJECTNAME else payload) for rid, payload in info]
    dir_stream = compress(write_dir(info + module_records(modules)))
    vba_tree = {
        "PROJECT": project_stream(tmpl_project, modules, VBA_PROJECT_NAME),
        "PROJECTwm": projectwm_stream(modules),
        "VBA": {
            "_VBA_PROJECT": VBA_PROJECT_STREAM,
            "dir": dir_stream,
            **{m.name: compress(m.source.encode(CODEPAGE)) for m in modules},
        },
    }
    vba_bin = write_cfb(vba_tree)

    package = [
        ("[Content_Types].xml", _content_types(parts["[Content_Types].xml"], main_content_type)),
        ("_rels/.rels", _root_rels(customui_part, customui_rel)),
        ("docProps/core.xml", _core_xml(xlw.version)),
        ("xl/workbook.xml", _workbook_xml(parts["xl/workbook.xml"])),
        *[(name, parts[name]) for name in _TEMPLATE_PARTS],
        ("xl/vbaProject.bin", vba_bin),
        (customui_part, ui),
    ]
    return Addin(zip_parts(package), modules, vba_bin, customui_part)


def _index(records: list[tuple[int, bytes]], rid: int) -> int:
    for i, (r, _) in enumerate(records):
        if r == rid:
            return i
    raise BuildError("the xlwings template's VBA dir stream has no module list")


def build_addin(src_dir: Path | str = "addin/src", out: Path | str = "addin/partnerxl.xlam") -> Path:
    """Build the add-in from `src_dir` and write it to `out`. Returns the path written."""
    addin = build_addin_bytes(src_dir)
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(addin.data)
    except OSError as exc:
        raise BuildError(f"cannot write the add-in ({exc.strerror}); if it is open in Excel, close it first",
                         file=str(out)) from None
    return out
