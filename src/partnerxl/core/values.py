"""Reading one cell's value as the officer meant it: text, dates, numbers, years, ticks, closed-list choices, ratings.

Each function takes a raw cell value (what calamine, openpyxl or xlwings gives) and returns the typed value, None
for blank, or raises ValueError when the value cannot be read without guessing; the checks turn that ValueError
into a finding at the cell. Pure functions: no workbook, no files.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any

from partnerxl.core.instruments import load_instruments

EXCEL_EPOCH = dt.date(1899, 12, 30)


# --- cell value parsing ----------------------------------------------------------------------------------------------

def text(value: Any) -> str | None:
    """A cell as trimmed text; None for blank. Whole numbers lose their '.0' (an ID typed as 7 reads '7')."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).replace("\u00a0", " ").strip()
    return s or None


def parse_date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial number, or text in ISO (2025-03-31) or UK (31/03/2025) form."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, (int, float)):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError("not a date")
    s = str(value).strip()
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", s)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", s)
    if m:
        year = int(m.group(3))
        year = year + 2000 if year < 100 else year
        return dt.date(year, int(m.group(2)), int(m.group(1)))
    raise ValueError("not a date")


def parse_number(value: Any) -> float | None:
    """A number from a number cell or text such as '£12,000' or ' 3.5 '."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).replace("\u00a0", " ").strip()
    if not s:
        return None
    s = s.replace("£", "").replace(",", "").replace(" ", "")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", s):
        raise ValueError("not a number")
    return float(s)


def parse_year(value: Any) -> int | None:
    n = parse_number(value)
    if n is None:
        return None
    if not float(n).is_integer() or not 1990 <= n <= 2100:
        raise ValueError("not a year")
    return int(n)


_TICKS = {"yes", "y", "x", "✓", "✔", "true", "1", "ticked"}
_UNTICKS = {"no", "n", "false", "0"}


def parse_tick(value: Any) -> bool:
    t = text(value)
    if t is None:
        return False
    folded = t.casefold()
    if folded in _TICKS:
        return True
    if folded in _UNTICKS:
        return False
    raise ValueError("not a tick")


_ALIASES = {"n/a": "Not applicable", "na": "Not applicable", "not applicable": "Not applicable", "y": "Yes", "n": "No"}


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Case-, dash- and space-insensitive form of a label: 'NO - but action  is in hand' == 'no – but action is in hand'."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2010-\u2015\u2212-]", "-", text)
    text = re.sub(r"\s*-\s*", " - ", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def normalise_choice(value: Any, choices: list[str]) -> str | None:
    """The canonical spelling of `value` among `choices`, None for blank; ValueError if it is not one of them."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    folded = _fold(text)
    for choice in choices:
        if _fold(choice) == folded:
            return choice
    alias = _ALIASES.get(folded)
    if alias in choices:
        return alias
    raise ValueError(f"'{text}' is not one of: {', '.join(choices)}")


def parse_rating(value: Any) -> int | None:
    """A benchmark rating from a cell: the scale label (any dash, case or spacing) or the bare number 1–4.

    Blank and "Don't know" are no rating (None). Anything else raises ValueError: never a silent guess.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a rating")
    if isinstance(value, (int, float)):
        if float(value) in (1.0, 2.0, 3.0, 4.0):
            return int(value)
        raise ValueError(f"'{value}' is not a rating: use 1 to 4 or a label from the drop-down")
    text = str(value).strip()
    if not text:
        return None
    table = _rating_table(load_instruments().benchmarks)
    if text in table:  # the drop-down's own label, as nearly every cell holds
        return table[text]
    folded = _fold(text.replace("\u2019", "'"))
    if folded in table:
        return table[folded]
    if re.fullmatch(r"[1-4](\.0+)?", text):
        return int(float(text))
    labels = "; ".join(f"{lv.value} = {lv.label}" for lv in load_instruments().benchmarks.scale)
    raise ValueError(f"'{text}' is not a rating: choose from the drop-down ({labels}) or leave blank")


_RATING_TABLES: dict[int, tuple[Any, dict[str, int | None]]] = {}


def _rating_table(scale: Any) -> dict[str, int | None]:
    """Folded label → rating (None for the no-rating labels), built once per instrument in force."""
    held = _RATING_TABLES.get(id(scale))
    if held is None or held[0] is not scale:
        table: dict[str, int | None] = {_fold(label): None for label in scale.no_rating_labels}
        table.update({_fold(level.label): level.value for level in scale.scale})
        table.update({level.label: level.value for level in scale.scale})
        held = _RATING_TABLES[id(scale)] = (scale, table)
    return held[1]
