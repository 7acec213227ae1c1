"""Errors a user can act on.

`PartnerXLError` is raised for anything a person must fix (a file that cannot be read, a malformed instrument,
an output that is open in Excel). The CLI and the add-in turn it into one plain line or message box; they never
show a traceback. Findings about the *contents* of a workbook are not exceptions: they are collected as
`Finding` records (see validation.py) so a run reports every problem at once.
"""

from __future__ import annotations


class PartnerXLError(Exception):
    """A problem the user can fix. `str()` is the whole message: what is wrong, where, and what to do."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None, cell: str | None = None):
        self.file = file
        self.sheet = sheet
        self.cell = cell
        where = ", ".join(
            part for part in (
                f"file '{file}'" if file else "",
                f"sheet '{sheet}'" if sheet else "",
                f"cell {cell}" if cell else "",
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)
