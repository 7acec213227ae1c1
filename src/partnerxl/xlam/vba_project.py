"""The VBA project (xl/vbaProject.bin), written source-only as [MS-OVBA] §2.3.4.1 prescribes for writers.

The `_VBA_PROJECT` stream is the 7-byte header with version 0xFFFF and no performance cache, and every module
stream is the module's compressed source at offset 0, so Excel compiles the project from source when it opens the
add-in. The `dir` stream keeps the template's project information and references and gets new module records; the
`PROJECT` and `PROJECTwm` streams are regenerated to list the same modules.
"""

from __future__ import annotations

import struct

from partnerxl.xlam.cfb import write_cfb
from partnerxl.xlam.errors import BuildError
from partnerxl.xlam.ovba import compress
from partnerxl.xlam.vba_modules import CODEPAGE, Module

VBA_PROJECT_STREAM = b"\xcc\x61\xff\xff\x00\x01\x00"  # Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0001

Records = list[tuple[int, bytes]]

# --- the dir stream ([MS-OVBA] §2.3.4.2) -------------------------------------------------------------------------

_PROJECTVERSION = 0x0009
_PROJECTNAME = 0x0004
_PROJECTMODULES = 0x000F
_DIR_TERMINATOR = 0x0010


def parse_dir(data: bytes) -> Records:
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


def write_dir(records: Records) -> bytes:
    out = bytearray()
    for rid, payload in records:
        size = 4 if rid == _PROJECTVERSION else len(payload)
        out += struct.pack("<HI", rid, size) + payload
    return bytes(out)


def template_modules(records: Records) -> list[dict]:
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


def module_records(modules: list[Module]) -> Records:
    """PROJECTMODULES (§2.3.4.2.3) for source-only modules (MODULEOFFSET 0, cookies 0xFFFF as on write)."""
    recs: Records = [(_PROJECTMODULES, struct.pack("<H", len(modules))), (0x0013, struct.pack("<H", 0xFFFF))]
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


def _project_information(records: Records, project_name: str) -> Records:
    """The template's records up to its module list, renamed to `project_name`."""
    end = next((i for i, (rid, _) in enumerate(records) if rid == _PROJECTMODULES), None)
    if end is None:
        raise BuildError("the xlwings template's VBA dir stream has no module list")
    return [(rid, project_name.encode(CODEPAGE) if rid == _PROJECTNAME else payload) for rid, payload in records[:end]]


# --- PROJECT and PROJECTwm streams (§2.3.1, §2.3.3) --------------------------------------------------------------

def _module_line(m: Module) -> str:
    if m.kind == "document":
        return f"Document={m.name}/&H00000000"
    if m.kind == "class":
        return f"Class={m.name}"
    return f"Module={m.name}"


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
    module_lines = [_module_line(m) for m in modules]
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


# --- the compound file -------------------------------------------------------------------------------------------

def vba_project_bin(records: Records, template_project: str, modules: list[Module], *, project_name: str) -> bytes:
    """vbaProject.bin holding `modules`, with the project information and references of the template's dir
    `records` and PROJECT stream `template_project`."""
    dir_stream = compress(write_dir(_project_information(records, project_name) + module_records(modules)))
    return write_cfb({
        "PROJECT": project_stream(template_project, modules, project_name),
        "PROJECTwm": projectwm_stream(modules),
        "VBA": {
            "_VBA_PROJECT": VBA_PROJECT_STREAM,
            "dir": dir_stream,
            **{m.name: compress(m.source.encode(CODEPAGE)) for m in modules},
        },
    })
