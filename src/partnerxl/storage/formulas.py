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
from functools import lru_cache
from xml.etree.ElementTree import ParseError, fromstring, iterparse

from partnerxl.core.values import ErrorValue
from partnerxl.sheets.cells import parse_a1

_ANY_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_ERROR_TYPE = re.compile(rb"\bt\s*=\s*[\"']e[\"']")
# A formula whose result is text that is empty: Excel itself writes `t="str"` with an empty `<v>`.
_TEXT_RESULT = ("str", "inlineStr")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # transitional and strict OOXML use different namespaces


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip part holding its cells, from the workbook and its relationships."""
    return dict(_sheet_parts(zf.read("xl/workbook.xml"), zf.read("xl/_rels/workbook.xml.rels")))


@lru_cache(maxsize=16)
def _sheet_parts(workbook: bytes, rels: bytes) -> tuple[tuple[str, str], ...]:
    """Remembered by the two parts' bytes: the workbooks of a portfolio, made from one template, share them, and
    parsing them anew cost as much as the formula scan of all their sheets."""
    targets: dict[str, str] = {}
    for el in _elements(rels):
        if _local(el.tag) == "Relationship" and el.get("Id") and el.get("Target"):
            targets[el.get("Id")] = el.get("Target")
    parts: dict[str, str] = {}
    for el in _elements(workbook):
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid or "")
        if el.get("name") is not None and target:
            parts[el.get("name")] = (target.lstrip("/") if target.startswith("/")
                                     else posixpath.normpath(posixpath.join("xl", target)))
    return tuple(parts.items())


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
    return cell_facts(data)[0]


def cell_facts(data: bytes) -> tuple[set[tuple[int, int]], dict[tuple[int, int], ErrorValue]]:
    """(the formula cells without a stored result, the cells holding an Excel error value → that value) of a
    worksheet part, in one pass over its XML; a part with neither (memchr-fast tests, confirmed by a pattern) is
    never parsed."""
    formulas = (b"f>" in data or b"<f " in data) and bool(_ANY_FORMULA.search(data))
    errors = (b'"e"' in data or b"'e'" in data) and bool(_ERROR_TYPE.search(data))
    uncalculated: set[tuple[int, int]] = set()
    found: dict[tuple[int, int], ErrorValue] = {}
    if not (formulas or errors):
        return uncalculated, found
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
                if formulas and _without_result(el):
                    uncalculated.add((row, col))
                if errors and el.get("t") == "e":
                    value = next((ch.text for ch in el if _local(ch.tag) == "v"), None)
                    found[(row, col)] = ErrorValue((value or "").strip() or "#VALUE!")
                el.clear()
    except ParseError:
        pass  # the value reader already accepted this part; a tail it cannot read adds nothing to report
    return uncalculated, found


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
