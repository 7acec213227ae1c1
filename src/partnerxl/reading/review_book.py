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
from partnerxl.checks.values import CellValues, FieldSpec, NotInFuture
from partnerxl.core.findings import Finding
from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.core.models import (BenchmarkAction, ChecklistAnswer, FitnessPlan, ImprovementAnswer, Invitee,
                                   Respondent, Review)
from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import a1, col_number
from partnerxl.sheets.grid import WorkbookSource
from partnerxl.sheets.review import BenchmarksSheet, ItemTable, parse_review


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
ACTION_SPECS = lambda bid: {"action_needed": FieldSpec(f"Action needed for {bid}"),  # noqa: E731
                            "by_whom": FieldSpec(f"By whom for {bid}")}


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


def _items(label: str, table: ItemTable, what: str, specs, fx: list[Finding]):
    """Each found item's typed cells: (id, its CellValues record), after the sheet's layout findings."""
    fx += run(ItemLayout(label, table.sheet, located=table.located, what=what))
    for ident, cells in table.cells.items():
        values = CellValues(label, table.sheet, cells=cells, specs=specs(ident))
        fx += run(values)
        yield ident, values.record


def _checklist(label: str, table: ItemTable, inst: Instruments, fx: list[Finding]) -> dict[str, ChecklistAnswer]:
    statuses = tuple(inst.checklist.statuses)
    out: dict[str, ChecklistAnswer] = {}
    for qid, record in _items(label, table, what="checklist question", specs=lambda qid: {
            "status": FieldSpec(f"Status of {qid}", "choice", statuses), "evidence": FieldSpec(f"Evidence for {qid}"),
            "where": FieldSpec(f"Where {qid} is recorded")}, fx=fx):
        v = record.values
        fx += run(EvidenceNeeded(label, table.sheet, question=qid, status=v.get("status"),
                                 evidence=v.get("evidence"), evidence_cell=record.refs["evidence"]))
        if v:
            out[qid] = ChecklistAnswer(**v)
    return out


def _improvement(label: str, table: ItemTable, inst: Instruments,
                 fx: list[Finding]) -> dict[str, ImprovementAnswer]:
    answers = tuple(inst.improvement.answers)
    out: dict[str, ImprovementAnswer] = {}
    for aid, record in _items(label, table, what="improvement area", specs=lambda aid: {
            "answer": FieldSpec(f"Answer for {aid}", "choice", answers), "action": FieldSpec(f"Action for {aid}"),
            "owner": FieldSpec(f"Owner for {aid}"), "due": FieldSpec(f"Due date for {aid}", "date")}, fx=fx):
        v = record.values
        fx += run(ActionNeeded(label, table.sheet, area=aid, answer=v.get("answer"), action=v.get("action"),
                               action_cell=record.refs["action"]))
        if v:
            out[aid] = ImprovementAnswer(**v)
    return out


def _fitness(label: str, table: ItemTable, inst: Instruments,
             fx: list[Finding]) -> tuple[dict[str, str], dict[str, FitnessPlan]]:
    """The answers, and each action's owner and due date, by question id (docs/rules.md, "The fitness-for-purpose
    review")."""
    answers = tuple(inst.fitness.answers)
    specs = lambda qid: {"answer": FieldSpec(f"Answer for {qid}", "choice", answers),  # noqa: E731
                         "owner": FieldSpec(f"Owner for {qid}"), "due": FieldSpec(f"Due date for {qid}", "date")}
    given: dict[str, str] = {}
    plans: dict[str, FitnessPlan] = {}
    for qid, record in _items(label, table, what="fitness question", specs=specs, fx=fx):
        v = record.values
        if v.get("answer"):
            given[qid] = v["answer"]
        if v.get("owner") or v.get("due"):
            plans[qid] = FitnessPlan(owner=v.get("owner"), due=v.get("due"))
    return given, plans


def _invited(label: str, lines: list, fx: list[Finding]) -> list[Invitee]:
    """The Invited sheet's people; a line without an organisation, or a person listed twice, is left out."""
    people: list[tuple[int, str, Invitee]] = []
    for row, cells in lines:
        values = CellValues(label, L.INVITED, cells=cells, specs=INVITED_SPECS)
        fx += run(values)
        v = values.record.values
        if v.get("organisation"):
            people.append((row, cells["organisation"][0], Invitee(**v)))
    check = InvitedPeople(label, L.INVITED, lines=people)
    fx += run(check)
    return check.accepted


def _factors(label: str, table: ItemTable, fx: list[Finding]) -> list[str]:
    specs = lambda fid: {"tick": FieldSpec(f"Factor {fid}", "tick")}  # noqa: E731
    items = _items(label, table, what="typical factor", specs=specs, fx=fx)
    return [fid for fid, record in items if record.values.get("tick")]


def _benchmarks(label: str, sheet: BenchmarksSheet, inst: Instruments,
                book: ReviewBook) -> tuple[list[Respondent], dict[str, BenchmarkAction]]:
    ids = [b.id for b in inst.benchmarks.benchmarks]
    rows = sheet.items.located.rows
    book.benchmark_rows = {bid: r + 1 for bid, r in rows.items()}
    fx = book.findings
    fx += run(ItemLayout(label, L.BENCHMARKS, located=sheet.items.located, what="benchmark"))
    specs = {bid: FieldSpec(f"Rating of {bid}", "rating") for bid in ids}
    columns = []
    for col in sheet.columns:
        values = CellValues(label, L.BENCHMARKS, cells=col.ratings, specs=specs)
        who = CellValues(label, L.BENCHMARKS, cells={"organisation": col.organisation, "name": col.name,
                                                      "email": col.email}, specs=PERSON_SPECS)
        fx += run(values, who)
        rec, person = values.record, who.record.values
        if "organisation" in who.record.refused:  # its formula finding says it all; the ratings cannot be owned
            continue
        columns.append(Column(letter=col.letter, organisation_cell=col.organisation[0],
                              organisation=person.get("organisation"), name=person.get("name"), ratings=rec.values,
                              filled=len(rec.blank) < len(col.ratings), refused=bool(rec.refused),
                              unrated=[bid for bid in col.ratings if bid in rec.blank], email=person.get("email")))
    check = RespondentColumns(label, L.BENCHMARKS, columns=columns, total=len(ids))
    fx += run(check)
    book.free_columns = check.free
    book.respondent_columns = {c.organisation: c.letter for c in check.accepted}
    book.respondent_people = [(c.letter, Respondent(organisation=c.organisation, name=c.name, email=c.email))
                              for c in check.accepted]
    respondents = [Respondent(organisation=c.organisation, name=c.name, email=c.email, ratings=c.ratings)
                   for c in check.accepted if c.ratings]
    first = col_number(sheet.columns[0].letter if sheet.columns else L.respondent_columns()[0]) - 1
    fx += run(UnratedBenchmarks(label, L.BENCHMARKS, ratings=[r.ratings for r in respondents],
                                cells={bid: a1(rows[bid], first) for bid in ids if bid in rows}))
    actions: dict[str, BenchmarkAction] = {}
    for bid, cells in sheet.items.cells.items():
        typed = CellValues(label, L.BENCHMARKS, cells=cells, specs=ACTION_SPECS(bid))
        fx += run(typed)
        act, who = typed.record.values.get("action_needed"), typed.record.values.get("by_whom")
        fx += run(ActionOwner(label, L.BENCHMARKS, benchmark=bid, action=act, owner=who,
                              owner_cell=cells["by_whom"][0]))
        if act or who:
            actions[bid] = BenchmarkAction(action_needed=act, by_whom=who)
    return respondents, actions
