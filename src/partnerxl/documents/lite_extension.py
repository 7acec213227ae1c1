"""The xlwings Lite scripts inside a workbook: the Office web extension Lite keeps its code in, added to a saved .xlsx.

xlwings Lite (Office add-in store id wa200008175) keeps a workbook's `main.py` and `requirements.txt` in the file
itself, as the settings of an Office web extension. Checked against five public workbooks saved by Lite
(amararun/xlwings-lite-apps-codes-docs), a workbook carries:

- `xl/webextensions/webextension1.xml` (content type application/vnd.ms-office.webextension+xml): the add-in's
  `<we:reference id="wa200008175" … storeType="OMEX"/>` and one `<we:property>` per setting, named `main.py`,
  `pyodideVersion`, `addinVersion` and `requirements.txt`, each value a JSON-encoded string (with `/` written `\\/`,
  as Office writes it) in an XML attribute;
- `xl/webextensions/taskpanes.xml` (…webextensiontaskpanes+xml), related from `_rels/.rels`, which docks Lite's
  pane on the right (closed, `visibility="0"`, as in every saved workbook: the officer opens it from the Home tab),
  and `xl/webextensions/_rels/taskpanes.xml.rels`, relating the pane to the extension.

`with_extension` adds these parts to a package's parts (a zip rewrite, deterministic: the same files give the same
bytes), or, when the workbook already has Lite's extension, changes only the settings given and keeps the rest (an
officer's other settings, the extension's id). openpyxl drops parts it does not know when it saves a copy, so the
templates (templates.py), the workbooks filled from them (fill.py) and collate's copy of a review (collated.py)
pass through here after openpyxl has saved them.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from partnerxl.documents.lite_files import lite_files

LITE_STORE_ID = "wa200008175"           # xlwings Lite in the Office add-in store
STORE_LOCALE = "en-GB"                  # the store the add-in is looked up in (saved workbooks name the saver's)
PYODIDE_VERSION = "0.27.5"              # as Lite writes it today; the versions the Lite tests also run against
ADDIN_VERSION = "1.0.0.0-18"
EXTENSION_GUID = "{5C1E4A71-7B1D-4E0C-9F3A-50A27E7B1C01}"  # fixed, so two builds give the same bytes

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
WE_NS = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
WETP_NS = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"

FOLDER = "xl/webextensions/"
TASKPANES = FOLDER + "taskpanes.xml"
TASKPANES_RELS = FOLDER + "_rels/taskpanes.xml.rels"
ROOT_RELS = "_rels/.rels"
CONTENT_TYPES = "[Content_Types].xml"
PROPERTY = re.compile(r'<we:property name="([^"]*)" value="([^"]*)"\s*/>')

Parts = list[tuple[str, bytes]]


# --- the settings' encoding -----------------------------------------------------------------------------------------

def encode_value(text: str) -> str:
    """A setting as Lite stores it: a JSON string (`/` as `\\/`, as Office writes it), escaped for an attribute."""
    data = json.dumps(text, ensure_ascii=False).replace("/", "\\/")
    return data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def decode_value(attribute: str) -> Any:
    return json.loads(html.unescape(attribute))


def settings_of(webextension: bytes) -> dict[str, Any]:
    """Every `<we:property>` of a webextension part, decoded."""
    return {name: decode_value(value) for name, value in PROPERTY.findall(webextension.decode("utf-8"))}


def _property(name: str, text: str) -> str:
    return f'<we:property name="{html.escape(name)}" value="{encode_value(text)}"/>'


# --- the three parts ------------------------------------------------------------------------------------------------

def webextension_xml(files: dict[str, str]) -> bytes:
    """Lite's webextension part with `files` (main.py, requirements.txt), in the order Lite writes its settings."""
    settings = {"main.py": "", "pyodideVersion": PYODIDE_VERSION, "addinVersion": ADDIN_VERSION,
                "requirements.txt": ""}
    settings.update(files)
    props = "".join(_property(k, v) for k, v in settings.items())
    return (f'{DECLARATION}<we:webextension xmlns:we="{WE_NS}" id="{EXTENSION_GUID}">'
            f'<we:reference id="{LITE_STORE_ID}" version="1.0.0.0" store="{STORE_LOCALE}" storeType="OMEX"/>'
            f'<we:alternateReferences><we:reference id="{LITE_STORE_ID.upper()}" version="1.0.0.0" '
            f'store="{LITE_STORE_ID.upper()}" storeType="OMEX"/></we:alternateReferences>'
            f'<we:properties>{props}</we:properties><we:bindings/><we:snapshot xmlns:r="{R_NS}"/>'
            '</we:webextension>').encode("utf-8")


def _taskpane(rel_id: str) -> str:
    return (f'<wetp:taskpane dockstate="right" visibility="0" width="350" row="2"><wetp:webextensionref '
            f'xmlns:r="{R_NS}" r:id="{rel_id}"/></wetp:taskpane>')


def taskpanes_xml(rel_id: str = "rId1") -> bytes:
    return f'{DECLARATION}<wetp:taskpanes xmlns:wetp="{WETP_NS}">{_taskpane(rel_id)}</wetp:taskpanes>'.encode()


def _relationship(rel_id: str, rel_type: str, target: str) -> str:
    return f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'


def relationships_xml(*relationships: str) -> bytes:
    return f'{DECLARATION}<Relationships xmlns="{RELS_NS}">{"".join(relationships)}</Relationships>'.encode()


# --- adding them to a package ---------------------------------------------------------------------------------------

def lite_part(parts: Parts) -> str | None:
    """The name of the part that holds xlwings Lite's settings, if the package has one."""
    for name, data in parts:
        if name.startswith(FOLDER) and name.endswith(".xml") and f'id="{LITE_STORE_ID}"'.encode() in data.lower():
            return name
    return None


def _free_rel_id(xml: bytes) -> str:
    used = {int(n) for n in re.findall(rb'Id="rId(\d+)"', xml)}
    return f"rId{max(used, default=0) + 1}"


def _insert_before(data: bytes, closing: bytes, text: str) -> bytes:
    at = data.rindex(closing)
    return data[:at] + text.encode("utf-8") + data[at:]


def _with_settings(data: bytes, files: dict[str, str]) -> bytes:
    """An existing Lite part with `files`' settings replaced (or added) and everything else kept as it was."""
    text = data.decode("utf-8")
    for name, value in files.items():
        new = _property(name, value)
        pattern = re.compile(rf'<we:property name="{re.escape(html.escape(name))}" value="[^"]*"\s*/>')
        text = pattern.sub(lambda _m: new, text, count=1) if pattern.search(text) else \
            text.replace("</we:properties>", new + "</we:properties>", 1)
    return text.encode("utf-8")


def with_extension(parts: Parts, files: dict[str, str] | None = None) -> Parts:
    """The package's parts with xlwings Lite's scripts: `files` (default PartnerXL's main.py and requirements.txt)
    in the workbook's Lite settings, which are added (three parts, a content type each, a relationship) if the
    workbook has none."""
    files = files if files is not None else lite_files()
    out = dict(parts)
    existing = lite_part(parts)
    if existing:
        out[existing] = _with_settings(out[existing], files)
        return [(name, out[name]) for name, _ in parts]
    number = 1
    while f"{FOLDER}webextension{number}.xml" in out:
        number += 1
    part = f"webextension{number}.xml"
    out[FOLDER + part] = webextension_xml(files)
    types = out[CONTENT_TYPES]
    types = _insert_before(types, b"</Types>", f'<Override PartName="/{FOLDER}{part}" ContentType="{CT_WEBEXTENSION}"/>')
    if TASKPANES in out:  # another add-in's pane is docked already: dock Lite's beside it
        rels = out.get(TASKPANES_RELS) or relationships_xml()
        rel_id = _free_rel_id(rels)
        out[TASKPANES_RELS] = _insert_before(rels, b"</Relationships>", _relationship(rel_id, REL_WEBEXTENSION, part))
        out[TASKPANES] = _insert_before(out[TASKPANES], b"</wetp:taskpanes>", _taskpane(rel_id))
    else:
        out[TASKPANES] = taskpanes_xml()
        out[TASKPANES_RELS] = relationships_xml(_relationship("rId1", REL_WEBEXTENSION, part))
        types = _insert_before(types, b"</Types>", f'<Override PartName="/{TASKPANES}" ContentType="{CT_TASKPANES}"/>')
        root = out[ROOT_RELS]
        out[ROOT_RELS] = _insert_before(root, b"</Relationships>",
                                        _relationship(_free_rel_id(root), REL_TASKPANES, TASKPANES))
    out[CONTENT_TYPES] = types
    names = [name for name, _ in parts]
    return [(name, out[name]) for name in names + [n for n in out if n not in names]]


def carry_extension(parts: Parts, source: Parts) -> Parts:
    """`parts` with the web extension parts of `source` (Lite's and any other add-in's) copied verbatim, with their
    content types and the relationship that docks their panes: for a copy openpyxl saved without them. Parts that
    already have web extensions, or a source without any, are returned as they are."""
    carried = [(name, data) for name, data in source if name.startswith(FOLDER)]
    if not carried or any(name.startswith(FOLDER) for name, _ in parts):
        return parts
    out = dict(parts)
    src = dict(source)
    overrides = re.findall(rb'<Override PartName="/xl/webextensions/[^"]+" ContentType="[^"]+"\s*/>',
                           src.get(CONTENT_TYPES, b""))
    out[CONTENT_TYPES] = _insert_before(out[CONTENT_TYPES], b"</Types>", b"".join(overrides).decode())
    if TASKPANES in src:
        out[ROOT_RELS] = _insert_before(out[ROOT_RELS], b"</Relationships>",
                                        _relationship(_free_rel_id(out[ROOT_RELS]), REL_TASKPANES, TASKPANES))
    return [*((name, out[name]) for name, _ in parts), *carried]


# --- on files -------------------------------------------------------------------------------------------------------

def read_parts(path: Path) -> Parts:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info.filename)) for info in zf.infolist()]


def write_parts(path: Path, parts: Parts) -> None:
    """The parts as a zip, deterministically: fixed timestamps and permissions, deflated, in the order given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def lite_settings(path: str | Path) -> dict[str, Any]:
    """The xlwings Lite settings a workbook carries (main.py, requirements.txt, …); {} when it carries none."""
    parts = read_parts(Path(path))
    name = lite_part(parts)
    return settings_of(dict(parts)[name]) if name else {}


def attach(path: str | Path, files: dict[str, str] | None = None, *, out: str | Path | None = None) -> Path:
    """Give the workbook at `path` xlwings Lite's scripts (PartnerXL's unless `files` are given), atomically;
    nothing else in the file changes. Written to `out` when given (a copy: the officer's workbook is left as it
    is), else in place (for workbooks PartnerXL itself has just written)."""
    from partnerxl.storage.writing import atomic_write

    parts = with_extension(read_parts(Path(path)), files)
    return atomic_write(Path(out or path), lambda tmp: write_parts(tmp, parts))


def save_keeping_extension(workbook: Any, out_path: Path, source: Path) -> Path:
    """Save an openpyxl workbook loaded from `source` to `out_path` atomically, with the web extensions `source`
    carries (openpyxl drops them): a copy keeps the xlwings Lite scripts of its original as they are, a council's
    own requirements.txt among them. A source without scripts gives a copy without."""
    from partnerxl.storage.writing import atomic_write

    source_parts = read_parts(Path(source))

    def write(tmp: Path) -> None:
        workbook.save(tmp)
        if any(name.startswith(FOLDER) for name, _ in source_parts):
            write_parts(tmp, carry_extension(read_parts(tmp), source_parts))

    return atomic_write(Path(out_path), write)
