"""Opening a workbook file safely: `FileWorkbook`, a `WorkbookSource` (sheets/grid.py) over a file on disk.

`FileWorkbook.open` refuses, with one plain line naming the file and what to do, anything it should not
read: a missing file, an Excel lock file, a legacy .xls, an encrypted workbook, something that is not a workbook, a
corrupt or truncated one, one that would unpack to more than `Settings.max_uncompressed_mb` (zip-bomb guard), one
whose XML declares entities (refused by defusedxml before any reader parses it), and one whose own numbers are
impossible — two members of one name, sizes, shared-string counts, a sheet's reach (storage.declared: the one guard
for what a file says about itself, so no reader sizes its memory by a lie).

Values are read with python-calamine (measured ~10-20× faster than openpyxl, see docs/validation.md); if calamine
cannot read a file that passed every check, openpyxl's read-only mode is used instead. Where python-calamine is not
installed at all (under Pyodide, in xlwings Lite: pyproject.toml leaves it out there), every file is read with
openpyxl, which gives the same values (tests/test_without_desktop.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.settings import Settings
from partnerxl.sheets.grid import Grid, missing_sheet
from partnerxl.sheets.layout import MARKER_SHEET
from partnerxl.storage.declared import check_package, corrupt

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


def written_by_partnerxl(path: Path) -> bool:
    """Is `path` a workbook PartnerXL generated (a summary, a Portfolio, a report: its author is PartnerXL), as
    opposed to a template-based workbook an officer fills in (whose author is PartnerXL too, as the template's,
    but which has the template's marker sheet)? Never raises."""
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml")[:20_000]
            if b">PartnerXL</dc:creator>" not in core:
                return False
            with zf.open("xl/workbook.xml") as fh:
                book = fh.read(200_000)
    except Exception:  # noqa: BLE001 - a damaged file (zlib, CRC, …) is not one PartnerXL wrote
        return False
    return f'name="{MARKER_SHEET}"'.encode() not in book


# --- safety checks ---------------------------------------------------------------------------------------------------

def check_file(path: Path, settings: Settings | None = None) -> None:
    """Every check that can be made before a reader touches the file; raises PartnerXLError with one plain line."""
    checked_zip(path, settings).close()


def checked_zip(path: Path, settings: Settings | None = None, keep: dict[str, bytes] | None = None
                ) -> zipfile.ZipFile:
    """`check_file`'s checks; the zip that passed them is returned open (the caller closes it). Worksheet parts,
    read whole for their check, are kept in `keep` (part name → bytes), so no sheet is unpacked twice."""
    settings = settings or Settings()
    label = path.name
    _check_path(path, label)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise corrupt(label) from None
    try:
        _check_zip(zf, path, label, settings, keep)
    except BaseException:
        zf.close()
        raise
    return zf


def _check_path(path: Path, label: str) -> None:
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


def _check_zip(zf: zipfile.ZipFile, path: Path, label: str, settings: Settings,
               keep: dict[str, bytes] | None) -> None:
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "xl/workbook.bin" in names:
        raise PartnerXLError("is a binary Excel workbook (.xlsb). Open it in Excel and save it as an Excel "
                             "Workbook (.xlsx).", file=label)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise PartnerXLError("is not an Excel workbook (.xlsx) — it is another kind of zip file. Pass a "
                             "PartnerXL .xlsx workbook.", file=label)
    total = sum(i.file_size for i in infos)
    limit = settings.max_uncompressed_mb * 1024 * 1024
    if total > limit:
        raise PartnerXLError(
            f"would unpack to {total / 1024 / 1024:.0f} MB, more than the {settings.max_uncompressed_mb:g} MB "
            "PartnerXL opens (setting max_uncompressed_mb). A PartnerXL workbook is far smaller: check it is the "
            "right file, or raise the setting if it really is this big.", file=label)
    check_package(zf, label, path.stat().st_size)
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _check_xml(zf, info, label, keep)


def _check_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str,
               keep: dict[str, bytes] | None = None) -> None:
    """Refuse a part whose prolog declares a DTD (where entity declarations live) before any reader sees it.

    A DTD can only stand in the prolog, before the root element, so only the first bytes of each part are read:
    a scan of the raw prolog is cheap (the rollup opens thousands of workbooks). A part that has a DOCTYPE is then
    handed to defusedxml, whose verdict (entity declarations refused) decides; Excel never writes a DOCTYPE.
    """
    data = _whole(zf, info) if keep is not None else None
    if data is not None:  # a worksheet, read whole once: its values are read next
        keep[info.filename] = data
    try:
        if data is not None:
            prolog = _read_prolog(io.BytesIO(data))
        else:
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
_KEEP_LIMIT = 8 * 1024 * 1024  # a worksheet part larger than this is read again when its sheet is read


def _whole(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A worksheet part's bytes, None for any other part, a large one, or one that cannot be read whole (judged
    by its prolog as every other part, and read again, as before, when its sheet is read)."""
    if not info.filename.startswith("xl/worksheets/") or info.file_size > _KEEP_LIMIT:
        return None
    try:
        return zf.read(info)
    except Exception:  # noqa: BLE001 - a damaged tail: the prolog check and the sheet's reader decide
        return None


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


@contextlib.contextmanager
def _rust_panics_unprinted():
    """Keep a calamine panic's message (Rust writes it straight to file descriptor 2, past sys.stderr) off the
    officer's screen: the panic itself is handled. Where there is no descriptor 2 (pythonw), nothing to do."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        devnull = _devnull()
    except OSError:
        os.close(saved)
        yield
        return
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_DEVNULL: list[int] = []


def _devnull() -> int:
    """One descriptor on the null device for the process: every sheet of every review is read through it."""
    if not _DEVNULL:
        _DEVNULL.append(os.open(os.devnull, os.O_WRONLY))
    return _DEVNULL[0]


def _calamine() -> Any:
    """The python_calamine module, or None where it is not installed (then openpyxl reads every file)."""
    try:
        import python_calamine
    except ImportError:
        return None
    return python_calamine


# --- the file source ------------------------------------------------------------------------------------------------

class FileWorkbook:
    """A workbook file on disk that passed every safety check; values via calamine (or openpyxl as a fallback)."""

    def __init__(self, path: Path, engine: str, book: Any, checked: zipfile.ZipFile | None = None,
                 parts: dict[str, bytes] | None = None):
        self.path = path
        self.path_label = path.name
        self.engine = engine  # "calamine" or "openpyxl"
        self._book = book
        self._grids: dict[str, Grid] = {}
        self._zip = checked  # the zip that passed check_file, kept open for the sheets' scan
        self._parts = parts  # worksheet part → bytes, as read by the check
        self._scan: Any = None  # storage.sheet_scan.SheetScan, made when the first grid is read

    @classmethod
    def open(cls, path: str | Path, settings: Settings | None = None, engine: str | None = None) -> "FileWorkbook":
        path = Path(path)
        parts: dict[str, bytes] = {}
        zf = checked_zip(path, settings, parts)
        try:
            return cls._open_checked(path, engine, zf, parts)
        except BaseException:
            zf.close()
            raise

    @classmethod
    def _open_checked(cls, path: Path, engine: str | None, zf: zipfile.ZipFile,
                      parts: dict[str, bytes]) -> "FileWorkbook":
        calamine = _calamine() if engine in (None, "calamine") else None
        if calamine is not None:
            try:
                try:
                    return cls(path, "calamine", calamine.CalamineWorkbook.from_path(str(path)), zf, parts)
                except calamine.PasswordError:
                    raise PartnerXLError("is encrypted (protected with a password). Remove the password in Excel, "
                                         "save and run again.", file=path.name) from None
            except PartnerXLError:
                raise
            except Exception:
                if engine == "calamine":
                    raise corrupt(path.name) from None
        elif engine == "calamine":
            raise PartnerXLError("cannot be read with python-calamine: it is not installed here "
                                 "(pip install python-calamine), and openpyxl reads it without.", file=path.name)
        book = cls._open_openpyxl(path)
        book._zip, book._parts = zf, parts
        return book

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
        facts = self._facts(sheet_name)  # first: a sheet that reaches too far is refused before a reader sizes it
        if self.engine == "calamine":
            rows = self._calamine_rows(sheet_name)
        else:
            rows = self._openpyxl_rows(self._book, sheet_name)
        grid = Grid(rows, facts.uncalculated, facts.errors, dates=True)
        self._grids[sheet_name] = grid
        return grid

    def _calamine_rows(self, sheet_name: str) -> list[list[Any]]:
        """The sheet's rows by calamine; by openpyxl when calamine fails on a sheet the checks passed. Calamine
        panics (pyo3's PanicException, a BaseException) on some values a cell can hold, such as -1e30 formatted as
        a date: openpyxl reads that cell as an error value, which the readers report at the cell."""
        try:
            with _rust_panics_unprinted():
                return self._book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001 - any failure of the fast reader falls back to the other one
            pass
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":
                raise
        fallback = FileWorkbook._open_openpyxl(self.path)
        try:
            return self._openpyxl_rows(fallback._book, sheet_name)
        finally:
            fallback.close()

    def _openpyxl_rows(self, book: Any, sheet_name: str) -> list[list[Any]]:
        import warnings

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a value out of range for its format is read as an error value
                sheet = book[sheet_name]
                sheet.reset_dimensions()  # every row the part holds, never only those its <dimension> admits
                return [list(r) for r in sheet.iter_rows(values_only=True)]
        except Exception:
            raise corrupt(self.path_label) from None

    def _facts(self, sheet_name: str) -> Any:
        """What the sheet's part holds that both engines read as blank (storage.sheet_scan): formula cells saved
        without a result and Excel's error values; PartnerXLError if the sheet reaches further than any should."""
        from partnerxl.storage.sheet_scan import SheetFacts, SheetScan

        if self._scan is None:
            self._scan = SheetScan(self.path, self.path_label, self._zip, self._parts)
        try:
            return self._scan.sheet(sheet_name)
        except PartnerXLError:
            raise
        except Exception:  # noqa: BLE001 - a part map this scan cannot follow, a damaged part: the value readers
            return SheetFacts()  # read what they can, and refuse what they cannot as damaged

    def close(self) -> None:
        if self._scan is not None:
            self._scan.close()
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        try:
            self._book.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass

    def __enter__(self) -> "FileWorkbook":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
