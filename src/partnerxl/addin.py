"""The functions the PartnerXL ribbon buttons call (through xlwings' `RunPython`), one per button.

Each takes the workbook the button was pressed in (`book=None` means `xlwings.Book.caller()`, which is how
`RunPython` calls it; tests pass an `xlwings.Book`), checks which PartnerXL workbook it is (the template marker),
does its work through the same modules as the `partnerxl` command line, and ends with one short message box.
Every problem becomes a plain message box naming what to fix, never a traceback dialog.

`RunPython` starts a fresh Python process on every click, so this module imports nothing heavy at import time:
pandas, openpyxl, xlwings and PartnerXL's own modules are imported inside the functions that need them.

Sheets PartnerXL owns in a live workbook (replaced on every run, never duplicated):
*Issues* (Validate), *Scores* (Score), and in the register *Portfolio*, *Heatmap*, *Flags*, *Actions*,
*Committee summary*, *Problems* (Roll up portfolio). The only cells outside them that PartnerXL changes are the
fills Validate puts on offending input cells (and takes off again on the next run), and the respondent columns
Collate responses fills in a review.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Callable

from .errors import PartnerXLError

TITLE = "PartnerXL"
ISSUES_SHEET = "Issues"
SCORES_SHEET = "Scores"

# Fill colours (hex) put on offending input cells by Validate: errors and warnings.
ERROR_FILL = "#FFC7CE"
WARNING_FILL = "#FFEB9C"
RAG_COLOURS = {"Red": "#F8696B", "Amber": "#FFC000", "Green": "#63BE7B"}
HEADER_COLOUR = "#D9E1F2"

KIND_WORDS = {"register": "partnership register", "review": "annual review workbook",
              "response": "partner's response workbook"}


# --- the wrapper every button goes through -------------------------------------------------------------------------

def _caller(book: Any) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def _log_path() -> str:
    import tempfile

    return os.path.join(tempfile.gettempdir(), "partnerxl-addin.log")


def _log_exception(button: str) -> str:
    """Write the traceback to a log file (for whoever supports PartnerXL); return the file's path."""
    import datetime as dt
    import traceback

    path = _log_path()
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\n--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} {button}\n")
            fh.write(traceback.format_exc())
    except OSError:
        return ""
    return path


def _drop_queued_actions(book: Any) -> None:
    """On the remote engine nothing reaches Excel until the function returns: after an error, send nothing."""
    try:
        from .excel_source import engine_name

        if engine_name(book) != "excel":
            book.json()["actions"].clear()
    except Exception:
        pass


def button(label: str) -> Callable[[Callable[[Any], str]], Callable[..., str | None]]:
    """Turn `work(book) -> message` into a ribbon function: caller book, message box at the end, errors as text."""

    def wrap(work: Callable[[Any], str]) -> Callable[..., str | None]:
        @functools.wraps(work)
        def run(book: Any = None) -> str | None:
            from .excel_source import alert

            book = _caller(book)
            try:
                message = work(book)
            except PartnerXLError as exc:
                _drop_queued_actions(book)
                message = f"{label} stopped.\n\n{exc}"
                alert(book, message, critical=True)
                return message
            except Exception as exc:  # anything unexpected: a plain message, the details to a log file
                _drop_queued_actions(book)
                log = _log_exception(label)
                message = (f"{label} could not finish because of an unexpected problem: "
                           f"{type(exc).__name__}: {exc}".rstrip(": ") + ".")
                if log:
                    message += f"\n\nThe details were saved in {log}; send that file to whoever supports PartnerXL."
                alert(book, message, critical=True)
                return message
            alert(book, message)
            return message

        run.__wrapped_work__ = work  # type: ignore[attr-defined]
        return run

    return wrap


def _open(book: Any, label: str, kinds: tuple[str, ...]) -> tuple[Any, str]:
    """The book as a WorkbookSource and its kind; a plain error if it is not a PartnerXL workbook of those kinds."""
    from .excel_source import XlwingsWorkbook
    from .workbook_file import detect_kind

    source = XlwingsWorkbook(book)
    try:
        kind, _version = detect_kind(source)
    except PartnerXLError:
        kind = None
    wanted = " or ".join(KIND_WORDS[k] for k in kinds)
    if kind is None:
        raise PartnerXLError(
            f"'{book.name}' is not a PartnerXL workbook (it has no PartnerXL template marker). {label} works in a "
            f"{wanted} made by PartnerXL. Open one (or make one with `partnerxl template`) and press {label} there.")
    if kind not in kinds:
        raise PartnerXLError(
            f"'{book.name}' is a {KIND_WORDS.get(kind, kind)}; {label} works in a {wanted}. "
            f"Open the right workbook and press {label} there.")
    return source, kind


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
