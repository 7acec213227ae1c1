"""Progress on long runs (issue 19): what an operation tells as it goes, and a console bar to show it.

An operation that reads or writes by the hundred takes `progress`, a callable told `(done, total, what)` as work
finishes — `what` is the phase in a few words ("reading reviews", "writing summaries"), `done` counts from 0 (told
once before the first) to `total`. The command line shows it as a bar on the console (`console_progress`, with
tqdm), and nothing when the output is not a terminal or with --quiet; the add-in shows it on Excel's status bar
(`excel.live.status_bar_progress`). The results never depend on it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

Progress = Callable[[int, int, str], None]


def phase(progress: Progress | None, what: str) -> Callable[[int, int], None] | None:
    """`progress` for one phase, as storage.parallel.run_all tells it: `(done, total)`."""
    if progress is None:
        return None
    return lambda done, total: progress(done, total, what)


def console_progress(quiet: bool = False, stream: TextIO | None = None) -> Progress | None:
    """A bar on the console (standard error) for each phase; None (no bar) when `quiet` or when the stream is not a
    terminal (a pipe, a file, a scheduled job's log)."""
    stream = stream or sys.stderr
    if quiet or stream is None or not _is_terminal(stream):
        return None
    try:
        import tqdm  # noqa: F401 - a desktop dependency (pyproject.toml): without it, no bar
    except ImportError:
        return None
    return ConsoleBar(stream)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class ConsoleBar:
    """One tqdm bar per phase, on `stream`, gone from the screen when its phase is done."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.bar: Any = None
        self.what = ""

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.bar is None or what != self.what or done < self.bar.n:
            self.close()
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=what.capitalize(), unit="", file=self.stream, leave=False,
                            dynamic_ncols=True, mininterval=0.2)
            self.what = what
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
