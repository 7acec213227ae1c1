"""Validation findings: one record per problem, with its exact sheet and cell and a message saying what to do.

Modelled on frictionless-py's errors: every finding has a stable kebab-case `code` and its severity and message come
from the `CODES` table (code → (severity, template)). Readers collect findings while they read (pandera-style: all of
them, never stopping at the first); `validate_source` adds the checks that need a register (the review's tier and
missing instruments). A file that cannot be read at all is not a finding: it raises `PartnerXLError`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from partnerxl.sheets import layout as L
from partnerxl.core.settings import Settings
from partnerxl.files.opening import FileWorkbook, WorkbookSource, detect_kind

if TYPE_CHECKING:
    from partnerxl.readers import RegisterBook

Severity = Literal["error", "warning"]

CODES: dict[str, tuple[Severity, str]] = {
    # values in cells
    "missing-value": ("error", "{field} is required: fill it in."),
    "unknown-choice": ("error", "{field} '{value}' is not one of the allowed values: choose from the drop-down "
                                "({detail})."),
    "bad-date": ("error", "{field} '{value}' is not a date: type it as dd/mm/yyyy (e.g. 31/03/2025)."),
    "bad-number": ("error", "{field} '{value}' is not a number: type digits only (e.g. 12000)."),
    "negative-number": ("error", "{field} is {value}: it must be 0 or more."),
    "bad-year": ("error", "{field} '{value}' is not a year: type the review year as four digits (e.g. 2025)."),
    "bad-email": ("error", "{field} '{value}' is not a valid email address: type it as name@example.gov.uk."),
    "bad-setting": ("error", "Setting {field} '{value}' is not allowed ({detail}): correct it on the Settings "
                             "sheet; the default is used until you do."),
    # register rules
    "missing-column": ("error", "The column '{field}' is missing from the register: restore its heading in row "
                                "{detail} (copy it from a fresh template)."),
    "duplicate-id": ("error", "ID '{value}' is used by another partnership (row {detail}): give each partnership its "
                              "own ID."),
    "duplicate-name": ("error", "Name '{value}' is used by another partnership (row {detail}; case does not matter): "
                                "make the names unique."),
    "end-before-start": ("error", "End date {value} is before the start date {detail}: correct one of them."),
    "end-date-needed": ("error", "Duration is Time-limited but there is no end date: add the planned end date, or "
                                 "set Duration to Permanent."),
    "date-in-future": ("error", "{field} {value} is in the future (after {detail}): a review date must be on or "
                                "before today."),
    "out-of-scope": ("warning", "Arrangement '{value}' is outside the partnership strategy's scope: manage it "
                                "through the process for its kind of arrangement, or change the arrangement if it "
                                "really is a partnership."),
    "gatekeeper-missing": ("error", "This partnership is Proposed: answer the gatekeeper question '{field}' (Yes or "
                                    "No) before it goes ahead."),
    "gatekeeper-reconsider": ("warning", "The gatekeeper answers say reconsider this Proposed partnership: {detail}"),
    # review and response rules
    "missing-item": ("error", "The row for {field} is missing: restore it (copy the sheet from a fresh template)."),
    "duplicate-item": ("error", "{field} appears twice on this sheet (first at row {detail}): delete the extra row."),
    "unknown-item": ("error", "'{value}' in the ID column is not a {field} PartnerXL knows: restore the original ID."),
    "unknown-benchmark": ("error", "'{value}' is not a benchmark ID (1.1 to 4.5): restore the original ID."),
    "evidence-missing": ("error", "Question {field} is answered '{value}' but has no evidence: add the evidence, or "
                                  "change the status."),
    "action-missing": ("error", "Area {field} is answered No but has no action: say what will be done about it."),
    "bad-rating": ("error", "'{value}' is not a rating: choose from the drop-down ({detail}) or leave it blank."),
    "duplicate-respondent": ("error", "Organisation '{value}' already has a rating column ({detail}): each "
                                      "respondent rates in one column only — merge or remove one of them."),
    "respondent-without-organisation": ("error", "This column has ratings but no organisation at the top: type the "
                                                  "respondent's organisation in {detail}."),
    "unrated-benchmark": ("warning", "Benchmark {field} has no rating from any respondent: ask the partners to rate "
                                     "it, or leave it knowingly unrated."),
    "incomplete-respondent": ("warning", "{value} has not rated {detail}: ask them to complete their column "
                                         "(or choose Don't know)."),
    "action-without-owner": ("warning", "Benchmark {field} has an action but nobody named in 'By whom?': say who "
                                        "will do it."),
    "invalid-record": ("error", "{field} cannot be read as a whole ({detail}): correct the values reported on it, "
                                "or copy it into a fresh template."),
    # checks against the register
    "not-in-register": ("error", "Partnership ID '{value}' is not in the register: correct the ID, or add the "
                                 "partnership to the register."),
    "name-mismatch": ("warning", "Partnership name '{value}' differs from the register's '{detail}': use the "
                                 "register's name."),
    "missing-instrument": ("error", "This partnership is {detail}, so its annual review needs the {field}, which is "
                                    "not completed: complete it."),
}

INSTRUMENT_SHEETS = {"checklist": L.CHECKLIST, "improvement": L.IMPROVEMENT, "benchmarks": L.BENCHMARKS}
INSTRUMENT_WORDS = {"checklist": "Checklist", "improvement": "Improvement template",
                    "benchmarks": "benchmark self-assessment"}


class Finding(BaseModel):
    """One problem in one cell (or sheet, or file)."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    file: str
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    value: Any = None
    message: str

    @property
    def where(self) -> str:
        return "!".join(p for p in (self.sheet, self.cell) if p)


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _display(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def finding(code: str, file: str, sheet: str | None = None, cell: str | None = None, field: str | None = None,
            value: Any = None, detail: Any = None) -> Finding:
    """A finding rendered from the CODES table."""
    severity, template = CODES[code]
    message = template.format_map(_Default(field=field or "", value=_display(value), detail=_display(detail)))
    json_value = _display(value) if isinstance(value, (dt.date, dt.datetime)) else value
    if json_value is not None and not isinstance(json_value, (str, int, float, bool)):
        json_value = str(json_value)
    return Finding(code=code, severity=severity, file=file, sheet=sheet, cell=cell, field=field, value=json_value,
                   message=message)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


EMAIL_RE = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[A-Za-z]{2,}$")


# --- whole-file validation -----------------------------------------------------------------------------------------

def validate_source(source: WorkbookSource, register: "RegisterBook | None" = None,
                    as_of: dt.date | None = None) -> list[Finding]:
    """Every finding for one workbook of any kind; PartnerXLError when it cannot be read at all."""
    from partnerxl.readers import read_register, read_response, read_review

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
    from partnerxl.readers import read_register

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


# --- the report workbook -------------------------------------------------------------------------------------------

REPORT_COLUMNS = [("Severity", 10), ("Code", 26), ("File", 28), ("Sheet", 14), ("Cell", 8), ("Field", 24),
                  ("Value", 24), ("Message", 90)]


def write_report(findings: list[Finding], out_path: str | Path) -> Path:
    """Write the findings to a new workbook (atomically); every cell is text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from partnerxl.files.writing import save_workbook, set_text

    wb = Workbook()
    ws = wb.active
    ws.title = "Findings"
    for i, (name, width) in enumerate(REPORT_COLUMNS, start=1):
        c = ws.cell(row=1, column=i)
        set_text(c, name)
        c.font = Font(bold=True, color=L.HEADER_FONT)
        c.fill = PatternFill("solid", fgColor=L.HEADER_FILL)
        ws.column_dimensions[L.col_letter(i)].width = width
    red = PatternFill("solid", fgColor=L.NO_FILL)
    for r, f in enumerate(findings, start=2):
        values = [f.severity, f.code, f.file, f.sheet, f.cell, f.field, _display(f.value), f.message]
        for i, v in enumerate(values, start=1):
            c = ws.cell(row=r, column=i)
            set_text(c, v if v not in ("", None) else None)
            c.alignment = Alignment(wrap_text=(i == len(values)), vertical="top")
        if f.severity == "error":
            ws.cell(row=r, column=1).fill = red
    if not findings:
        set_text(ws.cell(row=2, column=8), "No problems found.")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{L.col_letter(len(REPORT_COLUMNS))}{max(2, len(findings) + 1)}"
    return save_workbook(wb, Path(out_path))
