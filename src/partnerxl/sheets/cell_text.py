"""Text as one Excel cell holds it, the same for every writer: the file writers (storage/writing.py,
documents/xlsx.py) and the live workbook (excel/live.py).

- Excel keeps at most CELL_LIMIT characters in a cell and refuses a file with more, so a longer text is cut
  visibly (`fit_cell`, ending '…'). It is defined in core/values.py, beside `long_texts`, which warns before
  reading ends in a cut, and core cannot import sheets; presenters reach it here.
- Text that starts like a formula must stay text: a file stores it as text (storage.writing.set_text); typed into
  a live cell it needs Excel's text prefix (').
"""

from __future__ import annotations

from partnerxl.core.values import CELL_LIMIT, fit_cell

__all__ = ["CELL_LIMIT", "FORMULA_TRIGGERS", "TEXT_PREFIX_TRIGGERS", "fit_cell", "needs_text_prefix", "typed_text"]

# Characters that make Excel (and openpyxl) treat a string as a formula or DDE payload.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
# Typed into a live cell, these also start a formula (Excel skips a leading tab or carriage return), so text
# written to an open workbook that starts with any of them gets Excel's text prefix (').
TEXT_PREFIX_TRIGGERS = (*FORMULA_TRIGGERS, "\t", "\r")


def needs_text_prefix(text: str) -> bool:
    """Would Excel read this text, typed into a cell, as a formula? (Files are safe: `set_text` stores text.)"""
    return text.startswith(TEXT_PREFIX_TRIGGERS)


def typed_text(text: str) -> str:
    """`text` as it must go into a live cell: cut to fit, and prefixed (') if Excel would read it as a formula."""
    text = fit_cell(text)
    return "'" + text if needs_text_prefix(text) else text
