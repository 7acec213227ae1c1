"""PartnerXL in xlwings Lite: the work behind each `@script` of main.py (documents/lite_files.py), one per button.

xlwings Lite runs Python inside Excel through Pyodide and hands a script the open workbook as an `xlwings.Book` on
xlwings' remote engine, the same Book API the ribbon buttons are tested on. So each script here is a ribbon
button's presenter: read the open workbook, call `partnerxl.operations`, write the block with the same presentation
module (issues_sheet, scores_sheet, portfolio_sheets, respondent_columns), end with one message. Two things differ:

- **No folder.** A workbook open in Lite is not a file Python can see. Where a button uses the workbook's folder,
  a script uses `folder`: "/data" (the files imported with Lite's Files > Import/Export, where files written
  appear for download), or what the officer types, such as a local folder mounted in desktop Excel for Windows.
  `operations.lite_support` finds the reviews folder and the register there by the buttons' rules.
- **The message.** Lite shows no VBA MsgBox: a script's message goes to Lite's output pane (print) and to the
  workbook's own alert (`book.app.alert`). Every problem is one plain message; an unforeseen one also prints its
  details in the output pane for whoever supports PartnerXL (there is no log file a user could find in Lite).

What Lite cannot do, it says: the committee pack is printed to PDF by Excel or LibreOffice, which no script in Lite
can start. Under Pyodide the work runs in this one process (storage/parallel.py). Nothing heavy is imported until
a script runs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable

from partnerxl.core.errors import PartnerXLError
from partnerxl.excel.caller import RESPONSES_FOLDER_NAME, responses_folder_cell
from partnerxl.excel.words import SHOWN, drafts_message, listed, rollup_message, summaries_message

HOME = "/data"
SUMMARIES_FOLDER = "summaries"          # the same folder names as the buttons and `partnerxl demo`
DRAFTS_FOLDER = "email drafts"
CHASE_FOLDER = "responses to chase"
EXPORT = "Download them from xlwings Lite menu > Files > Import/Export."


def lite_script(label: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """`work(book, …) -> message` as a Lite script: the message printed and shown; every problem one message."""

    def wrap(work: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(work)
        def run(book: Any, *args: Any) -> str:
            from partnerxl.excel.live import alert

            try:
                message, critical = work(book, *args), False
            except Exception as exc:  # a PartnerXLError as it is; anything else as one sentence
                _drop_queued_actions(book)
                message, critical = _failure(label, exc), True
            print(message)
            alert(book, message, critical=critical)
            return message

        return run

    return wrap


def _failure(label: str, exc: Exception) -> str:
    if isinstance(exc, PartnerXLError):
        return f"{label} stopped.\n\n{exc}"
    import traceback

    print(f"Details for whoever supports PartnerXL ({label}):\n{traceback.format_exc()}")
    return (f"{label} could not finish because of an unexpected problem: {type(exc).__name__}: {exc}.\n\nThe "
            "details are in xlwings Lite's output pane: copy them to whoever supports PartnerXL.")


def _drop_queued_actions(book: Any) -> None:
    """Nothing reaches Excel until the script returns: after an error, send nothing but the message."""
    try:
        book.json()["actions"].clear()
    except Exception:  # an engine without queued actions
        pass


def _now_text() -> str:
    import datetime as dt

    return f"{dt.datetime.now():%d %b %Y %H:%M}"


def _where(path: Path) -> str:
    """Where files were written, and how to get them out of Lite when they are in its own files."""
    return f"{path}\n\n{EXPORT}" if str(path).startswith(HOME) else str(path)


def _name(book: Any) -> str:
    from partnerxl.excel.live import book_label

    return book_label(book)


# --- Validate (any PartnerXL workbook): the button's own work, since it needs no folder ---------------------------

@lite_script("Validate")
def validate(book: Any) -> str:
    from partnerxl.excel.buttons import validate as button

    return button.__wrapped_work__(book)


# --- a review: Score, Collate responses, Chase responses ------------------------------------------------------------

@lite_script("Score")
def score(book: Any, folder: str = HOME) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.caller import read_as
    from partnerxl.excel.scores_sheet import write_scores_sheet
    from partnerxl.operations.lite_support import review_place

    report = ops.score_open_review(read_as(book, "Score", "review"), review_place(folder, _name(book)))
    write_scores_sheet(book, report, _now_text())
    text = (f"Score: {report.headline}.\n\nScored with {report.settings_words} settings. The Scores sheet has "
            "the details.")
    if report.register is None:
        text += (f" To score with the council's settings, import the register (with its reviews folder) into "
                 f"{folder}.")
    if report.provisional:
        text += (f"\n\n{report.provisional_note}\n" + listed(report.left_out_lines(SHOWN))
                 + "\n\nValidate marks each cell.")
    return text


def _forms_folder(book: Any, folder: str) -> Path:
    """The folder named in the review's PartnerXL_ResponsesFolder cell (relative to `folder`), else `folder`."""
    value = responses_folder_cell(book)
    found = Path(folder) / value if value is not None else Path(folder)
    if not found.is_dir():
        raise PartnerXLError(f"The folder of returned forms '{found}' is not among xlwings Lite's files. Import the "
                             "forms with xlwings Lite menu > Files > Import/Export (or correct the cell named "
                             f"{RESPONSES_FOLDER_NAME}), and run Collate responses again.")
    return found


@lite_script("Collate responses")
def collate_responses(book: Any, folder: str = HOME) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.caller import read_as
    from partnerxl.excel.respondent_columns import collate_into_open_review

    review_book = read_as(book, "Collate responses", "review")
    if review_book.review is None:
        raise PartnerXLError("The review cannot take responses until its About sheet has the partnership ID and "
                             "review year. Run Validate to see every problem.")
    forms_folder = _forms_folder(book, folder)
    forms = ops.read_forms(ops.workbook_files(forms_folder), quiet_non_forms=True)
    return collate_into_open_review(book, review_book, forms, folder=forms_folder, verb="run",
                                    no_forms="Import the returned forms with xlwings Lite menu > Files > "
                                             "Import/Export and run Collate responses again.")


@lite_script("Chase responses")
def chase_responses(book: Any, folder: str = HOME) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.caller import read_as
    from partnerxl.operations.lite_support import review_place

    review_book = read_as(book, "Chase responses", "review")
    review = review_book.review
    if review is None:
        raise PartnerXLError("The review cannot be chased until its About sheet has the partnership ID and review "
                             "year. Run Validate to see every problem.")
    out = Path(folder) / CHASE_FOLDER
    report = ops.chase_open_review(review_book, review_place(folder, _name(book)), out=out)
    if not report.invited:
        return ("Chase responses: nobody is listed on the Invited sheet, so there is nobody to chase. List the "
                "partners you asked to rate the benchmarks (organisation, name, e-mail), then run it again.")
    if not report.chased:
        return f"Chase responses: {review.partnership_id} {review.year}: {report.headline}. Nobody needs chasing."
    text = (f"Chase responses: {review.partnership_id} {review.year}: {report.headline}, written to\n"
            f"{_where(out)}\n\nNothing was sent: open each .eml file (Outlook opens it as a draft), check it and "
            "send it yourself.")
    problems = [c.problem for c in report.chased if c.problem]
    if problems:
        text += "\n\n" + listed(problems[:SHOWN])
    if report.register is None:
        text += (f"\n\nNo register that reads its reviews from this review's folder was found in {folder}, so the "
                 "emails have no officer's name or signature: import the register with its reviews folder.")
    return text


# --- the register: Roll up portfolio, Write summaries, Email drafts, New review -------------------------------------

def _register_portfolio(book: Any, label: str, folder: str) -> Any:
    from partnerxl.excel.caller import read_as
    from partnerxl.operations.lite_support import register_portfolio_in

    return register_portfolio_in(read_as(book, label, "register"), folder, _name(book))


@lite_script("Roll up portfolio")
def rollup_portfolio(book: Any, folder: str = HOME) -> str:
    from partnerxl.excel.portfolio_sheets import write_portfolio_sheets

    report = _register_portfolio(book, "Roll up portfolio", folder)
    return rollup_message(report, write_portfolio_sheets(book, report.portfolio))


@lite_script("Write summaries")
def write_summaries(book: Any, folder: str = HOME) -> str:
    from partnerxl import operations as ops

    p = _register_portfolio(book, "Write summaries", folder)
    report = ops.write_summaries(p.portfolio, Path(folder) / SUMMARIES_FOLDER)
    return summaries_message(report, where=_where(report.out_dir), verb="Run", reviews_folder=p.reviews_folder)


@lite_script("Email drafts")
def email_drafts(book: Any, folder: str = HOME) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.caller import read_as

    register = read_as(book, "Email drafts", "register")
    summaries = Path(folder) / SUMMARIES_FOLDER
    if not summaries.is_dir() or not any(summaries.glob("*.xlsx")):
        raise PartnerXLError(f"There are no summaries in {summaries} yet. Run Write summaries first, then "
                             "Email drafts.")
    report = ops.email_drafts(summaries, list(register.entries), Path(folder) / DRAFTS_FOLDER)
    return drafts_message(report, where=_where(report.out_dir))


@lite_script("New review")
def new_review(book: Any, folder: str = HOME) -> str:
    import datetime as dt

    from partnerxl import operations as ops
    from partnerxl.excel.buttons import _selected_entry  # the button's rule for the selected register row
    from partnerxl.excel.caller import read_as
    from partnerxl.operations.lite_support import lite_reviews_folder

    register = read_as(book, "New review", "register")
    entry = _selected_entry(book, register)
    year = (register.as_of or dt.date.today()).year
    report = ops.new_review(register, entry, lite_reviews_folder(register, folder, create=True), year)
    return (f"New review: {report.headline}\n\n"
            + (f"{EXPORT} " if str(report.path).startswith(HOME) else "")
            + "Open it in Excel and fill in the pale yellow cells (it carries these scripts too); partners can "
            "instead return Response forms, which Collate responses brings in.")


# --- what Lite cannot do --------------------------------------------------------------------------------------------

@lite_script("Committee pack")
def committee_pack(book: Any) -> str:
    return ("Committee pack is not available in xlwings Lite: the pack is one PDF printed by Excel itself (or by "
            "LibreOffice), and a script in Lite cannot start either. Make it with the PartnerXL add-in's Committee "
            "pack button or the command line (partnerxl pack). Here, Roll up portfolio writes the same Committee "
            "sheet, which you can print from Excel (File > Print).")
