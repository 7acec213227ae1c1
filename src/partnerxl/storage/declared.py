"""What a workbook file says about itself, checked against what it holds before any reader trusts it.

An .xlsx states numbers about its own contents, and the readers size their memory by them: python-calamine
reserves room for as many shared strings as `<sst uniqueCount>` says (a count of 2,147,483,647 with one real string
made it ask for 51 GB and abort the process), builds a sheet as one block from A1 to the furthest cell, and openpyxl
pads every row to the width `<dimension ref>` gives. So every such number is bounded here, in one place, and a file
whose numbers are impossible is refused by name like any damaged file (a PartnerXLError, one line):

- the zip: one member per name (two copies of a part, the second with other ratings, would be read from one of them
  unseen; Excel refuses such a file as corrupt), and the sizes in its headers within what the archive can hold;
- the shared strings: `uniqueCount` no more than the strings the part holds, `count` no more than the sheets'
  cells could use;
- each sheet read: the area its cells reach (`<dimension ref>`, row numbers and spans, cell references), from A1,
  within `MAX_CELLS`: far more than any PartnerXL sheet needs, far less than would exhaust memory.

`check_package` runs in `opening.check_file` before any reader opens the file; `check_sheet` runs on each sheet's
part before its values are read (storage.sheet_scan).
"""

from __future__ import annotations

import re
import zipfile

from partnerxl.core.errors import PartnerXLError
from partnerxl.sheets.cells import col_letter

MAX_CELLS = 2_000_000      # rows × columns from A1 a sheet may reach (e.g. 40 columns by 50,000 rows)
_DEFLATE_RATIO = 1100      # deflate cannot expand a member more than about 1,032 times
_MIN_CELL_BYTES = 16       # `<c t="s"><v>0</v></c>`: the least a cell using a shared string takes in a sheet

_SI = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")
_SST = re.compile(rb"<(?:[\w.-]+:)?sst\b([^>]*)>")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
# The r of a <row> (its number) or a <c> (its reference), its attributes in any order; a row's spans="1:32".
_R = re.compile(rb"<(?:[\w.-]+:)?(?:c|row)\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{0,3})\$?(\d{1,9})[\"']")
_SPANS = re.compile(rb"spans\s*=\s*[\"']\s*\d{1,9}\s*:\s*(\d{1,9})")
_REF = re.compile(rb"\$?([A-Za-z]{1,3})\$?(\d{1,9})$")


def corrupt(label: str) -> PartnerXLError:
    return PartnerXLError("is damaged or incomplete (a corrupt or truncated .xlsx). Open it in Excel to repair it, "
                          "or use your last good copy.", file=label)


def lie(label: str, what: str) -> PartnerXLError:
    """A file whose own numbers are impossible: damaged or tampered with, refused like any damaged file."""
    return PartnerXLError(f"is damaged: {what}. Excel would refuse or repair it, so PartnerXL does not read it. Open "
                          "it in Excel and save it again, or use your last good copy.", file=label)


# --- the whole file ----------------------------------------------------------------------------------------------

def check_package(zf: zipfile.ZipFile, label: str, archive_size: int) -> None:
    """The zip's members and sizes, and the shared strings' counts: PartnerXLError if any is impossible."""
    seen: dict[str, str] = {}
    for info in zf.infolist():
        key = info.filename.replace("\\", "/").casefold()  # part names are compared without case (OPC)
        if key in seen:
            raise PartnerXLError(f"holds two copies of the part '{seen[key]}' (a damaged or tampered file: Excel "
                                 "refuses it as corrupt). Use your last good copy, or copy your entries into a fresh "
                                 "PartnerXL template.", file=label)
        seen[key] = info.filename
        _sizes(info, label, archive_size)
    sheets = sum(i.file_size for i in zf.infolist() if i.filename.startswith("xl/worksheets/"))
    for info in zf.infolist():
        if info.filename.casefold().rsplit("/", 1)[-1].startswith("sharedstrings"):
            _shared_strings(zf, info, label, sheets)


def _sizes(info: zipfile.ZipInfo, label: str, archive_size: int) -> None:
    if info.header_offset + info.compress_size > archive_size:
        raise lie(label, f"its part '{info.filename}' says it takes {info.compress_size:,} bytes, more than the "
                         f"whole file ({archive_size:,} bytes)")
    stored = info.compress_type == zipfile.ZIP_STORED
    if (stored and info.file_size != info.compress_size) or \
            (not stored and info.file_size > info.compress_size * _DEFLATE_RATIO + 1024):
        raise lie(label, f"its part '{info.filename}' says it unpacks to {info.file_size:,} bytes, which its "
                         f"{info.compress_size:,} packed bytes cannot hold")


def _shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, sheet_bytes: int) -> None:
    try:
        data = zf.read(info)
    except Exception:  # noqa: BLE001 - a truncated or damaged part (zlib, CRC), …
        raise corrupt(label) from None
    root = _SST.search(data)
    if root is None:
        return
    held = len(_SI.findall(data))
    unique, count = _number(root.group(1), b"uniqueCount"), _number(root.group(1), b"count")
    if unique is not None and unique > held:
        raise lie(label, f"its shared-strings part says it holds {unique:,} different texts but holds {held:,}")
    if count is not None and count > max(held, sheet_bytes // _MIN_CELL_BYTES):
        raise lie(label, f"its shared-strings part says its texts are used {count:,} times, more than its sheets "
                         "have cells")


def _number(attributes: bytes, name: bytes) -> int | None:
    m = re.search(rb"(?:^|\s)" + name + rb"\s*=\s*[\"']\s*(\d+)\s*[\"']", attributes)
    return int(m.group(1)) if m else None


# --- one sheet -------------------------------------------------------------------------------------------------------

def check_sheet(data: bytes, sheet: str, label: str) -> None:
    """The area a sheet's part reaches, from A1, within MAX_CELLS: PartnerXLError naming the furthest cell if not."""
    if _near(data):
        return
    rows, cols = sheet_reach(data)
    if rows * cols > MAX_CELLS:
        raise PartnerXLError(
            f"has a sheet '{sheet}' that reaches, or says it reaches, cell {col_letter(cols)}{rows} ({rows:,} rows "
            f"by {cols:,} columns), far more than a PartnerXL workbook uses ({MAX_CELLS:,} cells at most). Delete "
            "the rows and columns beyond your entries (select them, right-click, Delete) and save, or copy your "
            "entries into a fresh PartnerXL template.", file=label)


# A far reference (two or more column letters, or five or more row digits) in an `r` attribute, and a row spanning
# past column Z. Each pattern begins with a literal, which the regular expression engine searches for at C speed
# (one that begins with `\b`, as `_R` does, is tried at every byte: slower than the walk it would save).
_FAR_R = re.compile(rb"r(?<!\wr)\s*=\s*[\"']\$?(?:[A-Za-z]{2}|[A-Za-z]?\$?\d{5})")
_FAR_SPANS = re.compile(rb"spans\s*=\s*[\"'][^\"']*:\s*(?:\d{3}|[3-9]\d|2[7-9])")
_NEAR_ROWS, _NEAR_COLS = 9_999, 26


def _far(data: bytes) -> bool:
    """True if any `r` attribute (as `_R` reads them) may be a far reference, or a row spans past column Z: a
    superset, so False proves every reference is within Z9999."""
    return _FAR_R.search(data) is not None or _FAR_SPANS.search(data) is not None


def _near(data: bytes) -> bool:
    """True when the part cannot reach past MAX_CELLS without reading every reference: no reference is far (so
    none passes Z9999) and its `<dimension>` with that box stays within. Most sheets are settled by this one
    search: walking every reference of every sheet cost as much as reading the sheets' values."""
    if _far(data):
        return False
    rows, cols = _dimension(data, _NEAR_ROWS, _NEAR_COLS)
    return rows * cols <= MAX_CELLS


def sheet_reach(data: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the furthest cell a worksheet part declares or holds: its `<dimension ref>`,
    its rows' numbers and spans, and its cells' references."""
    rows, cols = _dimension(data, 0, 0)
    refs = _R.findall(data)
    if refs:
        rows = max(rows, max(int(number) for _letters, number in refs))
        cols = max([cols, *(_column(letters) for letters in {letters for letters, _number in refs})])
    spans = _SPANS.findall(data)
    if spans:
        cols = max(cols, max(int(end) for end in spans))
    return rows, cols


def _dimension(data: bytes, rows: int, cols: int) -> tuple[int, int]:
    """(rows, cols) widened to the furthest cell the part's `<dimension ref>` names."""
    dim = _DIMENSION.search(data)
    if dim is not None:
        for end in dim.group(1).split(b":"):
            m = _REF.match(end.strip())
            if m:
                rows, cols = max(rows, int(m.group(2))), max(cols, _column(m.group(1)))
    return rows, cols


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n
