"""The workbooks PartnerXL generates (Portfolio, summaries, validation report), written with XlsxWriter.

XlsxWriter writes native charts, sparklines, conditional formats and print settings, and is several times faster
than openpyxl for a whole new workbook; openpyxl stays for the templates and the copies of officers' workbooks.
`Book` holds one workbook in memory and saves it atomically (storage/writing.py) and reproducibly: the document date
comes from the as-of date and XlsxWriter stamps every zip entry with one fixed date, so a rerun is byte-identical.
A `Book(..., scratch=FOLDER)` (the Portfolio, thousands of rows a sheet) instead streams each sheet's rows through a
scratch folder in FOLDER (the output's own: nothing is written elsewhere) as they are written, in XlsxWriter's
constant_memory mode: rows must then be written in order, and a
sheet that cannot be (the dashboard) or that holds a table is asked for with `sheet(name, streamed=False)`.
Every string goes through `write_string`, so user text such as `=HYPERLINK(...)` can never become a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter

from partnerxl.core.values import fit_cell
from partnerxl.documents.text_fit import ARIAL_REGULAR
from partnerxl.storage.writing import atomic_write_bytes, scratch_folder
from partnerxl.sheets import reports as R

# What the strings of a generated workbook must never be turned into.
_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
            "nan_inf_to_errors": True,
            # Arial as the workbook's own font too, so column widths mean the same in Excel and LibreOffice.
            "default_format_properties": {"font_name": R.FONT, "font_size": 10}, "default_row_height": 17}


class Book:
    """One generated workbook: cached formats in PartnerXL's font, text-safe writes, reproducible atomic save."""

    def __init__(self, stamp: dt.datetime, *, title: str, subject: str = "", keywords: str = "",
                 custom: dict[str, str] | None = None, scratch: Path | None = None):
        # `scratch`: the folder (the output's own) to stream sheets' rows through; None keeps the book in memory.
        self._buffer = io.BytesIO()
        self._scratch = scratch_folder(scratch) if scratch is not None else None
        # XlsxWriter adds to the default format's properties it is given: each book gets its own copy, or every
        # book after the first in a process would write its default font differently. It streams rows only when
        # the parts of the file are written to disk too (not in_memory).
        options = {**_OPTIONS, "default_format_properties": dict(_OPTIONS["default_format_properties"])}
        if self._scratch is not None:
            options.update(in_memory=False, constant_memory=True, tmpdir=self._scratch.name)
        self.wb = xlsxwriter.Workbook(self._buffer, options)
        self.wb.set_properties({"title": title, "subject": subject, "author": "PartnerXL", "keywords": keywords,
                                "created": stamp, "comments": "Written by PartnerXL"})
        for name, value in (custom or {}).items():
            self.wb.set_custom_property(name, value)
        self._formats: dict[tuple, Any] = {}

    def fmt(self, **props: Any) -> Any:
        """A cell format with PartnerXL's font (a sans-serif every office has: Arial / Liberation Sans)."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            base = {"font_name": R.FONT, "font_size": R.BODY_SIZE, "valign": "top"}
            self._formats[key] = self.wb.add_format({**base, **props})
        return self._formats[key]

    def sheet(self, name: str, *, streamed: bool = True) -> Any:
        """A new sheet; in a constant-memory book, `streamed=False` keeps this one in memory (its cells may then be
        written in any order, and it may hold a table)."""
        if self._scratch is None or streamed:
            return self.wb.add_worksheet(name)
        # XlsxWriter gives each sheet the workbook's mode as the sheet is added; a sheet kept in memory has no row
        # file for the workbook to close after saving.
        self.wb.constant_memory = False
        try:
            ws = self.wb.add_worksheet(name)
        finally:
            self.wb.constant_memory = True
        ws.row_data_fh_closed = True
        return ws

    def save(self, path: Path) -> Path:
        try:
            self.wb.close()
        finally:
            if self._scratch is not None:
                self._scratch.cleanup()
        return atomic_write_bytes(Path(path), self._buffer.getvalue())


def put(ws: Any, row: int, col: int, value: Any, fmt: Any = None, *, date_fmt: Any = None) -> None:
    """Write one cell (0-based): strings always as text, numbers as numbers, dates as dates."""
    if value.__class__ is str:   # the commonest cell, which R.clean would return as it is
        ws.write_string(row, col, fit_cell(value), fmt)
        return
    value = R.clean(value)
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, fit_cell(value), fmt)  # XlsxWriter would cut past the limit without a sign
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(row, col, value if isinstance(value, dt.datetime) else
                          dt.datetime(value.year, value.month, value.day), date_fmt or fmt)
    else:
        ws.write_string(row, col, fit_cell(str(value)), fmt)


def print_setup(ws: Any, *, header: str, landscape: bool = True, title_rows: tuple[int, int] | None = None,
                fit_width: bool = True, paper: int = R.PAPER_A4) -> None:
    """A4, the council's header, "Page x of y" in the footer, print titles and fit to the page width."""
    ws.set_paper(paper)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.6)
    ws.set_header(header, {"margin": 0.3})
    ws.set_footer(R.FOOTER, {"margin": 0.3})
    if title_rows is not None:
        ws.repeat_rows(*title_rows)
    if fit_width:
        ws.fit_to_pages(1, 0)


def header_text(council: str, left: str, right: str) -> str:
    """An Excel page header: council on the left, the document in the centre, the date on the right ('&' escaped)."""
    def esc(s: str) -> str:
        return s.replace("&", "&&")
    return f"&L&\"{R.FONT},Bold\"&9{esc(council)}&C&\"{R.FONT},Regular\"&9{esc(left)}&R&\"{R.FONT},Regular\"&9{esc(right)}"


# Advance widths of Arial (and of its metric twin Liberation Sans, which LibreOffice prints with) for the printable
# ASCII characters, space to '~', in thousandths of the font size (text_fit's table); any other character is taken
# as 556 (a digit).
_ARIAL = [ARIAL_REGULAR[chr(code)] for code in range(32, 127)]
BOLD_WIDER = 1.1          # bold Arial is up to a tenth wider
# The same widths by byte of an ASCII encoding: control characters and DEL as the default 556, and '?', which
# `_units` puts in place of every other character, is 556 as well (tests/test_portfolio_writer.py holds it to that).
_BYTE_WIDTHS = [556] * 32 + _ARIAL + [556]
_WIDEST = max(_BYTE_WIDTHS)


def _units(text: str) -> int:
    """The width of `text` in thousandths of the font size: one C-level pass over its bytes, not a Python step a
    character (the Portfolio measures millions of characters)."""
    return sum(map(_BYTE_WIDTHS.__getitem__, text.encode("ascii", "replace")))


def text_points(text: str, *, size: float = R.BODY_SIZE, bold: bool = False) -> float:
    """How wide `text` prints in Arial at `size` points."""
    return _units(text) * size / 1000 * (BOLD_WIDER if bold else 1.0)


def table_lines(text: Any, width: float, *, bold: bool = False) -> int:
    """How many lines `text` wraps to in a table cell `width` units wide at 9 point, word by word with Arial's
    widths: the estimate the Portfolio workbook, the committee pack and the validation report size rows by. The cell
    is taken as Excel prints it (5.25 points a unit, narrower than LibreOffice's 5.55) less its padding."""
    if text is None or text == "":
        return 1
    text = str(text)
    # The Portfolio repeats values (actions, flags, statuses) thousands of times; only short texts are remembered,
    # so the cache never holds more than about a megabyte.
    return (_wrapped_lines if len(text) <= 400 else _wrapped_lines.__wrapped__)(text, width, bold)


@lru_cache(maxsize=2048)
def _wrapped_lines(text: str, width: float, bold: bool) -> int:
    room = max(5.0, width * R.POINTS_PER_UNIT - R.CELL_PADDING_PT)
    # A text no wider than the cell, even if every character were the widest, is one line a paragraph. The margin
    # is far above the rounding of the word-by-word sums below, so the answer is theirs.
    if len(text) * _WIDEST * R.BODY_SIZE / 1000 * BOLD_WIDER < room - 1e-6:
        return text.count("\n") + 1
    return sum(_part_lines(part, room, bold) for part in text.split("\n"))


def _part_lines(part: str, room: float, bold: bool) -> int:
    """Lines of one paragraph: each word's width exactly as text_points gives it, the same sums in the same order."""
    factor = BOLD_WIDER if bold else 1.0
    if _units(part) * R.BODY_SIZE / 1000 * factor < room - 1e-6:
        return 1
    space = text_points(" ", bold=bold)
    lines, used = 1, 0.0
    for word in part.split(" "):
        w = _units(word) * R.BODY_SIZE / 1000 * factor
        if used and used + space + w > room:
            lines, used = lines + 1, 0.0
        while w > room:                      # a word longer than the cell is broken across lines
            lines, w = lines + 1, w - room
        used += (space if used else 0.0) + w
    return lines


def text_lines(text: Any, width: float, *, size: float = R.BODY_SIZE) -> int:
    """How many lines `text` wraps to in a column `width` units wide at font `size` (a generous estimate)."""
    if text is None or text == "":
        return 1
    per_line = max(1, int(width * R.CHARS_PER_UNIT * R.BODY_SIZE / size))
    total = 0
    for part in str(text).split("\n"):
        words, line, count = part.split(" "), 0, 1
        for w in words:
            need = len(w) + (1 if line else 0)
            if line + need > per_line and line:
                count += 1 + (len(w) - 1) // per_line
                line = len(w) % per_line or per_line
            else:
                line += need
        total += count
    return total
