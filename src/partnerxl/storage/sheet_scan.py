"""What a sheet's part holds that the value readers do not show, read once per sheet before its values are.

- how far it reaches (storage.declared.check_sheet): a sheet reaching further than any PartnerXL sheet is refused
  before a reader sizes its memory by it;
- formula cells saved without a result and
- Excel's error values (#N/A, #DIV/0!, #REF!, …): python-calamine reads such a cell as blank and openpyxl as the
  text '#N/A', so either would be a guess. The file says it plainly (`<c t="e"><v>#N/A</v></c>`), so they are
  found here, whichever engine reads the values, and held by the Grid (sheets/grid.py) as `ErrorValue`s; both in one
  pass over the sheet's XML (storage.formulas.cell_facts).

Only parts that passed `opening.check_file` are read; a part with neither a formula nor an error is never parsed.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from partnerxl.core.values import ErrorValue
from partnerxl.storage.declared import check_sheet
from partnerxl.storage.formulas import cell_facts, sheet_parts


@dataclass
class SheetFacts:
    uncalculated: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], ErrorValue] = field(default_factory=dict)


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
        return SheetFacts(*cell_facts(data))

    def close(self) -> None:
        if self._zip is not None and self._own:
            self._zip.close()
        self._zip = None
        self._read = {}
