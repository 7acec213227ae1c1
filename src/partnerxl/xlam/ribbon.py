"""The ribbon XML (addin/src/customUI.xml): its namespace, and a check that every button has its VBA callback."""

from __future__ import annotations

import re

from defusedxml import ElementTree as SafeET

from partnerxl.xlam.errors import BuildError
from partnerxl.xlam.vba_modules import Module

NS_CUSTOMUI_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
NS_CUSTOMUI_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
# The relationship type and part name Office expects for each ribbon XML namespace.
CUSTOMUI_PARTS = {
    NS_CUSTOMUI_2006: ("customUI/customUI.xml", "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"),
    NS_CUSTOMUI_2009: ("customUI/customUI14.xml", "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"),
}


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
