"""Workbook grids → models, with a finding for every problem (pandera-style: all of them, never the first only).

Readers depend only on `WorkbookSource` (workbook_file.py): a file read with calamine/openpyxl and a book open in
Excel read with xlwings go through the same code. They are tolerant of what officers really do — blank rows in the
middle of a table, trailing spaces, numbers and dates stored as text (ISO or UK dd/mm/yyyy), rating labels with any
dash, case or spacing, or the bare number — and strict about what matters: an unknown rating, an unknown benchmark
id, a duplicate respondent column is an error with its cell, never a silent guess. A value that fails is left out
of the model (a row that fails — no id, duplicate id or name — is left out whole); a finding of severity error means
the model may be partial.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from partnerxl.sheets import layout as L
from partnerxl.core.errors import PartnerXLError
from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.core.models import (BenchmarkAction, ChecklistAnswer, ImprovementAnswer, RegisterEntry, Respondent,
                                   Review)
from partnerxl.core.values import normalise_choice, parse_date, parse_number, parse_rating, parse_tick, parse_year, text
from partnerxl.core.settings import Settings
from partnerxl.core.findings import Finding, finding
from partnerxl.core.text import valid_email
from partnerxl.files.opening import FileWorkbook, Grid, WorkbookSource, a1, detect_kind, parse_a1


def _norm_header(s: Any) -> str:
    return re.sub(r"\s+", " ", str(s or "")).strip().casefold()


def _require(source: WorkbookSource, sheet: str) -> Grid:
    return source.grid(sheet)  # raises PartnerXLError (missing sheet) with the file named


def _rating_labels(inst: Instruments) -> str:
    return "; ".join(f"{lv.value} = {lv.label}" for lv in inst.benchmarks.scale)


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
        key = (partnership_id or "").strip().casefold()
        return next((e for e in self.entries if e.id.strip().casefold() == key), None)

    def reviews_dir(self, register_path: str | Path) -> Path | None:
        """The Settings sheet's reviews folder; a relative folder is relative to the register's own folder."""
        if not self.reviews_folder:
            return None
        folder = Path(self.reviews_folder).expanduser()
        return folder if folder.is_absolute() else Path(register_path).resolve().parent / folder


def read_register(source: WorkbookSource, as_of: dt.date | None = None) -> RegisterBook:
    """The Register and Settings sheets → RegisterBook. `as_of` (else the Settings as-of date, else today) is the
    day a last review date may not be after."""
    inst = load_instruments()
    label = source.path_label
    book = RegisterBook(path_label=label)
    settings_grid = _require(source, L.SETTINGS)
    grid = _require(source, L.REGISTER)
    _read_settings(settings_grid, label, book)
    today = as_of or book.as_of or dt.date.today()

    fields = inst.register.fields
    hr = L.REGISTER_HEADER_ROW - 1
    headers = {_norm_header(grid.cell(hr, c)): c for c in range(grid.n_cols) if grid.cell(hr, c) is not None}
    col_of: dict[str, int] = {}
    default_cols = L.register_columns(inst)
    for f in fields:
        c = headers.get(_norm_header(f.label), headers.get(_norm_header(f.name)))
        if c is None:
            book.findings.append(finding("missing-column", label, L.REGISTER, f"{default_cols[f.name]}{hr + 1}",
                                         f.label, None, hr + 1))
        else:
            col_of[f.name] = c

    seen_ids: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for r in range(hr + 1, grid.n_rows):
        if all(text(grid.cell(r, c)) is None for c in col_of.values()):
            continue  # blank row in the middle of the table: harmless
        values, row_findings, row_ok = _read_register_row(grid, r, col_of, fields, label, today)
        book.findings += row_findings
        excel_row = r + 1
        pid, name = values.get("id"), values.get("name")
        if pid is not None:
            key = pid.casefold()
            if key in seen_ids:
                book.findings.append(finding("duplicate-id", label, L.REGISTER, a1(r, col_of["id"]), "ID", pid,
                                             seen_ids[key]))
                row_ok = False
            else:
                seen_ids[key] = excel_row
        if name is not None:
            key = name.casefold()
            if key in seen_names:
                book.findings.append(finding("duplicate-name", label, L.REGISTER, a1(r, col_of["name"]), "Name",
                                             name, seen_names[key]))
                row_ok = False
            else:
                seen_names[key] = excel_row
        if not row_ok or pid is None or name is None:
            continue
        try:
            entry = RegisterEntry(**values)
        except ValidationError as exc:  # pragma: no cover - every field is checked above
            book.findings.append(finding("invalid-record", label, L.REGISTER, a1(r, 0), "Row", excel_row,
                                         exc.errors()[0]["msg"]))
            continue
        book.entries.append(entry)
        book.row_of[entry.id] = excel_row
    return book


def _read_register_row(grid: Grid, r: int, col_of: dict[str, int], fields: list, label: str,
                       today: dt.date) -> tuple[dict[str, Any], list[Finding], bool]:
    inst = load_instruments()
    values: dict[str, Any] = {}
    out: list[Finding] = []
    cells: dict[str, str] = {}
    for f in fields:
        if f.name not in col_of:
            continue
        c = col_of[f.name]
        ref = a1(r, c)
        cells[f.name] = ref
        raw = grid.cell(r, c)
        try:
            if f.type == "choice":
                v = normalise_choice(text(raw), f.choices or [])
            elif f.type == "date":
                v = parse_date(raw)
            elif f.type in ("money", "number"):
                v = parse_number(raw)
                if v is not None and v < 0:
                    out.append(finding("negative-number", label, L.REGISTER, ref, f.label, raw))
                    v = None
            elif f.type == "email":
                v = text(raw)
                if v is not None and not valid_email(v):
                    out.append(finding("bad-email", label, L.REGISTER, ref, f.label, raw))
                    v = None
            else:
                v = text(raw)
        except ValueError:
            code = {"choice": "unknown-choice", "date": "bad-date"}.get(f.type, "bad-number")
            out.append(finding(code, label, L.REGISTER, ref, f.label, text(raw), "; ".join(f.choices or [])))
            continue
        if v is None and f.required and text(raw) is None:
            out.append(finding("missing-value", label, L.REGISTER, ref, f.label))
        if v is not None:
            values[f.name] = v
    ok = True
    for needed in ("id", "name"):
        if needed in cells and values.get(needed) is None:
            ok = False
    # cross-field rules (RULES.md §1.1)
    start, end, last = values.get("start_date"), values.get("end_date"), values.get("last_review_date")
    if start and end and end < start:
        out.append(finding("end-before-start", label, L.REGISTER, cells.get("end_date"), "End date", end, start))
    if values.get("duration") == "Time-limited" and end is None and "end_date" in cells \
            and text(grid.cell(r, col_of["end_date"])) is None:
        out.append(finding("end-date-needed", label, L.REGISTER, cells.get("end_date"), "End date"))
    if last and last > today:
        out.append(finding("date-in-future", label, L.REGISTER, cells.get("last_review_date"), "Last review date",
                           last, today))
    scope = inst.register.scope
    arrangement = values.get(scope.field)
    if arrangement is not None and arrangement not in scope.in_scope:
        out.append(finding("out-of-scope", label, L.REGISTER, cells.get(scope.field),
                           inst.register.field(scope.field).label, arrangement))
    gate = inst.register.gatekeeper
    if values.get("status") == gate.applies_to_status:
        answered = True
        for q in gate.questions:
            if q.field in cells and values.get(q.field) is None and text(grid.cell(r, col_of[q.field])) is None:
                out.append(finding("gatekeeper-missing", label, L.REGISTER, cells[q.field],
                                   inst.register.field(q.field).label))
                answered = False
            elif values.get(q.field) is None:
                answered = False
        if answered:
            reasons = [q.reason_if_not for q in gate.questions if values.get(q.field) != q.proceed_answer]
            if reasons:
                first_q = next(q for q in gate.questions if values.get(q.field) != q.proceed_answer)
                out.append(finding("gatekeeper-reconsider", label, L.REGISTER, cells.get(first_q.field),
                                   inst.register.field(first_q.field).label, values.get(first_q.field),
                                   " ".join(reasons)))
    return values, out, ok


def _read_settings(grid: Grid, label: str, book: RegisterBook) -> None:
    key_col = L.col_number(L.SETTINGS_KEY_COL) - 1
    val_col = L.col_number(L.SETTINGS_VALUE_COL) - 1
    rows: dict[str, int] = {}
    for r in range(L.SETTINGS_HEADER_ROW, grid.n_rows):
        key = text(grid.cell(r, key_col))
        if key:
            rows.setdefault(key, r)
    for key, default_row in L.settings_rows().items():
        rows.setdefault(key, default_row - 1)
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for key, info in Settings.model_fields.items():
        r = rows[key]
        raw = grid.cell(r, val_col)
        cells[key] = a1(r, val_col)
        if text(raw) is None:
            continue
        try:
            n = parse_number(raw)
        except ValueError:
            book.findings.append(finding("bad-setting", label, L.SETTINGS, cells[key], key, raw, "not a number"))
            continue
        values[key] = int(n) if info.annotation is int and float(n).is_integer() else n
    while True:
        try:
            book.settings = Settings(**values)
            break
        except ValidationError as exc:
            err = exc.errors()[0]
            bad = str(err["loc"][0]) if err["loc"] else "rag_green_from"
            if bad not in values:  # a rule across settings (e.g. amber above green): blame the last
                bad = "rag_green_from" if "rag_green_from" in values else next(iter(values))
            book.findings.append(finding("bad-setting", label, L.SETTINGS, cells[bad], bad, values[bad], err["msg"]))
            values.pop(bad)
    r = rows[L.AS_OF_KEY]
    raw = grid.cell(r, val_col)
    try:
        book.as_of = parse_date(raw)
    except ValueError:
        book.findings.append(finding("bad-date", label, L.SETTINGS, a1(r, val_col), "As-of date", raw))
    book.reviews_folder = text(grid.cell(rows[L.REVIEWS_FOLDER_KEY], val_col))


# --- instrument sheets: rows found by the id in column A ----------------------------------------------------------

def _item_rows(grid: Grid, first_row: int, ids: list[str], pattern: str, what: str, label: str, sheet: str,
               findings: list[Finding], id_col: int = 0) -> dict[str, int]:
    """id → 0-based row, scanning the ID column below the header. Ids that look like ids but are not the
    instrument's, ids that appear twice, and the instrument's ids that are missing are all reported."""
    known = set(ids)
    found: dict[str, int] = {}
    for r in range(first_row - 1, grid.n_rows):
        ident = text(grid.cell(r, id_col))
        if ident is None:
            continue
        if ident in known:
            if ident in found:
                findings.append(finding("duplicate-item", label, sheet, a1(r, id_col), f"{what} {ident}", ident,
                                        found[ident] + 1))
            else:
                found[ident] = r
        elif re.fullmatch(pattern, ident):
            code = "unknown-benchmark" if what == "benchmark" else "unknown-item"
            findings.append(finding(code, label, sheet, a1(r, id_col), what, ident))
    findings.extend(finding("missing-item", label, sheet, None, f"{what} {ident}", ident)
                    for ident in ids if ident not in found)
    return found


def _col(letter: str) -> int:
    return L.col_number(letter) - 1


# --- review -------------------------------------------------------------------------------------------------------

@dataclass
class ReviewBook:
    review: Review | None = None
    findings: list[Finding] = field(default_factory=list)
    benchmark_rows: dict[str, int] = field(default_factory=dict)          # benchmark id → Excel row (1-based)
    respondent_columns: dict[str, str] = field(default_factory=dict)      # organisation → column letter
    free_columns: list[str] = field(default_factory=list)                 # respondent columns with nothing in them
    path_label: str = ""


def read_review(source: WorkbookSource, as_of: dt.date | None = None) -> ReviewBook:
    inst = load_instruments()
    label = source.path_label
    book = ReviewBook(path_label=label)
    grids = {s: _require(source, s) for s in (L.ABOUT, L.CHECKLIST, L.IMPROVEMENT, L.FITNESS, L.BENCHMARKS, L.FACTORS)}
    fx = book.findings
    today = as_of or dt.date.today()

    # About
    about = grids[L.ABOUT]
    data: dict[str, Any] = {}
    for key, (ref, lab) in L.ABOUT_FIELDS.items():
        raw = about.at(ref)
        short = lab.split(" (")[0]
        try:
            if key == "year":
                v = parse_year(raw)
            elif key == "review_date":
                v = parse_date(raw)
                if v is not None and v > today:
                    fx.append(finding("date-in-future", label, L.ABOUT, ref, short, v, today))
            else:
                v = text(raw)
        except ValueError:
            fx.append(finding("bad-year" if key == "year" else "bad-date", label, L.ABOUT, ref, short, text(raw)))
            continue
        if v is None and key in ("partnership_id", "year"):
            fx.append(finding("missing-value", label, L.ABOUT, ref, short))
        if v is not None:
            data[key] = v

    data["checklist"] = _read_checklist(grids[L.CHECKLIST], inst, label, fx)
    data["improvement"] = _read_improvement(grids[L.IMPROVEMENT], inst, label, fx)
    data["fitness"] = _read_fitness(grids[L.FITNESS], inst, label, fx)
    respondents, actions = _read_benchmarks(grids[L.BENCHMARKS], inst, label, fx, book)
    data["respondents"], data["benchmark_actions"] = respondents, actions
    data["factors_ticked"] = _read_factors(grids[L.FACTORS], inst, label, fx)

    if "partnership_id" in data and "year" in data:
        try:
            book.review = Review(**data)
        except ValidationError as exc:  # a safety net: the parts are checked above
            fx.append(finding("invalid-record", label, L.ABOUT, None, "Review", None, exc.errors()[0]["msg"]))
    return book


def _choice(grid: Grid, r: int, c: int, choices: list[str], what: str, label: str, sheet: str,
            fx: list[Finding]) -> str | None:
    """A closed-list cell of an instrument sheet: its canonical value, or None when blank or not in the list.

    A value outside the list is reported as `unknown-choice` at its cell and read as blank, never guessed.
    """
    raw = grid.cell(r, c)
    try:
        return normalise_choice(text(raw), choices)
    except ValueError:
        fx.append(finding("unknown-choice", label, sheet, a1(r, c), what, text(raw), "; ".join(choices)))
        return None


def _read_checklist(grid: Grid, inst: Instruments, label: str, fx: list[Finding]) -> dict[str, ChecklistAnswer]:
    spec = L.CHECKLIST_SPEC
    ids = [q.id for q in inst.checklist.questions]
    rows = _item_rows(grid, spec.first_row, ids, r"\d+[a-z]", "checklist question", label, spec.name, fx)
    out: dict[str, ChecklistAnswer] = {}
    sc, ec, wc = _col(spec.col("status")), _col(spec.col("evidence")), _col(spec.col("where"))
    for qid, r in rows.items():
        status = _choice(grid, r, sc, inst.checklist.statuses, f"Status of {qid}", label, spec.name, fx)
        evidence, where = text(grid.cell(r, ec)), text(grid.cell(r, wc))
        if status in ("Yes", "Partly") and evidence is None:
            fx.append(finding("evidence-missing", label, spec.name, a1(r, ec), qid, status))
        if status or evidence or where:
            out[qid] = ChecklistAnswer(status=status, evidence=evidence, where=where)
    return out


def _read_improvement(grid: Grid, inst: Instruments, label: str, fx: list[Finding]) -> dict[str, ImprovementAnswer]:
    spec = L.IMPROVEMENT_SPEC
    ids = [a.id for a in inst.improvement.areas]
    rows = _item_rows(grid, spec.first_row, ids, r"I\d+", "improvement area", label, spec.name, fx)
    out: dict[str, ImprovementAnswer] = {}
    cols = {role: _col(spec.col(role)) for role in ("answer", "action", "owner", "due")}
    for aid, r in rows.items():
        answer = _choice(grid, r, cols["answer"], inst.improvement.answers, f"Answer for {aid}", label,
                         spec.name, fx)
        raw_due = grid.cell(r, cols["due"])
        try:
            due = parse_date(raw_due)
        except ValueError:
            fx.append(finding("bad-date", label, spec.name, a1(r, cols["due"]), f"Due date for {aid}", text(raw_due)))
            due = None
        action, owner = text(grid.cell(r, cols["action"])), text(grid.cell(r, cols["owner"]))
        if answer == "No" and action is None:
            fx.append(finding("action-missing", label, spec.name, a1(r, cols["action"]), aid, answer))
        if answer or action or owner or due:
            out[aid] = ImprovementAnswer(answer=answer, action=action, owner=owner, due=due)
    return out


def _read_fitness(grid: Grid, inst: Instruments, label: str, fx: list[Finding]) -> dict[str, str]:
    spec = L.FITNESS_SPEC
    ids = [q.id for q in inst.fitness.questions]
    rows = _item_rows(grid, spec.first_row, ids, r"F\d+", "fitness question", label, spec.name, fx)
    out: dict[str, str] = {}
    ac = _col(spec.col("answer"))
    for qid, r in rows.items():
        answer = _choice(grid, r, ac, inst.fitness.answers, f"Answer for {qid}", label, spec.name, fx)
        if answer:
            out[qid] = answer
    return out


def _read_factors(grid: Grid, inst: Instruments, label: str, fx: list[Finding]) -> list[str]:
    spec = L.FACTORS_SPEC
    ids = [f.id for a in inst.benchmarks.areas for f in a.factors]
    rows = _item_rows(grid, spec.first_row, ids, r"\d+\.f\d+", "typical factor", label, spec.name, fx)
    tc = _col(spec.col("tick"))
    ticked = []
    for fid in ids:
        if fid not in rows:
            continue
        raw = grid.cell(rows[fid], tc)
        try:
            if parse_tick(raw):
                ticked.append(fid)
        except ValueError:
            fx.append(finding("unknown-choice", label, spec.name, a1(rows[fid], tc), f"Factor {fid}", text(raw),
                              "Yes, or leave blank"))
    return ticked


def _read_benchmarks(grid: Grid, inst: Instruments, label: str, fx: list[Finding],
                     book: ReviewBook) -> tuple[list[Respondent], dict[str, BenchmarkAction]]:
    spec = L.BENCHMARKS_SPEC
    sheet = spec.name
    ids = [b.id for b in inst.benchmarks.benchmarks]
    rows = _item_rows(grid, L.BENCH_FIRST_ROW, ids, r"\d+\.\d+", "benchmark", label, sheet, fx)
    book.benchmark_rows = {bid: r + 1 for bid, r in rows.items()}
    org_row, name_row = L.BENCH_ORG_ROW - 1, L.BENCH_NAME_ROW - 1
    labels = _rating_labels(inst)
    respondents: list[Respondent] = []
    seen: dict[str, str] = {}
    for letter in L.respondent_columns():
        c = _col(letter)
        org, person = text(grid.cell(org_row, c)), text(grid.cell(name_row, c))
        ratings: dict[str, int] = {}
        filled = False
        bad = False
        for bid in ids:
            if bid not in rows:
                continue
            raw = grid.cell(rows[bid], c)
            if text(raw) is None:
                continue
            filled = True
            try:
                v = parse_rating(raw)
            except ValueError:
                fx.append(finding("bad-rating", label, sheet, a1(rows[bid], c), f"Rating of {bid}", text(raw), labels))
                bad = True
                continue
            if v is not None:
                ratings[bid] = v
        if org is None:
            if filled:
                fx.append(finding("respondent-without-organisation", label, sheet, a1(org_row, c), "Organisation",
                                  None, a1(org_row, c)))
            elif person is None:
                book.free_columns.append(letter)
            continue
        key = org.casefold()
        if key in seen:
            fx.append(finding("duplicate-respondent", label, sheet, a1(org_row, c), "Organisation", org,
                              f"column {seen[key]}"))
            continue
        seen[key] = letter
        book.respondent_columns[org] = letter
        unrated = [bid for bid in ids if bid in rows and bid not in ratings
                   and _norm_header(grid.cell(rows[bid], c)) not in ("don't know", "don’t know")]
        if unrated and not bad:
            detail = f"{len(unrated)} of {len(ids)} benchmarks ({_id_list(unrated)})"
            fx.append(finding("incomplete-respondent", label, sheet, a1(org_row, c), "Organisation", org, detail))
        if ratings:
            respondents.append(Respondent(organisation=org, name=person, ratings=ratings))
    if respondents:
        for bid in ids:
            if bid in rows and not any(bid in r.ratings for r in respondents):
                fx.append(finding("unrated-benchmark", label, sheet, a1(rows[bid], _col(L.respondent_columns()[0])),
                                  bid))
    actions: dict[str, BenchmarkAction] = {}
    ac, wc = _col(spec.col("action_needed")), _col(spec.col("by_whom"))
    for bid, r in rows.items():
        act, who = text(grid.cell(r, ac)), text(grid.cell(r, wc))
        if act and not who:
            fx.append(finding("action-without-owner", label, sheet, a1(r, wc), bid, act))
        if act or who:
            actions[bid] = BenchmarkAction(action_needed=act, by_whom=who)
    return respondents, actions


def _id_list(ids: list[str], limit: int = 8) -> str:
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


# --- response -----------------------------------------------------------------------------------------------------

@dataclass
class ResponseBook:
    partnership_id: str | None = None
    partnership_name: str | None = None
    year: int | None = None
    respondent: Respondent | None = None
    respondent_name: str | None = None
    organisation: str | None = None
    comments: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    path_label: str = ""


def read_response(source: WorkbookSource) -> ResponseBook:
    inst = load_instruments()
    label = source.path_label
    spec = L.RESPONSE_SPEC
    grid = _require(source, spec.name)
    book = ResponseBook(path_label=label)
    fx = book.findings
    f = L.RESPONSE_FIELDS
    book.partnership_id = text(grid.at(f["partnership_id"][0]))
    book.partnership_name = text(grid.at(f["partnership_name"][0]))
    book.respondent_name = text(grid.at(f["respondent_name"][0]))
    book.organisation = text(grid.at(f["organisation"][0]))
    raw_year = grid.at(f["year"][0])
    try:
        book.year = parse_year(raw_year)
    except ValueError:
        fx.append(finding("bad-year", label, spec.name, f["year"][0], "Review year", text(raw_year)))
    if book.partnership_id is None:
        fx.append(finding("missing-value", label, spec.name, f["partnership_id"][0], "Partnership ID"))
    if book.organisation is None:
        fx.append(finding("missing-value", label, spec.name, f["organisation"][0], "Your organisation"))
    ids = [b.id for b in inst.benchmarks.benchmarks]
    rows = _item_rows(grid, spec.first_row, ids, r"\d+\.\d+", "benchmark", label, spec.name, fx)
    rc, cc = _col(spec.col("rating")), _col(spec.col("comment"))
    labels = _rating_labels(inst)
    ratings: dict[str, int] = {}
    unrated: list[str] = []
    bad = False
    for bid in ids:
        if bid not in rows:
            continue
        r = rows[bid]
        raw = grid.cell(r, rc)
        comment = text(grid.cell(r, cc))
        if comment:
            book.comments[bid] = comment
        try:
            v = parse_rating(raw)
        except ValueError:
            fx.append(finding("bad-rating", label, spec.name, a1(r, rc), f"Rating of {bid}", text(raw), labels))
            bad = True
            continue
        if v is not None:
            ratings[bid] = v
        elif text(raw) is None:
            unrated.append(bid)
    if unrated and not bad:
        fx.append(finding("incomplete-respondent", label, spec.name, a1(rows[unrated[0]], rc), "Your rating",
                          book.organisation or "This form", f"{len(unrated)} of {len(ids)} benchmarks "
                                                            f"({_id_list(unrated)})"))
    if book.organisation is not None:
        book.respondent = Respondent(organisation=book.organisation, name=book.respondent_name, ratings=ratings)
    return book


# --- any file -----------------------------------------------------------------------------------------------------

def read_source(source: WorkbookSource) -> tuple[str, RegisterBook | ReviewBook | ResponseBook]:
    kind, _ = detect_kind(source)
    reader = {"register": read_register, "review": read_review, "response": read_response}[kind]
    return kind, reader(source)


def read_any(path: str | Path, settings: Settings | None = None) -> RegisterBook | ReviewBook | ResponseBook:
    """Open a file, detect its kind and read it (PartnerXLError if it cannot be read at all)."""
    with FileWorkbook.open(path, settings) as source:
        return read_source(source)[1]


def read_kind(path: str | Path, kind: str, settings: Settings | None = None):
    """Open a file that must be of `kind` and read it."""
    with FileWorkbook.open(path, settings) as source:
        found, book = read_source(source)
        if found != kind:
            raise PartnerXLError(f"is a PartnerXL {found} workbook, but a {kind} workbook is needed here.",
                                 file=source.path_label)
        return book



# --- whole-file validation -----------------------------------------------------------------------------------------

INSTRUMENT_SHEETS = {"checklist": L.CHECKLIST, "improvement": L.IMPROVEMENT, "benchmarks": L.BENCHMARKS}
INSTRUMENT_WORDS = {"checklist": "Checklist", "improvement": "Improvement template",
                    "benchmarks": "benchmark self-assessment"}


def validate_source(source: WorkbookSource, register: "RegisterBook | None" = None,
                    as_of: dt.date | None = None) -> list[Finding]:
    """Every finding for one workbook of any kind; PartnerXLError when it cannot be read at all."""
    kind, _version = detect_kind(source)
    if kind == "register":
        return list(read_register(source, as_of=as_of).findings)
    if kind == "response":
        book = read_response(source)
        findings = list(book.findings)
        if register is not None and book.partnership_id:
            findings += _register_id_check(source.path_label, L.RESPONSE, L.RESPONSE_FIELDS["partnership_id"][0],
                                           book.partnership_id, register)
        return findings
    today = as_of or (register.as_of if register else None) or dt.date.today()
    book = read_review(source, as_of=today)
    findings = list(book.findings)
    if register is not None and book.review is not None:
        findings += review_against_register(source.path_label, book, register)
    return findings


def _register_id_check(file: str, sheet: str, cell: str, pid: str, register: "RegisterBook") -> list[Finding]:
    if register.entry(pid) is None:
        return [finding("not-in-register", file, sheet, cell, "Partnership ID", pid)]
    return []


def review_against_register(file: str, book: Any, register: "RegisterBook") -> list[Finding]:
    """Checks that need the register: the ID exists, the name agrees, and the tier's instruments are complete."""
    from partnerxl.core.scoring import assess_significance, missing_instruments, score_review

    review = book.review
    id_cell, name_cell = L.ABOUT_FIELDS["partnership_id"][0], L.ABOUT_FIELDS["partnership_name"][0]
    entry = register.entry(review.partnership_id)
    if entry is None:
        return _register_id_check(file, L.ABOUT, id_cell, review.partnership_id, register)
    out: list[Finding] = []
    if review.partnership_name and review.partnership_name.strip().casefold() != entry.name.strip().casefold():
        out.append(finding("name-mismatch", file, L.ABOUT, name_cell, "Partnership name", review.partnership_name,
                           entry.name))
    tier = assess_significance(entry, register.settings)
    score = score_review(review, register.settings)
    for name in missing_instruments(score, tier.tier):
        out.append(finding("missing-instrument", file, INSTRUMENT_SHEETS[name], None, INSTRUMENT_WORDS[name],
                           None, tier.tier))
    return out


def validate_path(path: str | Path, register_path: str | Path | None = None,
                  settings: Settings | None = None, as_of: dt.date | None = None) -> list[Finding]:
    """Open and validate one file (and read the register first when given). PartnerXLError if unreadable."""
    register = None
    if register_path is not None:
        with FileWorkbook.open(register_path, settings) as reg_source:
            kind, _ = detect_kind(reg_source)
            if kind != "register":
                from partnerxl.core.errors import PartnerXLError

                raise PartnerXLError(f"is a PartnerXL {kind} workbook, not a register. Pass the register with "
                                     "--register.", file=reg_source.path_label)
            register = read_register(reg_source)
        settings = settings or register.settings
    with FileWorkbook.open(path, settings) as source:
        return validate_source(source, register, as_of)




__all__ = ["RegisterBook", "ReviewBook", "ResponseBook", "read_register", "read_review", "read_response",
           "read_any", "read_kind", "read_source", "parse_date", "parse_number", "text", "parse_a1"]
