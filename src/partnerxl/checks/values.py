"""Typed reading of raw cells, by each field's declared type: the value, or a finding and the value left out.

docs/rules.md, "Entries that cannot be read": a value that is not allowed is an error at its cell and is left out
exactly as if the cell were blank. The parsing itself is core.values'; these checks decide which finding a value
that cannot be read becomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from partnerxl.checks.engine import Check
from partnerxl.core.findings import Finding
from partnerxl.core.instruments import load_instruments
from partnerxl.core.text import valid_email
from partnerxl.core.values import (CleanedText, ErrorValue, Uncalculated, normalise_choice, parse_date, parse_number,
                                   parse_rating, parse_tick, parse_year, text, within)

RawCell = tuple[str, Any]


@dataclass(frozen=True)
class FieldSpec:
    """What a cell must hold: `kind` is text, choice, date, money, number, email, year, rating or tick."""

    label: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = False
    limit: float | None = None             # the largest amount a money or number cell may hold (Settings)

    @property
    def allowed(self) -> str:
        """The allowed values, in the words a finding shows."""
        if self.kind == "rating":
            return "; ".join(f"{lv.value} = {lv.label}" for lv in load_instruments().benchmarks.scale)
        if self.kind == "tick":
            return "Yes, or leave blank"
        return "; ".join(self.choices)


def _number(raw: Any, _spec: FieldSpec) -> float | None:
    return parse_number(raw)


def _choice(raw: Any, spec: FieldSpec) -> str | None:
    return normalise_choice(text(raw), list(spec.choices))


def _email(raw: Any, _spec: FieldSpec) -> str | None:
    value = text(raw)
    if value is not None and not valid_email(value):
        raise ValueError("not an email address")
    return value


def _tick(raw: Any, _spec: FieldSpec) -> bool:
    return parse_tick(raw)


# kind → (parser, the code of a value it cannot read)
_READERS: dict[str, tuple[Callable[[Any, FieldSpec], Any], str]] = {
    "text": (lambda raw, _s: text(raw), "missing-value"),
    "choice": (_choice, "unknown-choice"),
    "tick": (_tick, "unknown-choice"),
    "date": (lambda raw, _s: parse_date(raw), "bad-date"),
    "money": (_number, "bad-number"),
    "number": (_number, "bad-number"),
    "email": (_email, "bad-email"),
    "year": (lambda raw, _s: parse_year(raw), "bad-year"),
    "rating": (lambda raw, _s: parse_rating(raw), "bad-rating"),
}


@dataclass
class Record:
    """One record's typed values (only those that passed), their cells, and which cells were blank or refused."""

    values: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    blank: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)


@dataclass
class CellValues(Check):
    """Reads each raw cell by its field's declared type into `record`."""

    codes = ("missing-value", "unknown-choice", "bad-date", "bad-number", "negative-number", "bad-year",
             "bad-email", "bad-rating", "number-out-of-range", "formula-without-value", "error-value",
             "control-characters")

    cells: dict[str, RawCell]
    specs: dict[str, FieldSpec]
    record: Record = field(default_factory=Record)

    def findings(self) -> Iterator[Finding]:
        for name, (ref, raw) in self.cells.items():
            spec = self.specs[name]
            self.record.refs[name] = ref
            if isinstance(raw, Uncalculated):
                self.record.refused.add(name)
                yield self.finding("formula-without-value", cell=ref, field=spec.label)
                continue
            if isinstance(raw, ErrorValue):
                self.record.refused.add(name)
                yield self.finding("error-value", cell=ref, field=spec.label, value=raw.code)
                continue
            if isinstance(raw, CleanedText):
                yield self.finding("control-characters", cell=ref, field=spec.label, value=text(raw))
            if text(raw) is None:
                self.record.blank.add(name)
                if spec.required:
                    yield self.finding("missing-value", ref, spec.label)
                continue
            reader, code = _READERS[spec.kind]
            try:
                value = reader(raw, spec)
            except ValueError:
                self.record.refused.add(name)
                shown = raw if code == "bad-email" else text(raw)
                yield self.finding(code, cell=ref, field=spec.label, value=shown, detail=spec.allowed)
                continue
            if spec.kind in ("money", "number") and value is not None and value < 0:
                self.record.refused.add(name)
                yield self.finding("negative-number", cell=ref, field=spec.label, value=raw)
                continue
            if spec.limit is not None and not within(value, spec.limit):
                self.record.refused.add(name)
                yield self.finding("number-out-of-range", cell=ref, field=spec.label, value=_amount(value, spec),
                                   detail=_amount(spec.limit, spec))
                continue
            if value is not None:
                self.record.values[name] = value


def _amount(value: float, spec: FieldSpec) -> str:
    """'£1,000,000,000' or '10,000': the way an officer reads an amount (1e308 in full would fill the screen)."""
    shown = f"{value:,.0f}" if abs(value) < 1e15 else f"{value:.3g}"
    return f"£{shown}" if spec.kind == "money" else shown


@dataclass
class NotInFuture(Check):
    """A review date (the register's last review, a review's own date) may not be after the as-of date."""

    codes = ("date-in-future",)

    cell: str | None
    label: str
    date: dt.date | None
    today: dt.date

    def findings(self) -> Iterator[Finding]:
        if self.date is not None and self.date > self.today:
            yield self.finding("date-in-future", cell=self.cell, field=self.label, value=self.date, detail=self.today)
