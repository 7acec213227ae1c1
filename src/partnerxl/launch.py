"""The first lines of the `partnerxl` program: the console script and `python -m partnerxl` both start here.

Before anything heavy is imported (the command line imports pandas, openpyxl and the rest), two things are settled,
once, for every command:

- **Ctrl-C ends quietly, at any moment**, with "partnerxl: interrupted" and exit code 130. While the program starts
  (its imports: nothing has been read or written yet) an interrupt ends it at once; from the moment a command can
  run, Ctrl-C raises KeyboardInterrupt as usual, so every `finally` runs on the way out (no temporary file is left,
  storage/writing.py) and storage/crash.py turns it into the same line and code. Once the command has ended, a late
  Ctrl-C cannot interrupt the exit either.
- **Every console can show the output**: characters the console's encoding cannot show (cp1252, as Windows gives a
  redirected console, or ascii) are printed as "?" instead of ending the command with a UnicodeEncodeError.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as storage/crash.py ends an interrupted command


def main(argv: list[str] | None = None) -> int:
    """Run the command line; its exit code. `argv` None means the program itself (sys.argv): then a Ctrl-C
    after the command has ended is ignored while the interpreter exits."""
    previous = _on_interrupt(_end_at_once)
    if previous is signal.SIG_IGN:  # started with interrupts ignored (e.g. in the background): so it stays
        _on_interrupt(previous)
    printable_console()
    try:
        from partnerxl.cli import main as command_line

        if previous is not signal.SIG_IGN:
            _on_interrupt(signal.default_int_handler)
        return command_line(argv)
    except KeyboardInterrupt:
        _on_interrupt(signal.SIG_IGN)
        _say("partnerxl: interrupted")
        return EXIT_INTERRUPTED
    finally:
        _on_interrupt(signal.SIG_IGN if argv is None else previous)


def printable_console() -> None:
    """stdout and stderr print what their encoding cannot show as '?' (errors="replace"), never fail on it."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):  # not a text stream of its own (captured, closed, None)
            pass


def _on_interrupt(handler: Any) -> Any:
    """Set the SIGINT handler where Python handles signals (the main thread); the previous one, or None."""
    if handler is None or threading.current_thread() is not threading.main_thread():
        return None
    try:
        return signal.signal(signal.SIGINT, handler)
    except (ValueError, OSError):
        return None


def _end_at_once(_signum: int, _frame: Any) -> None:
    """Ctrl-C while the program starts: nothing has been read or written yet, so it ends here and now."""
    _say("partnerxl: interrupted")
    os._exit(EXIT_INTERRUPTED)


def _say(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):
        pass
