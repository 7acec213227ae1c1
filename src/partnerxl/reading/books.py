"""Workbooks → models, with a finding for every problem (pandera-style: all of them, never the first only).

Reading is assembly: partnerxl.sheets turns each sheet's grid into raw records (what is where), partnerxl.checks
judges them (typed values and findings), and the models of partnerxl.core.models are built from what passed.
docs/rules.md, "Entries that cannot be read", is the policy: a value that is not allowed is an error finding at its
cell and is left out exactly as if the cell were blank, and the rest of the workbook still counts; a register row
with no id or name, or with a duplicate id or name, is left out whole. A finding of severity error therefore means
the model may be partial.

Readers depend only on `WorkbookSource` (sheets/grid.py), so a file read with calamine or openpyxl and a book open
in Excel read with xlwings go through the same code and give the same findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerxl.checks import run
from partnerxl.checks.against_register import InRegister, NameAgrees, TierInstruments
from partnerxl.checks.records import BuildRecord
from partnerxl.checks.register import (Gatekeeper, MissingColumns, PlainId, RegisterDates, Scope, SettingsValues,
                                       UniqueKeys)
from partnerxl.checks.response import FormComplete
from partnerxl.checks.review import ExtraColumns, ItemLayout
from partnerxl.checks.values import (CellValues, ColumnValues, FieldSpec, NotInFuture, Record, in_item_order,
                                     row_records)
from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import Finding
from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import RegisterEntry, Respondent, register_entry_model
from partnerxl.core.settings import Settings
from partnerxl.core.text import same
from partnerxl.reading.review_book import INSTRUMENT_SHEETS, ReviewBook, _header_specs, read_review
from partnerxl.sheets import layout as L
from partnerxl.sheets.grid import WorkbookSource, detect_kind
from partnerxl.sheets.register import parse_register, parse_settings
from partnerxl.sheets.response import parse_response


RESPONSE_SPECS = _header_specs(L.RESPONSE_FIELDS, {"year": "year", "email": "email"}, {"partnership_id", "organisation"})


# --- register -----------------------------------------------------------------------------------------------------

@dataclass
class RegisterBook:
    entries: list[RegisterEntry] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    as_of: dt.date | None = None
    reviews_folder: str | None = None
    findings: list[Finding] = field(default_factory=list)
    row_of: dict[str, int] = field(default_factory=dict)
    path_label: str = ""

    def entry(self, partnership_id: str) -> RegisterEntry | None:
        """The entry whose id matches (docs/rules.md, "Matching ids and names": trimmed, NFKC, invisible characters
        removed, case ignored)."""
        return next((e for e in self.entries if same(e.id, partnership_id)), None)

    def reviews_dir(self, register_path: str | Path) -> Path | None:
        """The Settings sheet's reviews folder; a relative folder is relative to the register's own folder."""
        if not self.reviews_folder:
            return None
        folder = Path(self.reviews_folder).expanduser()
        return folder if folder.is_absolute() else Path(register_path).resolve().parent / folder


def read_register(source: WorkbookSource, as_of: dt.date | None = None) -> RegisterBook:
    """The Register and Settings sheets → RegisterBook. `as_of` (else the Settings as-of date, else today) is the
    day a last review date may not be after."""
    register = load_instruments().register
    label = source.path_label
    book = RegisterBook(path_label=label)
    settings_grid = source.grid(L.SETTINGS)
    sheet = parse_register(source.grid(L.REGISTER), register.fields)
    settings = SettingsValues(label, L.SETTINGS, cells=parse_settings(settings_grid), as_of_key=L.AS_OF_KEY,
                              folder_key=L.REVIEWS_FOLDER_KEY)
    book.findings += run(settings)
    book.settings, book.as_of, book.reviews_folder = settings.settings, settings.as_of, settings.reviews_folder
    today = as_of or book.as_of or dt.date.today()

    labels = {f.name: f.label for f in register.fields}
    limits = {"money": book.settings.max_money_gbp, "number": book.settings.max_days}
    specs = {f.name: FieldSpec(f.label, f.type, tuple(f.choices or ()), f.required, limits.get(f.type))
             for f in register.fields}
    book.findings += run(MissingColumns(label, L.REGISTER, missing=sheet.missing_columns, labels=labels,
                                        header_row=sheet.header_row))
    rows = _register_rows(label, sheet, specs, today, book.findings)
    unique = UniqueKeys(label, L.REGISTER, rows=rows)
    book.findings += run(unique)
    model = register_entry_model()
    for row, record in rows:
        if row in unique.rejected or record.values.get("id") is None or record.values.get("name") is None:
            continue
        build = BuildRecord(label, L.REGISTER, model=model, data=record.values, cell=f"A{row}", label="Row",
                            shown=row, trusted=True)
        book.findings += run(build)
        if build.record is not None:
            book.entries.append(build.record)
            book.row_of[build.record.id] = row
    return book


def _register_rows(label: str, sheet: Any, specs: dict[str, FieldSpec], today: dt.date,
                   fx: list[Finding]) -> list[tuple[int, Record]]:
    """Each non-blank row's typed values (each field's column read in one pass), then the rules of a row; the
    findings go to `fx` row by row, each row's in field order, then its rules'."""
    register = load_instruments().register
    labels = {f.name: f.label for f in register.fields}
    checks = [ColumnValues(label, L.REGISTER, column=column, spec=specs[name]) for name, column in sheet.cells.items()]
    found = [(run(c), c.at) for c in checks]
    records = row_records(sheet.cells, checks)
    rules: list[Finding] = []
    at: list[int] = []
    for i, record in enumerate(records):
        row_found = run(
            PlainId(label, L.REGISTER, cell=record.refs.get("id"), value=record.values.get("id")),
            RegisterDates(label, L.REGISTER, record=record),
            NotInFuture(label, L.REGISTER, cell=record.refs.get("last_review_date"), label="Last review date",
                        date=record.values.get("last_review_date"), today=today),
            Scope(label, L.REGISTER, record=record, rule=register.scope, label=labels[register.scope.field]),
            Gatekeeper(label, L.REGISTER, record=record, gate=register.gatekeeper, labels=labels))
        rules += row_found
        at += [i] * len(row_found)
    fx += in_item_order([*found, (rules, at)])
    return list(zip(sheet.row_numbers, records))


# --- response -----------------------------------------------------------------------------------------------------

@dataclass
class ResponseBook:
    partnership_id: str | None = None
    partnership_name: str | None = None
    year: int | None = None
    respondent: Respondent | None = None
    respondent_name: str | None = None
    organisation: str | None = None
    email: str | None = None
    comments: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    path_label: str = ""


def read_response(source: WorkbookSource) -> ResponseBook:
    ids = [b.id for b in load_instruments().benchmarks.benchmarks]
    label = source.path_label
    sheet = parse_response(source.grid(L.RESPONSE), ids)
    book = ResponseBook(path_label=label)
    header = CellValues(label, L.RESPONSE, cells=sheet.header, specs=RESPONSE_SPECS)
    book.findings += run(header, ItemLayout(label, L.RESPONSE, located=sheet.items.located, what="benchmark"),
                         ExtraColumns(label, L.RESPONSE, columns=sheet.items.extra))
    for key in ("partnership_id", "partnership_name", "year", "respondent_name", "organisation", "email"):
        setattr(book, key, header.record.values.get(key))
    ratings = CellValues(label, L.RESPONSE, cells={bid: cells["rating"] for bid, cells in sheet.items.cells.items()},
                         specs={bid: FieldSpec(f"Rating of {bid}", "rating") for bid in ids})
    book.findings += run(ratings)
    rec = ratings.record
    comments = CellValues(label, L.RESPONSE, cells={bid: cells["comment"] for bid, cells in sheet.items.cells.items()},
                          specs={bid: FieldSpec(f"Comment on {bid}") for bid in ids})
    book.findings += run(comments)
    book.comments = comments.record.values
    book.findings += run(FormComplete(label, L.RESPONSE, who=book.organisation, total=len(ids),
                                      refused=bool(rec.refused),
                                      unrated=[(bid, rec.refs[bid]) for bid in ids if bid in rec.blank]))
    if book.organisation is not None:
        book.respondent = Respondent(organisation=book.organisation, name=book.respondent_name, email=book.email,
                                     ratings=rec.values)
    return book


# --- whole-file validation -----------------------------------------------------------------------------------------

def validate_source(source: WorkbookSource, register: RegisterBook | None = None,
                    as_of: dt.date | None = None) -> list[Finding]:
    """Every finding for one workbook of any kind; PartnerXLError when it cannot be read at all."""
    kind, _version = detect_kind(source)
    if kind == "register":
        return list(read_register(source, as_of=as_of).findings)
    if kind == "response":
        book = read_response(source)
        findings = list(book.findings)
        if register is not None and book.partnership_id:
            findings += run(InRegister(source.path_label, L.RESPONSE, cell=L.RESPONSE_FIELDS["partnership_id"][0],
                                       partnership_id=book.partnership_id, lookup=register.entry))
        return findings
    today = as_of or (register.as_of if register else None) or dt.date.today()
    book = read_review(source, as_of=today)
    findings = list(book.findings)
    if register is not None and book.review is not None:
        findings += review_against_register(source.path_label, book, register)
    return findings


def review_against_register(file: str, book: ReviewBook, register: RegisterBook) -> list[Finding]:
    """Checks that need the register: the ID exists, the name agrees, and the tier's instruments are complete."""
    review = book.review
    entry = register.entry(review.partnership_id)
    if entry is None:
        return run(InRegister(file, L.ABOUT, cell=L.ABOUT_FIELDS["partnership_id"][0],
                              partnership_id=review.partnership_id, lookup=register.entry))
    return run(NameAgrees(file, L.ABOUT, cell=L.ABOUT_FIELDS["partnership_name"][0], name=review.partnership_name,
                          register_name=entry.name),
               TierInstruments(file, None, review=review, entry=entry, settings=register.settings,
                               sheets=INSTRUMENT_SHEETS))


__all__ = ["RegisterBook", "ReviewBook", "ResponseBook", "read_register", "read_review", "read_response",
           "validate_source", "review_against_register"]
