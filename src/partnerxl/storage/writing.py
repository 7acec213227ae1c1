"""Writing output files safely: atomically, never over a file open in Excel, and user text always as text.

Batch commands never rewrite a user's workbook; they write new files through `atomic_write`, which writes a
temporary file in the destination folder and renames it into place, so a crash or a full disk never leaves half a
file where the officer expects a whole one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.sheets.cell_text import fit_cell
# Defined with the rest of what a cell holds (sheets/cell_text.py); the tests of the writers find them here too.
from partnerxl.sheets.cell_text import FORMULA_TRIGGERS, needs_text_prefix  # noqa: F401


def lock_file_for(path: Path) -> Path:
    """Excel's owner file for `path`: `~$` + the name (Excel drops the first two characters of long names)."""
    name = path.name
    candidates = [path.with_name("~$" + name), path.with_name("~$" + name[2:])] if len(name) > 2 else [path.with_name("~$" + name)]
    return next((c for c in candidates if c.exists()), candidates[0])


def check_not_open(path: Path) -> None:
    """Refuse to replace a file that Excel has open (its `~$` lock file sits beside it)."""
    path = Path(path)
    if path.exists() and lock_file_for(path).exists():
        raise PartnerXLError("is open in Excel (its lock file is beside it). Close it in Excel and run again; "
                             "nothing was written.", file=str(path))


TEMP_PREFIX = ".~partnerxl-"
STALE_AFTER_S = 3600  # a temp file this old belongs to no run still writing: one was killed mid-write
_SWEPT: dict[str, float] = {}  # folder → when this process last swept it (a summaries run writes hundreds)


def atomic_write(path: Path, write: Callable[[Path], Any]) -> Path:
    """Call `write(tmp_path)` to produce the file, then move it over `path` in one rename.

    The temporary file is removed on every way out (an error, Ctrl+C, a signal turned into an exception); one left
    by a run that was killed outright is removed by a later write into the same folder once it is an hour old.
    The file gets the permissions the user's umask allows, like any file they create (mkstemp's are 0600).
    """
    path = Path(path)
    check_not_open(path)
    _ready(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.close(fd)
        write(tmp)
        _give_default_permissions(tmp)
        os.replace(tmp, path)
    except PermissionError:
        raise PartnerXLError("cannot be replaced (permission denied or open in another program). "
                             "Close it and run again.", file=str(path)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def scratch_folder(folder: Path) -> tempfile.TemporaryDirectory:
    """A scratch folder (`.~partnerxl-*`) inside `folder`, the output's own folder, for a writer that streams its
    parts to disk: removed when closed or let go; one left by a run killed outright is swept like a temp file."""
    _ready(Path(folder))
    return tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, dir=folder)


def _ready(folder: Path) -> None:
    """The output folder made if it is not there, and swept of what killed runs left in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PartnerXLError(f"cannot create the folder ({exc.strerror}). Choose another output folder.",
                             file=str(folder)) from None
    _sweep(folder)


def remove_stale_temp_files(folder: Path, older_than_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove PartnerXL's own temporary files and scratch folders (`.~partnerxl-*`) older than `older_than_s` from
    `folder`; nothing else is ever touched: a link is never followed, and a folder is removed only if it holds
    nothing but a writer's own scratch files (`tmp*`), so one an officer named so and filled is kept. Returns what
    was removed."""
    now = time.time()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        try:
            if not entry.name.startswith(TEMP_PREFIX) or now - entry.stat(
                    follow_symlinks=False).st_mtime <= older_than_s:
                continue
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
            elif not (entry.is_dir(follow_symlinks=False) and _remove_scratch(Path(entry.path))):
                continue
            removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove: leave it
    return removed


def _remove_scratch(folder: Path) -> bool:
    """Remove a scratch folder that holds only plain files named as XlsxWriter's (`tmp*`); False if it holds
    anything else (then it is left whole)."""
    inside = list(os.scandir(folder))
    if not all(e.name.startswith("tmp") and e.is_file(follow_symlinks=False) for e in inside):
        return False
    for e in inside:
        os.unlink(e.path)
    os.rmdir(folder)
    return True


def _sweep(folder: Path) -> None:
    """remove_stale_temp_files, at most once a minute per folder in one process."""
    key, now = os.path.abspath(folder), time.monotonic()
    if key in _SWEPT and now - _SWEPT[key] < 60:
        return
    _SWEPT[key] = now
    remove_stale_temp_files(folder)


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux's /proc); elsewhere set and
    restored at once under a lock, since os.umask can only be read by setting it."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()


def _give_default_permissions(tmp: Path) -> None:
    if os.name == "nt":
        return  # Windows files have no mode bits beyond read-only; the folder's ACL decides
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o666 & ~current_umask())


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def save_workbook(workbook: Any, path: Path) -> Path:
    """Save an openpyxl workbook atomically."""
    return atomic_write(path, lambda tmp: workbook.save(tmp))


def set_text(cell: Any, value: Any) -> Any:
    """Write `value` into an openpyxl cell so that user text can never become a formula.

    openpyxl stores any string starting with "=" as a formula; forcing the data type to string keeps it text
    (Excel shows it verbatim). Non-strings are written as they are.
    """
    if isinstance(value, str):
        value = fit_cell(value)  # Excel refuses to open a file with a longer cell: cut visibly instead
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


@contextlib.contextmanager
def unchanged(paths: list[Path]) -> Iterator[None]:
    """Development guard: assert the given input files are byte-identical after the block (used by tests)."""
    import hashlib

    before = {p: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}
    yield
    for p, digest in before.items():
        if hashlib.sha256(Path(p).read_bytes()).hexdigest() != digest:
            raise AssertionError(f"{p} was modified")
