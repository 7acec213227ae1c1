"""THE Excel layout of PartnerXL's three templates, in one place.

Sheet names, header rows, column letters, cell addresses, colours and widths for every template kind live here;
templates.py builds from them, readers.py and fill.py read and write through them, and the add-in imports them.
Rows that depend on an instrument (a checklist question, a benchmark) are computed from the instrument data, so a
council that adapts an instrument gets a matching workbook. Rows and columns are 1-based here, as in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.sheets import palette
from partnerxl.sheets.cells import col_letter, col_number  # noqa: F401 - the layout's own vocabulary

TEMPLATE_VERSION = 1
KINDS = ("register", "review", "response")
FILE_NAMES = {
    "register": "PartnerXL Register.xlsx",
    "review": "PartnerXL Review.xlsx",
    "response": "PartnerXL Response.xlsx",
}

# --- the hidden marker --------------------------------------------------------------------------------------------
MARKER_SHEET = "_partnerxl"
MARKER_TITLE = "PartnerXL template"
MARKER_TITLE_CELL = "A1"
MARKER_KIND_CELL = "B1"
MARKER_VERSION_CELL = "C1"
MARKER_NAME = "PartnerXL_Template"
MARKER_REF = f"'{MARKER_SHEET}'!$A$1:$C$1"

LISTS_SHEET = "_lists"

# --- sheet names ----------------------------------------------------------------------------------------------------
README = "Read me"
REGISTER = "Register"
SETTINGS = "Settings"
ABOUT = "About"
CHECKLIST = "Checklist"
IMPROVEMENT = "Improvement"
FITNESS = "Fitness"
BENCHMARKS = "Benchmarks"
FACTORS = "Factors"
INVITED = "Invited"
RESPONSE = "Response"

SHEETS = {
    "register": [README, REGISTER, SETTINGS],
    "review": [README, ABOUT, CHECKLIST, IMPROVEMENT, FITNESS, INVITED, BENCHMARKS, FACTORS],
    "response": [README, RESPONSE],
}
"""Visible sheets of each kind, in order; the readers need all but *Read me*."""

# --- colours and fonts (ARGB without alpha, as openpyxl wants them) -------------------------------------------------
HEADER_FILL = palette.HEADER
HEADER_FONT = palette.HEADER_TEXT
SECTION_FILL = palette.SECTION
INPUT_FILL = palette.INPUT
KEY_FONT = palette.KEY_TEXT
TITLE_SIZE = 14
NO_FILL = palette.NO_ANSWER
# Every cell in Arial 10 (Liberation Sans, with the same widths, where LibreOffice prints): a font every office has,
# so the widths below mean the same in Excel and LibreOffice, and a page shrunk to 90% still prints at 9 point.
FONT = "Arial"
FONT_SIZE = 10
LINE_PT = 12.75            # one line of Arial 10 in a row (Excel's own row height for it)

# --- printing (docs/workbooks.md, "Printing the templates") --------------------------------------------------------
# A sheet that fits the page's width prints on it at 100% (fit to width only as a safety net for a few percent);
# a wide sheet prints at 100% across pages, left to right then down, its ID and text columns and its heading rows
# repeated on every page. Widths are in Excel's units (7 pixels of Arial 10 each, and 5 pixels of padding).
MARGIN_IN = 0.5
PRINTABLE_PT = {"portrait": 595 - 72, "landscape": 842 - 72}   # A4 less half an inch each side
README_WIDTH = 90           # the Read me's one column: the page's width, portrait

TABLE_STYLE = "TableStyleMedium2"

# --- Register sheet -------------------------------------------------------------------------------------------------
REGISTER_TABLE = "PartnerRegister"
REGISTER_HEADER_ROW = 1
REGISTER_FIRST_ROW = 2
REGISTER_VALIDATION_ROWS = 1000   # drop-downs and checks reach this many rows below the header
REGISTER_PRINT_COLS = "A:B"       # ID and name on every printed page of the (wide) register
WIDTH_BY_TYPE = {"text": 24, "choice": 20, "date": 13, "money": 15, "number": 12, "email": 28}
WIDE_TEXT_FIELDS = {"name": 32, "purpose": 45, "performance_method": 36, "partners": 36, "arrangement": 30,
                    "id": 9, "needs_many_organisations": 18, "long_term": 18,
                    "existing_partnership_could_deliver": 20}
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = '"£"#,##0'
NUMBER_FORMAT = "0.0"


def register_columns(inst: Instruments | None = None) -> dict[str, str]:
    """Register field name → column letter, in the instrument's field order (A = id)."""
    inst = inst or load_instruments()
    return {f.name: col_letter(i) for i, f in enumerate(inst.register.fields, start=1)}


# --- Settings sheet -------------------------------------------------------------------------------------------------
SETTINGS_HEADER_ROW = 1
SETTINGS_FIRST_ROW = 2
SETTINGS_LABEL_COL = "A"
SETTINGS_VALUE_COL = "B"
SETTINGS_KEY_COL = "C"
SETTINGS_DEFAULT_COL = "D"
SETTINGS_HEADERS = {"A": "Setting", "B": "Value", "D": "Default"}  # C holds the keys, hidden
SETTINGS_WIDTHS = {"A": 56, "B": 22, "C": 30, "D": 14}
PERCENT_FORMAT = "0%"


def settings_format(key: str) -> str | None:
    """How a setting's value is shown: money as £100,000, a share as 50%, the as-of date as a date."""
    if key == AS_OF_KEY:
        return DATE_FORMAT
    if key.endswith("_gbp"):
        return MONEY_FORMAT
    if key.endswith("_share"):
        return PERCENT_FORMAT
    if key.startswith("max_"):
        return "#,##0"
    return None

AS_OF_KEY = "as_of"
REVIEWS_FOLDER_KEY = "reviews_folder"
EXTRA_SETTINGS = {
    AS_OF_KEY: "As-of date for overdue reviews (blank = today)",
    REVIEWS_FOLDER_KEY: "Folder where review workbooks live (relative to this register's folder)",
}


def settings_keys() -> list[str]:
    from partnerxl.core.settings import Settings

    return [*Settings.model_fields, AS_OF_KEY, REVIEWS_FOLDER_KEY]


def settings_rows() -> dict[str, int]:
    """Settings key → row on the Settings sheet."""
    return {key: SETTINGS_FIRST_ROW + i for i, key in enumerate(settings_keys())}


# --- instrument sheets (fixed rows, protected) ----------------------------------------------------------------------

@dataclass(frozen=True)
class SheetSpec:
    """A protected instrument sheet: title in A1, a header row, then one row per item (with heading rows)."""

    name: str
    header_row: int
    columns: dict[str, str]            # role → letter
    headers: dict[str, str]            # letter → header text
    widths: dict[str, float]
    title_rows: str = "1:3"            # rows repeated on every printed page
    freeze: str = "A4"
    landscape: bool = False
    inputs: tuple[str, ...] = field(default_factory=tuple)  # roles typed by the user (unlocked)

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    def col(self, role: str) -> str:
        return self.columns[role]


CHECKLIST_SPEC = SheetSpec(
    name=CHECKLIST, header_row=3,
    columns={"id": "A", "text": "B", "status": "C", "evidence": "D", "where": "E"},
    headers={"A": "ID", "B": "Question", "C": "Status", "D": "Evidence (needed for Yes and Partly)",
             "E": "Where published or recorded"},
    widths={"A": 6, "B": 52, "C": 14, "D": 40, "E": 26}, landscape=True,
    inputs=("status", "evidence", "where"),
)
IMPROVEMENT_SPEC = SheetSpec(
    name=IMPROVEMENT, header_row=3,
    columns={"id": "A", "text": "B", "answer": "C", "action": "D", "owner": "E", "due": "F"},
    headers={"A": "ID", "B": "Area of practice", "C": "In place?", "D": "Action (needed when No)", "E": "Owner",
             "F": "Due"},
    widths={"A": 6, "B": 52, "C": 10, "D": 38, "E": 18, "F": 12}, landscape=True,
    inputs=("answer", "action", "owner", "due"),
)
FITNESS_SPEC = SheetSpec(
    name=FITNESS, header_row=3,
    columns={"id": "A", "text": "B", "answer": "C", "action": "D", "owner": "E", "due": "F"},
    headers={"A": "ID", "B": "Question", "C": "Answer", "D": "If the answer is No, the action", "E": "Owner",
             "F": "Due"},
    widths={"A": 6, "B": 50, "C": 10, "D": 40, "E": 18, "F": 12}, landscape=True,
    inputs=("answer", "owner", "due"),
)
FACTORS_SPEC = SheetSpec(
    name=FACTORS, header_row=3,
    columns={"id": "A", "text": "B", "tick": "C"},
    headers={"A": "ID", "B": "Typical factor", "C": "Applies here?"},
    widths={"A": 7, "B": 72, "C": 14},
    inputs=("tick",),
)

# Benchmarks: row 2 numbers the respondent columns, row 3 holds each respondent's organisation (typed), row 4 the
# person's name and row 5 their e-mail (either tells two people of one organisation apart); benchmark rows follow.
RESPONDENT_COLUMNS = 12
BENCH_LABEL_ROW = 2
BENCH_ORG_ROW = 3
BENCH_NAME_ROW = 4
BENCH_EMAIL_ROW = 5
BENCH_FIRST_ROW = 6
BENCH_ID_COL = "A"
BENCH_TEXT_COL = "B"
BENCH_FIRST_RESPONDENT_COL = 3  # C
BENCH_RESPONDENT_WIDTH = 14
BENCH_PRINT_COLS = "A:B"   # ID and statement on every printed page of the rating grid
BENCHMARKS_SPEC = SheetSpec(
    name=BENCHMARKS, header_row=BENCH_EMAIL_ROW,
    columns={"id": BENCH_ID_COL, "text": BENCH_TEXT_COL,
             "action_needed": col_letter(BENCH_FIRST_RESPONDENT_COL + RESPONDENT_COLUMNS),
             "by_whom": col_letter(BENCH_FIRST_RESPONDENT_COL + RESPONDENT_COLUMNS + 1)},
    headers={"A": "ID", "B": "Benchmark statement"},
    widths={"A": 6, "B": 45}, title_rows=f"1:{BENCH_EMAIL_ROW}", freeze=f"C{BENCH_FIRST_ROW}", landscape=True,
)
ACTION_NEEDED_HEADER = "Action needed"
BY_WHOM_HEADER = "By whom?"


def respondent_columns() -> list[str]:
    """Column letters of the respondent rating columns on the Benchmarks sheet (C … N)."""
    return [col_letter(BENCH_FIRST_RESPONDENT_COL + i) for i in range(RESPONDENT_COLUMNS)]


# Invited: the respondents the officer asked to rate, one line a person (one organisation may have several).
INVITED_SPEC = SheetSpec(
    name=INVITED, header_row=3,
    columns={"organisation": "A", "name": "B", "email": "C"},
    headers={"A": "Organisation", "B": "Name", "C": "E-mail"},
    widths={"A": 32, "B": 26, "C": 32},
    inputs=("organisation", "name", "email"),
)
INVITED_ROWS = 60                 # lines ready for typing (and checked) below the header


def invited_rows() -> range:
    """Excel rows of the invited respondents' lines."""
    return range(INVITED_SPEC.first_row, INVITED_SPEC.first_row + INVITED_ROWS)


# About sheet: label in A, value in B.
ABOUT_FIELDS = {
    "partnership_id": ("B3", "Partnership ID (as in the register)"),
    "partnership_name": ("B4", "Partnership name"),
    "year": ("B5", "Review year (e.g. 2025)"),
    "coordinator": ("B6", "Review coordinator"),
    "review_date": ("B7", "Date of the review"),
}
ABOUT_WIDTHS = {"A": 38, "B": 45}

# Response sheet: header block (label in B, value in C), then the 21 statements.
RESPONSE_FIELDS = {
    "partnership_id": ("C3", "Partnership ID"),
    "partnership_name": ("C4", "Partnership"),
    "year": ("C5", "Review year"),
    "respondent_name": ("C6", "Your name"),
    "organisation": ("C7", "Your organisation"),
    "email": ("C8", "Your e-mail"),
}
RESPONSE_SPEC = SheetSpec(
    name=RESPONSE, header_row=9,
    columns={"id": "A", "text": "B", "rating": "C", "comment": "D"},
    headers={"A": "ID", "B": "Benchmark statement", "C": "Your rating", "D": "Comment (optional)"},
    widths={"A": 6, "B": 54, "C": 28, "D": 42}, title_rows="9:9", freeze="A10", landscape=True,
    inputs=("rating", "comment"),
)
# The form's return-by date (filled by the chase, documents/fill.py's new_response; locked, not typed by the
# partner) above the header block, and the rating scale beside the header block, in the comment column.
RESPONSE_RETURN_BY = ("C2", "Please return this form by")
RESPONSE_SCALE_COL = "D"
RESPONSE_SCALE_FIRST_ROW = 3


# --- rows of the instrument sheets, computed from the instruments ---------------------------------------------------

@dataclass(frozen=True)
class Row:
    row: int
    kind: str          # "heading" or "item"
    id: str            # item id, or the section/area id for a heading
    text: str


def _rows(first: int, groups: list[tuple[str, str, list[tuple[str, str]]]]) -> list[Row]:
    out: list[Row] = []
    r = first
    for gid, gtitle, items in groups:
        out.append(Row(row=r, kind="heading", id=gid, text=gtitle))
        r += 1
        for iid, text in items:
            out.append(Row(row=r, kind="item", id=iid, text=text))
            r += 1
    return out


def checklist_rows(inst: Instruments | None = None) -> list[Row]:
    inst = inst or load_instruments()
    return _rows(CHECKLIST_SPEC.first_row, [
        (s.id, f"{s.id}. {s.title}", [(q.id, q.text) for q in s.questions]) for s in inst.checklist.sections])


def improvement_rows(inst: Instruments | None = None) -> list[Row]:
    inst = inst or load_instruments()
    return [Row(row=IMPROVEMENT_SPEC.first_row + i, kind="item", id=a.id, text=a.text) for i, a in enumerate(inst.improvement.areas)]


def fitness_rows(inst: Instruments | None = None) -> list[Row]:
    inst = inst or load_instruments()
    groups: dict[str, list[tuple[str, str]]] = {}
    for q in inst.fitness.questions:
        groups.setdefault(q.group, []).append((q.id, q.question))
    return _rows(FITNESS_SPEC.first_row, [(f"G{i}", g, items) for i, (g, items) in enumerate(groups.items(), 1)])


def benchmark_rows(first: int = BENCH_FIRST_ROW, inst: Instruments | None = None) -> list[Row]:
    inst = inst or load_instruments()
    return _rows(first, [(a.id, f"{a.id}. {a.name} {a.description}", [(b.id, b.statement) for b in a.benchmarks])
                         for a in inst.benchmarks.areas])


def factor_rows(inst: Instruments | None = None) -> list[Row]:
    inst = inst or load_instruments()
    return _rows(FACTORS_SPEC.first_row, [(a.id, f"{a.id}. {a.name}: typical factors that get in the way",
                                           [(f.id, f.text) for f in a.factors]) for a in inst.benchmarks.areas])


def response_rows(inst: Instruments | None = None) -> list[Row]:
    return benchmark_rows(RESPONSE_SPEC.first_row, inst)


# --- hidden lists feeding the drop-downs ----------------------------------------------------------------------------
TICK_CHOICES = ["Yes"]


def closed_lists(inst: Instruments | None = None) -> dict[str, list[str]]:
    """List key → choices, in a stable order; each becomes a column of the hidden lists sheet and a defined name."""
    inst = inst or load_instruments()
    lists: dict[str, list[str]] = {}
    for f in inst.register.fields:
        if f.type == "choice":
            lists[f.name] = list(f.choices or [])
    lists["checklist_status"] = list(inst.checklist.statuses)
    lists["yes_no"] = list(inst.improvement.answers)
    lists["rating"] = [lv.label for lv in inst.benchmarks.scale] + list(inst.benchmarks.no_rating_labels)
    lists["tick"] = list(TICK_CHOICES)
    return lists


def list_name(key: str) -> str:
    """The defined name of a closed list, e.g. `PXL_List_arrangement`."""
    return f"PXL_List_{key}"


def list_ref(key: str, inst: Instruments | None = None) -> str:
    lists = closed_lists(inst)
    keys = list(lists)
    letter = col_letter(keys.index(key) + 1)
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${1 + len(lists[key])}"
