"""Opening a workbook safely, and the one reading layer every reader goes through.

Readers see a workbook only as a `WorkbookSource`: a label for messages, its sheet names and, per sheet, a `Grid`
of cell values. Two sources exist: `FileWorkbook` here (a file on disk) and the add-in's xlwings source (a book open
in Excel). `FileWorkbook.open` refuses, with one plain line naming the file and what to do, anything it should not
read: a missing file, an Excel lock file, a legacy .xls, an encrypted workbook, something that is not a workbook, a
corrupt or truncated one, one that would unpack to more than `Settings.max_uncompressed_mb` (zip-bomb guard), and
one whose XML declares entities (refused by defusedxml before any reader parses it).

Values are read with python-calamine (measured ~10-20× faster than openpyxl, see docs/validation.md); if calamine
cannot read a file that passed every check, openpyxl's read-only mode is used instead.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from partnerxl.sheets import layout as L
from partnerxl.core.errors import PartnerXLError
from partnerxl.core.settings import Settings
from partnerxl.sheets.cells import a1, parse_a1

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


class Grid:
    """One sheet's values as rows of cells, 0-based, starting at A1. Empty cells are None (never "")."""

    def __init__(self, rows: list[list[Any]] | None = None):
        self.rows: list[list[Any]] = [[None if v == "" else v for v in row] for row in (rows or [])]

    @classmethod
    def from_block(cls, values: Any, first_row: int = 0, first_col: int = 0) -> "Grid":
        """A grid from a block of values whose top-left cell is (first_row, first_col), 0-based — e.g. from
        xlwings `used_range.value` (a scalar for one cell, a flat list for one row or column is accepted)."""
        if values is None:
            block: list[list[Any]] = []
        elif not isinstance(values, (list, tuple)):
            block = [[values]]
        elif values and not isinstance(values[0], (list, tuple)):
            block = [list(values)]
        else:
            block = [list(r) for r in values]
        rows = [[] for _ in range(first_row)] + [[None] * first_col + r for r in block]
        return cls(rows)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, col: int) -> Any:
        """Value at 0-based (row, col); None outside the grid."""
        if 0 <= row < len(self.rows):
            r = self.rows[row]
            if 0 <= col < len(r):
                return r[col]
        return None

    def at(self, ref: str) -> Any:
        """Value at an A1 reference."""
        return self.cell(*parse_a1(ref))

    a1 = staticmethod(a1)


@runtime_checkable
class WorkbookSource(Protocol):
    path_label: str

    def sheet_names(self) -> list[str]: ...

    def grid(self, sheet_name: str) -> Grid: ...


class MemoryWorkbook:
    """A source made of grids in memory (tests, and any caller that already has the values)."""

    def __init__(self, path_label: str, sheets: dict[str, Grid | list[list[Any]]]):
        self.path_label = path_label
        self._sheets = {k: v if isinstance(v, Grid) else Grid(v) for k, v in sheets.items()}

    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def grid(self, sheet_name: str) -> Grid:
        if sheet_name not in self._sheets:
            raise missing_sheet(self.path_label, sheet_name)
        return self._sheets[sheet_name]


def missing_sheet(label: str, sheet: str) -> PartnerXLError:
    return PartnerXLError(f"has no sheet named '{sheet}' (was it renamed or deleted?). Restore the sheet's name, or "
                          "copy your entries into a fresh PartnerXL template.", file=label)


# --- safety checks ---------------------------------------------------------------------------------------------------

def check_file(path: Path, settings: Settings | None = None) -> None:
    """Every check that can be made before a reader touches the file; raises PartnerXLError with one plain line."""
    settings = settings or Settings()
    label = path.name
    if path.name.startswith("~$"):
        raise PartnerXLError("is an Excel lock file (Excel creates '~$' files while a workbook is open), not a "
                             "workbook. Pass the workbook itself, without '~$' in its name.", file=label)
    if not path.exists():
        raise PartnerXLError("cannot be found. Check the file name and folder.", file=str(path))
    if path.is_dir():
        raise PartnerXLError("is a folder, not a workbook. Pass an .xlsx file.", file=str(path))
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise PartnerXLError(f"cannot be read ({exc.strerror}). Check that you have access to it.", file=label) from None
    if head.startswith(OLE_SIGNATURE):
        data = path.read_bytes()
        if _ENCRYPTION_STREAM in data:
            raise PartnerXLError("is encrypted (protected with a password to open). Open it in Excel, remove the "
                                 "password (File > Info > Protect Workbook > Encrypt with Password), save and run "
                                 "again.", file=label)
        raise PartnerXLError("is a legacy Excel 97-2003 workbook (.xls) or another old Office file. Open it in Excel "
                             "and save it as an Excel Workbook (.xlsx), then run again.", file=label)
    if not head.startswith(ZIP_SIGNATURE):
        raise PartnerXLError("is not an Excel workbook (.xlsx). Pass a PartnerXL .xlsx workbook.", file=label)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise corrupt(label) from None
    with zf:
        names = set(zf.namelist())
        if "xl/workbook.bin" in names:
            raise PartnerXLError("is a binary Excel workbook (.xlsb). Open it in Excel and save it as an Excel "
                                 "Workbook (.xlsx).", file=label)
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise PartnerXLError("is not an Excel workbook (.xlsx) — it is another kind of zip file. Pass a "
                                 "PartnerXL .xlsx workbook.", file=label)
        total = sum(i.file_size for i in zf.infolist())
        limit = settings.max_uncompressed_mb * 1024 * 1024
        if total > limit:
            raise PartnerXLError(
                f"would unpack to {total / 1024 / 1024:.0f} MB, more than the {settings.max_uncompressed_mb:g} MB "
                "PartnerXL opens (setting max_uncompressed_mb). A PartnerXL workbook is far smaller: check it is the "
                "right file, or raise the setting if it really is this big.", file=label)
        for info in zf.infolist():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _check_xml(zf, info, label)


def corrupt(label: str) -> PartnerXLError:
    return PartnerXLError("is damaged or incomplete (a corrupt or truncated .xlsx). Open it in Excel to repair it, "
                          "or use your last good copy.", file=label)


def _check_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> None:
    """Refuse a part whose prolog declares a DTD (where entity declarations live) before any reader sees it.

    A DTD can only stand in the prolog, before the root element, so only the first bytes of each part are read:
    a scan of the raw prolog is cheap (the rollup opens thousands of workbooks). A part that has a DOCTYPE is then
    handed to defusedxml, whose verdict (entity declarations refused) decides; Excel never writes a DOCTYPE.
    """
    try:
        with zf.open(info) as fh:
            prolog = _read_prolog(fh)
    except Exception:  # a truncated or damaged part (zlib, CRC), …
        raise corrupt(label) from None
    if b"<!DOCTYPE" not in prolog.upper() and b"<!ENTITY" not in prolog.upper():
        return
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        with zf.open(info) as fh:
            for _event, _elem in iterparse(fh, events=("start",)):
                break
    except DefusedXmlException:
        raise PartnerXLError(f"contains XML entity declarations (in {info.filename}), which PartnerXL refuses for "
                             "safety. Re-save the workbook from Excel, or use a fresh PartnerXL template.",
                             file=label) from None
    except Exception:
        raise corrupt(label) from None
    raise PartnerXLError(f"contains an XML document type declaration (in {info.filename}), which Excel never "
                         "writes and PartnerXL refuses for safety. Re-save the workbook from Excel.", file=label)


_PROLOG_CHUNK = 4096


def _read_prolog(fh) -> bytes:
    """Bytes of an XML part up to its first element start tag (the prolog: declaration, comments, DOCTYPE)."""
    data = b""
    while True:
        chunk = fh.read(_PROLOG_CHUNK)
        data += chunk
        pos = 0
        while True:
            lt = data.find(b"<", pos)
            if lt < 0 or lt + 1 >= len(data):
                break
            nxt = data[lt + 1:lt + 2]
            if nxt not in (b"?", b"!"):
                return data[:lt]  # the root element starts here
            # skip a declaration, comment or DOCTYPE; an unfinished one needs more bytes
            if data.startswith(b"<!--", lt):
                close = data.find(b"-->", lt + 4)
                end = -1 if close < 0 else close + 3
            else:
                close = data.find(b">", lt)
                end = -1 if close < 0 else close + 1
            if end < 0:
                break
            if data.startswith(b"<!DOCTYPE", lt) or data.startswith(b"<!doctype", lt):
                return data  # enough to judge: the caller hands the part to defusedxml
            pos = end
        if not chunk:
            return data
        if len(data) > 64 * _PROLOG_CHUNK:  # a prolog this long is not Excel's: let defusedxml judge the part
            return data + b"<!DOCTYPE"


# --- the file source ------------------------------------------------------------------------------------------------

class FileWorkbook:
    """A workbook file on disk that passed every safety check; values via calamine (or openpyxl as a fallback)."""

    def __init__(self, path: Path, engine: str, book: Any):
        self.path = path
        self.path_label = path.name
        self.engine = engine  # "calamine" or "openpyxl"
        self._book = book
        self._grids: dict[str, Grid] = {}

    @classmethod
    def open(cls, path: str | Path, settings: Settings | None = None, engine: str | None = None) -> "FileWorkbook":
        path = Path(path)
        check_file(path, settings)
        if engine in (None, "calamine"):
            try:
                from python_calamine import CalamineWorkbook, PasswordError

                try:
                    return cls(path, "calamine", CalamineWorkbook.from_path(str(path)))
                except PasswordError:
                    raise PartnerXLError("is encrypted (protected with a password). Remove the password in Excel, "
                                         "save and run again.", file=path.name) from None
            except PartnerXLError:
                raise
            except Exception:
                if engine == "calamine":
                    raise corrupt(path.name) from None
        return cls._open_openpyxl(path)

    @classmethod
    def _open_openpyxl(cls, path: Path) -> "FileWorkbook":
        import warnings

        from openpyxl import load_workbook

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except Exception:
            raise corrupt(path.name) from None
        return cls(path, "openpyxl", wb)

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names) if self.engine == "calamine" else list(self._book.sheetnames)

    def grid(self, sheet_name: str) -> Grid:
        if sheet_name in self._grids:
            return self._grids[sheet_name]
        if sheet_name not in self.sheet_names():
            raise missing_sheet(self.path_label, sheet_name)
        try:
            if self.engine == "calamine":
                rows = self._book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            else:
                rows = [list(r) for r in self._book[sheet_name].iter_rows(values_only=True)]
        except PartnerXLError:
            raise
        except Exception:
            raise corrupt(self.path_label) from None
        grid = Grid([[_plain(v) for v in r] for r in rows])
        self._grids[sheet_name] = grid
        return grid

    def close(self) -> None:
        try:
            self._book.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass

    def __enter__(self) -> "FileWorkbook":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _plain(value: Any) -> Any:
    """Midnight datetimes (how Excel stores a date) become dates; everything else is kept."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    return value


# --- the template marker ---------------------------------------------------------------------------------------------

def detect_kind(source: WorkbookSource) -> tuple[str, int]:
    """(kind, template version) from the hidden `_partnerxl` sheet; PartnerXLError if not a usable PartnerXL workbook."""
    label = source.path_label
    if L.MARKER_SHEET not in source.sheet_names():
        raise PartnerXLError("is not a PartnerXL workbook (it has no PartnerXL template marker). Start from a PartnerXL "
                             "template (partnerxl templates) and copy your entries into it.", file=label)
    g = source.grid(L.MARKER_SHEET)
    title, kind, version = g.at(L.MARKER_TITLE_CELL), g.at(L.MARKER_KIND_CELL), g.at(L.MARKER_VERSION_CELL)
    kind = str(kind).strip().lower() if kind is not None else ""
    try:
        version_no = int(float(str(version).strip()))
    except (TypeError, ValueError):
        version_no = -1
    if str(title or "").strip() != L.MARKER_TITLE or kind not in L.KINDS or version_no < 1:
        raise PartnerXLError("is not a PartnerXL workbook (its template marker is damaged). Start from a fresh "
                             "PartnerXL template and copy your entries into it.", file=label)
    if version_no > L.TEMPLATE_VERSION:
        raise PartnerXLError(f"was made by a newer version of PartnerXL (template version {version_no}; this "
                             f"PartnerXL reads up to version {L.TEMPLATE_VERSION}) — update PartnerXL and run again.",
                             file=label)
    return kind, version_no


def open_workbook(path: str | Path, settings: Settings | None = None) -> FileWorkbook:
    return FileWorkbook.open(path, settings)
