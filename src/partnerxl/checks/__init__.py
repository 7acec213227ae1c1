"""Every validation rule once, each a small check that declares the finding codes it can emit.

`run(*checks)` collects every finding of every check (never stopping at the first); `declared_codes()` is the
union of what the checks declare. Checks import no Excel library and do no file I/O: they see raw records from
partnerxl.sheets and typed values only.
"""

from __future__ import annotations

from partnerxl.checks import against_register, records, register, response, review, values
from partnerxl.checks.engine import Check, run, watch

MODULES = (values, register, review, response, against_register, records)


def all_checks() -> list[type[Check]]:
    """Every concrete check class, in module order."""
    out: list[type[Check]] = []
    for module in MODULES:
        out += [obj for obj in vars(module).values()
                if isinstance(obj, type) and issubclass(obj, Check) and obj is not Check
                and obj.__module__ == module.__name__]
    return out


def declared_codes() -> set[str]:
    return {code for check in all_checks() for code in check.codes}


__all__ = ["Check", "run", "watch", "all_checks", "declared_codes"]
