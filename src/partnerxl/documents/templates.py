"""Build PartnerXL's three Excel templates with openpyxl, from the instrument data and layout.py.

`build(kind)` returns an openpyxl Workbook in memory (fill.py starts from it); `write_templates(folder)` saves all
three. Building is deterministic: nothing depends on the clock or on dict ordering that is not fixed, and the
document properties are set to fixed values, so two builds have identical cells, validations, names and protection.
Every row and column that stands for an instrument item comes from the instruments in force, so a council that adds
a register field, a checklist question or a benchmark to its copy of the data gets it in the workbooks.
This module holds the Register and Response templates; template_review.py the Review, template_parts.py the
pieces all three share.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from partnerxl.core.instruments import Instruments, RegisterField, load_instruments
from partnerxl.core.settings import Settings
from partnerxl.documents import template_parts as T
from partnerxl.documents.template_parts import CREATOR, FIXED_TIME  # noqa: F401 - part of this module's API
from partnerxl.documents.template_review import build_review
from partnerxl.storage.writing import set_text
from partnerxl.sheets import layout as L

__all__ = ["build", "build_register", "build_review", "build_response", "save_template", "write_templates"]


# --- Register -----------------------------------------------------------------------------------------------------

def register_readme(inst: Instruments) -> list[str]:
    reg = inst.register
    gate, scope = reg.gatekeeper, reg.scope
    answers = ", ".join(q.proceed_answer for q in gate.questions)
    return [
        "This workbook is your council's register of partnerships: one row per partnership on the Register sheet.",
        "HOW TO USE IT:",
        "• Add a partnership by typing in the first empty row under the table; the table grows by itself. Pale yellow "
        "cells are for typing. Columns with a small arrow have a drop-down list: pick from it.",
        "• ID and name must be unique. Dates are dd/mm/yyyy. Money and officer days are numbers of 0 or more.",
        f"• {reg.field(scope.field).label}: anything but {' or '.join(scope.in_scope)} is outside the partnership "
        "strategy's scope and is flagged.",
        f"• For a {gate.applies_to_status} partnership answer the {T.count_words(len(gate.questions))} Gatekeeper "
        f"questions (Yes / No) before it goes ahead: PartnerXL recommends proceeding only for {answers}.",
        "• The Settings sheet holds your council's thresholds (the defaults come from the partnership strategy), the "
        "as-of date used for overdue reviews (blank means today) and the folder where the annual review workbooks "
        "live.",
        "CHECKING IT:",
        "• Run  partnerxl validate \"PartnerXL Register.xlsx\"  (or use the PartnerXL tab in Excel). Every problem is "
        "listed with its sheet and cell and what to do. PartnerXL never changes this file.",
        "Do not rename the sheets or the column headings: PartnerXL finds the columns by their headings. You may add "
        "your own columns to the right of the table.",
    ]


_FORMATS = {"date": L.DATE_FORMAT, "money": L.MONEY_FORMAT, "number": L.NUMBER_FORMAT}


def _register_column(ws: Worksheet, f: RegisterField, letter: str) -> None:
    """One field's column: width, the check Excel applies to what is typed, number format and the heading's note."""
    hr, first = L.REGISTER_HEADER_ROW, L.REGISTER_FIRST_ROW
    ws.column_dimensions[letter].width = L.WIDE_TEXT_FIELDS.get(f.name, L.WIDTH_BY_TYPE[f.type])
    rng = f"{letter}{first}:{letter}{first + L.REGISTER_VALIDATION_ROWS - 1}"
    label = f.label + (" (required)" if f.required else "")
    if f.type == "choice":
        T.list_validation(ws, key=f.name, ranges=rng, what=label)
    elif f.type == "date":
        T.date_validation(ws, rng, label)
    elif f.type in ("money", "number"):
        T.number_validation(ws, rng, label)
    fmt = _FORMATS.get(f.type)
    T.input_cell(ws[f"{letter}{first}"], fmt)
    ws.column_dimensions[letter].number_format = fmt or "General"
    if f.help:
        # A header comment (note) explains the column without taking a row.
        comment = Comment(f.help, CREATOR)
        comment.width, comment.height = 240, 90
        ws[f"{letter}{hr}"].comment = comment


def build_register(inst: Instruments | None = None) -> Workbook:
    inst = inst or load_instruments()
    wb = T.new_workbook()
    T.readme(wb, "PartnerXL partnership register — read me", register_readme(inst))
    fields = inst.register.fields
    cols = L.register_columns(inst)
    ws = wb.create_sheet(L.REGISTER)
    hr, first = L.REGISTER_HEADER_ROW, L.REGISTER_FIRST_ROW
    T.header(ws, hr, {cols[f.name]: f.label for f in fields})
    ws.row_dimensions[hr].height = 45
    for f in fields:
        _register_column(ws, f, cols[f.name])
    table = Table(displayName=L.REGISTER_TABLE, ref=f"A{hr}:{cols[fields[-1].name]}{first}")
    table.tableStyleInfo = TableStyleInfo(name=L.TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = f"C{first}"
    # Far wider than a page: printed at 100% across pages, ID and name repeated on each (docs/workbooks.md).
    T.print_setup(ws, f"{hr}:{hr}", landscape=True, title_cols=L.REGISTER_PRINT_COLS)
    _settings_sheet(wb)
    return T.finish(wb, inst, "register")


def _settings_sheet(wb: Workbook) -> Worksheet:
    ws = wb.create_sheet(L.SETTINGS)
    hr = L.SETTINGS_HEADER_ROW
    T.header(ws, hr, L.SETTINGS_HEADERS)
    T.widths(ws, L.SETTINGS_WIDTHS)
    # Officers read the label in column A; the key beside it is how PartnerXL finds the row, so it stays but hidden.
    ws.column_dimensions[L.SETTINGS_KEY_COL].hidden = True
    defaults = Settings()
    for key, row in L.settings_rows().items():
        is_text = key in Settings.model_fields and Settings.model_fields[key].annotation is str
        if key in Settings.model_fields:
            label = Settings.model_fields[key].description or key
            default = getattr(defaults, key) or None  # a blank text setting stays blank
        else:
            label, default = L.EXTRA_SETTINGS[key], None
        set_text(ws[f"{L.SETTINGS_LABEL_COL}{row}"], label)
        ws[f"{L.SETTINGS_LABEL_COL}{row}"].alignment = T.WRAP_TOP
        set_text(ws[f"{L.SETTINGS_KEY_COL}{row}"], key)
        ws[f"{L.SETTINGS_KEY_COL}{row}"].font = T.font(color=L.KEY_FONT)
        value = ws[f"{L.SETTINGS_VALUE_COL}{row}"]
        if default is not None:
            value.value = default
            ws[f"{L.SETTINGS_DEFAULT_COL}{row}"].value = default
        shown = L.settings_format(key)  # £100,000 and 50% where money and shares are meant
        T.input_cell(value, shown)
        default_cell = ws[f"{L.SETTINGS_DEFAULT_COL}{row}"]
        default_cell.alignment = Alignment(horizontal="left", vertical="top")
        if shown:
            default_cell.number_format = shown
        value.alignment = Alignment(horizontal="left", vertical="top")
        if key == L.AS_OF_KEY:
            T.date_validation(ws, value.coordinate, "As-of date")
        elif key != L.REVIEWS_FOLDER_KEY and not is_text:
            T.number_validation(ws, value.coordinate, label[:32])
    ws.freeze_panes = f"A{L.SETTINGS_FIRST_ROW}"
    T.fit_rows(ws, list(L.settings_rows().values()), [L.SETTINGS_LABEL_COL])
    T.protect(ws)
    T.print_setup(ws, f"{hr}:{hr}", landscape=False)
    return ws


# --- Response -----------------------------------------------------------------------------------------------------

def response_readme(inst: Instruments) -> list[str]:
    b = inst.benchmarks
    choices = "; ".join(lv.label for lv in b.scale) + "; or " + " or ".join(b.no_rating_labels)
    return [
        f"This form asks you, as a partner, to rate how the partnership is doing against {len(b.benchmarks)} "
        f"statements (the benchmark self-assessment '{b.title}').",
        "HOW TO FILL IT IN:",
        "• On the Response sheet, check (or type) your name, your organisation and your e-mail.",
        f"• For each statement choose a rating from the drop-down: {choices}. Add a comment if you wish.",
        "• Save the file and send it back to the officer who sent it to you, by the date at the top of the form. "
        "Please don't rename the sheets or change the statements.",
        "Your ratings are added to the partnership's annual review with everyone else's; the officer will tell you "
        "what the review finds.",
    ]


def _response_header(ws: Worksheet, inst: Instruments) -> None:
    """The fields a partner fills in, the date to return the form by above them (the chase fills it) and the
    rating scale beside them."""
    for ref, label in [L.RESPONSE_RETURN_BY, *L.RESPONSE_FIELDS.values()]:
        row = int(ref[1:])
        set_text(ws[f"B{row}"], label)
        ws[f"B{row}"].font = T.font(bold=True)
        ws[f"B{row}"].alignment = Alignment(horizontal="right", vertical="top")
    for ref, _label in L.RESPONSE_FIELDS.values():
        T.input_cell(ws[ref])
        ws[ref].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    due = ws[L.RESPONSE_RETURN_BY[0]]
    set_text(due, "the date in the e-mail you received")
    due.font = T.font(bold=True)
    due.alignment = Alignment(horizontal="left")
    due.number_format = L.DATE_FORMAT
    b = inst.benchmarks
    scale = ["How to rate each statement:", *(f"{lv.value}  {lv.label}" for lv in reversed(b.scale)),
             "or " + " or ".join(b.no_rating_labels) + " if you cannot say"]
    for i, line in enumerate(scale):
        cell = ws[f"{L.RESPONSE_SCALE_COL}{L.RESPONSE_SCALE_FIRST_ROW + i}"]
        set_text(cell, line)
        cell.font = T.font(bold=i == 0, italic=i == len(scale) - 1)


def build_response(inst: Instruments | None = None) -> Workbook:
    inst = inst or load_instruments()
    wb = T.new_workbook()
    T.readme(wb, "PartnerXL partner response form — read me", response_readme(inst))
    spec = L.RESPONSE_SPEC
    rows = L.response_rows(inst)
    ws = wb.create_sheet(spec.name)
    T.title(ws, f"{inst.benchmarks.title}: partner response", None)
    T.widths(ws, spec.widths)
    _response_header(ws, inst)
    T.header(ws, spec.header_row, spec.headers)
    T.item_rows(ws, spec, rows=rows, ncols=len(spec.headers))
    for r in rows:
        if r.kind == "item":
            for role in spec.inputs:
                T.input_cell(ws[f"{spec.col(role)}{r.row}"])
    T.fit_rows(ws, [r.row for r in rows if r.kind == "item"], [spec.col("text")], minimum=2)
    T.list_validation(ws, key="rating", ranges=T.item_ranges(spec.col("rating"), rows), what="Your rating")
    T.year_validation(ws, L.RESPONSE_FIELDS["year"][0])
    ws.freeze_panes = spec.freeze
    T.print_setup(ws, spec.title_rows, spec.landscape)
    T.protect(ws)
    return T.finish(wb, inst, "response")


# --- building and saving ------------------------------------------------------------------------------------------

BUILDERS = {"register": build_register, "review": build_review, "response": build_response}


# The workbooks that carry PartnerXL's xlwings Lite scripts: the register and the reviews, where the buttons are
# pressed. A Response form goes to partners outside the council, who need no scripts.
LITE_KINDS = ("register", "review")


def build(kind: str, inst: Instruments | None = None) -> Workbook:
    return BUILDERS[kind](inst)


def save_template(wb: Workbook, path: Path, *, lite: bool = False) -> Path:
    """Save atomically and byte for byte reproducibly: fixed document properties (openpyxl stamps `modified` with
    the clock on save, so it is put back) and fixed zip timestamps. `lite`: with PartnerXL's xlwings Lite scripts
    inside (documents/lite_extension.py), as the register and the reviews carry them."""
    from partnerxl.storage.writing import atomic_write

    def write(tmp: Path) -> None:
        wb.save(tmp)
        _normalise_zip(tmp, lite)

    return atomic_write(Path(path), write)


def _normalise_zip(path: Path, lite: bool = False) -> None:
    import re
    import zipfile

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as zin:
        parts = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    if lite:  # openpyxl writes no web extension: xlwings Lite's scripts go in with this same rewrite
        from partnerxl.documents.lite_extension import with_extension

        parts = with_extension(parts)
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
    return [save_template(build(kind), folder / L.FILE_NAMES[kind], lite=kind in LITE_KINDS) for kind in L.KINDS]
