"""Layout of the output workbooks (Portfolio and the annual review summaries) in one place, and their saving.

Sheet names, column widths, colours and print settings live here so the writers (rollup.py, summaries.py) hold
no magic numbers. `save_report` writes a workbook atomically *and reproducibly*: fixed document timestamps (from
the as-of date) and fixed timestamps inside the zip, so running a command twice gives byte-identical files.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import zipfile
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from partnerxl.files.writing import atomic_write_bytes, set_text
from partnerxl.sheets import palette

# --- the Portfolio workbook -------------------------------------------------------------------------------------

SHEET_PORTFOLIO = "Portfolio"
SHEET_HEATMAP = "Heatmap"
SHEET_FLAGS = "Flags"
SHEET_ACTIONS = "Actions"
SHEET_COMMITTEE = "Committee summary"
SHEET_PROBLEMS = "Problems"
PORTFOLIO_TABLE = "PortfolioTable"

# Column widths by header (characters); anything not listed gets DEFAULT_WIDTH.
DEFAULT_WIDTH = 14
WIDTHS = {
    "ID": 8, "Name": 30, "Partnership": 30, "Status": 12, "Tier": 12, "Arrangement": 30, "Lead officer": 20,
    "Flags": 50, "Reason": 80, "Flag": 28, "Item": 50, "Action": 50, "Owner": 20, "Source": 18, "Message": 90,
    "File": 30, "Recommendation": 16,
}
DATE_FORMAT = "dd mmm yyyy"
SCORE_FORMAT = "0.00"
CHANGE_FORMAT = "+0.00;-0.00;0.00"
MONEY_FORMAT = "£#,##0"

# --- colours ----------------------------------------------------------------------------------------------------

RAG_FILL = {rag: PatternFill("solid", fgColor=colour) for rag, colour in palette.RAG.items()}
# Heatmap colour scale over the rating scale 1–4: red at 1, amber at the Amber threshold, green at 4.
SCALE_COLOURS = ("F8696B", "FFEB84", "63BE7B")
HEADER_FILL = PatternFill("solid", fgColor=palette.HEADER)
HEADER_FONT = Font(bold=True, color=palette.HEADER_TEXT)
SECTION_FILL = PatternFill("solid", fgColor=palette.SECTION)
SECTION_FONT = Font(bold=True, size=11, color=palette.TITLE_TEXT)
TITLE_FONT = Font(bold=True, size=14, color=palette.TITLE_TEXT)
BOLD = Font(bold=True)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

# --- the summary sheet (A4 portrait, one page) ------------------------------------------------------------------

SUMMARY_SHEET = "Summary"
# Five columns: label | text | score | band | RAG/change.  About 100 characters in all, which fits A4 portrait.
SUMMARY_COLUMNS = {"A": 24, "B": 34, "C": 9, "D": 21, "E": 12}
SUMMARY_FONT_SIZE = 9
LINE_HEIGHT_PT = 12.0          # one wrapped line of 9-point text
CHART_ROWS = 11                # rows left free under the score table for the area chart
CHART_SIZE_CM = (17.0, 5.2)    # width, height
MAX_PRIORITY = 6               # priority benchmarks shown with their possible actions (the rest are listed by id)
MAX_LIST = 8                   # rows of strengths, gaps, plan items before "and N more"


def summary_file_name(partnership_id: str, year: int) -> str:
    return f"Summary {partnership_id} {year}.xlsx"


# --- helpers ----------------------------------------------------------------------------------------------------

def clean(value: Any) -> Any:
    """A pandas/numpy cell value as a plain Python value for openpyxl (NaN/NaT → None)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    try:
        import pandas as pd

        if value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime().date()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def put(ws: Any, row: int, col: int, value: Any, *, number_format: str | None = None, font: Font | None = None,
        fill: PatternFill | None = None, wrap: bool = False) -> Any:
    """Write one cell: strings always as text (never a formula), then the style."""
    cell = ws.cell(row=row, column=col)
    set_text(cell, clean(value))
    if number_format and cell.value is not None:
        fmt = number_format
    elif isinstance(cell.value, (dt.date, dt.datetime)):
        fmt = DATE_FORMAT
    else:
        fmt = None
    if fmt is None and font is None and fill is None and not wrap:
        return cell
    _apply_style(ws.parent, cell, fmt, font, fill, wrap)
    return cell


def _apply_style(workbook: Any, cell: Any, fmt: str | None, font: Font | None, fill: PatternFill | None,
                 wrap: bool) -> None:
    """Give `cell` a combination of styles, computing each combination once per workbook.

    openpyxl hashes every style object on every assignment to find it in the workbook's style lists; a summary
    or portfolio sets thousands of cells to a handful of combinations, so the first cell of each combination is
    styled the ordinary way and later ones copy its style-index array (the objects are kept in the cache, so
    their ids stay unique while it lives).
    """
    cache = workbook.__dict__.setdefault("_partnerxl_styles", {})
    key = (fmt, id(font), id(fill), wrap)
    held = cache.get(key)
    if held is not None:
        cell._style = copy.copy(held[0])
        return
    if fmt is not None:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = WRAP
    cache[key] = (copy.copy(cell._style), font, fill)


def lines_needed(text: str | None, width_chars: float) -> int:
    """How many lines `text` takes when wrapped in a column `width_chars` wide (a generous estimate)."""
    if not text:
        return 1
    per_line = max(1, int(width_chars * 1.3))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def stamp_for(as_of: dt.date) -> dt.datetime:
    """The document timestamp of an output: noon on the as-of date, so reruns are identical."""
    return dt.datetime(as_of.year, as_of.month, as_of.day, 12, 0, 0)


class _StampedZip(zipfile.ZipFile):
    """A zip archive whose entries all carry one fixed timestamp (openpyxl would stamp each with the clock)."""

    def __init__(self, file: Any, stamp: dt.datetime):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)

    def _info(self, name: Any) -> Any:
        if isinstance(name, zipfile.ZipInfo):
            return name
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        super().writestr(self._info(zinfo_or_arcname), data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        # openpyxl writes each worksheet to a temporary file and adds it here, which would take the file's mtime.
        with open(filename, "rb") as fh:
            data = fh.read()
        self.writestr(arcname or Path(filename).name, data, compress_type, compresslevel)


def workbook_bytes(workbook: Any, stamp: dt.datetime) -> bytes:
    """The .xlsx bytes of `workbook` with every timestamp fixed to `stamp` (reproducible output).

    Written in one pass through openpyxl's ExcelWriter into an archive that stamps every entry, rather than saved
    and re-zipped: the summaries are written by the hundred and compressing twice was most of their cost.
    """
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.creator = "PartnerXL"
    workbook.properties.lastModifiedBy = "PartnerXL"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    out = io.BytesIO()
    ExcelWriter(workbook, _StampedZip(out, stamp)).save()
    return out.getvalue()


def save_report(workbook: Any, path: Path, stamp: dt.datetime) -> Path:
    """Save atomically (temporary file + rename, refusing a file open in Excel) with fixed timestamps."""
    return atomic_write_bytes(Path(path), workbook_bytes(workbook, stamp))
