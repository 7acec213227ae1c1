"""Shared by every operation: exit codes, opening workbooks of the kind needed, the workbooks in a folder, and
the guard that keeps an output from replacing an input."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import Finding, finding
from partnerxl.core.settings import Settings
from partnerxl.operations.report import errors, exit_code  # noqa: F401  (re-exported: one rule, in report.py)



WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")




def describe_instruments() -> list[str]:
    from partnerxl.core.instruments import load_instruments
    return load_instruments().describe()


def write_templates(folder: str | Path) -> list[Path]:
    from partnerxl.documents.templates import write_templates as write
    return write(Path(folder))


# --- opening --------------------------------------------------------------------------------------------------------

def open_book(path: str | Path, kind: str, settings: Settings | None = None, as_of: dt.date | None = None) -> Any:
    """Read a workbook that must be of `kind`; PartnerXLError (exit 2) when it is unreadable or of another kind."""
    from partnerxl.storage.opening import FileWorkbook

    with FileWorkbook.open(path, settings) as source:
        found, book = read_any_kind(source, as_of)
        if found != kind:
            raise PartnerXLError(f"is a PartnerXL {found} workbook, but a {kind} workbook is needed here.",
                                 file=source.path_label)
        return book


def read_any_kind(source: Any, as_of: dt.date | None = None) -> tuple[str, Any]:
    """(kind, book) of an open PartnerXL workbook; `as_of` is the day dates may not be after (else today)."""
    from partnerxl.sheets.grid import detect_kind
    from partnerxl.reading import read_register, read_response, read_review

    kind, _version = detect_kind(source)
    if kind == "response":
        return kind, read_response(source)
    reader = read_register if kind == "register" else read_review
    return kind, reader(source, as_of=as_of)


def read_workbook(path: str | Path, settings: Settings | None = None, as_of: dt.date | None = None) -> Any:
    """Any PartnerXL workbook file, read (a RegisterBook, ReviewBook or ResponseBook); PartnerXLError when it cannot
    be read at all."""
    from partnerxl.storage.opening import FileWorkbook

    with FileWorkbook.open(path, settings) as source:
        return read_any_kind(source, as_of)[1]


def load_register(path: str | Path, as_of: dt.date | None = None) -> Any:
    """The register (entries, settings, as-of date, findings); PartnerXLError when it cannot be read."""
    return open_book(path, "register", as_of=as_of)


def register_for_review(review_path: str | Path) -> tuple[Any, Path | None]:
    """(the register, its path) whose reviews the review at `review_path` is one of, as the Roll up button finds
    them: a register in the review's folder or one of the two above it whose reviews folder (its Settings sheet;
    the register's own folder when blank) is the review's folder. (None, None) when there is none: the review is
    then scored under the default settings, and every presenter says so."""
    from partnerxl.sheets.grid import detect_kind
    from partnerxl.storage.opening import FileWorkbook

    folder = Path(review_path).resolve().parent
    for place in (folder.parent, folder.parent.parent, folder):  # the usual layouts first: a folder of reviews
        for path in (workbook_files(place) if place.is_dir() else []):
            if same_file(path, Path(review_path)):
                continue
            try:  # each workbook opened once: its kind read first, the register read from the same source
                with FileWorkbook.open(path) as source:
                    if detect_kind(source)[0] != "register":
                        continue
                    register = read_any_kind(source)[1]
            except PartnerXLError:
                continue  # an unreadable workbook beside the review is not its register
            home = register.reviews_dir(path) or path.resolve().parent
            if same_file(home, folder):
                return register, path
    return None, None


class FolderFiles(list):
    """The workbooks of a folder, in name order (a plain list of paths to every caller), and `not_used`: a
    file-not-used finding naming each other file and why, for the Problems sheet and the command's output."""

    not_used: list[Finding]


# Why a file in a reviews folder is not read, in an officer's words, by its extension.
NOT_USED = {
    ".xls": "it is in the old Excel format (.xls): open it in Excel and save it as .xlsx (Excel Workbook) to "
            "include it.",
    ".ods": "it is an OpenDocument spreadsheet (.ods, from LibreOffice or Google Sheets): save it as .xlsx (Excel "
            "Workbook) to include it.",
    ".csv": "it is a CSV text file, which holds no PartnerXL sheets: copy its entries into a review made from a "
            "PartnerXL template to include them.",
    ".xlsb": "it is a binary Excel workbook (.xlsb): open it in Excel and save it as .xlsx (Excel Workbook) to "
             "include it.",
}
NOT_A_WORKBOOK = ("it is not an Excel workbook (.xlsx): only reviews made from a PartnerXL template are read from "
                  "this folder.")
OUTPUT_IN_FOLDER = ("it is a workbook PartnerXL wrote (a summary, a Portfolio or a report), not a review: keep "
                    "outputs in another folder.")


def workbook_files(folder: Path, skip: tuple[Path, ...] = ()) -> FolderFiles:
    """The workbooks in `folder` (not sub-folders, not `skip`), each other file named in `.not_used`. Excel's `~$`
    lock files and hidden files (PartnerXL's own `.~partnerxl-` temporary files among them) are nobody's work,
    so they are passed over in silence."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PartnerXLError("is not a folder. Give the folder that holds the review workbooks.", file=str(folder))
    skipped = {p.resolve() for p in skip}
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and not p.name.startswith(("~$", ".")) and p.resolve() not in skipped)
    found = FolderFiles(p for p in files if p.suffix.lower() in WORKBOOK_SUFFIXES)
    found.not_used = [finding("file-not-used", p.name, value=p.suffix,
                              detail=NOT_USED.get(p.suffix.lower(), NOT_A_WORKBOOK))
                      for p in files if p.suffix.lower() not in WORKBOOK_SUFFIXES]
    return found


def not_used(paths: Any) -> list[Finding]:
    """The file-not-used findings of a `workbook_files` result (none for a plain list of paths)."""
    return list(getattr(paths, "not_used", ()))


def unusable(file: str, exc: PartnerXLError) -> Finding:
    return finding("unreadable-file", file, detail=str(exc).split(": ", 1)[-1])


def refuse_output_over_input(out: str | Path | Iterable[str | Path], inputs: Iterable[str | Path], *,
                             option: str) -> None:
    """Exit 2 with one line when an output (or any of several, e.g. the files a folder output will get) would
    replace one of the inputs, however it is spelled: `reviews/../Register.xlsx`, a symbolic or hard link, or
    another case on a system that ignores case (Windows, macOS). Each path is worked out once (a thousand
    summaries against a thousand reviews are not a million comparisons)."""
    outs = [Path(out)] if isinstance(out, (str, os.PathLike)) else [Path(o) for o in out]
    files = _Files(inputs)
    for target in outs:
        if files.holds(target):
            raise PartnerXLError(f"is one of the inputs: choose a new file name for {option}; PartnerXL never "
                                 "rewrites an input.", file=str(target))


def same_file(a: Path, b: Path) -> bool:
    """Do `a` and `b` name one file? The file system decides when both exist (links, case, 8.3 names); otherwise
    the resolved paths are compared as that system compares names."""
    return _Files([b]).holds(a)


class _Files:
    """A set of files, for asking whether a path names one of them: by the file system's own identity of a file
    where both exist, else by the name as that file system compares names (case, `..`, links in the folders)."""

    def __init__(self, paths: Iterable[str | Path]):
        self._probed: dict[Path, bool] = {}  # a folder → does its file system ignore case: one probe for each
        self._ids: set[tuple[int, int]] = set()
        self._names: set[str] = set()            # every path's name key
        self._names_missing: set[str] = set()    # those of the paths that do not exist (yet)
        for path in map(Path, paths):
            name, ident = self._name(path), _file_id(path)
            self._names.add(name)
            if ident is None:
                self._names_missing.add(name)
            else:
                self._ids.add(ident)

    def holds(self, path: Path) -> bool:
        ident, name = _file_id(path), self._name(path)
        if ident is None:
            return name in self._names
        return ident in self._ids or name in self._names_missing

    def _name(self, path: Path) -> str:
        resolved = path.resolve()
        key = os.path.normcase(str(resolved))  # lower case on Windows, unchanged elsewhere
        folder = resolved.parent
        if folder not in self._probed:
            self._probed[folder] = _ignores_case(folder)
        return key.casefold() if self._probed[folder] else key


def _file_id(path: Path) -> tuple[int, int] | None:
    """The file's (device, number), as `os.path.samefile` compares them; None if it cannot be looked up."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _ignores_case(folder: Path) -> bool:
    """Does the file system holding `folder` treat 'A' and 'a' as one name? Probed by looking the folder (or the
    nearest one above it with a letter in its name) up with its name in swapped case; macOS is assumed to ignore
    case when nothing can be probed, as its default file system does."""
    if os.name == "nt":
        return True
    for candidate in (folder, *folder.parents):
        swapped = candidate.with_name(candidate.name.swapcase()) if candidate.name else candidate
        if swapped.name == candidate.name or not candidate.exists():
            continue
        try:
            return swapped.exists() and os.path.samefile(candidate, swapped)
        except OSError:
            return False
    return sys.platform == "darwin"


def run_cli(func: Any, args: Any) -> int:
    """Run a command function the way every command ends: its exit code, or one plain line and 2 (130 for Ctrl+C,
    141 when the reader of a pipe went away) for whatever it raised — never a traceback (storage/crash.py)."""
    from partnerxl.storage.crash import run_cli as run

    return run(func, args)
