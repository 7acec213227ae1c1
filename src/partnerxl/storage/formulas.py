"""Formula cells saved without their result: where a workbook written by a script (openpyxl, not Excel) holds a
formula whose value was never calculated.

Excel stores each formula's last result beside it (`<c><f>B2*2</f><v>24</v></c>`) and the readers use that
result; a script that writes `=B2*2` stores the formula alone (`<v/>`), so every reader sees a blank cell. Left
alone, a contribution formula would be silently blank and a filled-in name reported as missing. This module finds
those cells so the readers can say, at the cell, "open and save it in Excel so its value is calculated".

Only parts that passed `opening.check_file` (no DTD, no entities, within the size limit) are parsed, and a part with
no formula element at all — every workbook Excel or PartnerXL writes for officers to fill — is never parsed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree.ElementTree import ParseError, fromstring, iterparse

from partnerxl.sheets.cells import parse_a1

_ANY_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
# A formula whose result is text that is empty: Excel itself writes `t="str"` with an empty `<v>`.
_TEXT_RESULT = ("str", "inlineStr")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # transitional and strict OOXML use different namespaces


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip part holding its cells, from the workbook and its relationships."""
    targets: dict[str, str] = {}
    for el in _elements(zf.read("xl/_rels/workbook.xml.rels")):
        if _local(el.tag) == "Relationship" and el.get("Id") and el.get("Target"):
            targets[el.get("Id")] = el.get("Target")
    parts: dict[str, str] = {}
    for el in _elements(zf.read("xl/workbook.xml")):
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid or "")
        if el.get("name") is not None and target:
            parts[el.get("name")] = (target.lstrip("/") if target.startswith("/")
                                     else posixpath.normpath(posixpath.join("xl", target)))
    return parts


def _elements(data: bytes) -> list:
    """Every element of a small part, each after its children (the order iterparse's end events give)."""
    out: list = []

    def walk(el) -> None:
        for child in el:
            walk(child)
        out.append(el)

    walk(fromstring(data))
    return out


def uncalculated_cells(data: bytes) -> set[tuple[int, int]]:
    """0-based (row, col) of every formula cell in a worksheet part that has no stored result."""
    if (b"f>" not in data and b"<f " not in data) or not _ANY_FORMULA.search(data):
        return set()  # the plain `in` tests are memchr-fast; the pattern only confirms what they let through
    found: set[tuple[int, int]] = set()
    row, col = -1, -1
    try:
        for event, el in iterparse(io.BytesIO(data), events=("start", "end")):
            name = _local(el.tag)
            if event == "start":
                if name == "row":
                    row, col = _index(el.get("r"), row), -1
                continue
            if name == "c":
                row, col = _position(el.get("r"), row, col)
                if _without_result(el):
                    found.add((row, col))
                el.clear()
    except ParseError:
        pass  # the value reader already accepted this part; a tail it cannot read adds no formula to report
    return found


def _index(number: str | None, previous: int) -> int:
    return int(number) - 1 if number and number.isdigit() else previous + 1


def _position(ref: str | None, row: int, col: int) -> tuple[int, int]:
    """A cell's (row, col): from its `r` attribute, or (the attribute being optional) the one after the last."""
    if ref:
        try:
            return parse_a1(ref)
        except ValueError:
            pass
    return row, col + 1


def _without_result(cell) -> bool:
    children = {_local(child.tag): child for child in cell}
    if "f" not in children or "is" in children:
        return False
    value = children.get("v")
    if value is not None and value.text:
        return False
    return value is None or cell.get("t") not in _TEXT_RESULT


class FormulaScan:
    """The formula cells without a result, sheet by sheet, of one workbook file (the zip opened once, on demand)."""

    def __init__(self, path):
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._parts: dict[str, str] | None = None

    def sheet(self, sheet_name: str) -> set[tuple[int, int]]:
        if self._zip is None:
            self._zip = zipfile.ZipFile(self.path)
            self._parts = sheet_parts(self._zip)
        part = (self._parts or {}).get(sheet_name)
        if part is None:
            return set()
        return uncalculated_cells(self._zip.read(part))

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

