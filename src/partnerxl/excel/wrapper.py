"""The wrapper every ribbon button goes through: the caller's book, one message box at the end, and every problem
as one plain message (a PartnerXLError as it is; anything else as one sentence, its traceback saved to a log)."""

from __future__ import annotations

import functools
import os
from typing import Any, Callable

from partnerxl.core.errors import PartnerXLError


def _log_exception(label: str) -> str:
    """Write the traceback to a log file (for whoever supports PartnerXL); return the file's path."""
    import datetime as dt
    import tempfile
    import traceback

    path = os.path.join(tempfile.gettempdir(), "partnerxl-addin.log")
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\n--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} {label}\n{traceback.format_exc()}")
    except OSError:
        return ""
    return path


def _drop_queued_actions(book: Any) -> None:
    """On the remote engine nothing reaches Excel until the function returns: after an error, send nothing."""
    try:
        from partnerxl.excel.live import engine_name

        if engine_name(book) != "excel":
            book.json()["actions"].clear()
    except Exception:
        pass


def _failure(label: str, exc: Exception) -> str:
    if isinstance(exc, PartnerXLError):
        return f"{label} stopped.\n\n{exc}"
    log = _log_exception(label)
    message = f"{label} could not finish because of an unexpected problem: {type(exc).__name__}: {exc}".rstrip(": ")
    message += "."
    if log:
        message += f"\n\nThe details were saved in {log}; send that file to whoever supports PartnerXL."
    return message


def button(label: str) -> Callable[[Callable[[Any], str]], Callable[..., str | None]]:
    """Turn `work(book) -> message` into a ribbon function: caller book, message box at the end, errors as text."""

    def wrap(work: Callable[[Any], str]) -> Callable[..., str | None]:
        @functools.wraps(work)
        def run(book: Any = None) -> str | None:
            from partnerxl.excel.live import alert

            if book is None:
                import xlwings as xw

                book = xw.Book.caller()
            try:
                message = work(book)
            except Exception as exc:  # a PartnerXLError as it is; anything else as one sentence, logged
                _drop_queued_actions(book)
                message = _failure(label, exc)
                alert(book, message, critical=True)
                return message
            alert(book, message)
            return message

        run.__wrapped_work__ = work  # type: ignore[attr-defined]
        return run

    return wrap


