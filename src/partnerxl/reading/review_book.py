"""Reading a review workbook: its sheets parsed (partnerxl.sheets), judged (partnerxl.checks) and built into a
Review with what passed (docs/rules.md, "Entries that cannot be read"). Part of partnerxl.reading, which
re-exports what is here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from partnerxl.checks import run
from partnerxl.checks.records import BuildRecord
from partnerxl.checks.register import PlainId
from partnerxl.checks.review import (ActionNeeded, ActionOwner, Column, EvidenceNeeded, ExtraColumns, InvitedPeople,
                                     ItemLayout, RespondentColumns, UnratedBenchmarks)
from partnerxl.checks.values import (BLANK, NOTHING, REFUSED, CellValues, ColumnValues, FieldSpec, NotInFuture,
                                     in_item_order)
from partnerxl.core.compact import made
from partnerxl.core.findings import Finding
from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.core.models import (BenchmarkAction, ChecklistAnswer, FitnessPlan, ImprovementAnswer, Invitee,
                                   Respondent, Review)
from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import a1, col_number
from partnerxl.sheets.grid import WorkbookSource
from partnerxl.sheets.review import BenchmarksSheet, ItemTable, RespondentColumn, parse_review


def _header_specs(fields: dict[str, tuple[str, str]], kinds: dict[str, str], required: set[str]) -> dict:
    """FieldSpecs of a header block; its label is the sheet's own words without the hint in brackets."""
    return {key: FieldSpec(label.split(" (")[0], kinds.get(key, "text"), required=key in required)
            for key, (_ref, label) in fields.items()}


ABOUT_SPECS = _header_specs(L.ABOUT_FIELDS, {"year": "year", "review_date": "date"}, {"partnership_id", "year"})
INVITED_SPECS = {"organisation": FieldSpec("Organisation of an invited respondent", required=True),
                 "name": FieldSpec("Name of an invited respondent"),
                 "email": FieldSpec("E-mail of an invited respondent", "email")}
PERSON_SPECS = {"organisation": FieldSpec("Respondent's organisation"), "name": FieldSpec("Respondent's name"),
                "email": FieldSpec("Respondent's e-mail", "email")}
RATING_SPEC = FieldSpec("Rating of {}", "rating")


# --- review -------------------------------------------------------------------------------------------------------

@dataclass
class ReviewBook:
    review: Review | None = None
    findings: list[Finding] = field(default_factory=list)
    benchmark_rows: dict[str, int] = field(default_factory=dict)          # benchmark id → Excel row (1-based)
    respondent_columns: dict[str, str] = field(default_factory=dict)      # organisation → column letter
    respondent_people: list[tuple[str, Respondent]] = field(default_factory=list)  # (letter, person) of each column
    free_columns: list[str] = field(default_factory=list)                 # respondent columns with nothing in them
    path_label: str = ""


INSTRUMENT_SHEETS = {"checklist": L.CHECKLIST, "improvement": L.IMPROVEMENT, "benchmarks": L.BENCHMARKS}
REVIEW_SHEETS = (L.ABOUT, L.CHECKLIST, L.IMPROVEMENT, L.FITNESS, L.BENCHMARKS, L.FACTORS)
OPTIONAL_REVIEW_SHEETS = (L.INVITED,)  # reviews made before it was added still read (nobody invited)


def read_review(source: WorkbookSource, as_of: dt.date | None = None) -> ReviewBook:
    inst = load_instruments()
    label = source.path_label
    book = ReviewBook(path_label=label)
    present = set(source.sheet_names())
    grids = {s: source.grid(s) for s in REVIEW_SHEETS}
    grids.update({s: source.grid(s) for s in OPTIONAL_REVIEW_SHEETS if s in present})
    sheets = parse_review(grids, inst)
    about = CellValues(label, L.ABOUT, cells=sheets.about, specs=ABOUT_SPECS)
    fx = book.findings
    fx += run(about)
    data: dict[str, Any] = dict(about.record.values)
    fx += run(PlainId(label, L.ABOUT, cell=about.record.refs["partnership_id"], value=data.get("partnership_id")))
    fx += run(NotInFuture(label, L.ABOUT, cell=about.record.refs["review_date"], label=ABOUT_SPECS["review_date"].label,
                          date=data.get("review_date"), today=as_of or dt.date.today()))
    data["checklist"] = _checklist(label, sheets.checklist, inst=inst, fx=fx)
    data["improvement"] = _improvement(label, sheets.improvement, inst=inst, fx=fx)
    data["fitness"], data["fitness_actions"] = _fitness(label, sheets.fitness, inst=inst, fx=fx)
    data["invited"] = _invited(label, sheets.invited, fx)
    data["respondents"], data["benchmark_actions"] = _benchmarks(label, sheets.benchmarks, inst=inst, book=book)
    data["factors_ticked"] = _factors(label, sheets.factors, fx)
    fx += run(ExtraColumns(label, sheet, columns=extra, rated=sheet == L.BENCHMARKS)
              for sheet, extra in sheets.extra.items())
    if "partnership_id" in data and "year" in data:
        build = BuildRecord(label, L.ABOUT, model=Review, data=data, cell=None, label="Review")
        fx += run(build)
        book.review = build.record
    return book


Found = tuple[list[Finding], list[int]]   # a column check's findings, and the item of each


def _columns(label: str, table: ItemTable, what: str, specs: dict[str, FieldSpec], fx: list[Finding]
             ) -> tuple[list[ColumnValues], list[Found]]:
    """The sheet's layout findings (into `fx`), then each role's column read by its type, in `specs` order."""
    fx += run(ItemLayout(label, table.sheet, located=table.located, what=what))
    checks = [ColumnValues(label, table.sheet, column=table.columns[role], spec=spec, names=table.ids)
              for role, spec in specs.items()]
    return checks, [(run(c), c.at) for c in checks]


def _plain(values: list[Any]) -> list[Any]:
    """A column's values with None where a cell gave none (blank, refused, "Don't know")."""
    return [None if v is BLANK or v is REFUSED or v is NOTHING else v for v in values]


def _records(checks: list[ColumnValues], roles: Any) -> list[dict[str, Any]]:
    """Each item's values that were read (role → value, as a record of CellValues holds them)."""
    return [{role: v for role, v in zip(roles, values) if v is not BLANK and v is not REFUSED and v is not NOTHING}
            for values in zip(*(c.values for c in checks))]


def _checklist(label: str, table: ItemTable, inst: Instruments, fx: list[Finding]) -> dict[str, ChecklistAnswer]:
    specs = {"status": FieldSpec("Status of {}", "choice", tuple(inst.checklist.statuses)),
             "evidence": FieldSpec("Evidence for {}"),
             "where": FieldSpec("Where {} is recorded")}
    checks, found = _columns(label, table, "checklist question", specs, fx)
    rule = EvidenceNeeded(label, table.sheet, questions=table.ids, statuses=_plain(checks[0].values),
                          evidence=_plain(checks[1].values), cells=table.columns["evidence"])
    fx += in_item_order([*found, (run(rule), rule.at)])
    return {qid: made(ChecklistAnswer, **v) for qid, v in zip(table.ids, _records(checks, specs)) if v}


def _improvement(label: str, table: ItemTable, inst: Instruments,
                 fx: list[Finding]) -> dict[str, ImprovementAnswer]:
    specs = {"answer": FieldSpec("Answer for {}", "choice", tuple(inst.improvement.answers)),
             "action": FieldSpec("Action for {}"), "owner": FieldSpec("Owner for {}"),
             "due": FieldSpec("Due date for {}", "date")}
    checks, found = _columns(label, table, "improvement area", specs, fx)
    rule = ActionNeeded(label, table.sheet, areas=table.ids, answers=_plain(checks[0].values),
                        actions=_plain(checks[1].values), cells=table.columns["action"])
    fx += in_item_order([*found, (run(rule), rule.at)])
    return {aid: made(ImprovementAnswer, **v) for aid, v in zip(table.ids, _records(checks, specs)) if v}


def _fitness(label: str, table: ItemTable, inst: Instruments,
             fx: list[Finding]) -> tuple[dict[str, str], dict[str, FitnessPlan]]:
    """The answers, and each action's owner and due date, by question id (docs/rules.md, "The fitness-for-purpose
    review")."""
    specs = {"answer": FieldSpec("Answer for {}", "choice", tuple(inst.fitness.answers)),
             "owner": FieldSpec("Owner for {}"), "due": FieldSpec("Due date for {}", "date")}
    checks, found = _columns(label, table, "fitness question", specs, fx)
    fx += in_item_order(found)
    given: dict[str, str] = {}
    plans: dict[str, FitnessPlan] = {}
    for qid, v in zip(table.ids, _records(checks, specs)):
        if v.get("answer"):
            given[qid] = v["answer"]
        if v.get("owner") or v.get("due"):
            plans[qid] = made(FitnessPlan, owner=v.get("owner"), due=v.get("due"))
    return given, plans


def _invited(label: str, lines: list, fx: list[Finding]) -> list[Invitee]:
    """The Invited sheet's people; a line without an organisation, or a person listed twice, is left out."""
    people: list[tuple[int, str, Invitee]] = []
    for row, cells in lines:
        values = CellValues(label, L.INVITED, cells=cells, specs=INVITED_SPECS)
        fx += run(values)
        v = values.record.values
        if v.get("organisation"):
            people.append((row, cells["organisation"][0], made(Invitee, **v)))
    check = InvitedPeople(label, L.INVITED, lines=people)
    fx += run(check)
    return check.accepted


def _factors(label: str, table: ItemTable, fx: list[Finding]) -> list[str]:
    checks, found = _columns(label, table, "typical factor", {"tick": FieldSpec("Factor {}", "tick")}, fx)
    fx += in_item_order(found)
    return [fid for fid, tick in zip(table.ids, checks[0].values) if tick is True]


def _respondent(label: str, col: RespondentColumn, ids: list[str], fx: list[Finding]) -> Column | None:
    """One respondent column read: its ratings (one column check), then who it is; None when its organisation
    cell cannot be read (its finding says it all: the ratings cannot be owned)."""
    ratings = ColumnValues(label, L.BENCHMARKS, column=col.ratings, spec=RATING_SPEC, names=ids)
    who = CellValues(label, L.BENCHMARKS, cells={"organisation": col.organisation, "name": col.name,
                                                  "email": col.email}, specs=PERSON_SPECS)
    fx += run(ratings, who)
    person = who.record.values
    if "organisation" in who.record.refused:
        return None
    values = ratings.values
    unrated = [bid for bid, v in zip(ids, values) if v is BLANK]
    return Column(letter=col.letter, organisation_cell=col.organisation[0], organisation=person.get("organisation"),
                  name=person.get("name"), email=person.get("email"),
                  ratings={bid: v for bid, v in zip(ids, _plain(values)) if v is not None},
                  filled=len(unrated) < len(values), refused=any(v is REFUSED for v in values), unrated=unrated)


def _benchmarks(label: str, sheet: BenchmarksSheet, inst: Instruments,
                book: ReviewBook) -> tuple[list[Respondent], dict[str, BenchmarkAction]]:
    ids = [b.id for b in inst.benchmarks.benchmarks]
    rows = sheet.items.located.rows
    book.benchmark_rows = {bid: r + 1 for bid, r in rows.items()}
    fx = book.findings
    fx += run(ItemLayout(label, L.BENCHMARKS, located=sheet.items.located, what="benchmark"))
    columns = [c for c in (_respondent(label, col, sheet.items.ids, fx) for col in sheet.columns) if c is not None]
    check = RespondentColumns(label, L.BENCHMARKS, columns=columns, total=len(ids))
    fx += run(check)
    book.free_columns = check.free
    book.respondent_columns = {c.organisation: c.letter for c in check.accepted}
    book.respondent_people = [(c.letter, made(Respondent, organisation=c.organisation, name=c.name,
                                                                    email=c.email)) for c in check.accepted]
    respondents = [made(Respondent, organisation=c.organisation, name=c.name, email=c.email,
                                              ratings=c.ratings) for c in check.accepted if c.ratings]
    first = col_number(sheet.columns[0].letter if sheet.columns else L.respondent_columns()[0]) - 1
    fx += run(UnratedBenchmarks(label, L.BENCHMARKS, ratings=[r.ratings for r in respondents],
                                cells={bid: a1(rows[bid], first) for bid in ids if bid in rows}))
    return respondents, _actions(label, sheet.items, fx)


def _actions(label: str, table: ItemTable, fx: list[Finding]) -> dict[str, BenchmarkAction]:
    specs = {"action_needed": FieldSpec("Action needed for {}"), "by_whom": FieldSpec("By whom for {}")}
    checks = [ColumnValues(label, L.BENCHMARKS, column=table.columns[role], spec=spec, names=table.ids)
              for role, spec in specs.items()]
    found = [(run(c), c.at) for c in checks]
    acts, owners = _plain(checks[0].values), _plain(checks[1].values)
    rule = ActionOwner(label, L.BENCHMARKS, benchmarks=table.ids, actions=acts, owners=owners,
                       cells=table.columns["by_whom"])
    fx += in_item_order([*found, (run(rule), rule.at)])
    return {bid: made(BenchmarkAction, action_needed=act, by_whom=who)
            for bid, act, who in zip(table.ids, acts, owners) if act or who}
