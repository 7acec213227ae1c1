"""The functions the PartnerXL ribbon buttons call (through xlwings' `RunPython`), one per button.

Each button is short: take the workbook it was pressed in, call `partnerxl.operations` (the same functions as the
`partnerxl` command line, so the same workbook gets the same answer), hand the result to a presentation module of
`partnerxl.excel` to write it into the workbook, and return one message for the message box:

- Validate → `operations.validate_source` → `excel.issues_sheet` (the Issues sheet, fills on the cells);
- Score → `operations.read_any_kind`, `operations.score_book` → `excel.scores_sheet`;
- Collate responses → `operations.read_forms`, `operations.plan_collate` → `excel.respondent_columns`;
- Chase responses → `operations.chase_open_review` (files: a form and an unsent draft per respondent to chase);
- Roll up portfolio → `operations.portfolio` → `excel.portfolio_sheets`;
- Write summaries, Email drafts, New review → `operations.write_summaries`, `email_drafts`, `new_review` (files).

`button(label)` turns every problem into one plain message box, never a traceback dialog. `RunPython` starts a
fresh Python process on every click, so this module imports nothing heavy at import time: everything else is
imported inside the function that needs it.
"""

from __future__ import annotations

from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.excel.caller import ALL_KINDS, KIND_WORDS, RESPONSES_FOLDER_NAME, responses_folder_cell
from partnerxl.excel.caller import open_as as _open
from partnerxl.excel.caller import read_as as _read
from partnerxl.excel.caller import register_portfolio as _register_portfolio
from partnerxl.excel.wrapper import button
from partnerxl.excel.words import SHOWN, drafts_message, listed, rollup_message, summaries_message
from partnerxl.excel.words import plural as _plural

SUMMARIES_FOLDER = "summaries"       # the same folder names as `partnerxl demo`
DRAFTS_FOLDER = "email drafts"
CHASE_FOLDER = "responses to chase"  # beside the review, so the blank forms are never collated by mistake


def _now_text() -> str:
    import datetime as dt

    return f"{dt.datetime.now():%d %b %Y %H:%M}"


# --- Validate ------------------------------------------------------------------------------------------------------

def _validate(book: Any) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.issues_sheet import show_findings
    from partnerxl.excel.live import book_label

    source, kind = _open(book, "Validate", ALL_KINDS)
    report = ops.ValidationReport.of([(source.path_label, ops.validate_source(source))], [])
    findings = report.findings
    summary = (f"{report.count_words} in this {KIND_WORDS[kind]}" if findings
               else f"No problems found in this {KIND_WORDS[kind]}")
    name = book_label(book)
    shown = show_findings(book, source, kind, findings, f"PartnerXL validation of '{name}'",
                          f"Checked {_now_text()}: {summary}. Cells with a problem are filled light red (error) or "
                          "yellow (warning); Validate takes the fill off again once they are fixed. Click a cell "
                          "address to go to it.")
    if not findings:
        text = f"Validate: no problems found in '{name}'."
        return text + (f" The fill was taken off {_plural(shown.restored, 'cell')} marked last time."
                       if shown.restored else "")
    text = (f"Validate: {summary} '{name}'.\n\n{_plural(shown.marked, 'cell')} marked; the Issues sheet lists "
            "each one with a link to its cell.")
    if shown.restored:
        text += f" {_plural(shown.restored, 'cell')} marked last time {'is' if shown.restored == 1 else 'are'} fixed."
    if shown.new_sheet:
        text += " (The Issues sheet was added at the end of the workbook.)"
    return text


validate = button("Validate")(_validate)


# --- Score ---------------------------------------------------------------------------------------------------------

def _score(book: Any) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.live import book_path
    from partnerxl.excel.scores_sheet import write_scores_sheet

    try:
        where = book_path(book)
    except PartnerXLError:  # not saved yet: no folder to find the register in, so the defaults score it
        where = None
    report = ops.score_open_review(_read(book, "Score", "review"), where)
    write_scores_sheet(book, report, _now_text())
    text = (f"Score: {report.headline}.\n\nScored with {report.settings_words} settings. The Scores sheet has "
            "the details.")
    if report.provisional:
        text += (f"\n\n{report.provisional_note}\n" + listed(report.left_out_lines(SHOWN))
                 + "\n\nValidate marks each cell.")
    return text


score = button("Score")(_score)


# --- the register: portfolio, summaries, email drafts, new review -------------------------------------------------

def _rollup_portfolio(book: Any) -> str:
    from partnerxl.excel.portfolio_sheets import write_portfolio_sheets

    report = _register_portfolio(book, "Roll up portfolio")
    return rollup_message(report, write_portfolio_sheets(book, report.portfolio))


def _write_summaries(book: Any) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.live import book_folder, status_bar_progress

    p = _register_portfolio(book, "Write summaries")
    report = ops.write_summaries(p.portfolio, book_folder(book) / SUMMARIES_FOLDER,
                                 progress=status_bar_progress(book, "Write summaries"))
    return summaries_message(report, where=str(report.out_dir), verb="Press", reviews_folder=p.reviews_folder)


def _email_drafts(book: Any) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.live import book_folder

    register = _read(book, "Email drafts", "register")
    summaries = book_folder(book) / SUMMARIES_FOLDER
    if not summaries.is_dir() or not any(summaries.glob("*.xlsx")):
        raise PartnerXLError(f"There are no summaries in {summaries} yet. Press Write summaries first, then "
                             "Email drafts.")
    report = ops.email_drafts(summaries, list(register.entries), book_folder(book) / DRAFTS_FOLDER)
    return drafts_message(report, where=str(report.out_dir))


rollup_portfolio = button("Roll up portfolio")(_rollup_portfolio)
write_summaries = button("Write summaries")(_write_summaries)
email_drafts = button("Email drafts")(_email_drafts)


def _selected_entry(book: Any, register: Any) -> Any:
    """The register entry on the row selected on the Register sheet; a plain error for any other selection."""
    from partnerxl.sheets import layout as L
    from partnerxl.sheets.cells import cell_rc

    try:
        sel = book.app.selection
        sheet_name, row = sel.sheet.name, sel.row
    except Exception:
        sheet_name, row = None, None
    if sheet_name != L.REGISTER or row is None or row < L.REGISTER_FIRST_ROW:
        raise PartnerXLError(f"Select a partnership's row on the {L.REGISTER} sheet first (click any cell in its "
                             "row), then press New review.")
    entry = next((e for e in register.entries if register.row_of.get(e.id) == row), None)
    if entry is None:
        problems = [f for f in register.findings if f.sheet == L.REGISTER and f.severity == "error"
                    and (cell_rc(f.cell) or (-1, -1))[0] == row - 1]
        why = (" It has problems: " + "; ".join(f.message for f in problems[:3])) if problems else \
            " The row is empty or has no ID and name."
        raise PartnerXLError(f"Row {row} of the register cannot be used for a new review.{why} Fix the row (Validate "
                             "marks every problem), or select another partnership, and press New review again.")
    return entry


def _new_review(book: Any) -> str:
    import datetime as dt

    from partnerxl import operations as ops
    from partnerxl.excel.live import book_folder, book_path

    register = _read(book, "New review", "register")
    entry = _selected_entry(book, register)
    year = (register.as_of or dt.date.today()).year
    home = register.reviews_dir(book_path(book)) or book_folder(book)
    report = ops.new_review(register, entry, home, year)
    return (f"New review: {report.headline}\n\nOpen it and fill in the pale yellow cells; partners can instead "
            "return Response forms, which Collate responses brings in.")


new_review = button("New review")(_new_review)


# --- Collate responses (in a review) ---------------------------------------------------------------------------------

def _responses_folder(book: Any) -> Any:
    """Where Collate responses looks: the folder in the cell named PartnerXL_ResponsesFolder (a defined name an
    officer may add to the review; relative to the review's folder), else the review's own folder."""
    from pathlib import Path

    from partnerxl.excel.live import book_folder

    home = book_folder(book)
    value = responses_folder_cell(book)
    if value is None:
        return home
    folder = Path(value)
    folder = folder if folder.is_absolute() else home / folder
    if not folder.is_dir():
        raise PartnerXLError(f"The responses folder '{value}' (the cell named {RESPONSES_FOLDER_NAME}) does not "
                             f"exist (looked for {folder}). Correct that cell, or delete the name to use the "
                             "review's own folder, and press Collate responses again.")
    return folder


def _collate_responses(book: Any) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.live import book_path
    from partnerxl.excel.respondent_columns import collate_into_open_review

    review_book = _read(book, "Collate responses", "review")
    review = review_book.review
    if review is None:
        first = next(iter(ops.errors(review_book.findings)), None)
        raise PartnerXLError("The review cannot take responses until its About sheet has the partnership ID and "
                             f"review year{': ' + first.message if first else '.'} Press Validate to see every "
                             "problem.")
    folder = _responses_folder(book)
    forms = ops.read_forms(ops.workbook_files(folder, skip=(book_path(book),)), quiet_non_forms=True)
    return collate_into_open_review(book, review_book, forms, folder=folder, verb="press",
                                    no_forms="Save the returned forms there and press Collate responses again.")


collate_responses = button("Collate responses")(_collate_responses)


# --- Chase responses (in a review) -----------------------------------------------------------------------------------

def _chase_responses(book: Any) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.live import book_folder, book_path

    review_book = _read(book, "Chase responses", "review")
    if review_book.review is None:
        raise PartnerXLError("The review cannot be chased until its About sheet has the partnership ID and review "
                             "year. Press Validate to see every problem.")
    out = book_folder(book) / CHASE_FOLDER
    report = ops.chase_open_review(review_book, book_path(book), out=out)
    review = review_book.review
    if not report.invited:
        return ("Chase responses: nobody is listed on the Invited sheet, so there is nobody to chase. List the "
                "partners you asked to rate the benchmarks (organisation, name, e-mail), then press it again.")
    if not report.chased:
        return f"Chase responses: {review.partnership_id} {review.year}: {report.headline}. Nobody needs chasing."
    text = (f"Chase responses: {review.partnership_id} {review.year}: {report.headline}, written to\n{out}\n\n"
            "Nothing was sent: open each .eml file (Outlook opens it as a draft), check it and send it yourself. "
            "Save returned forms beside the review and press Collate responses.")
    problems = [c.problem for c in report.chased if c.problem]
    if problems:
        text += "\n\n" + listed(problems[:SHOWN])
    if report.register is None:
        text += ("\n\nNo register was found that reads its reviews from this folder, so the email has no officer's "
                 "name or signature: keep the review in the register's reviews folder.")
    return text


chase_responses = button("Chase responses")(_chase_responses)


def committee_pack(book: Any = None) -> str | None:
    """The Committee pack button (excel/pack_pdf.py), reached here so every ribbon callback names this module."""
    from partnerxl.excel.pack_pdf import committee_pack as run

    return run(book)
