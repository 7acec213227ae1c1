"""File names made from data (a partnership id, a year): safe on every system, never a path.

A partnership id is typed by an officer and ends up in `Summary <id> <year>.xlsx` and `Review <id> <year>.xlsx`.
Anything but letters, digits, '-', '_' and single spaces becomes '-', so an id can never add a folder ('..', '/',
'\\'), name a Windows device (CON, PRN, AUX, NUL, COM1…), end in a dot or space, or run past a length Windows and
OneDrive accept. `inside` then checks that the finished path really is in its folder.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from partnerxl.core.errors import PartnerXLError

MAX_PART = 60
_UNSAFE = re.compile(r"[^A-Za-z0-9_\- ]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def safe_part(text: object) -> str:
    """`text` as a piece of a file name: 'P/../001' → 'P-001', 'CON' → 'CON-', '' → 'blank'."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    part = _UNSAFE.sub("-", folded)
    part = re.sub(r"-{2,}", "-", re.sub(r"\s+", " ", part)).strip(" .-")[:MAX_PART].strip(" .-")
    if not part:
        return "blank"
    return part + "-" if part.upper() in _RESERVED else part


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refusing (one plain line, exit 2) a name that would land anywhere else."""
    folder = Path(folder)
    path = folder / name
    if path.resolve().parent != folder.resolve():
        raise PartnerXLError(f"'{name}' would be written outside the output folder; nothing was written.",
                             file=str(folder))
    return path
