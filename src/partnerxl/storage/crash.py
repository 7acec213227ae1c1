"""The last line of defence of the command line: whatever happens, one plain line, never a traceback.

`run_cli(func, args)` runs a command function and turns every way it can end into an exit code and at most one
line on stderr:

- a `PartnerXLError` (something the officer can fix): its message, and its exit code (2);
- the reader of a pipe going away (`partnerxl validate … --json | head`): nothing at all, exit 141 as for any
  program stopped by SIGPIPE; stdout is pointed at the null device, as Python's documentation advises, so the
  interpreter's own final flush cannot complain either;
- Ctrl+C: "interrupted", exit 130; a polite kill (SIGTERM): "stopped", exit 143 — both run every `finally`, so no
  temporary file is left behind (storage.writing);
- anything else, which no test foresaw: one line naming a log file that holds the details (the traceback, the
  command, the versions), exit 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a program whose reader went away
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143   # 128 + SIGTERM
EXIT_UNEXPECTED = 2     # could not run


class Terminated(BaseException):
    """SIGTERM, raised as an exception so that `finally` blocks (temporary files) run on the way out."""


def run_cli(func: Callable[[Any], int | None], args: Any) -> int:
    """Run a command function: its exit code, or the one for how it ended (see the module's docstring)."""
    try:
        with _sigterm_raises():
            code = int(func(args) or 0)
            sys.stdout.flush()  # a closed pipe shows up here, while it can still be handled quietly
        return code
    except PartnerXLError as exc:
        _say(f"partnerxl: {exc}")
        return exc.exit_code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        _say("partnerxl: interrupted")
        return EXIT_INTERRUPTED
    except Terminated:
        _say("partnerxl: stopped")
        return EXIT_TERMINATED
    except Exception as exc:  # noqa: BLE001 - the one place every unforeseen error is turned into a line
        _say(unexpected_line(exc, write_crash_log(exc, args)))
        return EXIT_UNEXPECTED


def unexpected_line(exc: BaseException, log: Path | None) -> str:
    what = type(exc).__name__
    if log is None:
        return (f"partnerxl: something unexpected went wrong ({what}: {_short(exc)}) and the details could not be "
                "saved. Your workbooks were only read, never changed.")
    return (f"partnerxl: something unexpected went wrong ({what}). Your workbooks were only read, never changed. "
            f"The details are in {log}: please send that file to whoever looks after PartnerXL.")


def write_crash_log(exc: BaseException, args: Any = None) -> Path | None:
    """Write the details of an unforeseen error to a new log file (the temp folder, else the home folder)."""
    from partnerxl import __version__

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    body = "".join([
        f"PartnerXL {__version__} crash log, {dt.datetime.now().isoformat(timespec='seconds')}\n",
        f"command: {' '.join(sys.argv)}\n",
        f"arguments: {vars(args) if hasattr(args, '__dict__') else args!r}\n",
        f"python: {sys.version.split()[0]} on {platform.platform()}\n\n",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ])
    for folder in (tempfile.gettempdir(), str(Path.home())):
        try:
            fd, name = tempfile.mkstemp(prefix=f"partnerxl-crash-{stamp}-", suffix=".log", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as fh:
                fh.write(body)
            return Path(name)
        except OSError:
            continue
    return None


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr)


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush has nowhere to fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured by a test): replace it
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until the process ends


@contextlib.contextmanager
def _sigterm_raises():
    """While a command runs, SIGTERM raises `Terminated` (only where Python handles signals: the main thread,
    a system with SIGTERM, a handler not already set by someone else)."""
    term = getattr(signal, "SIGTERM", None)
    if term is None or threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(term) is not signal.SIG_DFL:
        yield
        return

    def _raise(_signum: int, _frame: Any) -> None:
        raise Terminated()

    signal.signal(term, _raise)
    try:
        yield
    finally:
        signal.signal(term, signal.SIG_DFL)
