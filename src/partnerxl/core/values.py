"""Reading one cell's value as the officer meant it: text, dates, numbers, years, ticks, closed-list choices, ratings.

Each function takes a raw cell value (what calamine, openpyxl or xlwings gives) and returns the typed value, None
for blank, or raises ValueError when the value cannot be read without guessing; the checks turn that ValueError
into a finding at the cell. Pure functions: no workbook, no files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from partnerxl.core.instruments import load_instruments

EXCEL_EPOCH = dt.date(1899, 12, 30)


# --- what a cell held besides a value ------------------------------------------------------------------------------

class Uncalculated:
    """A formula cell saved without its result (a workbook written by a script, not by Excel): it is not blank,
    yet it has no value, so the checks report it at its cell (formula-without-value) instead of guessing."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNCALCULATED"


UNCALCULATED = Uncalculated()


class ErrorValue:
    """One of Excel's error values (#N/A, #DIV/0!, …) held by a cell: what a formula returned (or an error typed
    in), which is no value. Read as blank it would be a silent guess, so the checks report it at its cell
    (error-value) and leave the value out. `code` is the error as Excel shows it."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ErrorValue) and other.code == self.code

    def __hash__(self) -> int:
        return hash(("ErrorValue", self.code))

    def __repr__(self) -> str:
        return f"ErrorValue({self.code!r})"


# Excel's error values as it shows them: the classic seven, then those of dynamic arrays, linked data types and
# Python in Excel. A file stores them in a cell of type "e" (`<c t="e"><v>#N/A</v></c>`, storage.sheet_scan);
# xlwings gives them as this text (err_to_str) or, over COM, as the error's code: 0x800A0000 + Excel's XlCVError
# number, which is an int unless xlwings knows it (then err_to_str makes it the text).
EXCEL_ERRORS: dict[str, int | None] = {
    "#NULL!": 2000, "#DIV/0!": 2007, "#VALUE!": 2015, "#REF!": 2023, "#NAME?": 2029, "#NUM!": 2036, "#N/A": 2042,
    "#GETTING_DATA": 2043, "#SPILL!": 2045, "#CONNECT!": 2046, "#BLOCKED!": 2047, "#UNKNOWN!": 2048,
    "#FIELD!": 2049, "#CALC!": 2050, "#BUSY!": None, "#PYTHON!": None, "#EXTERNAL!": None,
}
_COM_ERRORS = {code - 2146828288: text for text, code in EXCEL_ERRORS.items() if code}  # -2146826246 is #N/A


def excel_error(value: Any) -> ErrorValue | None:
    """The error value a live cell's value stands for (its text, or its code over COM), None for any other value."""
    if type(value) is str:
        return ErrorValue(value) if value in EXCEL_ERRORS else None
    if type(value) is int and value in _COM_ERRORS:
        return ErrorValue(_COM_ERRORS[value])
    return None


UNREADABLE = (Uncalculated, ErrorValue)
"""What a cell can hold that is not blank yet has no value the checks can read."""


class CleanedText(str):
    """Text from which control characters were removed at reading; the checks report it (control-characters)."""

    __slots__ = ()


# Excel stores the C0 control characters it cannot put in XML as escapes such as `_x000B_`; calamine turns them
# back into the characters and openpyxl leaves the escape: both forms are caught. Tab and line feed are text.
_CONTROL = re.compile(r"_x00[01][0-9A-Fa-f]_|[\x00-\x08\x0b-\x1f\x7f]")
_KEPT = {"_x0009_": "\t", "_x000a_": "\n"}


def clean_text(value: Any) -> Any:
    """`value`, or a CleanedText without the control characters (as pasted from Word) if it held any."""
    if type(value) is not str or not _CONTROL.search(value):
        return value
    return CleanedText(_CONTROL.sub(lambda m: _KEPT.get(m.group().lower(), ""), value))


def present(value: Any) -> bool:
    """Does a raw cell hold anything (a value, a formula without one, an error value)?"""
    return isinstance(value, UNREADABLE) or text(value) is not None


# --- cell value parsing ----------------------------------------------------------------------------------------------

def text(value: Any) -> str | None:
    """A cell as trimmed text; None for blank. Whole numbers lose their '.0' (an ID typed as 7 reads '7')."""
    if value is None or isinstance(value, UNREADABLE):
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
    """A date from a date cell, an Excel serial number, or text in ISO (2025-03-31) or UK (31/03/2025) form.

    A two-digit year follows Excel's own window (00-29 → 2000s, 30-99 → 1900s), so the text '01/04/85' means what
    Excel itself would make of it: 1985, never a third rule of PartnerXL's own.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, (int, float)):
        if 1 <= value < 2958466:  # NaN and the infinities fail this too
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError("not a date")
    s = str(value).strip()
    if not s:
        return None
    m = _ISO_DATE.fullmatch(s)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _UK_DATE.fullmatch(s)
    if m:
        return dt.date(excel_year(m.group(3)), int(m.group(2)), int(m.group(1)))
    raise ValueError("not a date")


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", re.ASCII)
_UK_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", re.ASCII)
EXCEL_CENTURY_PIVOT = 30  # Excel: a typed two-digit year below 30 is 20xx, from 30 on it is 19xx


def excel_year(digits: str) -> int:
    """The year of a date's year digits: four as written, two by Excel's window (29 → 2029, 30 → 1930)."""
    year = int(digits)
    if len(digits) != 2:
        return year
    return year + (2000 if year < EXCEL_CENTURY_PIVOT else 1900)


# Thousands separators (',' or a space, one kind) only in whole groups of three ('12,000', '1,234,567.50'):
# '1,00', '1,2,3' and the continental '100.000,50' each have two readings, so they are refused, not guessed.
_NUMBER = re.compile(r"(?:\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*|\d+)(?:\.\d*)?|\.\d+", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")


def parse_number(value: Any) -> float | None:
    """A number from a number cell or text such as '£12,000', '-£1,234.50' or ' 3.5 '; ValueError for text with
    more than one reading, and for infinities and NaN (no cell means them, and every total would inherit them)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an integer too large for a float
            raise ValueError("not a number") from None
        return _finite(number)
    s = _SPACES.sub(" ", str(value)).strip()
    if not s:
        return None
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:].lstrip()
    if s.startswith("£"):
        s = s[1:].lstrip()
    if not _NUMBER.fullmatch(s):
        raise ValueError("not a number")
    return _finite(float(sign + s.replace(",", "").replace(" ", "")))


def _finite(number: float) -> float:
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def within(value: float | None, limit: float) -> bool:
    """Is `value` (None = blank) no further from zero than `limit`? Bounds such as Settings.max_money_gbp keep a
    mistyped 1e308 from making every total infinite."""
    return value is None or (math.isfinite(value) and abs(value) <= limit)


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


# --- Excel's limit on a cell -----------------------------------------------------------------------------------------

CELL_LIMIT = 32_767  # characters Excel keeps in one cell; past it Excel refuses the file or XlsxWriter cuts silently
ELLIPSIS = "…"


def fit_cell(text: str, keep: str = "", limit: int = CELL_LIMIT) -> str:
    """`text` + `keep` within one cell: the text is cut visibly (ending '…'), `keep` (an action's '(by …)' owner)
    stays whole unless it alone would take more than half the cell."""
    if len(text) + len(keep) <= limit:
        return text + keep
    if len(keep) > limit // 2:
        keep = keep[:limit // 2 - 1] + ELLIPSIS
    return text[:limit - len(keep) - 1] + ELLIPSIS + keep


def long_texts(data: Any, limit: int = CELL_LIMIT, where: str = "") -> list[tuple[str, int]]:
    """(where, length) of every text in `data` (nested dicts and lists, e.g. a model's dump) longer than a cell:
    the places a written cell will be cut, so a command can say so."""
    if isinstance(data, str):
        return [(where.strip(), len(data))] if len(data) > limit else []
    if isinstance(data, dict):
        return [hit for key, value in data.items() for hit in long_texts(value, limit, f"{where} {key}")]
    if isinstance(data, (list, tuple)):
        return [hit for i, value in enumerate(data) for hit in long_texts(value, limit, f"{where} {i + 1}")]
    return []
