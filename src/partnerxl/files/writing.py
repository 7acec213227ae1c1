"""Writing output files safely: atomically, never over a file open in Excel, and user text always as text.

Batch commands never rewrite a user's workbook; they write new files through `atomic_write`, which writes a
temporary file in the destination folder and renames it into place, so a crash or a full disk never leaves half a
file where the officer expects a whole one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError

# Characters that make Excel (and openpyxl) treat a string as a formula or DDE payload.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
# Typed into a live cell, these also start a formula (Excel skips a leading tab or carriage return), so text
# written to an open workbook that starts with any of them gets Excel's text prefix (').
TEXT_PREFIX_TRIGGERS = (*FORMULA_TRIGGERS, "\t", "\r")


def needs_text_prefix(text: str) -> bool:
    """Would Excel read this text, typed into a cell, as a formula? (Files are safe: `set_text` stores text.)"""
    return text.startswith(TEXT_PREFIX_TRIGGERS)


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


def atomic_write(path: Path, write: Callable[[Path], Any]) -> Path:
    """Call `write(tmp_path)` to produce the file, then move it over `path` in one rename."""
    path = Path(path)
    check_not_open(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PartnerXLError(f"cannot create the folder ({exc.strerror}). Choose another output folder.",
                             file=str(path.parent)) from None
    fd, tmp_name = tempfile.mkstemp(prefix=".~partnerxl-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except PermissionError:
        raise PartnerXLError("cannot be replaced (permission denied or open in another program). "
                             "Close it and run again.", file=str(path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


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
