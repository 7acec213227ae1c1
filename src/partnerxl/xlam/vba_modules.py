"""VBA modules as the build stores them: read from exported .bas and .cls text, normalised to what the VBA editor
itself would store."""

from __future__ import annotations

import re
from dataclasses import dataclass

from partnerxl.xlam.errors import BuildError

CODEPAGE = "cp1252"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"  # VB_Base of a VBA class module


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
