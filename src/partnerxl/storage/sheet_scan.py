"""What a sheet's part holds that the value readers do not show, read once per sheet before its values are.

- how far it reaches (storage.declared.check_sheet): a sheet reaching further than any PartnerXL sheet is refused
  before a reader sizes its memory by it;
- formula cells saved without a result (storage.formulas.uncalculated_cells);
- Excel's error values (#N/A, #DIV/0!, #REF!, …): python-calamine reads such a cell as blank and openpyxl as the
  text '#N/A', so either would be a guess. The file says it plainly (`<c t="e"><v>#N/A</v></c>`), so they are
  found here, whichever engine reads the values, and held by the Grid (sheets/grid.py) as `ErrorValue`s.

Only parts that passed `opening.check_file` are read; a part without a cell of type "e" is never parsed for them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from partnerxl.core.values import ErrorValue
from partnerxl.sheets.cells import parse_a1
from partnerxl.storage.declared import check_sheet
from partnerxl.storage.formulas import sheet_parts, uncalculated_cells

_ERROR_TYPE = re.compile(rb"\bt\s*=\s*[\"']e[\"']")


@dataclass
class SheetFacts:
    uncalculated: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], ErrorValue] = field(default_factory=dict)


def error_cells(data: bytes) -> dict[tuple[int, int], ErrorValue]:
    """0-based (row, col) → the error value, for every cell of type "e" in a worksheet part."""
    if (b'"e"' not in data and b"'e'" not in data) or not _ERROR_TYPE.search(data):
        return {}  # the plain `in` tests are memchr-fast; the pattern only confirms what they let through
    found: dict[tuple[int, int], ErrorValue] = {}
    row, col = -1, -1
    try:
        for event, el in iterparse(io.BytesIO(data), events=("start", "end")):
            name = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                if name == "row":
                    number = el.get("r")
                    row, col = (int(number) - 1 if number and number.isdigit() else row + 1), -1
                continue
            if name == "c":
                row, col = _position(el.get("r"), row, col)
                if el.get("t") == "e":
                    value = next((ch.text for ch in el if ch.tag.rsplit("}", 1)[-1] == "v"), None)
                    found[(row, col)] = ErrorValue((value or "").strip() or "#VALUE!")
                el.clear()
    except ParseError:
        pass  # the value reader accepted this part; a tail it cannot read holds no error to report
    return found


def _position(ref: str | None, row: int, col: int) -> tuple[int, int]:
    """A cell's (row, col): from its `r` attribute, or (the attribute being optional) the one after the last."""
    if ref:
        try:
            return parse_a1(ref)
        except ValueError:
            pass
    return row, col + 1


class SheetScan:
    """The facts of each sheet of one workbook file, sheet by sheet (the zip opened once, on demand).

    `checked` is the zip `opening.checked_zip` already opened (then it is the caller's to close) and `parts` the
    worksheet parts it read whole (part name → bytes): the sheets are then neither opened nor unpacked again."""

    def __init__(self, path: Path, label: str, checked: zipfile.ZipFile | None = None,
                 parts: dict[str, bytes] | None = None):
        self.path = path
        self.label = label
        self._zip: zipfile.ZipFile | None = checked
        self._own = checked is None
        self._read = parts or {}
        self._parts: dict[str, str] | None = None

    def sheet(self, sheet_name: str) -> SheetFacts:
        """PartnerXLError if the sheet reaches too far; KeyError, OSError, … if its part cannot be followed."""
        if self._zip is None:
            self._zip = zipfile.ZipFile(self.path)
        if self._parts is None:
            self._parts = sheet_parts(self._zip)
        part = self._parts.get(sheet_name)
        if part is None:
            return SheetFacts()
        data = self._read.pop(part, None)
        if data is None:
            data = self._zip.read(part)
        check_sheet(data, sheet_name, self.label)
        return SheetFacts(uncalculated_cells(data), error_cells(data))

    def close(self) -> None:
        if self._zip is not None and self._own:
            self._zip.close()
        self._zip = None
        self._read = {}
