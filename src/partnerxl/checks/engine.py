"""The check engine: run a list of checks and collect every finding (pandera's collect-all report).

A check is one validation rule, or a few closely related ones, as a small unit that declares the finding codes it
can emit (frictionless-py's checks are the model). Checks take raw records from partnerxl.sheets and typed values,
and return findings; they open no file and know nothing of Excel libraries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar

from partnerxl.core.findings import Finding, finding

_watchers: ContextVar[tuple[list, ...]] = ContextVar("partnerxl_check_watchers", default=())


@dataclass
class Check:
    """Base of every check. Subclasses set `codes` and implement `findings()`."""

    codes: ClassVar[tuple[str, ...]] = ()

    file: str
    sheet: str | None

    def findings(self) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, code: str, cell: str | None = None, field: str | None = None, value: Any = None,
                detail: Any = None, *, sheet: str | None = None) -> Finding:
        # A code a check did not declare would make the declared catalogue lie: refuse it where it is made.
        if code not in self.codes:
            raise ValueError(f"{type(self).__name__} emitted '{code}', which it does not declare")
        return finding(code, self.file, sheet or self.sheet, cell=cell, field=field, value=value, detail=detail)


def run(*checks: Check | Iterable[Check]) -> list[Finding]:
    """Every finding of every check, in order; never stops at the first."""
    out: list[Finding] = []
    watchers = _watchers.get()
    for item in checks:
        for check in ([item] if isinstance(item, Check) else item):
            for f in check.findings():
                out.append(f)
                for log in watchers:
                    log.append((check, f))
    return out


@contextmanager
def watch() -> Iterator[list[tuple[Check, Finding]]]:
    """Record (check, finding) for every finding any check emits inside the block (tests use it to prove that
    each check emits only the codes it declares)."""
    log: list[tuple[Check, Finding]] = []
    token = _watchers.set((*_watchers.get(), log))
    try:
        yield log
    finally:
        _watchers.reset(token)
