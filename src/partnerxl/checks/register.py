"""The register's rules: its columns, unique ids and names, dates, scope, the gatekeeper, and the Settings sheet."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from partnerxl.checks.engine import Check
from partnerxl.checks.values import Record
from partnerxl.core.findings import Finding
from partnerxl.core.settings import Settings, broken_rule
from partnerxl.core.text import match_key
from partnerxl.core.values import UNREADABLE, CleanedText, ErrorValue, Uncalculated, parse_date, parse_number, text

RawCell = tuple[str, Any]
EXTRA_LABELS = {"as_of": "As-of date", "reviews_folder": "Reviews folder"}  # the Settings rows beyond the model


@dataclass
class MissingColumns(Check):
    """Every field's column must be found by its heading."""

    codes = ("missing-column",)

    missing: dict[str, str]                  # field name → where its heading belongs
    labels: dict[str, str]                   # field name → heading
    header_row: int

    def findings(self) -> Iterator[Finding]:
        for name, ref in self.missing.items():
            yield self.finding("missing-column", cell=ref, field=self.labels[name], value=None, detail=self.header_row)


@dataclass
class UniqueKeys(Check):
    """Ids and names are unique, compared by their match key; the later row of a pair is `rejected` whole."""

    codes = ("duplicate-id", "duplicate-name")

    rows: list[tuple[int, Record]]           # (Excel row, the row's typed values)
    rejected: set[int] = field(default_factory=set)

    def findings(self) -> Iterator[Finding]:
        seen: dict[str, dict[str, int]] = {"id": {}, "name": {}}
        for row, record in self.rows:
            for name, code, label in (("id", "duplicate-id", "ID"), ("name", "duplicate-name", "Name")):
                value = record.values.get(name)
                if value is None:
                    continue
                key = match_key(value)
                if key in seen[name]:
                    self.rejected.add(row)
                    yield self.finding(code, cell=record.refs.get(name), field=label, value=value,
                                       detail=seen[name][key])
                else:
                    seen[name][key] = row


@dataclass
class PlainId(Check):
    """An id is letters, digits, '-' and '_' only (a warning): ids become parts of file names and e-mail subjects,
    where slashes, dots, line breaks and the like either change the meaning or are refused."""

    codes = ("id-not-plain",)

    cell: str | None
    value: str | None

    def findings(self) -> Iterator[Finding]:
        # invisible characters are judged as the match key judges them (ignored), so only what shows counts
        if self.value is not None and not re.fullmatch(r"[\w-]+", match_key(self.value)):
            yield self.finding("id-not-plain", cell=self.cell, field="ID", value=self.value)


@dataclass
class RegisterDates(Check):
    """An end date is not before the start, and a Time-limited partnership has one."""

    codes = ("end-before-start", "end-date-needed")

    record: Record

    def findings(self) -> Iterator[Finding]:
        values, refs = self.record.values, self.record.refs
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            yield self.finding("end-before-start", cell=refs.get("end_date"), field="End date", value=end, detail=start)
        if values.get("duration") == "Time-limited" and "end_date" in self.record.blank:
            yield self.finding("end-date-needed", refs.get("end_date"), "End date")


@dataclass
class Scope(Check):
    """Only the in-scope arrangements are partnerships under the strategy (a warning, nothing is left out)."""

    codes = ("out-of-scope",)

    record: Record
    rule: Any                                # the register instrument's scope rule
    label: str

    def findings(self) -> Iterator[Finding]:
        arrangement = self.record.values.get(self.rule.field)
        if arrangement is not None and arrangement not in self.rule.in_scope:
            yield self.finding("out-of-scope", cell=self.record.refs.get(self.rule.field), field=self.label,
                               value=arrangement)


@dataclass
class Gatekeeper(Check):
    """A Proposed partnership answers every gatekeeper question; answers that do not say proceed are a warning
    with the instrument's reasons."""

    codes = ("gatekeeper-missing", "gatekeeper-reconsider")

    record: Record
    gate: Any                                # the register instrument's gatekeeper
    labels: dict[str, str]

    def findings(self) -> Iterator[Finding]:
        values, refs = self.record.values, self.record.refs
        if values.get("status") != self.gate.applies_to_status:
            return
        answered = True
        for q in self.gate.questions:
            if q.field in refs and q.field in self.record.blank:
                yield self.finding("gatekeeper-missing", refs[q.field], self.labels[q.field])
            if values.get(q.field) is None:
                answered = False
        against = [q for q in self.gate.questions if values.get(q.field) != q.proceed_answer]
        if answered and against:
            first = against[0]
            yield self.finding("gatekeeper-reconsider", cell=refs.get(first.field), field=self.labels[first.field],
                               value=values.get(first.field), detail=" ".join(q.reason_if_not for q in against))


@dataclass
class SettingsValues(Check):
    """The Settings sheet: each value a number within its allowed range, else the default with a finding.
    Results: `settings`, `as_of`, `reviews_folder`."""

    codes = ("bad-setting", "bad-date", "formula-without-value", "error-value", "control-characters")

    cells: dict[str, RawCell]                # settings key → (reference, raw value)
    as_of_key: str
    folder_key: str
    settings: Settings = field(default_factory=Settings)
    as_of: dt.date | None = None
    reviews_folder: str | None = None

    def findings(self) -> Iterator[Finding]:
        values: dict[str, Any] = {}
        yield from self._unreadable()
        for key, info in Settings.model_fields.items():
            if key not in self.cells:  # not on this (older) register's Settings sheet: the default holds
                continue
            ref, raw = self.cells[key]
            if text(raw) is None:
                continue
            if info.annotation is str:  # a name or a signature: taken as typed
                values[key] = text(raw)
                continue
            try:
                n = parse_number(raw)
            except ValueError:
                yield self.finding("bad-setting", cell=ref, field=_label(key), value=raw, detail="not a number")
                continue
            values[key] = int(n) if info.annotation is int and float(n).is_integer() else n
        yield from self._settle(values)
        ref, raw = self.cells.get(self.as_of_key, (None, None))  # an older register may not have it
        try:
            self.as_of = None if isinstance(raw, UNREADABLE) else parse_date(raw)
        except ValueError:
            yield self.finding("bad-date", cell=ref, field="As-of date", value=raw)
        self.reviews_folder = text(self.cells.get(self.folder_key, (None, None))[1])

    def _unreadable(self) -> Iterator[Finding]:
        """A formula saved without its value (read as blank, so the default holds) and text that lost control
        characters, at their cells."""
        for key, (ref, raw) in self.cells.items():
            label = _label(key) if key in Settings.model_fields else EXTRA_LABELS.get(key, key)
            if isinstance(raw, Uncalculated):
                yield self.finding("formula-without-value", cell=ref, field=label)
            elif isinstance(raw, ErrorValue):
                yield self.finding("error-value", cell=ref, field=label, value=raw.code)
            elif isinstance(raw, CleanedText):
                yield self.finding("control-characters", cell=ref, field=label, value=text(raw))

    def _settle(self, values: dict[str, Any]) -> Iterator[Finding]:
        """Drop the values the Settings model refuses, one at a time, until it accepts the rest."""
        while True:
            try:
                self.settings = Settings(**values)
                return
            except ValidationError as exc:
                err = exc.errors()[0]
                bad = str(err["loc"][0]) if err["loc"] else ""
                detail = err["msg"]
                if bad not in values:  # a rule across settings (core/settings.py): blame a value that was typed
                    pair, why = broken_rule(values) or (("rag_green_from", "rag_amber_from"), "")
                    bad = next(k for k in pair if k in values)
                    other = next(k for k in pair if k != bad)
                    detail = f"it conflicts with '{_label(other)}': {why}"
                yield self.finding("bad-setting", cell=self.cells[bad][0], field=_label(bad), value=values[bad],
                                   detail=detail)
                values.pop(bad)


def _label(key: str) -> str:
    """A setting's plain name, never its key."""
    return Settings.model_fields[key].description or key.replace("_", " ")
