"""The functions the PartnerXL ribbon buttons call (through xlwings' `RunPython`), one per button.

Each takes the workbook the button was pressed in (`book=None` means `xlwings.Book.caller()`, which is how
`RunPython` calls it; tests pass an `xlwings.Book`), checks which PartnerXL workbook it is (the template marker),
does its work through the same modules as the `partnerxl` command line, and ends with one short message box.
Every problem becomes a plain message box naming what to fix, never a traceback dialog.

`RunPython` starts a fresh Python process on every click, so this module imports nothing heavy at import time:
pandas, openpyxl, xlwings and PartnerXL's own modules are imported inside the functions that need them.

Sheets PartnerXL owns in a live workbook (replaced on every run, never duplicated):
*Issues* (Validate), *Scores* (Score), and in the register *Portfolio*, *Heatmap*, *Flags*, *Actions*,
*Committee summary*, *Problems* (Roll up portfolio). The only cells outside them that PartnerXL changes are the
fills Validate puts on offending input cells (and takes off again on the next run), and the respondent columns
Collate responses fills in a review.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Callable

from partnerxl.core.errors import PartnerXLError

TITLE = "PartnerXL"
ISSUES_SHEET = "Issues"
SCORES_SHEET = "Scores"

# Fill colours (hex) put on offending input cells by Validate: errors and warnings.
from partnerxl.sheets import palette  # noqa: E402 - plain constants, nothing heavy

ERROR_FILL = palette.hash_colour(palette.ERROR_MARK)
WARNING_FILL = palette.hash_colour(palette.WARNING_MARK)
RAG_COLOURS = {rag: palette.hash_colour(c) for rag, c in palette.RAG.items()}
HEADER_COLOUR = palette.hash_colour(palette.SECTION)

KIND_WORDS = {"register": "partnership register", "review": "annual review workbook",
              "response": "partner's response workbook"}
ARTICLE = {"register": "a", "review": "an", "response": "a"}


def _a(kind: str) -> str:
    return f"{ARTICLE.get(kind, 'a')} {KIND_WORDS.get(kind, kind)}"


# --- the wrapper every button goes through -------------------------------------------------------------------------

def _caller(book: Any) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def _log_path() -> str:
    import tempfile

    return os.path.join(tempfile.gettempdir(), "partnerxl-addin.log")


def _log_exception(button: str) -> str:
    """Write the traceback to a log file (for whoever supports PartnerXL); return the file's path."""
    import datetime as dt
    import traceback

    path = _log_path()
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\n--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} {button}\n")
            fh.write(traceback.format_exc())
    except OSError:
        return ""
    return path


def _drop_queued_actions(book: Any) -> None:
    """On the remote engine nothing reaches Excel until the function returns: after an error, send nothing."""
    try:
        from partnerxl.excel.live import engine_name

        if engine_name(book) != "excel":
            book.json()["actions"].clear()
    except Exception:
        pass


def button(label: str) -> Callable[[Callable[[Any], str]], Callable[..., str | None]]:
    """Turn `work(book) -> message` into a ribbon function: caller book, message box at the end, errors as text."""

    def wrap(work: Callable[[Any], str]) -> Callable[..., str | None]:
        @functools.wraps(work)
        def run(book: Any = None) -> str | None:
            from partnerxl.excel.live import alert

            book = _caller(book)
            try:
                message = work(book)
            except PartnerXLError as exc:
                _drop_queued_actions(book)
                message = f"{label} stopped.\n\n{exc}"
                alert(book, message, critical=True)
                return message
            except Exception as exc:  # anything unexpected: a plain message, the details to a log file
                _drop_queued_actions(book)
                log = _log_exception(label)
                message = (f"{label} could not finish because of an unexpected problem: "
                           f"{type(exc).__name__}: {exc}".rstrip(": ") + ".")
                if log:
                    message += f"\n\nThe details were saved in {log}; send that file to whoever supports PartnerXL."
                alert(book, message, critical=True)
                return message
            alert(book, message)
            return message

        run.__wrapped_work__ = work  # type: ignore[attr-defined]
        return run

    return wrap


def _open(book: Any, label: str, kinds: tuple[str, ...]) -> tuple[Any, str]:
    """The book as a WorkbookSource and its kind; a plain error if it is not a PartnerXL workbook of those kinds."""
    from partnerxl.excel.live import XlwingsWorkbook
    from partnerxl.files.opening import detect_kind

    source = XlwingsWorkbook(book)
    wanted = " or ".join(_a(k) for k in kinds)
    try:
        kind, _version = detect_kind(source)
    except PartnerXLError as exc:
        raise PartnerXLError(f"{exc}\n\n{label} works in {wanted} made from a PartnerXL template.") from None
    if kind not in kinds:
        raise PartnerXLError(
            f"'{_book_label(book)}' is {_a(kind)}; {label} works in {wanted}. "
            f"Open the right workbook and press {label} there.")
    return source, kind


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _now_text() -> str:
    import datetime as dt

    return f"{dt.datetime.now():%d %b %Y %H:%M}"


# --- Validate ------------------------------------------------------------------------------------------------------

ISSUES_HEADER = ["Severity", "Sheet", "Cell", "Field", "Value", "Problem", "Code", "Marked"]
_COL = {name: i for i, name in enumerate(ISSUES_HEADER)}
ISSUES_FIRST_ROW = 4  # 0-based row of the header on the Issues sheet


def _cell_rc(address: str | None) -> tuple[int, int] | None:
    """0-based (row, col) of a single-cell A1 address ('$B$5' or 'B5'), None for anything else."""
    import re

    if not address:
        return None
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})", str(address).strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _markable(kind: str, sheet: str, rc: tuple[int, int]) -> bool:
    """Is this cell an input cell of the template (one Validate may fill), rather than a header or a statement?"""
    from partnerxl.sheets import layout as L

    row, col = rc[0] + 1, L.col_letter(rc[1] + 1)
    addr = f"{col}{row}"
    if kind == "register":
        if sheet == L.REGISTER:
            return row >= L.REGISTER_FIRST_ROW
        if sheet == L.SETTINGS:
            return col == L.SETTINGS_VALUE_COL and row >= L.SETTINGS_FIRST_ROW
        return False
    if kind == "review":
        if sheet == L.ABOUT:
            return addr in {a for a, _label in L.ABOUT_FIELDS.values()}
        if sheet == L.BENCHMARKS:
            inputs = set(L.respondent_columns()) | {L.BENCHMARKS_SPEC.col("action_needed"),
                                                     L.BENCHMARKS_SPEC.col("by_whom")}
            return col in inputs and row >= L.BENCH_ORG_ROW
        for spec in (L.CHECKLIST_SPEC, L.IMPROVEMENT_SPEC, L.FITNESS_SPEC, L.FACTORS_SPEC):
            if sheet == spec.name:
                return col in {spec.col(r) for r in spec.inputs} and row >= spec.first_row
        return False
    if kind == "response" and sheet == L.RESPONSE:
        if addr in {a for a, _label in L.RESPONSE_FIELDS.values()}:
            return True
        spec = L.RESPONSE_SPEC
        return col in {spec.col(r) for r in spec.inputs} and row >= spec.first_row
    return False


def previous_marks(source: Any) -> dict[str, set[tuple[int, int]]]:
    """Cells the last Validate filled, as listed on the Issues sheet (rows whose Marked column says Yes)."""
    if not any(n.casefold() == ISSUES_SHEET.casefold() for n in source.sheet_names()):
        return {}
    rows = source.rows(ISSUES_SHEET)
    marks: dict[str, set[tuple[int, int]]] = {}
    header_at = next((i for i, r in enumerate(rows) if r and r[0] == ISSUES_HEADER[0]
                      and ISSUES_HEADER[-1] in r), None)
    if header_at is None:
        return {}
    cols = {name: rows[header_at].index(name) for name in ISSUES_HEADER if name in rows[header_at]}
    for r in rows[header_at + 1:]:
        def get(name: str) -> Any:
            i = cols.get(name)
            return r[i] if i is not None and i < len(r) else None

        if str(get("Marked") or "").strip().casefold() != "yes":
            continue
        rc = _cell_rc(get("Cell"))
        if rc is not None and get("Sheet"):
            marks.setdefault(str(get("Sheet")), set()).add(rc)
    return marks


def _display_value(value: Any) -> Any:
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _validate(book: Any) -> str:
    from partnerxl.sheets import layout as L
    from partnerxl.excel.live import autofit_columns, fill_cells, find_sheet, link_formula, owned_sheet, write_block
    from partnerxl.reading import validate_source

    source, kind = _open(book, "Validate", ("register", "review", "response"))
    findings = list(validate_source(source))
    old_marks = previous_marks(source)
    sheet_names = {n.casefold(): n for n in source.sheet_names()}

    # Decide the marks before writing anything.
    new_marks: dict[str, dict[tuple[int, int], str]] = {}
    rows: list[list[Any]] = []
    order = {"error": 0, "warning": 1}
    for f in sorted(findings, key=lambda f: order.get(f.severity, 2)):
        sheet = sheet_names.get(str(f.sheet or "").casefold())
        rc = _cell_rc(f.cell)
        marked = bool(sheet and rc is not None and _markable(kind, sheet, rc))
        if marked:
            colour = ERROR_FILL if f.severity == "error" else WARNING_FILL
            cells = new_marks.setdefault(sheet, {})
            if cells.get(rc) != ERROR_FILL:  # an error outranks a warning on the same cell
                cells[rc] = colour
        cell = (str(f.cell).replace("$", "") if f.cell else None)
        cell_value: Any = link_formula(sheet, cell, cell) if (sheet and rc is not None) else cell
        rows.append([f.severity.capitalize(), f.sheet, cell_value, f.field, _display_value(f.value), f.message,
                     f.code, "Yes" if marked else None])

    # 1. take last run's fills off (back to the template's input fill), 2. mark afresh.
    restored = 0
    for sheet_name, cells in old_marks.items():
        real = sheet_names.get(sheet_name.casefold())
        if real is None:
            continue
        keep = set(new_marks.get(real, {}))
        back = [rc for rc in cells if rc not in keep and _markable(kind, real, rc)]
        if back:
            fill_cells(book.sheets[real], back, "#" + L.INPUT_FILL)
            restored += len(back)
    marked_cells = 0
    for sheet_name, cells in new_marks.items():
        by_colour: dict[str, list[tuple[int, int]]] = {}
        for rc, colour in cells.items():
            by_colour.setdefault(colour, []).append(rc)
        for colour, rcs in by_colour.items():
            fill_cells(book.sheets[sheet_name], rcs, colour)
        marked_cells += len(cells)

    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    existed = find_sheet(book, ISSUES_SHEET) is not None
    sheet = owned_sheet(book, ISSUES_SHEET)
    summary = (f"{_plural(errors, 'error')} and {_plural(warnings, 'warning')} in this {KIND_WORDS[kind]}"
               if findings else f"No problems found in this {KIND_WORDS[kind]}")
    block: list[list[Any]] = [
        [f"PartnerXL validation of '{_book_label(book)}'"],
        [f"Checked {_now_text()}: {summary}. Cells with a problem are filled light red (error) or yellow (warning); "
         "Validate takes the fill off again once they are fixed. Click a cell address to go to it."],
        [None],
        [None],
        ISSUES_HEADER,
        *rows,
    ]
    if not rows:
        block.append(["None", None, None, None, None, "No problems found.", None, None])
    write_block(sheet, "A1", block, raw_columns=[_COL["Cell"]])
    sheet.range((ISSUES_FIRST_ROW + 1, 1), (ISSUES_FIRST_ROW + 1, len(ISSUES_HEADER))).color = HEADER_COLOUR
    autofit_columns(sheet)
    if findings:
        sheet.activate()

    where = "the Issues sheet lists each one with a link to its cell"
    if not findings:
        text = f"Validate: no problems found in '{_book_label(book)}'."
        if restored:
            text += f" The fill was taken off {_plural(restored, 'cell')} marked last time."
        return text
    text = f"Validate: {summary} '{_book_label(book)}'.\n\n{_plural(marked_cells, 'cell')} marked; {where}."
    if restored:
        text += f" {_plural(restored, 'cell')} marked last time {'is' if restored == 1 else 'are'} fixed."
    if not existed:
        text += " (The Issues sheet was added at the end of the workbook.)"
    return text


validate = button("Validate")(_validate)


# --- Score ---------------------------------------------------------------------------------------------------------

def _read_review_or_explain(source: Any, label: str) -> Any:
    """The review model from the live workbook, or a PartnerXLError listing the errors that stop it."""
    from partnerxl.reading import read_review

    result = read_review(source)
    errors = [f for f in result.findings if f.severity == "error"]
    if result.review is None or errors:
        shown = "\n".join(f"- {f.sheet or ''}{'!' + f.cell if f.cell else ''}: {f.message}" for f in errors[:5])
        more = f"\n(and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise PartnerXLError(
            f"The review cannot be scored until {_plural(len(errors), 'problem')} {'is' if len(errors) == 1 else 'are'}"
            f" fixed:\n{shown}{more}\n\nPress Validate to mark them all in the workbook, fix them, then press "
            f"{label} again.")
    return result


def score_rows(result: Any, when: str) -> tuple[list[list[Any]], dict[str, Any]]:
    """The Scores sheet as one block of rows, and where its parts are (for number formats and colours)."""
    r = result
    areas = {a.id: a for a in r.areas}
    rows: list[list[Any]] = [
        [f"PartnerXL scores: {r.partnership_id} {r.partnership_name or ''} ({r.year})".replace("  ", " ")],
        [f"Scored {when} from {_plural(r.respondents, 'respondent')}. Scores are means on the 1–4 scale "
         "(4 = YES – working well); percent = (score − 1) ÷ 3 × 100. Rerun Score after changing the review."],
        [None],
    ]
    where: dict[str, Any] = {}
    where["score_header"] = len(rows)
    rows.append(["Scores", "Name", "Score", "Percent", "Band", "RAG", "Benchmarks rated", "Note"])
    where["score_first"] = len(rows)
    o = r.overall
    rows.append(["Overall", "All four areas", o.score, o.percent, o.band, o.rag, None,
                 None if o.score is not None else "Not scored: an area has too few ratings"])
    for a in r.areas:
        rows.append([f"Area {a.id}", a.name, a.score, a.percent, a.band, a.rag,
                     f"{a.benchmarks_rated} of {a.benchmarks_total}",
                     "Insufficient: fewer than half its benchmarks rated" if a.insufficient else None])
    where["score_last"] = len(rows) - 1
    rows.append([None])
    rows.append(["Action in hand share", None,
                 r.action_in_hand_share, None, None, None, None,
                 "Ratings of 2 among ratings of 1 or 2" if r.action_in_hand_share is not None else "No ratings of 1 or 2"])
    where["share_row"] = len(rows) - 1
    rows.append(["Instruments completed", ", ".join(r.instruments_completed) or "none"])
    rows.append(["Unowned actions", len(r.unowned_actions)])
    rows.append([None])

    where["bench_header"] = len(rows)
    rows.append(["Benchmark", "Area", "Statement", "Respondents", "Mean", "Min", "Max", "Rated 1", "Rated 2",
                 "Rated 3", "Rated 4", "Agreement", "Split", "Priority", "Band", "Action needed", "By whom"])
    where["bench_first"] = len(rows)
    for b in r.benchmarks:
        rows.append([b.id, areas[b.area_id].name if b.area_id in areas else b.area_id, b.statement, b.n, b.mean,
                     b.min, b.max, b.counts.get("1", 0), b.counts.get("2", 0), b.counts.get("3", 0),
                     b.counts.get("4", 0), b.agreement, "Split" if b.split else None,
                     "Priority" if b.priority else None, b.band, b.action_needed, b.by_whom])
    where["bench_last"] = len(rows) - 1
    rows.append([None])

    stats = {b.id: b for b in r.benchmarks}
    rows.append(["Priority benchmarks (mean below 2.5 or split), lowest mean first"])
    where["prio_header"] = len(rows)
    rows.append(["Rank", "Benchmark", "Statement", "Mean", "Split", "Possible actions"])
    where["prio_first"] = len(rows)
    for i, bid in enumerate(r.priority_benchmarks, start=1):
        b = stats[bid]
        rows.append([i, b.id, b.statement, b.mean, "Split" if b.split else None, "; ".join(b.possible_actions)])
    if not r.priority_benchmarks:
        rows.append([None, None, "None: no benchmark has a mean below 2.5 or split ratings."])
    where["prio_last"] = len(rows) - 1
    rows.append([None])

    rows.append(["Split benchmarks (some rated 1 or 2, others 3 or 4)"])
    where["split_header"] = len(rows)
    rows.append(["Benchmark", "Statement", "Ratings 1 / 2 / 3 / 4", "Agreement"])
    for bid in r.split_benchmarks:
        b = stats[bid]
        rows.append([b.id, b.statement, " / ".join(str(b.counts.get(k, 0)) for k in "1234"), b.agreement])
    if not r.split_benchmarks:
        rows.append([None, "None: the respondents agree on every benchmark's side of the scale."])
    where["split_last"] = len(rows) - 1
    return rows, where


def _score(book: Any) -> str:
    from partnerxl.excel.live import autofit_columns, fill_cells, owned_sheet, write_block
    from partnerxl.core.scoring import score_review
    from partnerxl.core.settings import Settings

    source, _kind = _open(book, "Score", ("review",))
    read = _read_review_or_explain(source, "Score")
    settings = getattr(read, "settings", None) or Settings()
    result = score_review(read.review, settings)
    rows, where = score_rows(result, _now_text())

    sheet = owned_sheet(book, SCORES_SHEET)
    write_block(sheet, "A1", rows)
    # Number formats, one call per column stretch.
    sf, sl = where["score_first"], where["score_last"]
    sheet.range(f"C{sf + 1}:C{sl + 1}").number_format = "0.00"
    sheet.range(f"D{sf + 1}:D{sl + 1}").number_format = "0"
    sheet.range(f"C{where['share_row'] + 1}").number_format = "0%"
    bf, bl = where["bench_first"], where["bench_last"]
    sheet.range(f"E{bf + 1}:E{bl + 1}").number_format = "0.00"
    sheet.range(f"L{bf + 1}:L{bl + 1}").number_format = "0.00"
    if result.priority_benchmarks:
        sheet.range(f"D{where['prio_first'] + 1}:D{where['prio_last'] + 1}").number_format = "0.00"
    if result.split_benchmarks:
        sheet.range(f"D{where['split_header'] + 2}:D{where['split_last'] + 1}").number_format = "0.00"
    # Header rows, then RAG colours on the RAG column of the score table.
    fill_cells(sheet, [(where[k], c) for k, width in (("score_header", 8), ("bench_header", 17),
                                                      ("prio_header", 6), ("split_header", 4))
                       for c in range(width)], HEADER_COLOUR)
    scored = [result.overall, *result.areas]
    by_rag: dict[str, list[tuple[int, int]]] = {}
    for i, s in enumerate(scored):
        if s.rag:
            by_rag.setdefault(s.rag, []).append((sf + i, 5))
    for rag, cells in by_rag.items():
        fill_cells(sheet, cells, RAG_COLOURS[rag])
    autofit_columns(sheet)
    sheet.activate()

    o = result.overall
    overall = (f"overall {o.score:.2f} ({o.band}, {o.rag})" if o.score is not None
               else "overall not scored (an area has too few ratings)")
    return (f"Score: {result.partnership_id} {result.year}, {_plural(result.respondents, 'respondent')}: {overall}; "
            f"{_plural(len(result.priority_benchmarks), 'priority benchmark')}, "
            f"{_plural(len(result.split_benchmarks), 'split benchmark')}.\n\nThe Scores sheet has the details.")


score = button("Score")(_score)


# --- the register: portfolio, summaries, email drafts, new review -------------------------------------------------

SUMMARIES_FOLDER = "summaries"       # the same folder names as `partnerxl demo`
DRAFTS_FOLDER = "email drafts"


def _book_label(book: Any) -> str:
    from partnerxl.excel.live import book_label

    return book_label(book)


def _register(book: Any, label: str) -> tuple[Any, Any]:
    """(the live register read as a RegisterBook, its WorkbookSource)."""
    from partnerxl.reading import read_register

    source, _kind = _open(book, label, ("register",))
    return read_register(source), source


def _reviews_folder(book: Any, register: Any, *, must_exist: bool = True) -> Any:
    """The folder named on Settings (relative to the register's folder), else the register's own folder."""
    from pathlib import Path

    from partnerxl.sheets import layout as L
    from partnerxl.excel.live import book_folder

    home = book_folder(book)
    if not register.reviews_folder:
        return home
    folder = Path(register.reviews_folder)
    folder = folder if folder.is_absolute() else home / folder
    if must_exist and not folder.is_dir():
        raise PartnerXLError(
            f"The reviews folder '{register.reviews_folder}' named on the {L.SETTINGS} sheet does not exist "
            f"(looked for {folder}). Correct the folder on the {L.SETTINGS} sheet (a folder name relative to the "
            "register's folder, or a full path) and press the button again.")
    return folder


def live_portfolio(book: Any, register: Any, year: int | None = None) -> Any:
    """The portfolio of the live register and the review workbooks in its reviews folder.

    The same steps as `partnerxl rollup` (rollup.load_review for every workbook, portfolio.build_portfolio), with the
    register read from the open workbook, so unsaved edits count. The year is the latest review year found (not
    after the as-of date's year), else the as-of year.
    """
    import datetime as dt

    from partnerxl.excel.live import book_path
    from partnerxl.core.portfolio import build_portfolio, score_reviews
    from partnerxl.files.portfolio_workbook import _finding_problem, load_review, review_files

    as_of = register.as_of or dt.date.today()
    settings = register.settings
    problems = [_finding_problem(f, register.path_label) for f in register.findings if f.severity == "error"]
    here = book_path(book).resolve()
    reviews = []
    for path in review_files(_reviews_folder(book, register)):
        if path.resolve() == here:
            continue
        review, found = load_review(path, settings, register, as_of)
        problems += found
        if review is not None:
            reviews.append((path.name, review))
    if year is None:
        years = [r.year for _name, r in reviews if r.year <= as_of.year]
        year = max(years) if years else as_of.year
    scored = score_reviews(reviews, settings)
    return build_portfolio(list(register.entries), scored, year, as_of, settings, problems=problems)


def _hex(colour: Any) -> str | None:
    rgb = getattr(colour, "rgb", None)
    if isinstance(rgb, str) and len(rgb) >= 6:
        return "#" + rgb[-6:].upper()
    return None


def copy_sheet_into(ws: Any, sheet: Any) -> dict[str, int]:
    """Put an openpyxl worksheet's values, solid fills and number formats into a live sheet: one block write for
    the values, then one call per fill colour / number format rectangle. Returns counts for tests."""
    from partnerxl.excel.live import cell_runs, fill_cells, run_address, write_block

    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    write_block(sheet, "A1", rows or [[None]])
    fills: dict[str, list[tuple[int, int]]] = {}
    formats: dict[str, list[tuple[int, int]]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.fill is not None and cell.fill.fill_type == "solid":
                colour = _hex(cell.fill.fgColor)
                if colour:
                    fills.setdefault(colour, []).append((cell.row - 1, cell.column - 1))
            fmt = cell.number_format
            if fmt and fmt != "General" and cell.value is not None:
                formats.setdefault(fmt, []).append((cell.row - 1, cell.column - 1))
    calls = 0
    for colour, cells in fills.items():
        calls += fill_cells(sheet, cells, colour)
    for fmt, cells in formats.items():
        for rect in cell_runs(cells):
            sheet.range(run_address(rect)).number_format = fmt
            calls += 1
    return {"rows": len(rows), "calls": calls}


def _rollup_portfolio(book: Any) -> str:
    from partnerxl.sheets import reports as RL
    from partnerxl.excel.live import autofit_columns, fill_cells, owned_sheet
    from partnerxl.files.portfolio_workbook import portfolio_workbook
    from partnerxl.core.scoring import rag_of

    register, _source = _register(book, "Roll up portfolio")
    folder = _reviews_folder(book, register)
    p = live_portfolio(book, register)
    wb = portfolio_workbook(p)  # the Portfolio workbook's own layout, built in memory (never saved)
    names = [RL.SHEET_PORTFOLIO, RL.SHEET_HEATMAP, RL.SHEET_FLAGS, RL.SHEET_ACTIONS, RL.SHEET_COMMITTEE,
             RL.SHEET_PROBLEMS]
    for name in names:
        sheet = owned_sheet(book, name)
        copy_sheet_into(wb[name], sheet)
        if name == RL.SHEET_HEATMAP and len(p.heatmap):
            # The file's colour scale is conditional formatting; live, the score cells get their RAG colour.
            by_rag: dict[str, list[tuple[int, int]]] = {}
            for r, values in enumerate(p.heatmap.itertuples(index=False), start=1):
                for c, v in enumerate(values):
                    if c >= 2 and isinstance(v, (int, float)) and v == v:
                        rag = rag_of(float(v), p.settings)
                        if rag:
                            by_rag.setdefault(rag, []).append((r, c))
            for rag, cells in by_rag.items():
                fill_cells(sheet, cells, RAG_COLOURS[rag])
        autofit_columns(sheet)
    book.sheets[RL.SHEET_COMMITTEE].activate()
    reviewed = sum(1 for r in p.results if r.current)
    flagged = sum(1 for r in p.results if r.flags)
    files = len({x.file for x in p.problems})
    text = (f"Roll up portfolio: {p.year}, as at {p.as_of:%d %b %Y}: {_plural(len(p.results), 'partnership')}, "
            f"{reviewed} reviewed for {p.year}, {flagged} flagged.\n\nReviews read from {folder}. The sheets "
            + ", ".join(names[:-1]) + f" and {names[-1]} were replaced.")
    if p.problems:
        text += (f"\n\n{_plural(len(p.problems), 'problem')} in {_plural(files, 'workbook')} kept out of the scores: "
                 "see the Problems sheet.")
    return text


def _write_summaries(book: Any) -> str:
    from partnerxl.excel.live import book_folder
    from partnerxl.files.summaries import write_summaries as write

    register, _source = _register(book, "Write summaries")
    p = live_portfolio(book, register)
    out = book_folder(book) / SUMMARIES_FOLDER
    paths = write(p, out)
    if not paths:
        return (f"Write summaries: no partnership has a usable review for {p.year} in "
                f"{_reviews_folder(book, register)}, so no summary was written. Press Roll up portfolio to see "
                "which reviews were left out and why.")
    return (f"Write summaries: {_plural(len(paths), 'summary', 'summaries')} for {p.year} written to\n{out}\n\n"
            "One workbook per reviewed partnership, ready to print or attach. Press Email drafts to prepare the "
            "covering emails.")


def _email_drafts(book: Any) -> str:
    from partnerxl.files.email_drafts import write_drafts
    from partnerxl.excel.live import book_folder

    register, _source = _register(book, "Email drafts")
    summaries = book_folder(book) / SUMMARIES_FOLDER
    if not summaries.is_dir() or not any(summaries.glob("*.xlsx")):
        raise PartnerXLError(f"There are no summaries in {summaries} yet. Press Write summaries first, then "
                             "Email drafts.")
    out = book_folder(book) / DRAFTS_FOLDER
    results = write_drafts(summaries, list(register.entries), out)
    written = [r for r in results if r.draft]
    text = (f"Email drafts: {_plural(len(written), 'draft')} written to\n{out}\n\nNothing was sent: open each "
            ".eml file (Outlook opens it as a draft), check it and send it yourself.")
    skipped = [r for r in results if r.problem]
    if skipped:
        text += f"\n\n{_plural(len(skipped), 'summary', 'summaries')} skipped:\n" + "\n".join(
            f"- {r.problem}" for r in skipped[:8])
        if len(skipped) > 8:
            text += f"\n(and {len(skipped) - 8} more)"
    return text


rollup_portfolio = button("Roll up portfolio")(_rollup_portfolio)
write_summaries = button("Write summaries")(_write_summaries)
email_drafts = button("Email drafts")(_email_drafts)


def _selected_register_row(book: Any) -> int:
    """The 1-based row selected on the Register sheet; a plain error if the selection is elsewhere."""
    from partnerxl.sheets import layout as L

    try:
        sel = book.app.selection
        sheet_name, row = sel.sheet.name, sel.row
    except Exception:
        sel, sheet_name, row = None, None, None
    if sel is None or sheet_name != L.REGISTER or row is None or row < L.REGISTER_FIRST_ROW:
        raise PartnerXLError(f"Select a partnership's row on the {L.REGISTER} sheet first (click any cell in its "
                             "row), then press New review.")
    return int(row)


def _new_review(book: Any) -> str:
    import datetime as dt

    from partnerxl.sheets import layout as L
    from partnerxl.files.fill import new_review as make_review
    from partnerxl.core.models import Review

    register, _source = _register(book, "New review")
    row = _selected_register_row(book)
    entry = next((e for e in register.entries if register.row_of.get(e.id) == row), None)
    if entry is None:
        problems = [f for f in register.findings if f.sheet == L.REGISTER and f.severity == "error"
                    and (_cell_rc(f.cell) or (-1, -1))[0] == row - 1]
        why = (" It has problems: " + "; ".join(f.message for f in problems[:3])) if problems else \
            " The row is empty or has no ID and name."
        raise PartnerXLError(f"Row {row} of the register cannot be used for a new review.{why} Fix the row (Validate "
                             "marks every problem), or select another partnership, and press New review again.")
    year = (register.as_of or dt.date.today()).year
    folder = _reviews_folder(book, register, must_exist=False)  # created with the first review
    safe_id = "".join(ch if ch.isalnum() or ch in "-_ " else "-" for ch in entry.id).strip()
    path = folder / f"Review {safe_id} {year}.xlsx"
    if path.exists():
        raise PartnerXLError(f"A review of {entry.id} for {year} already exists:\n{path}\n\nOpen that workbook "
                             "instead; PartnerXL never overwrites a review.")
    make_review(path, Review(partnership_id=entry.id, partnership_name=entry.name, year=year), entry)
    return (f"New review: {entry.id} {entry.name}, {year}, created as\n{path}\n\nOpen it and fill in the pale "
            "yellow cells; partners can instead return Response forms, which Collate responses brings in.")


new_review = button("New review")(_new_review)


# --- Collate responses (in a review) ---------------------------------------------------------------------------------

RESPONSES_FOLDER_NAME = "PartnerXL_ResponsesFolder"


def _responses_folder(book: Any) -> Any:
    """Where Collate responses looks: the folder in the cell named PartnerXL_ResponsesFolder (a defined name an
    officer may add to the review; relative to the review's folder), else the review's own folder."""
    from pathlib import Path

    from partnerxl.excel.live import book_folder

    home = book_folder(book)
    value = None
    try:
        for n in book.names:
            if n.name.split("!")[-1].casefold() == RESPONSES_FOLDER_NAME.casefold():
                value = n.refers_to_range.options(ndim=2).value[0][0]
                break
    except Exception:  # a name that is not a cell reference: ignore it
        value = None
    if value is None or not str(value).strip():
        return home
    folder = Path(str(value).strip())
    folder = folder if folder.is_absolute() else home / folder
    if not folder.is_dir():
        raise PartnerXLError(f"The responses folder '{value}' (the cell named {RESPONSES_FOLDER_NAME}) does not "
                             f"exist (looked for {folder}). Correct that cell, or delete the name to use the "
                             "review's own folder, and press Collate responses again.")
    return folder


def _collate_responses(book: Any) -> str:
    from partnerxl.sheets import layout as L
    from partnerxl.collate import _first_error
    from partnerxl.excel.live import book_path
    from partnerxl.reading import read_response, read_review
    from partnerxl.files.portfolio_workbook import review_files
    from partnerxl.files.opening import FileWorkbook, detect_kind

    source, _kind = _open(book, "Collate responses", ("review",))
    review_book = read_review(source)
    review = review_book.review
    if review is None:
        errors = [f for f in review_book.findings if f.severity == "error"]
        first = errors[0].message if errors else "fill in the partnership ID and year on the About sheet"
        raise PartnerXLError(f"The review cannot take responses until its About sheet is complete: {first} "
                             "Press Validate to see every problem.")
    folder = _responses_folder(book)
    here = book_path(book).resolve()
    taken = {org.casefold(): f"column {col}" for org, col in review_book.respondent_columns.items()}
    free = list(review_book.free_columns)
    added: list[tuple[str, Any]] = []     # (file name, ResponseBook)
    already: list[str] = []
    refused: list[str] = []
    other = 0
    for path in review_files(folder):
        if path.resolve() == here:
            continue
        try:
            with FileWorkbook.open(path) as probe:
                kind, _version = detect_kind(probe)
                form = read_response(probe) if kind == "response" else None
        except PartnerXLError as exc:
            if "template marker" not in str(exc):
                refused.append(f"{path.name}: {exc}")
            continue  # not a PartnerXL workbook, so not a response either
        if form is None:
            continue
        if (form.partnership_id or "").strip().casefold() != review.partnership_id.strip().casefold() or \
                (form.year is not None and form.year != review.year):
            other += 1
            continue
        problem = _first_error(form)
        if problem:
            refused.append(f"{path.name}: {problem}")
            continue
        key = form.organisation.casefold()
        if key in taken:
            already.append(f"{path.name} ({form.organisation}, {taken[key]})")
            continue
        if not free:
            refused.append(f"{path.name}: no free respondent column left on the {L.BENCHMARKS} sheet "
                           f"({L.RESPONDENT_COLUMNS} at most); collate it into a second review.")
            continue
        col = free.pop(0)
        taken[key] = f"column {col}"
        added.append((col, form))

    sheet = book.sheets[L.BENCHMARKS]
    _write_respondent_blocks(sheet, added, review_book.benchmark_rows)
    if added:
        sheet.activate()

    lines = [f"Collate responses: {_plural(len(added), 'response')} added to {review.partnership_id} "
             f"{review.year} from {folder}."]
    if added:
        lines.append("Columns: " + ", ".join(f"{c} {f.organisation}" for c, f in added)
                     + ". Comments stay in the response forms.")
    if already:
        lines.append(f"Already in this review (not added again): {', '.join(already)}.")
    if other:
        lines.append(f"{_plural(other, 'form')} for another partnership or year left alone.")
    if refused:
        lines.append("Not added:\n" + "\n".join(f"- {r}" for r in refused[:8])
                     + (f"\n(and {len(refused) - 8} more)" if len(refused) > 8 else ""))
    if not added and not already and not refused:
        lines.append(f"No response forms for this review were found in {folder}. Save the returned forms there "
                     "and press Collate responses again.")
    if added:
        lines.append("Save the review, then press Score.")
    return "\n\n".join(lines)


def _runs(numbers: list[int]) -> list[list[int]]:
    """Consecutive runs of sorted integers: [3, 4, 6] → [[3, 4], [6]]."""
    out: list[list[int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][-1] + 1:
            out[-1].append(n)
        else:
            out.append([n])
    return out


def _write_respondent_blocks(sheet: Any, added: list[tuple[str, Any]], rows: dict[str, int]) -> int:
    """Write collated respondents into their columns of the Benchmarks sheet; returns the number of writes.

    The sheet is protected with only its input cells unlocked, so the blocks cover input cells only: for each run
    of neighbouring columns, one block for the organisation and name rows and one per run of benchmark rows (the
    area heading rows between them are locked and left alone).
    """
    from partnerxl.sheets import layout as L
    from partnerxl.excel.live import write_block
    from partnerxl.files.fill import rating_label

    by_col = {L.col_number(col): form.respondent for col, form in added}
    row_runs = [[L.BENCH_ORG_ROW, L.BENCH_NAME_ROW]] + _runs(list(rows.values()))
    writes = 0
    for cols in _runs(list(by_col)):
        people = [by_col[c] for c in cols]
        ratings = [{rows[bid]: rating_label(v) for bid, v in p.ratings.items() if bid in rows} for p in people]
        for run in row_runs:
            block = []
            for r in run:
                if r == L.BENCH_ORG_ROW:
                    block.append([p.organisation for p in people])
                elif r == L.BENCH_NAME_ROW:
                    block.append([p.name for p in people])
                else:
                    block.append([rt.get(r) for rt in ratings])
            write_block(sheet, f"{L.col_letter(cols[0])}{run[0]}", block)
            writes += 1
    return writes


collate_responses = button("Collate responses")(_collate_responses)
