"""Cell addresses, once: column letters and A1 references in both directions.

Rows and columns are 0-based in `a1` / `parse_a1` (as grids index them) and 1-based in `col_letter` /
`col_number` (as Excel numbers them).
"""

from __future__ import annotations

import re

_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def col_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_number(letters: str) -> int:
    """A → 1, AA → 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def a1(row: int, col: int) -> str:
    """0-based (row, col) → A1 reference: a1(0, 0) == "A1", a1(4, 27) == "AB5"."""
    return f"{col_letter(col + 1)}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """A1 reference ('B3' or '$B$3') → 0-based (row, col); ValueError for anything else."""
    m = _A1.fullmatch(str(ref).strip())
    if not m:
        raise ValueError(f"'{ref}' is not a cell reference")
    return int(m.group(2)) - 1, col_number(m.group(1)) - 1


def cell_rc(ref: str | None) -> tuple[int, int] | None:
    """0-based (row, col) of a single-cell reference, None for blank or anything that is not one."""
    if not ref:
        return None
    try:
        return parse_a1(ref)
    except ValueError:
        return None
