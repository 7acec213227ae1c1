"""The one catalogue of findings: every problem PartnerXL reports, with a stable code, a title and a message.

Modelled on frictionless-py's errors: each kind of finding has a stable kebab-case `code`, a severity, a short
`title` an officer can scan a list by, and a message template that says what is wrong and what to do. Every output
(the validate command, the Issues sheet, the Problems sheet of the Portfolio workbook, `--json`) uses these codes
and words; nothing else invents its own. Which check emits which code is declared by the checks themselves
(partnerxl.checks); the codes in OPERATIONS_CODES are emitted by the operations that handle whole workbooks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]


class Code(NamedTuple):
    severity: Severity
    title: str
    template: str


CODES: dict[str, Code] = {
    # values in cells
    "missing-value": Code("error", "Required value missing", "{field} is required: fill it in."),
    "unknown-choice": Code("error", "Not one of the allowed values",
                           "{field} '{value}' is not one of the allowed values: choose from the drop-down "
                           "({detail})."),
    "bad-date": Code("error", "Not a date",
                     "{field} '{value}' is not a date: type it as dd/mm/yyyy (e.g. 31/03/2025)."),
    "bad-number": Code("error", "Not a number",
                       "{field} '{value}' is not a number: type digits only (e.g. 12000)."),
    "negative-number": Code("error", "Negative number", "{field} is {value}: it must be 0 or more."),
    "number-out-of-range": Code("error", "Number too large",
                                "{field} is {value}, more than the {detail} PartnerXL accepts: correct it, or raise "
                                "the limit on the Settings sheet."),
    "bad-year": Code("error", "Not a year",
                     "{field} '{value}' is not a year: type the review year as four digits (e.g. 2025)."),
    "bad-email": Code("error", "Not an email address",
                      "{field} '{value}' is not a valid email address: type it as name@example.gov.uk."),
    "formula-without-value": Code("error", "Formula without a value",
                                  "{field} holds a formula whose value was never calculated (the workbook was saved "
                                  "by a program, not by Excel): open it in Excel and save it so its value is "
                                  "calculated, or type the value."),
    "error-value": Code("error", "Excel error in a cell",
                        "{field} shows {value}: the formula in this cell returns an error (or the error was typed "
                        "in), so it has no value and is left out. Fix the formula, or type the value."),
    "control-characters": Code("warning", "Characters that cannot be shown",
                               "{field} contained characters that cannot be shown (as pasted from another program); "
                               "they were removed, giving '{value}': retype the text if it looks wrong."),
    "bad-setting": Code("error", "Setting not allowed",
                        "The setting '{field}' is '{value}', which is not allowed ({detail}): correct it on the "
                        "Settings sheet; the default is used until you do."),
    # register rules
    "missing-column": Code("error", "Register column missing",
                           "The column '{field}' is missing from the register: restore its heading in row {detail} "
                           "(copy it from a fresh template)."),
    "duplicate-id": Code("error", "ID used twice",
                         "ID '{value}' is used by another partnership (row {detail}): give each partnership its "
                         "own ID."),
    "id-not-plain": Code("warning", "ID not plain",
                         "ID '{value}' holds characters other than letters, digits, '-' and '_': PartnerXL makes file "
                         "names and e-mail subjects from IDs, so keep them plain (e.g. P001)."),
    "duplicate-name": Code("error", "Name used twice",
                           "Name '{value}' is used by another partnership (row {detail}; case does not matter): "
                           "make the names unique."),
    "end-before-start": Code("error", "Ends before it starts",
                             "End date {value} is before the start date {detail}: correct one of them."),
    "end-date-needed": Code("error", "End date needed",
                            "Duration is Time-limited but there is no end date: add the planned end date, or set "
                            "Duration to Permanent."),
    "date-in-future": Code("error", "Date in the future",
                           "{field} {value} is in the future (after {detail}): a review date must be on or before "
                           "today."),
    "out-of-scope": Code("warning", "Outside the strategy's scope",
                         "Arrangement '{value}' is outside the partnership strategy's scope: manage it through the "
                         "process for its kind of arrangement, or change the arrangement if it really is a "
                         "partnership."),
    "gatekeeper-missing": Code("error", "Gatekeeper question unanswered",
                               "This partnership is Proposed: answer the gatekeeper question '{field}' (Yes or No) "
                               "before it goes ahead."),
    "gatekeeper-reconsider": Code("warning", "Reconsider this proposal",
                                  "The gatekeeper answers say reconsider this Proposed partnership: {detail}"),
    # review and response rules
    "missing-item": Code("error", "Row missing",
                         "The row for {field} is missing: restore it (copy the sheet from a fresh template)."),
    "duplicate-item": Code("error", "Row appears twice",
                           "{field} appears twice on this sheet (first at row {detail}): delete the extra row."),
    "unknown-item": Code("error", "Unknown ID",
                         "'{value}' in the ID column is not a {field} PartnerXL knows: restore the original ID."),
    "unknown-benchmark": Code("error", "Unknown benchmark",
                              "'{value}' is not a benchmark ID (1.1 to 4.5): restore the original ID."),
    "evidence-missing": Code("error", "Evidence missing",
                             "Question {field} is answered '{value}' but has no evidence: add the evidence, or "
                             "change the status."),
    "action-missing": Code("error", "Action missing",
                           "Area {field} is answered No but has no action: say what will be done about it."),
    "bad-rating": Code("error", "Not a rating",
                       "'{value}' is not a rating: choose from the drop-down ({detail}) or leave it blank."),
    "duplicate-respondent": Code("error", "Respondent appears twice",
                                 "'{value}' already has a rating column for this person ({detail}): each person "
                                 "rates in one column only — merge or remove one of them (two people of one "
                                 "organisation need their own names or e-mails)."),
    "duplicate-invitee": Code("error", "Invited respondent listed twice",
                              "'{value}' is already listed at row {detail}: list each invited person once (two "
                              "people of one organisation need their own names or e-mails)."),
    "respondent-without-organisation": Code("error", "Ratings without an organisation",
                                            "This column has ratings but no organisation at the top: type the "
                                            "respondent's organisation in {detail}."),
    "unrated-benchmark": Code("warning", "Benchmark not rated",
                              "Benchmark {field} has no rating from any respondent: ask the partners to rate it, or "
                              "leave it knowingly unrated."),
    "incomplete-respondent": Code("warning", "Ratings incomplete",
                                  "{value} has not rated {detail}: ask them to complete their column (or choose "
                                  "Don't know)."),
    "unexpected-column": Code("warning", "Column not in the template",
                              "Column {detail} of this sheet is not part of the PartnerXL template ('{value}'): its "
                              "entries are not read — move them into the template's columns, or delete the "
                              "column."),
    "ratings-not-read": Code("error", "Ratings outside the respondent columns",
                             "Column {detail} of this sheet is not one of the template's respondent columns "
                             "('{value}'), so its ratings are left out of the scores: move them into a free "
                             "respondent column (collate them into a second review if none is free), or delete "
                             "the column."),
    "action-without-owner": Code("warning", "Action without an owner",
                                 "Benchmark {field} has an action but nobody named in 'By whom?': say who will do "
                                 "it."),
    "invalid-record": Code("error", "Cannot be read as a whole",
                           "{field} cannot be read as a whole ({detail}): correct the values reported on it, or copy "
                           "it into a fresh template."),
    # checks against the register
    "not-in-register": Code("error", "Not in the register",
                            "Partnership ID '{value}' is not in the register: correct the ID, or add the partnership "
                            "to the register."),
    "name-mismatch": Code("warning", "Name differs from the register",
                          "Partnership name '{value}' differs from the register's '{detail}': use the register's "
                          "name."),
    "missing-instrument": Code("error", "Review instrument not completed",
                               "This partnership is {detail}, so its annual review needs the {field}, which is not "
                               "completed: complete it."),
    # whole workbooks (the operations layer: rollup, summaries, collate, the add-in)
    "unreadable-file": Code("error", "Workbook cannot be used", "This file cannot be used: it {detail}"),
    "file-not-used": Code("warning", "File not used", "This file is not used: {detail}"),
    "text-cut": Code("warning", "Text cut to fit a cell",
                     "{field} is {value} characters long, close to the {detail} an Excel cell holds, so where "
                     "PartnerXL adds to it (an owner, a heading) the text was cut, ending with '…': shorten it."),
    "draft-not-written": Code("error", "No e-mail draft written",
                              "No e-mail draft was written for {value}: {detail}"),
    "wrong-kind": Code("error", "Wrong kind of workbook",
                       "This is a PartnerXL {value} workbook, not a {field}: {detail}"),
    "review-incomplete": Code("error", "Review cannot be matched",
                              "This review has no partnership ID or review year on its About sheet, so it cannot be "
                              "matched to the register: fill them in."),
    "duplicate-review": Code("error", "More than one review",
                             "There is more than one review of {value} for {field} ({detail}): none of them is used "
                             "until only one remains in the folder."),
    "form-for-another-review": Code("warning", "Form for another review",
                                    "This form is for {value}, but the review is for {detail}: it was left out."),
    "duplicate-form": Code("error", "Form from a respondent already in",
                           "This form is from {value}, who already has ratings ({detail}): each person rates "
                           "once, so it was left out."),
    "form-has-errors": Code("error", "Form has errors",
                            "This form has errors, so it was not collated ({detail}): ask the partner to correct "
                            "it."),
    "form-not-filled": Code("warning", "Form not filled in",
                            "This form from {value} has no ratings yet, so it was left out: ask them to fill it in "
                            "and send it back."),
    "no-free-column": Code("error", "No free respondent column",
                           "There is no free respondent column left for {value} ({detail} at most): collate the rest "
                           "into a second review."),
}

OPERATIONS_CODES: tuple[str, ...] = ("unreadable-file", "wrong-kind", "review-incomplete", "duplicate-review",
                                     "form-for-another-review", "duplicate-form", "form-has-errors", "form-not-filled",
                                     "no-free-column", "file-not-used", "text-cut", "draft-not-written")
"""Codes about whole workbooks, emitted by the operations (rollup, summaries, collate, the add-in), not by a check."""


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
    def title(self) -> str:
        """The code's short title; a property, so the JSON records keep their fields."""
        return CODES[self.code].title

    @property
    def where(self) -> str:
        return "!".join(p for p in (self.sheet, self.cell) if p)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def display_value(value: Any) -> str:
    """A value as an officer reads it: dates dd/mm/yyyy, whole numbers without '.0', blank for None."""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def finding(code: str, file: str, sheet: str | None = None, cell: str | None = None, field: str | None = None,
            value: Any = None, detail: Any = None) -> Finding:
    """A finding rendered from the catalogue."""
    entry = CODES[code]
    message = entry.template.format_map(_Blank(field=field or "", value=display_value(value),
                                               detail=display_value(detail)))
    json_value = display_value(value) if isinstance(value, (dt.date, dt.datetime)) else value
    if json_value is not None and not isinstance(json_value, (str, int, float, bool)):
        json_value = str(json_value)
    return Finding(code=code, severity=entry.severity, file=file, sheet=sheet, cell=cell, field=field,
                   value=json_value, message=message)
