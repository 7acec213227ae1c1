"""Typed reading of raw cells, by each field's declared type: the value, or a finding and the value left out.

docs/rules.md, "Entries that cannot be read": a value that is not allowed is an error at its cell and is left out
exactly as if the cell were blank. The parsing itself is core.values'; these checks decide which finding a value
that cannot be read becomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
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


# What a cell gave besides a value: nothing (blank), a value that was refused, or no value though not blank (a
# rating of "Don't know").
BLANK, REFUSED, NOTHING = object(), object(), object()
Where = Callable[[], tuple[str, str]]     # the cell's reference and the field's label, asked for on a finding


def judge(check: Check, where: Where, raw: Any, spec: FieldSpec, out: list[Finding]) -> Any:
    """One raw cell read by its field's type: the value, BLANK, REFUSED or NOTHING; findings go to `out`."""
    if isinstance(raw, Uncalculated):
        out.append(check.finding("formula-without-value", *where()))
        return REFUSED
    if isinstance(raw, ErrorValue):
        out.append(check.finding("error-value", *where(), value=raw.code))
        return REFUSED
    if isinstance(raw, CleanedText):
        out.append(check.finding("control-characters", *where(), value=text(raw)))
    if text(raw) is None:
        if spec.required:
            out.append(check.finding("missing-value", *where()))
        return BLANK
    reader, code = _READERS[spec.kind]
    try:
        value = reader(raw, spec)
    except ValueError:
        shown = raw if code == "bad-email" else text(raw)
        out.append(check.finding(code, *where(), value=shown, detail=spec.allowed))
        return REFUSED
    if spec.kind in ("money", "number") and value is not None and value < 0:
        out.append(check.finding("negative-number", *where(), value=raw))
        return REFUSED
    if spec.limit is not None and not within(value, spec.limit):
        out.append(check.finding("number-out-of-range", *where(), value=_amount(value, spec),
                                 detail=_amount(spec.limit, spec)))
        return REFUSED
    return NOTHING if value is None else value


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
        out: list[Finding] = []
        for name, (ref, raw) in self.cells.items():
            spec = self.specs[name]
            self.record.refs[name] = ref
            value = judge(self, lambda: (ref, spec.label), raw, spec, out)  # noqa: B023 - called at once
            if value is BLANK:
                self.record.blank.add(name)
            elif value is REFUSED:
                self.record.refused.add(name)
            elif value is not NOTHING:
                self.record.values[name] = value
            yield from out
            out.clear()


_MEMO_KINDS = {"choice", "tick", "rating", "year", "money", "number"}  # few distinct values, each judged once
_MEMO_LIMIT = 4096
_memos: dict[tuple, dict[tuple[type, Any], Any]] = {}
_memo_instruments: list[Any] = [None]


def _memo(spec: FieldSpec) -> dict[tuple[type, Any], Any] | None:
    """Verdicts already reached for a plain raw value (None, text, a number) and this type of field, remembered
    while the instruments in force (whose scale a rating is read by) stay the same."""
    if spec.kind not in _MEMO_KINDS:
        return None
    inst = load_instruments()
    if _memo_instruments[0] is not inst:
        _memos.clear()
        _memo_instruments[0] = inst
    return _memos.setdefault((spec.kind, spec.choices, spec.required, spec.limit), {})


@dataclass
class ColumnValues(Check):
    """One column of cells of one field type (`column`: a sheets.review.CellColumn, its raw values and where they
    are) read in one pass: `values` holds each cell's value, BLANK, REFUSED or NOTHING; findings are made only for
    the cells that fail, naming the cell and the field (`spec.label`, `{}` standing for the item's name in
    `names`). `at` gives the index of the cell of each finding, in order, so a reader can put them in item order."""

    codes = CellValues.codes

    column: Any
    spec: FieldSpec
    names: list[str] | None = None           # None: every cell's label is `spec.label` as it is
    values: list[Any] = field(default_factory=list)
    at: list[int] = field(default_factory=list)

    def findings(self) -> Iterator[Finding]:
        spec, column, names = self.spec, self.column, self.names
        memo, free_text, required = _memo(spec), spec.kind == "text", spec.required
        out: list[Finding] = []
        values = self.values = []
        for i, raw in enumerate(column.values):
            kind = type(raw)
            if raw is None and not required:
                values.append(BLANK)
                continue
            plain = memo is not None and kind in _PLAIN and (kind is not float or raw != 0)  # -0.0 == 0.0
            if plain and (kind, raw) in memo:
                values.append(memo[(kind, raw)])
                continue
            if free_text and kind is str and (value := text(raw)) is not None:
                values.append(value)
                continue
            value = judge(self, lambda: (column.ref(i), spec.label if names is None  # noqa: B023 - called at once
                                         else spec.label.format(names[i])), raw, spec, out)  # noqa: B023
            values.append(value)
            if out:
                self.at += [i] * len(out)
                yield from out
                out.clear()
            elif plain:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                memo[(kind, raw)] = value


_PLAIN = (type(None), str, int, float)    # raw values whose verdict depends on the value alone


class RowRefs(Mapping):
    """The cell references of one row of columns (field name → A1 reference), each made when asked for."""

    __slots__ = ("_columns", "_i")

    def __init__(self, columns: dict[str, Any], i: int):
        self._columns, self._i = columns, i

    def __getitem__(self, name: str) -> str:
        return self._columns[name].ref(self._i)

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


def row_records(columns: dict[str, Any], checks: list[ColumnValues]) -> list[Record]:
    """One Record per row of `columns` (field name → CellColumn) from the column checks that read them, in the
    same order: what a CellValues of the row's cells would have held."""
    names = list(columns)
    records = []
    for i, values in enumerate(zip(*(c.values for c in checks))):
        record = Record(refs=RowRefs(columns, i))  # type: ignore[arg-type]
        for name, v in zip(names, values):
            if v is BLANK:
                record.blank.add(name)
            elif v is REFUSED:
                record.refused.add(name)
            elif v is not NOTHING:
                record.values[name] = v
        records.append(record)
    return records


def in_item_order(found: list[tuple[list[Finding], list[int]]]) -> list[Finding]:
    """The findings of checks run over one table's columns (each with the item, or row, of each finding), item by
    item and, within an item, in the checks' order: as if each item's cells had been read one after the other."""
    keyed = [(i, phase, n, f) for phase, (findings, at) in enumerate(found)
             for n, (f, i) in enumerate(zip(findings, at))]
    keyed.sort(key=lambda k: k[:3])
    return [k[3] for k in keyed]


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
