"""The last net: a record whose checked values its model still refuses is reported, never raised."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from partnerxl.checks.engine import Check
from partnerxl.core.compact import made
from partnerxl.core.findings import Finding


@dataclass
class BuildRecord(Check):
    """Builds `model(**data)` into `record`; if the model refuses it, `record` stays None with a finding.

    `trusted`: every value in `data` is already what the model would make of it (each was read by its field's
    type and passed every check), so the record is made without validating it again (core.compact.made)."""

    codes = ("invalid-record",)

    model: Any
    data: dict[str, Any]
    cell: str | None
    label: str
    shown: Any = None
    trusted: bool = False
    record: Any = None

    def findings(self) -> Iterator[Finding]:
        if self.trusted:
            self.record = made(self.model, **self.data)
            return
        try:
            self.record = self.model(**self.data)
        except ValidationError as exc:
            yield self.finding("invalid-record", cell=self.cell, field=self.label, value=self.shown,
                               detail=exc.errors()[0]["msg"])
