"""Build PartnerXL's three Excel templates with openpyxl, from the instrument data and layout.py.

`build(kind)` returns an openpyxl Workbook in memory (fill.py starts from it); `write_templates(folder)` saves all
three. Building is deterministic: nothing depends on the clock or on dict ordering that is not fixed, and the
document properties are set to fixed values, so two builds have identical cells, validations, names and protection.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from partnerxl.sheets import layout as L
from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.core.settings import Settings
from partnerxl.files.writing import set_text

FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
CREATOR = "PartnerXL"

_HEADER_FILL = PatternFill("solid", fgColor=L.HEADER_FILL)
_HEADER_FONT = Font(bold=True, color=L.HEADER_FONT)
_SECTION_FILL = PatternFill("solid", fgColor=L.SECTION_FILL)
_INPUT_FILL = PatternFill("solid", fgColor=L.INPUT_FILL)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


# --- small helpers ------------------------------------------------------------------------------------------------

def _title(ws: Worksheet, text: str, subtitle: str | None = None) -> None:
    set_text(ws["A1"], text)
    ws["A1"].font = Font(bold=True, size=L.TITLE_SIZE)
    if subtitle:
        set_text(ws["A2"], subtitle)
        ws["A2"].font = Font(italic=True, color=L.KEY_FONT)


def _header(ws: Worksheet, row: int, headers: dict[str, str]) -> None:
    for letter, text in headers.items():
        c = ws[f"{letter}{row}"]
        set_text(c, text)
        c.fill = _HEADER_FILL
        c.font = _HEADER_FONT
        c.alignment = Alignment(wrap_text=True, vertical="center")


def _widths(ws: Worksheet, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def _input(cell, number_format: str | None = None) -> None:
    cell.protection = _UNLOCKED
    cell.fill = _INPUT_FILL
    cell.alignment = _WRAP_TOP
    if number_format:
        cell.number_format = number_format


def _protect(ws: Worksheet) -> None:
    """Protect without a password: statements and headers can't be broken by accident; columns stay resizable."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def _print(ws: Worksheet, title_rows: str, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def _list_validation(ws: Worksheet, key: str, ranges: str, what: str) -> DataValidation:
    dv = DataValidation(
        type="list", formula1=f"={L.list_name(key)}", allow_blank=True, showDropDown=False,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop",
        promptTitle=what[:32], prompt="Choose from the drop-down list."[:255],
        errorTitle="Not in the list", error=f"{what}: choose one of the values in the drop-down list."[:255],
    )
    for part in ranges.split():
        dv.add(part)
    ws.add_data_validation(dv)
    return dv


def _date_validation(ws: Worksheet, ranges: str, what: str) -> None:
    dv = DataValidation(
        type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)", allow_blank=True,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop", promptTitle=what[:32],
        prompt="Type a date as dd/mm/yyyy.", errorTitle="Not a date",
        error=f"{what}: type a date as dd/mm/yyyy (between 1990 and 2100).",
    )
    for part in ranges.split():
        dv.add(part)
    ws.add_data_validation(dv)


def _year_validation(ws: Worksheet, ref: str) -> None:
    dv = DataValidation(
        type="whole", operator="between", formula1="1990", formula2="2100", allow_blank=True,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop", promptTitle="Review year",
        prompt="Type the review year as four digits, e.g. 2025.", errorTitle="Not a year",
        error="Review year: type four digits between 1990 and 2100.",
    )
    dv.add(ref)
    ws.add_data_validation(dv)


def _number_validation(ws: Worksheet, ranges: str, what: str, whole: bool = False) -> None:
    dv = DataValidation(
        type="whole" if whole else "decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop", promptTitle=what[:32],
        prompt="Type a number (0 or more).", errorTitle="Not a number",
        error=f"{what}: type a number that is 0 or more, without text.",
    )
    for part in ranges.split():
        dv.add(part)
    ws.add_data_validation(dv)


def _readme(wb: Workbook, title: str, paragraphs: list[str]) -> None:
    ws = wb.active
    ws.title = L.README
    _title(ws, title)
    ws.column_dimensions["A"].width = 110
    for i, text in enumerate(paragraphs, start=3):
        c = ws.cell(row=i, column=1)
        set_text(c, text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if text.endswith(":") or text.isupper():
            c.font = Font(bold=True)
    _print(ws, "1:1", landscape=False)


def _marker(wb: Workbook, kind: str) -> None:
    ws = wb.create_sheet(L.MARKER_SHEET)
    set_text(ws[L.MARKER_TITLE_CELL], L.MARKER_TITLE)
    set_text(ws[L.MARKER_KIND_CELL], kind)
    ws[L.MARKER_VERSION_CELL] = L.TEMPLATE_VERSION
    ws.sheet_state = "hidden"
    wb.defined_names[L.MARKER_NAME] = DefinedName(L.MARKER_NAME, attr_text=L.MARKER_REF)


def _lists(wb: Workbook, inst: Instruments) -> None:
    ws = wb.create_sheet(L.LISTS_SHEET)
    for i, (key, choices) in enumerate(L.closed_lists(inst).items(), start=1):
        set_text(ws.cell(row=1, column=i), key)
        for j, choice in enumerate(choices, start=2):
            set_text(ws.cell(row=j, column=i), choice)
        wb.defined_names[L.list_name(key)] = DefinedName(L.list_name(key), attr_text=L.list_ref(key, inst))
    ws.sheet_state = "hidden"


def _properties(wb: Workbook, kind: str) -> None:
    p = wb.properties
    p.creator = CREATOR
    p.lastModifiedBy = CREATOR
    p.created = FIXED_TIME
    p.modified = FIXED_TIME
    p.title = f"PartnerXL {kind} template"
    p.version = str(L.TEMPLATE_VERSION)


def _item_rows(ws: Worksheet, spec: L.SheetSpec, rows: list[L.Row], ncols: int) -> None:
    """Write headings and items (id + text) of an instrument sheet; style heading rows across `ncols` columns."""
    for r in rows:
        if r.kind == "heading":
            set_text(ws.cell(row=r.row, column=1), r.text)
            for col in range(1, ncols + 1):
                cell = ws.cell(row=r.row, column=col)
                cell.fill = _SECTION_FILL
                cell.font = Font(bold=True)
                cell.alignment = Alignment(vertical="top")
            ws.merge_cells(start_row=r.row, start_column=1, end_row=r.row, end_column=ncols)
        else:
            set_text(ws.cell(row=r.row, column=1), r.id)
            ws.cell(row=r.row, column=1).alignment = Alignment(vertical="top")
            text_cell = ws[f"{spec.col('text')}{r.row}"]
            set_text(text_cell, r.text)
            text_cell.alignment = _WRAP_TOP


def _instrument_sheet(wb: Workbook, spec: L.SheetSpec, title: str, subtitle: str, rows: list[L.Row]) -> Worksheet:
    ws = wb.create_sheet(spec.name)
    _title(ws, title, subtitle)
    _header(ws, spec.header_row, spec.headers)
    _widths(ws, spec.widths)
    _item_rows(ws, spec, rows, len(spec.headers))
    ws.freeze_panes = spec.freeze
    _print(ws, spec.title_rows, spec.landscape)
    return ws


def _ranges(letter: str, rows: list[L.Row]) -> str:
    return " ".join(f"{letter}{r.row}" for r in rows if r.kind == "item")


# --- Register -----------------------------------------------------------------------------------------------------

REGISTER_README = [
    "This workbook is your council's register of partnerships: one row per partnership on the Register sheet.",
    "HOW TO USE IT:",
    "• Add a partnership by typing in the first empty row under the table; the table grows by itself. Pale yellow "
    "cells are for typing. Columns with a small arrow have a drop-down list: pick from it.",
    "• ID and name must be unique. Dates are dd/mm/yyyy. Money and officer days are numbers of 0 or more.",
    "• Arrangement: anything but Partnership is outside the partnership strategy's scope and is flagged.",
    "• For a Proposed partnership answer the three Gatekeeper questions (Yes / No) before it goes ahead: PartnerXL "
    "recommends proceeding only for Yes, Yes, No.",
    "• The Settings sheet holds your council's thresholds (the defaults come from the partnership strategy), the "
    "as-of date used for overdue reviews (blank means today) and the folder where the annual review workbooks live.",
    "CHECKING IT:",
    "• Run  partnerxl validate \"PartnerXL Register.xlsx\"  (or use the PartnerXL tab in Excel). Every problem is "
    "listed with its sheet and cell and what to do. PartnerXL never changes this file.",
    "Do not rename the sheets or the column headings: PartnerXL finds the columns by their headings. You may add "
    "your own columns to the right of the table.",
]


def build_register(inst: Instruments | None = None) -> Workbook:
    inst = inst or load_instruments()
    wb = Workbook()
    _readme(wb, "PartnerXL partnership register — read me", REGISTER_README)
    fields = inst.register.fields
    cols = L.register_columns(inst)

    ws = wb.create_sheet(L.REGISTER)
    hr, first, last = L.REGISTER_HEADER_ROW, L.REGISTER_FIRST_ROW, L.REGISTER_FIRST_ROW + L.REGISTER_VALIDATION_ROWS - 1
    _header(ws, hr, {cols[f.name]: f.label for f in fields})
    ws.row_dimensions[hr].height = 45
    for f in fields:
        letter = cols[f.name]
        width = L.WIDE_TEXT_FIELDS.get(f.name, L.WIDTH_BY_TYPE[f.type])
        ws.column_dimensions[letter].width = width
        rng = f"{letter}{first}:{letter}{last}"
        label = f.label + (" (required)" if f.required else "")
        if f.type == "choice":
            _list_validation(ws, f.name, rng, label)
        elif f.type == "date":
            _date_validation(ws, rng, label)
        elif f.type in ("money", "number"):
            _number_validation(ws, rng, label)
        fmt = {"date": L.DATE_FORMAT, "money": L.MONEY_FORMAT, "number": L.NUMBER_FORMAT}.get(f.type)
        for r in range(first, first + 1):
            _input(ws[f"{letter}{r}"], fmt)
        ws.column_dimensions[letter].number_format = fmt or "General"
        if f.help:
            # A header comment (note) explains the column without taking a row.
            comment = Comment(f.help, CREATOR)
            comment.width, comment.height = 240, 90
            ws[f"{letter}{hr}"].comment = comment
    last_col = cols[fields[-1].name]
    table = Table(displayName=L.REGISTER_TABLE, ref=f"A{hr}:{last_col}{first}")
    table.tableStyleInfo = TableStyleInfo(name=L.TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = f"C{first}"
    _print(ws, f"{hr}:{hr}", landscape=True)

    _settings_sheet(wb)
    _lists(wb, inst)
    _marker(wb, "register")
    _properties(wb, "register")
    return wb


def _settings_sheet(wb: Workbook) -> Worksheet:
    ws = wb.create_sheet(L.SETTINGS)
    hr = L.SETTINGS_HEADER_ROW
    _header(ws, hr, L.SETTINGS_HEADERS)
    _widths(ws, L.SETTINGS_WIDTHS)
    defaults = Settings()
    rows = L.settings_rows()
    for key, row in rows.items():
        if key in Settings.model_fields:
            label = Settings.model_fields[key].description or key
            default = getattr(defaults, key)
        else:
            label, default = L.EXTRA_SETTINGS[key], None
        set_text(ws[f"{L.SETTINGS_LABEL_COL}{row}"], label)
        ws[f"{L.SETTINGS_LABEL_COL}{row}"].alignment = _WRAP_TOP
        set_text(ws[f"{L.SETTINGS_KEY_COL}{row}"], key)
        ws[f"{L.SETTINGS_KEY_COL}{row}"].font = Font(color=L.KEY_FONT)
        value = ws[f"{L.SETTINGS_VALUE_COL}{row}"]
        if default is not None:
            value.value = default
            ws[f"{L.SETTINGS_DEFAULT_COL}{row}"].value = default
        fmt = L.DATE_FORMAT if key == L.AS_OF_KEY else None
        _input(value, fmt)
        value.alignment = Alignment(horizontal="left", vertical="top")
        if key == L.AS_OF_KEY:
            _date_validation(ws, value.coordinate, "As-of date")
        elif key != L.REVIEWS_FOLDER_KEY:
            _number_validation(ws, value.coordinate, label[:32])
    ws.freeze_panes = f"A{L.SETTINGS_FIRST_ROW}"
    _protect(ws)
    _print(ws, f"{hr}:{hr}", landscape=False)
    return ws


# --- Review -------------------------------------------------------------------------------------------------------

REVIEW_README = [
    "This workbook is one partnership's annual review. Fill in the pale yellow cells; drop-down lists show the "
    "allowed answers. The sheets are protected (no password) so the questions and statements can't be changed by "
    "accident: Review > Unprotect Sheet if you really need to.",
    "THE SHEETS:",
    "• About — the partnership's ID (as in the register), name, review year, coordinator and the date of the review.",
    "• Checklist — 29 questions in 8 sections: status Yes / Partly / No / Not applicable, the evidence (needed for "
    "Yes and Partly) and where it is published or recorded. Significant partnerships complete it every year.",
    "• Improvement — 14 areas of practice: in place Yes / No; every No needs an action, an owner and a due date. "
    "Every partnership completes it every year.",
    "• Fitness — 9 questions; the action a No calls for is shown beside each question.",
    "• Benchmarks — the 21 statements of 'Digging Deeper – Finding Answers'. Each partner rates every statement in "
    "their own column: type the partner's organisation at the top of the column, then choose a rating from the "
    "drop-down (or 'Don't know'). Record the action needed and by whom for each statement. Significant partnerships "
    "complete it every year. Partners can instead fill in a Response form each and PartnerXL collates them here "
    "(partnerxl collate).",
    "• Factors — typical factors that get in the way of each area: choose Yes where one applies.",
    "CHECKING AND SCORING:",
    "• partnerxl validate \"PartnerXL Review.xlsx\" lists every problem with its sheet and cell; partnerxl score "
    "prints the benchmark scores, checklist readiness and the improvement plan. PartnerXL never changes this file.",
]


def build_review(inst: Instruments | None = None) -> Workbook:
    inst = inst or load_instruments()
    wb = Workbook()
    _readme(wb, "PartnerXL annual partnership review — read me", REVIEW_README)
    _about_sheet(wb)
    _checklist_sheet(wb, inst)
    _improvement_sheet(wb, inst)
    _fitness_sheet(wb, inst)
    _benchmarks_sheet(wb, inst)
    _factors_sheet(wb, inst)
    _lists(wb, inst)
    _marker(wb, "review")
    _properties(wb, "review")
    return wb


def _about_sheet(wb: Workbook) -> Worksheet:
    ws = wb.create_sheet(L.ABOUT)
    _title(ws, "About this review", "Fill in the pale yellow cells.")
    _widths(ws, L.ABOUT_WIDTHS)
    for key, (ref, label) in L.ABOUT_FIELDS.items():
        row = int(ref[1:])
        set_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        _input(ws[ref], L.DATE_FORMAT if key == "review_date" else None)
        ws[ref].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    _year_validation(ws, L.ABOUT_FIELDS["year"][0])
    _date_validation(ws, L.ABOUT_FIELDS["review_date"][0], "Date of the review")
    _protect(ws)
    _print(ws, "1:1", landscape=False)
    return ws


def _checklist_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.CHECKLIST_SPEC
    rows = L.checklist_rows(inst)
    ws = _instrument_sheet(wb, spec, inst.checklist.title,
                           "Status for each question; evidence is needed for Yes and Partly.", rows)
    for r in rows:
        if r.kind == "item":
            for role in spec.inputs:
                _input(ws[f"{spec.col(role)}{r.row}"])
    _list_validation(ws, "checklist_status", _ranges(spec.col("status"), rows), "Status")
    _protect(ws)
    return ws


def _improvement_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.IMPROVEMENT_SPEC
    rows = L.improvement_rows(inst)
    ws = _instrument_sheet(wb, spec, inst.improvement.title,
                           "Is each area of practice in place? Every No needs an action, an owner and a due date.", rows)
    for r in rows:
        for role in spec.inputs:
            _input(ws[f"{spec.col(role)}{r.row}"], L.DATE_FORMAT if role == "due" else None)
    _list_validation(ws, "yes_no", _ranges(spec.col("answer"), rows), "In place?")
    _date_validation(ws, _ranges(spec.col("due"), rows), "Due date")
    _no_highlight(ws, spec.col("answer"), rows)
    _protect(ws)
    return ws


def _no_highlight(ws: Worksheet, letter: str, rows: list[L.Row]) -> None:
    items = [r.row for r in rows if r.kind == "item"]
    rng = f"{letter}{items[0]}:{letter}{items[-1]}"
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f'{letter}{items[0]}="No"'],
                                                   fill=PatternFill("solid", bgColor=L.NO_FILL)))


def _fitness_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.FITNESS_SPEC
    rows = L.fitness_rows(inst)
    ws = _instrument_sheet(wb, spec, inst.fitness.title, "Answer Yes or No; a No calls for the action beside it.", rows)
    actions = {q.id: q.action_if_no for q in inst.fitness.questions}
    for r in rows:
        if r.kind == "item":
            _input(ws[f"{spec.col('answer')}{r.row}"])
            c = ws[f"{spec.col('action')}{r.row}"]
            set_text(c, actions[r.id])
            c.alignment = _WRAP_TOP
            c.font = Font(italic=True)
    _list_validation(ws, "yes_no", _ranges(spec.col("answer"), rows), "Answer")
    _no_highlight(ws, spec.col("answer"), rows)
    _protect(ws)
    return ws


def _benchmarks_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.BENCHMARKS_SPEC
    rows = L.benchmark_rows(inst=inst)
    ws = wb.create_sheet(spec.name)
    resp_cols = L.respondent_columns()
    act, who = spec.col("action_needed"), spec.col("by_whom")
    _title(ws, inst.benchmarks.title, None)
    set_text(ws["B2"], "Respondent →")
    set_text(ws[f"B{L.BENCH_ORG_ROW}"], "Organisation (type it at the top of the column) →")
    set_text(ws[f"B{L.BENCH_NAME_ROW}"], "Name of the person rating (optional) →")
    set_text(ws[f"A{L.BENCH_ORG_ROW}"], "ID")
    for ref in ("B2", f"B{L.BENCH_ORG_ROW}", f"B{L.BENCH_NAME_ROW}"):
        ws[ref].alignment = Alignment(horizontal="right", vertical="center")
        ws[ref].font = Font(bold=True)
    for i, letter in enumerate(resp_cols, start=1):
        set_text(ws[f"{letter}{L.BENCH_LABEL_ROW}"], f"Respondent {i}")
        ws[f"{letter}{L.BENCH_LABEL_ROW}"].fill = _HEADER_FILL
        ws[f"{letter}{L.BENCH_LABEL_ROW}"].font = _HEADER_FONT
        for row in (L.BENCH_ORG_ROW, L.BENCH_NAME_ROW):
            _input(ws[f"{letter}{row}"])
        ws[f"{letter}{L.BENCH_ORG_ROW}"].font = Font(bold=True)
        ws.column_dimensions[letter].width = L.BENCH_RESPONDENT_WIDTH
    for letter, text in ((act, L.ACTION_NEEDED_HEADER), (who, L.BY_WHOM_HEADER)):
        set_text(ws[f"{letter}{L.BENCH_LABEL_ROW}"], text)
        ws[f"{letter}{L.BENCH_LABEL_ROW}"].fill = _HEADER_FILL
        ws[f"{letter}{L.BENCH_LABEL_ROW}"].font = _HEADER_FONT
    ws.column_dimensions[act].width = 40
    ws.column_dimensions[who].width = 22
    _widths(ws, spec.widths)
    _item_rows(ws, spec, rows, len(resp_cols) + 4)
    for r in rows:
        if r.kind == "item":
            for letter in [*resp_cols, act, who]:
                _input(ws[f"{letter}{r.row}"])
            ws.row_dimensions[r.row].height = 45
    items = [r.row for r in rows if r.kind == "item"]
    rating_ranges = " ".join(f"{resp_cols[0]}{r}:{resp_cols[-1]}{r}" for r in items)
    _list_validation(ws, "rating", rating_ranges, "Rating")
    org_dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="100", allow_blank=True,
                            showInputMessage=True, showErrorMessage=True, errorStyle="stop",
                            promptTitle="Respondent's organisation",
                            prompt="Type the organisation of the partner rating in this column. Each organisation "
                                   "gets one column.", errorTitle="Too long", error="Keep it under 100 characters.")
    org_dv.add(f"{resp_cols[0]}{L.BENCH_ORG_ROW}:{resp_cols[-1]}{L.BENCH_ORG_ROW}")
    ws.add_data_validation(org_dv)
    ws.freeze_panes = spec.freeze
    _print(ws, spec.title_rows, spec.landscape)
    _protect(ws)
    return ws


def _factors_sheet(wb: Workbook, inst: Instruments) -> Worksheet:
    spec = L.FACTORS_SPEC
    rows = L.factor_rows(inst)
    ws = _instrument_sheet(wb, spec, "Typical factors", "Choose Yes where a factor applies to this partnership.", rows)
    for r in rows:
        if r.kind == "item":
            _input(ws[f"{spec.col('tick')}{r.row}"])
    _list_validation(ws, "tick", _ranges(spec.col("tick"), rows), "Applies here?")
    _protect(ws)
    return ws


# --- Response -----------------------------------------------------------------------------------------------------

RESPONSE_README = [
    "This form asks you, as a partner, to rate how the partnership is doing against 21 statements (the benchmark "
    "self-assessment 'Digging Deeper – Finding Answers').",
    "HOW TO FILL IT IN:",
    "• On the Response sheet type your name and your organisation.",
    "• For each statement choose a rating from the drop-down: NO – action is needed; NO – but action is in hand; "
    "YES – but needs improving; YES – working well; or Don't know. Add a comment if you wish.",
    "• Save the file and send it back to the review coordinator. Please don't rename the sheets.",
    "The coordinator collates every partner's form into the partnership's review workbook (partnerxl collate).",
]


def build_response(inst: Instruments | None = None) -> Workbook:
    inst = inst or load_instruments()
    wb = Workbook()
    _readme(wb, "PartnerXL partner response form — read me", RESPONSE_README)
    spec = L.RESPONSE_SPEC
    rows = L.response_rows(inst)
    ws = wb.create_sheet(spec.name)
    _title(ws, f"{inst.benchmarks.title}: partner response", None)
    _widths(ws, spec.widths)
    for key, (ref, label) in L.RESPONSE_FIELDS.items():
        row = int(ref[1:])
        set_text(ws[f"B{row}"], label)
        ws[f"B{row}"].font = Font(bold=True)
        ws[f"B{row}"].alignment = Alignment(horizontal="right")
        _input(ws[ref])
        ws[ref].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    _header(ws, spec.header_row, spec.headers)
    _item_rows(ws, spec, rows, len(spec.headers))
    for r in rows:
        if r.kind == "item":
            for role in spec.inputs:
                _input(ws[f"{spec.col(role)}{r.row}"])
            ws.row_dimensions[r.row].height = 32
    _list_validation(ws, "rating", _ranges(spec.col("rating"), rows), "Your rating")
    _year_validation(ws, L.RESPONSE_FIELDS["year"][0])
    ws.freeze_panes = spec.freeze
    _print(ws, spec.title_rows, spec.landscape)
    _protect(ws)
    _lists(wb, inst)
    _marker(wb, "response")
    _properties(wb, "response")
    return wb


BUILDERS = {"register": build_register, "review": build_review, "response": build_response}


def build(kind: str, inst: Instruments | None = None) -> Workbook:
    return BUILDERS[kind](inst)


def save_template(wb: Workbook, path: Path) -> Path:
    """Save atomically and byte for byte reproducibly: fixed document properties (openpyxl stamps `modified` with
    the clock on save, so it is put back) and fixed zip timestamps."""
    from partnerxl.files.writing import atomic_write

    def write(tmp: Path) -> None:
        wb.save(tmp)
        _normalise_zip(tmp)

    return atomic_write(Path(path), write)


def _normalise_zip(path: Path) -> None:
    import re
    import zipfile

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as zin:
        parts = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def write_templates(folder: Path) -> list[Path]:
    folder = Path(folder)
    return [save_template(build(kind), folder / L.FILE_NAMES[kind]) for kind in L.KINDS]
