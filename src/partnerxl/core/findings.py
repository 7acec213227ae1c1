"""The one catalogue of findings: every problem PartnerXL reports, with a stable code, a title and a message.

Modelled on frictionless-py's errors: each finding type has a stable kebab-case `code`, a severity and a message
template that says what is wrong and what to do. Every output (the validate command, the Issues sheet, the Problems
sheet of the Portfolio workbook, `--json`) uses these codes and words; nothing else invents its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

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
    # whole workbooks (the operations layer: rollup, summaries, collate, the add-in)
    "unreadable-file": ("error", "This workbook cannot be used: {detail}"),
    "wrong-kind": ("error", "This is a PartnerXL {value} workbook, not a {field}: {detail}"),
    "review-incomplete": ("error", "This review has no partnership ID or review year on its About sheet, so it cannot "
                                   "be matched to the register: fill them in."),
    "duplicate-review": ("error", "There is more than one review of {value} for {field} ({detail}): none of them is "
                                  "used until only one remains in the folder."),
    "form-for-another-review": ("warning", "This form is for {value}, but the review is for {detail}: it was left "
                                           "out."),
    "duplicate-form": ("error", "This form is from {value}, who already has ratings ({detail}): each respondent "
                                "rates once, so it was left out."),
    "form-has-errors": ("error", "This form has errors, so it was not collated ({detail}): ask the partner to "
                                 "correct it."),
    "no-free-column": ("error", "There is no free respondent column left for {value} ({detail} at most): collate "
                                "the rest into a second review."),
}


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

