"""The live-Excel edge of PartnerXL: reading an open workbook and writing PartnerXL's own sheets through xlwings.

Everything here talks to an `xlwings.Book`, whichever engine is behind it: Excel over COM (the ribbon's
`RunPython`) or xlwings' remote engine (`xlwings.Book(json=...)`, used by xlwings Server and by the tests). Two rules
keep it fast over COM, where every call is a round trip to Excel:

- **read each sheet in one call**: `XlwingsWorkbook.grid()` reads a sheet's used range once and caches it;
- **write each block in one call**: `write_block()` writes a whole table with one `.value =` assignment, and
  `fill_cells()` colours cells in as few ranges as possible.

Only formatting that both engines support is used: values, fill colours, number formats, sheets, autofit, alerts.
Text that comes from users is written so Excel can never take it for a formula (`safe_value`). The only formulas
PartnerXL writes are its own `HYPERLINK` links (`link_formula`).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path, PureWindowsPath
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.sheets.cell_text import typed_text
from partnerxl.sheets.cells import a1

# Longest address Excel accepts in one Range("A1,B3,...") call (COM limit is 255 characters).
_MAX_UNION_ADDRESS = 250


# --- reading ----------------------------------------------------------------------------------------------------

class XlwingsWorkbook:
    """A `WorkbookSource` over a live `xlwings.Book`: one used-range read per sheet, cached.

    `grid(name)` returns the sheet's values as the readers' `Grid`, 0-based from A1 (the used range may start below
    or right of A1), with the same value conventions as the file reader, so readers and validation run on the open
    workbook without knowing where the values came from.
    """

    def __init__(self, book: Any):
        self.book = book
        self._grids: dict[str, Any] = {}
        self._sheet_names: list[str] | None = None

    @property
    def path_label(self) -> str:
        """The file name, as the file reader labels findings (the remote engine's name is the full path)."""
        return book_label(self.book)

    def sheet_names(self) -> list[str]:
        if self._sheet_names is None:
            self._sheet_names = [s.name for s in self.book.sheets]
        return list(self._sheet_names)

    def _sheet(self, sheet_name: str) -> Any:
        for s in self.book.sheets:
            if s.name == sheet_name:
                return s
        from partnerxl.sheets.grid import missing_sheet

        raise missing_sheet(self.path_label, sheet_name)

    def grid(self, sheet_name: str) -> Any:
        """The sheet's values as a Grid (0-based from A1), read with one call and cached."""
        if sheet_name not in self._grids:
            self._grids[sheet_name] = read_sheet_grid(self._sheet(sheet_name))
        return self._grids[sheet_name]

    def rows(self, sheet_name: str) -> list[list[Any]]:
        return self.grid(sheet_name).rows


def read_sheet_grid(sheet: Any) -> Any:
    """One read of a sheet's used range, as a Grid 0-based from A1: blanks None, midnight datetimes as dates (as
    the file reader gives them), trailing blank rows dropped. Excel's error values are asked for as text
    (err_to_str: without it xlwings gives None, a silent blank), and the Grid holds them as errors."""
    from partnerxl.sheets.grid import Grid, plain_value

    used = sheet.used_range
    values = used.options(ndim=2, err_to_str=True).value or []
    block = [[plain_value(v) for v in row] for row in values]
    while block and all(v in (None, "") for v in block[-1]):
        block.pop()
    return Grid.from_block(block, used.row - 1, used.column - 1)


# --- where the workbook lives -------------------------------------------------------------------------------------

def book_path(book: Any) -> Path:
    """The saved workbook's full path, or a PartnerXLError asking the officer to save it first."""
    fullname = str(book.fullname)
    if "://" in fullname:
        raise PartnerXLError(
            f"The workbook '{book.name}' is stored online (SharePoint or OneDrive web address), so PartnerXL cannot "
            "find the folder it is in. Open it from a synced folder (in Excel: File > Info > Open in Desktop App, "
            "or use the synced OneDrive folder) and press the button again.")
    is_absolute = Path(fullname).is_absolute() or PureWindowsPath(fullname).is_absolute()
    if not is_absolute:
        raise PartnerXLError(
            f"The workbook '{book.name}' has not been saved yet, so PartnerXL does not know which folder it is in. "
            "Save it (File > Save As) and press the button again.")
    return Path(fullname)


def book_folder(book: Any) -> Path:
    """The folder the workbook is saved in ("next to the register")."""
    return book_path(book).parent


# --- writing ----------------------------------------------------------------------------------------------------

def engine_name(book: Any) -> str:
    try:
        return str(book.app.engine.name)
    except Exception:  # pragma: no cover
        return "excel"


def safe_value(value: Any) -> Any:
    """A value ready for one block write: text that starts like a formula gets Excel's text prefix (')."""
    if value is None:
        return None
    if isinstance(value, str):
        return typed_text(value)  # cut visibly past Excel's limit, as the file writers do
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return safe_value(value.item())
    return safe_value(str(value))


def link_formula(sheet_name: str, a1: str, text: str) -> str:
    """A HYPERLINK formula that jumps to `sheet_name!a1` inside this workbook (written as a value, in one block)."""
    target = "#'" + sheet_name.replace("'", "''") + "'!" + a1
    label = text.replace('"', '""')
    return f'=HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{label}")'


def rectangular(rows: Sequence[Sequence[Any]], *, sanitize: bool = True) -> list[list[Any]]:
    """Rows padded to one width (with None), each value passed through `safe_value` unless sanitize=False."""
    width = max((len(r) for r in rows), default=0)
    out = []
    for r in rows:
        vals = [safe_value(v) for v in r] if sanitize else list(r)
        out.append(vals + [None] * (width - len(vals)))
    return out


def write_block(sheet: Any, top_left: str | tuple[int, int], rows: Sequence[Sequence[Any]], *,
                sanitize: bool = True, raw_columns: Iterable[int] = ()) -> Any:
    """Write a table of values in one call, starting at `top_left` ('A1' or 1-based (row, col)).

    User text is made formula-safe; columns listed in `raw_columns` (0-based) are written as they are (used for
    PartnerXL's own HYPERLINK formulas). Returns the range written, or None when there is nothing to write.
    """
    raw = set(raw_columns)
    if not rows:
        return None
    block = rectangular(rows, sanitize=False)
    if sanitize:
        block = [[v if c in raw else safe_value(v) for c, v in enumerate(r)] for r in block]
    if not block[0]:
        return None
    start = sheet.range(top_left)
    rng = start.resize(len(block), len(block[0]))
    rng.value = block
    return rng


def find_sheet(book: Any, name: str) -> Any | None:
    for s in book.sheets:
        if s.name.casefold() == name.casefold():
            return s
    return None


def owned_sheet(book: Any, name: str, *, after: Any | None = None) -> Any:
    """PartnerXL's own sheet `name`, emptied: cleared (values and formats) if it exists, added at the end if not.

    A second run therefore replaces the first run's output instead of adding "Scores (2)".
    """
    existing = find_sheet(book, name)
    if existing is not None:
        existing.clear()
        return existing
    sheets = book.sheets
    anchor = after if after is not None else _last_visible(book)
    return sheets.add(name=name, after=anchor)


def _last_visible(book: Any) -> Any:
    """The last visible sheet (new owned sheets go after it, before PartnerXL's hidden sheets)."""
    sheets = list(book.sheets)
    for s in reversed(sheets):
        try:
            if s.visible:
                return s
        except Exception:  # a client that does not send sheet visibility: treat the sheet as visible
            return s
    return sheets[-1]


def cell_runs(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Group 0-based (row, col) cells into rectangles (first_row, first_col, last_row, last_col), stable order.

    Consecutive rows of one column become a run; neighbouring columns with the same run become one rectangle, so a
    header row or a whole block costs one call.
    """
    by_col: dict[int, list[int]] = {}
    for r, c in set(cells):
        by_col.setdefault(c, []).append(r)
    runs: dict[tuple[int, int], list[int]] = {}
    for c in sorted(by_col):
        rows = sorted(by_col[c])
        start = prev = rows[0]
        for r in rows[1:] + [None]:  # type: ignore[list-item]
            if r is not None and r == prev + 1:
                prev = r
                continue
            runs.setdefault((start, prev), []).append(c)
            if r is not None:
                start = prev = r
    rects: list[tuple[int, int, int, int]] = []
    for (r0, r1), cols in runs.items():
        c0 = prev_c = cols[0]
        for c in cols[1:] + [None]:  # type: ignore[list-item]
            if c is not None and c == prev_c + 1:
                prev_c = c
                continue
            rects.append((r0, c0, r1, prev_c))
            if c is not None:
                c0 = prev_c = c
    return sorted(rects, key=lambda t: (t[1], t[0]))


def run_address(rect: tuple[int, int, int, int]) -> str:
    """'B3' or 'B3:D9' for a 0-based rectangle (first_row, first_col, last_row, last_col)."""
    r0, c0, r1, c1 = rect
    return a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"


def fill_cells(sheet: Any, cells: Iterable[tuple[int, int]], color: str | tuple[int, int, int] | None) -> int:
    """Colour the given 0-based cells with as few calls as possible; returns the number of calls made.

    Neighbouring cells become one rectangle; over COM (Windows) several rectangles share one call through Excel's
    union address ("B3:B9,D4"). `color=None` removes the fill (Excel over COM); the remote engine cannot
    send "no fill", so there it is written as white.
    """
    runs = [run_address(r) for r in cell_runs(cells)]
    if not runs:
        return 0
    remote = engine_name(sheet.book) != "excel"
    if color is None and remote:
        color = "#FFFFFF"
    calls = 0
    if remote or not sys.platform.startswith("win"):  # union addresses: Excel for Windows (COM) only
        for addr in runs:
            sheet.range(addr).color = color
            calls += 1
        return calls
    batch: list[str] = []
    for addr in runs + [None]:  # type: ignore[list-item]
        if addr is not None and len(",".join(batch + [addr])) <= _MAX_UNION_ADDRESS:
            batch.append(addr)
            continue
        if batch:
            sheet.range(",".join(batch)).color = color
            calls += 1
        batch = [addr] if addr is not None else []
    return calls


def autofit_columns(sheet: Any) -> None:
    try:
        sheet.autofit("columns")
    except Exception:  # pragma: no cover - cosmetic only
        pass


def alert(book: Any, message: str, *, title: str = "PartnerXL", critical: bool = False) -> None:
    """The message box every button ends with (over COM a MsgBox; on xlwings Server the client's alert)."""
    book.app.alert(message, title=title, mode="critical" if critical else "info")


def book_label(book: Any) -> str:
    """The workbook's file name for messages (the remote engine's name may be a full path)."""
    name = str(book.name)
    return PureWindowsPath(name).name if ("\\" in name or "/" in name) else name


def format_cells(sheet: Any, cells: Iterable[tuple[int, int]], number_format: str) -> int:
    """Give the 0-based cells a number format, one call per rectangle; returns the number of calls."""
    runs = cell_runs(cells)
    for rect in runs:
        sheet.range(run_address(rect)).number_format = number_format
    return len(runs)


def status_bar_progress(book: Any, label: str = "PartnerXL") -> Any:
    """A `progress` for the operations (operations/progress.py) shown on Excel's status bar: "Roll up portfolio:
    reading reviews 1,200 of 5,000". Over COM each message is a round trip, so it changes at most once a percent;
    when a phase is done Excel has its status bar back. Where the engine has no status bar (xlwings Server, the
    remote engine of the tests), nothing is shown and nothing fails."""
    shown = [-1]

    def progress(done: int, total: int, what: str) -> None:
        step = max(1, total // 100)
        if done < total and done // step == shown[0]:
            return
        shown[0] = done // step
        try:
            book.app.status_bar = False if done >= total else f"{label}: {what} {done:,} of {total:,}"
        except Exception:  # noqa: BLE001 - a status bar is a courtesy: its absence stops nothing
            pass

    return progress
