"""The building blocks every PartnerXL template shares: titles, header rows, input cells, drop-downs and other
checks, protection, print set-up, the Read me sheet and the hidden marker and lists sheets.

templates.py and template_review.py assemble the workbooks from these; all positions and colours come from
sheets/layout.py.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from partnerxl.core.instruments import Instruments
from partnerxl.documents.text_fit import span_points, wrapped_lines
from partnerxl.storage.writing import set_text
from partnerxl.sheets import layout as L


def font(**props) -> Font:
    """A cell font in the templates' one font (layout.FONT, layout.FONT_SIZE unless given): a font without a name
    prints in whatever the spreadsheet picks (LibreOffice: a serif), and its widths would not be Arial's."""
    return Font(name=L.FONT, size=props.pop("size", L.FONT_SIZE), **props)


def new_workbook() -> Workbook:
    """An empty workbook whose default font is the templates' own (openpyxl starts from Calibri 11, its first
    font, which every unstyled cell and the Normal style use)."""
    wb = Workbook()
    wb._fonts = IndexedList([Font(name=L.FONT, sz=L.FONT_SIZE, family=2)])
    return wb

FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
CREATOR = "PartnerXL"

HEADER_FILL = PatternFill("solid", fgColor=L.HEADER_FILL)
HEADER_FONT = font(bold=True, color=L.HEADER_FONT)
SECTION_FILL = PatternFill("solid", fgColor=L.SECTION_FILL)
INPUT_FILL = PatternFill("solid", fgColor=L.INPUT_FILL)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


# --- cells and sheets -----------------------------------------------------------------------------------------------

def title(ws: Worksheet, text: str, subtitle: str | None = None) -> None:
    set_text(ws["A1"], text)
    ws["A1"].font = font(bold=True, size=L.TITLE_SIZE)
    if subtitle:
        set_text(ws["A2"], subtitle)
        ws["A2"].font = font(italic=True, color=L.KEY_FONT)


def header_cell(cell, text: str) -> None:
    set_text(cell, text)
    cell.fill = HEADER_FILL
    cell.font = HEADER_FONT


def header(ws: Worksheet, row: int, headers: dict[str, str]) -> None:
    for letter, text in headers.items():
        c = ws[f"{letter}{row}"]
        header_cell(c, text)
        c.alignment = Alignment(wrap_text=True, vertical="center")


def widths(ws: Worksheet, column_widths: dict[str, float]) -> None:
    for letter, width in column_widths.items():
        ws.column_dimensions[letter].width = width


def input_cell(cell, number_format: str | None = None) -> None:
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    cell.alignment = WRAP_TOP
    if number_format:
        cell.number_format = number_format


def protect(ws: Worksheet) -> None:
    """Protect without a password: statements and headers can't be broken by accident; columns stay resizable."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def print_setup(ws: Worksheet, title_rows: str, landscape: bool, *, title_cols: str | None = None) -> None:
    """A4 with half-inch margins. A sheet designed to the page's width (layout.PRINTABLE_PT) prints at 100%, fit to
    width only as a safety net for a few percent; a wide sheet (`title_cols` given) prints at 100% across pages,
    left to right then down, with `title_cols` and `title_rows` repeated on every page. Never shrunk to a speck."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    m = ws.page_margins
    m.left = m.right = L.MARGIN_IN
    m.top = m.bottom = 0.6
    if title_cols:
        ws.page_setup.scale = 100
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = title_cols
    else:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def fit_rows(ws: Worksheet, rows: list[int], columns: list[str], *, minimum: int = 1) -> None:
    """Rows tall enough for their wrapped text (measured in Arial's widths, documents/text_fit.py), at least
    `minimum` lines: Excel and LibreOffice do not grow a row a file sets no height for, so text would overprint."""
    for row in rows:
        lines = minimum
        for letter in columns:
            value = ws[f"{letter}{row}"].value
            width = ws.column_dimensions[letter].width or 8.43
            if isinstance(value, str):
                bold = bool(ws[f"{letter}{row}"].font and ws[f"{letter}{row}"].font.b)
                lines = max(lines, wrapped_lines(value, span_points([width]), L.FONT_SIZE, bold=bold))
        ws.row_dimensions[row].height = lines * L.LINE_PT + 3


# --- checks on typed values (Excel's data validation) ---------------------------------------------------------------
# A validation's <formula1>/<formula2> hold a formula as the file format stores every formula: without the "=" that
# Excel shows in its dialog (Excel writes <formula1>PXL_List_level</formula1>; a strict Excel repairs a leading "="
# away and may drop the drop-down with it).

def as_excel_writes(wb: Workbook) -> Workbook:
    """Every data validation of `wb` written as Excel writes it: no leading "=" in its formulas. For a workbook
    PartnerXL saves from one it did not build (collate's copy of a review made from an older template)."""
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            for attr in ("formula1", "formula2"):
                value = getattr(dv, attr)
                if isinstance(value, str) and value.startswith("="):
                    setattr(dv, attr, value[1:])
    return wb


def _add(ws: Worksheet, dv: DataValidation, ranges: str) -> DataValidation:
    for part in ranges.split():
        dv.add(part)
    ws.add_data_validation(dv)
    return dv


def list_validation(ws: Worksheet, key: str, ranges: str, what: str) -> DataValidation:
    dv = DataValidation(
        type="list", formula1=L.list_name(key), allow_blank=True, showDropDown=False,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop",
        promptTitle=what[:32], prompt="Choose from the drop-down list."[:255],
        errorTitle="Not in the list", error=f"{what}: choose one of the values in the drop-down list."[:255],
    )
    return _add(ws, dv, ranges)


def date_validation(ws: Worksheet, ranges: str, what: str) -> None:
    dv = DataValidation(
        type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)", allow_blank=True,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop", promptTitle=what[:32],
        prompt="Type a date as dd/mm/yyyy.", errorTitle="Not a date",
        error=f"{what}: type a date as dd/mm/yyyy (between 1990 and 2100).",
    )
    _add(ws, dv, ranges)


def year_validation(ws: Worksheet, ref: str) -> None:
    dv = DataValidation(
        type="whole", operator="between", formula1="1990", formula2="2100", allow_blank=True,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop", promptTitle="Review year",
        prompt="Type the review year as four digits, e.g. 2025.", errorTitle="Not a year",
        error="Review year: type four digits between 1990 and 2100.",
    )
    _add(ws, dv, ref)


def number_validation(ws: Worksheet, ranges: str, what: str) -> None:
    dv = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop", promptTitle=what[:32],
        prompt="Type a number (0 or more).", errorTitle="Not a number",
        error=f"{what}: type a number that is 0 or more, without text.",
    )
    _add(ws, dv, ranges)


def text_length_validation(ws: Worksheet, ranges: str, what: str, prompt: str) -> None:
    dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="100", allow_blank=True,
                        showInputMessage=True, showErrorMessage=True, errorStyle="stop", promptTitle=what,
                        prompt=prompt, errorTitle="Too long", error="Keep it under 100 characters.")
    _add(ws, dv, ranges)


def no_highlight(ws: Worksheet, letter: str, rows: list[L.Row]) -> None:
    """Shade a No answer so the items needing action stand out."""
    items = [r.row for r in rows if r.kind == "item"]
    rng = f"{letter}{items[0]}:{letter}{items[-1]}"
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f'{letter}{items[0]}="No"'],
                                                   fill=PatternFill("solid", bgColor=L.NO_FILL)))


# --- whole sheets -----------------------------------------------------------------------------------------------------

def readme(wb: Workbook, heading: str, paragraphs: list[str]) -> None:
    """The Read me sheet: one column as wide as a portrait page, each paragraph wrapped in a row tall enough."""
    ws = wb.active
    ws.title = L.README
    title(ws, heading)
    ws.column_dimensions["A"].width = L.README_WIDTH
    for i, text in enumerate(paragraphs, start=3):
        c = ws.cell(row=i, column=1)
        set_text(c, text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if text.endswith(":") or text.isupper():
            c.font = font(bold=True)
    fit_rows(ws, list(range(3, 3 + len(paragraphs))), ["A"])
    print_setup(ws, "1:1", landscape=False)


def marker(wb: Workbook, kind: str) -> None:
    ws = wb.create_sheet(L.MARKER_SHEET)
    set_text(ws[L.MARKER_TITLE_CELL], L.MARKER_TITLE)
    set_text(ws[L.MARKER_KIND_CELL], kind)
    ws[L.MARKER_VERSION_CELL] = L.TEMPLATE_VERSION
    ws.sheet_state = "hidden"
    wb.defined_names[L.MARKER_NAME] = DefinedName(L.MARKER_NAME, attr_text=L.MARKER_REF)


def lists(wb: Workbook, inst: Instruments) -> None:
    ws = wb.create_sheet(L.LISTS_SHEET)
    for i, (key, choices) in enumerate(L.closed_lists(inst).items(), start=1):
        set_text(ws.cell(row=1, column=i), key)
        for j, choice in enumerate(choices, start=2):
            set_text(ws.cell(row=j, column=i), choice)
        wb.defined_names[L.list_name(key)] = DefinedName(L.list_name(key), attr_text=L.list_ref(key, inst))
    ws.sheet_state = "hidden"


def properties(wb: Workbook, kind: str) -> None:
    p = wb.properties
    p.creator = CREATOR
    p.lastModifiedBy = CREATOR
    p.created = FIXED_TIME
    p.modified = FIXED_TIME
    p.title = f"PartnerXL {kind} template"
    p.version = str(L.TEMPLATE_VERSION)


def finish(wb: Workbook, inst: Instruments, kind: str) -> Workbook:
    """The hidden sheets and fixed properties every template ends with."""
    lists(wb, inst)
    marker(wb, kind)
    properties(wb, kind)
    return wb


# --- instrument sheets: headings and one row per item --------------------------------------------------------------

def item_rows(ws: Worksheet, spec: L.SheetSpec, rows: list[L.Row], ncols: int, merge: int | None = None) -> None:
    """Write headings and items (id + text) of an instrument sheet; style heading rows across `ncols` columns and
    merge them across the first `merge` (all by default; a sheet printed across pages merges only the columns
    repeated on every page, and wraps the heading there, so no page cuts it)."""
    merge = merge or ncols
    for r in rows:
        if r.kind == "heading":
            set_text(ws.cell(row=r.row, column=1), r.text)
            for col in range(1, ncols + 1):
                cell = ws.cell(row=r.row, column=col)
                cell.fill = SECTION_FILL
                cell.font = font(bold=True)
                cell.alignment = Alignment(vertical="top", wrap_text=merge < ncols)
            ws.merge_cells(start_row=r.row, start_column=1, end_row=r.row, end_column=merge)
            if merge < ncols:
                lines = wrapped_lines(r.text, span_points([ws.column_dimensions[L.col_letter(c)].width or 8.43
                                                          for c in range(1, merge + 1)]), L.FONT_SIZE, bold=True)
                ws.row_dimensions[r.row].height = lines * L.LINE_PT + 3
        else:
            set_text(ws.cell(row=r.row, column=1), r.id)
            ws.cell(row=r.row, column=1).alignment = Alignment(vertical="top")
            text_cell = ws[f"{spec.col('text')}{r.row}"]
            set_text(text_cell, r.text)
            text_cell.alignment = WRAP_TOP


def instrument_sheet(wb: Workbook, spec: L.SheetSpec, heading: str, subtitle: str, rows: list[L.Row], *,
                     minimum_lines: int = 1) -> Worksheet:
    """Title, header row, widths and one row per item, each as tall as its text (`minimum_lines` to type in)."""
    ws = wb.create_sheet(spec.name)
    title(ws, heading, subtitle)
    header(ws, spec.header_row, spec.headers)
    widths(ws, spec.widths)
    item_rows(ws, spec, rows=rows, ncols=len(spec.headers))
    fit_rows(ws, [r.row for r in rows if r.kind == "item"], [spec.col("text")], minimum=minimum_lines)
    ws.freeze_panes = spec.freeze
    print_setup(ws, spec.title_rows, spec.landscape)
    return ws


def item_ranges(letter: str, rows: list[L.Row]) -> str:
    return " ".join(f"{letter}{r.row}" for r in rows if r.kind == "item")


def count_words(n: int) -> str:
    """Small counts in words, as the Read me sheets say them ("three questions")."""
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if n < len(words) else str(n)
