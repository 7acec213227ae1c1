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

from .errors import PartnerXLError

TITLE = "PartnerXL"
ISSUES_SHEET = "Issues"
SCORES_SHEET = "Scores"

# Fill colours (hex) put on offending input cells by Validate: errors and warnings.
ERROR_FILL = "#FFC7CE"
WARNING_FILL = "#FFEB9C"
RAG_COLOURS = {"Red": "#F8696B", "Amber": "#FFC000", "Green": "#63BE7B"}
HEADER_COLOUR = "#D9E1F2"

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
        from .excel_source import engine_name

        if engine_name(book) != "excel":
            book.json()["actions"].clear()
    except Exception:
        pass


def button(label: str) -> Callable[[Callable[[Any], str]], Callable[..., str | None]]:
    """Turn `work(book) -> message` into a ribbon function: caller book, message box at the end, errors as text."""

    def wrap(work: Callable[[Any], str]) -> Callable[..., str | None]:
        @functools.wraps(work)
        def run(book: Any = None) -> str | None:
            from .excel_source import alert

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
    from .excel_source import XlwingsWorkbook
    from .workbook_file import detect_kind

    source = XlwingsWorkbook(book)
    wanted = " or ".join(_a(k) for k in kinds)
    try:
        kind, _version = detect_kind(source)
    except PartnerXLError as exc:
        raise PartnerXLError(f"{exc}\n\n{label} works in {wanted} made from a PartnerXL template.") from None
    if kind not in kinds:
        raise PartnerXLError(
            f"'{book.name}' is {_a(kind)}; {label} works in {wanted}. "
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
    from . import layout as L

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
    from . import layout as L
    from .excel_source import autofit_columns, fill_cells, find_sheet, link_formula, owned_sheet, write_block
    from .validation import validate_source

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
        [f"PartnerXL validation of '{book.name}'"],
        [f"Checked {_now_text()}: {summary}. Cells with a problem are filled pink (error) or yellow (warning); "
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
        text = f"Validate: no problems found in '{book.name}'."
        if restored:
            text += f" The fill was taken off {_plural(restored, 'cell')} marked last time."
        return text
    text = f"Validate: {summary} '{book.name}'.\n\n{_plural(marked_cells, 'cell')} marked; {where}."
    if restored:
        text += f" {_plural(restored, 'cell')} marked last time {'is' if restored == 1 else 'are'} fixed."
    if not existed:
        text += " (The Issues sheet was added at the end of the workbook.)"
    return text


validate = button("Validate")(_validate)


# --- Score ---------------------------------------------------------------------------------------------------------

def _read_review_or_explain(source: Any, label: str) -> Any:
    """The review model from the live workbook, or a PartnerXLError listing the errors that stop it."""
    from .readers import read_review

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
    from .excel_source import a1, autofit_columns, fill_cells, owned_sheet, write_block
    from .scoring import score_review
    from .settings import Settings

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
