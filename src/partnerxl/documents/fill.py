"""Write models into a fresh copy of a template, producing a new workbook.

Each function builds the template in memory (templates.py — so an installed PartnerXL does not need the repository's
`workbooks/` folder), fills input cells only, writes every user string with `writing.set_text` (text, never a
formula) and saves atomically (refusing a file open in Excel), byte-for-byte reproducibly. Used by the tests, by
collate, by the demo generator and by the add-in's "New review".
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from partnerxl.sheets import layout as L
from partnerxl.core.errors import PartnerXLError
from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import RegisterEntry, Respondent, Review
from partnerxl.core.settings import Settings
from partnerxl.documents.templates import build_register, build_response, build_review, save_template
from partnerxl.storage.writing import set_text


def _put(ws: Any, ref: str, value: Any, number_format: str | None = None) -> None:
    cell = ws[ref]
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters pasted from elsewhere can't go in a cell
    set_text(cell, value)
    if number_format and value is not None:
        cell.number_format = number_format


def _save(wb: Any, path: str | Path, *, lite: bool = False) -> Path:
    """Atomic, and reproducible: the same models give a byte-identical file. `lite`: with the xlwings Lite scripts
    the template carries (openpyxl's save would drop them): a new register or review works in Lite as it is."""
    return save_template(wb, Path(path), lite=lite)


def rating_label(value: int | None) -> str | None:
    """The drop-down label for a rating (1 → 'NO – action is needed')."""
    if value is None:
        return None
    return next(lv.label for lv in load_instruments().benchmarks.scale if lv.value == value)


# --- register -----------------------------------------------------------------------------------------------------

def new_register(path: str | Path, entries: list[RegisterEntry], settings: Settings | None = None,
                 reviews_folder: str | None = None, as_of: dt.date | None = None) -> Path:
    inst = load_instruments()
    wb = build_register(inst)
    ws = wb[L.REGISTER]
    cols = L.register_columns(inst)
    formats = {"date": L.DATE_FORMAT, "money": L.MONEY_FORMAT, "number": L.NUMBER_FORMAT}
    first = L.REGISTER_FIRST_ROW
    for i, entry in enumerate(entries):
        row = first + i
        values = entry.model_dump()
        for f in inst.register.fields:
            value = values.get(f.name)
            ref = f"{cols[f.name]}{row}"
            if row != first:
                ws[ref]._style = copy.copy(ws[f"{cols[f.name]}{first}"]._style)
            _put(ws, ref, value, number_format=formats.get(f.type))
    last_row = first + max(len(entries), 1) - 1
    last_col = cols[inst.register.fields[-1].name]
    ws.tables[L.REGISTER_TABLE].ref = f"A{L.REGISTER_HEADER_ROW}:{last_col}{last_row}"

    st = wb[L.SETTINGS]
    rows = L.settings_rows()
    if settings is not None:
        for key in Settings.model_fields:
            st[f"{L.SETTINGS_VALUE_COL}{rows[key]}"] = getattr(settings, key)
    if as_of is not None:
        _put(st, f"{L.SETTINGS_VALUE_COL}{rows[L.AS_OF_KEY]}", as_of, number_format=L.DATE_FORMAT)
    if reviews_folder is not None:
        _put(st, f"{L.SETTINGS_VALUE_COL}{rows[L.REVIEWS_FOLDER_KEY]}", str(reviews_folder))
    return _save(wb, path, lite=True)


# --- review -------------------------------------------------------------------------------------------------------

def new_review(path: str | Path, review: Review, register_entry: RegisterEntry | None = None) -> Path:
    inst = load_instruments()
    wb = build_review(inst)
    about = wb[L.ABOUT]
    name = review.partnership_name or (register_entry.name if register_entry else None)
    values = {"partnership_id": review.partnership_id, "partnership_name": name, "year": review.year,
              "coordinator": review.coordinator, "review_date": review.review_date}
    for key, (ref, _label) in L.ABOUT_FIELDS.items():
        _put(about, ref, values[key], number_format=L.DATE_FORMAT if key == "review_date" else None)

    spec = L.CHECKLIST_SPEC
    ws = wb[spec.name]
    for r in L.checklist_rows(inst):
        a = review.checklist.get(r.id) if r.kind == "item" else None
        if a:
            _put(ws, f"{spec.col('status')}{r.row}", a.status)
            _put(ws, f"{spec.col('evidence')}{r.row}", a.evidence)
            _put(ws, f"{spec.col('where')}{r.row}", a.where)

    spec = L.IMPROVEMENT_SPEC
    ws = wb[spec.name]
    for r in L.improvement_rows(inst):
        a = review.improvement.get(r.id)
        if a:
            _put(ws, f"{spec.col('answer')}{r.row}", a.answer)
            _put(ws, f"{spec.col('action')}{r.row}", a.action)
            _put(ws, f"{spec.col('owner')}{r.row}", a.owner)
            _put(ws, f"{spec.col('due')}{r.row}", a.due, number_format=L.DATE_FORMAT)

    _fill_fitness(wb[L.FITNESS_SPEC.name], review, inst)
    write_invited(wb[L.INVITED], review.invited)

    ws = wb[L.BENCHMARKS]
    write_respondents(ws, review.respondents, columns=L.respondent_columns(),
                      rows={r.id: r.row for r in L.benchmark_rows(inst=inst) if r.kind == "item"})
    spec = L.BENCHMARKS_SPEC
    for r in L.benchmark_rows(inst=inst):
        act = review.benchmark_actions.get(r.id) if r.kind == "item" else None
        if act:
            _put(ws, f"{spec.col('action_needed')}{r.row}", act.action_needed)
            _put(ws, f"{spec.col('by_whom')}{r.row}", act.by_whom)

    spec = L.FACTORS_SPEC
    ws = wb[spec.name]
    ticked = set(review.factors_ticked)
    for r in L.factor_rows(inst):
        if r.kind == "item" and r.id in ticked:
            _put(ws, f"{spec.col('tick')}{r.row}", L.TICK_CHOICES[0])
    return _save(wb, path, lite=True)


def _fill_fitness(ws: Any, review: Review, inst: Any) -> None:
    spec = L.FITNESS_SPEC
    for r in L.fitness_rows(inst):
        if r.kind != "item":
            continue
        if r.id in review.fitness:
            _put(ws, f"{spec.col('answer')}{r.row}", review.fitness[r.id])
        plan = review.fitness_actions.get(r.id)
        if plan:
            _put(ws, f"{spec.col('owner')}{r.row}", plan.owner)
            _put(ws, f"{spec.col('due')}{r.row}", plan.due, number_format=L.DATE_FORMAT)


def write_invited(ws: Any, invited: list[Any]) -> None:
    """The invited respondents, one line a person, from the Invited sheet's first line down."""
    spec = L.INVITED_SPEC
    for row, person in zip(range(spec.first_row, spec.first_row + len(invited)), invited):
        for role in spec.inputs:
            _put(ws, f"{spec.col(role)}{row}", getattr(person, role))


def write_respondents(ws: Any, respondents: list[Respondent], columns: list[str], rows: dict[str, int],
                      comments: list[dict[str, str] | None] | None = None) -> None:
    """Each respondent into its own column of a Benchmarks sheet: organisation, name, ratings as scale labels."""
    if len(respondents) > len(columns):
        raise PartnerXLError(f"{len(respondents)} respondents do not fit: the Benchmarks sheet has room for "
                             f"{len(columns)} more. Split them over two reviews or remove some.")
    from openpyxl.comments import Comment

    for i, (resp, letter) in enumerate(zip(respondents, columns)):
        _put(ws, f"{letter}{L.BENCH_ORG_ROW}", resp.organisation)
        _put(ws, f"{letter}{L.BENCH_NAME_ROW}", resp.name)
        _put(ws, f"{letter}{L.BENCH_EMAIL_ROW}", resp.email)
        for bid, value in resp.ratings.items():
            _put(ws, f"{letter}{rows[bid]}", rating_label(value))
        notes = (comments[i] if comments else None) or {}
        for bid, text in notes.items():
            if bid in rows:
                note = Comment(f"{resp.organisation}: {text}", "PartnerXL")
                note.width, note.height = 300, 120
                ws[f"{letter}{rows[bid]}"].comment = note


# --- response -----------------------------------------------------------------------------------------------------

def new_response(path: str | Path, partnership_id: str, partnership_name: str | None, year: int,
                 respondent: Respondent | None = None, comments: dict[str, str] | None = None, *,
                 return_by: dt.date | None = None) -> Path:
    """A Response form filled with the partnership, the year and (when given) the partner, their ratings and
    comments, and the date to return it by (the chase's reply-by date, shown above the form's fields)."""
    inst = load_instruments()
    wb = build_response(inst)
    spec = L.RESPONSE_SPEC
    ws = wb[spec.name]
    f = L.RESPONSE_FIELDS
    if return_by is not None:
        _put(ws, L.RESPONSE_RETURN_BY[0], return_by, number_format="d mmmm yyyy")
    _put(ws, f["partnership_id"][0], partnership_id)
    _put(ws, f["partnership_name"][0], partnership_name)
    _put(ws, f["year"][0], year)
    if respondent is not None:
        _put(ws, f["respondent_name"][0], respondent.name)
        _put(ws, f["organisation"][0], respondent.organisation)
        _put(ws, f["email"][0], respondent.email)
    for r in L.response_rows(inst):
        if r.kind != "item":
            continue
        if respondent is not None and r.id in respondent.ratings:
            _put(ws, f"{spec.col('rating')}{r.row}", rating_label(respondent.ratings[r.id]))
        if comments and comments.get(r.id):
            _put(ws, f"{spec.col('comment')}{r.row}", comments[r.id])
    return _save(wb, path)
