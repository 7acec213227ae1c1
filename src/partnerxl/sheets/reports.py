"""Layout of the output workbooks (Portfolio, summaries, validation report) in one place, and their content as rows.

Sheet names, widths, fonts, colours and print settings live here so the writers hold no magic numbers. The
Portfolio's sheets are described once, as `SheetRows` built from the portfolio's frames (columns as they come from
core/tables.py), and laid out by two writers: documents/portfolio_workbook.py (the file, through XlsxWriter) and
excel/portfolio_sheets.py (the register open in Excel, through xlwings).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from partnerxl.core.scoring import rag_of, rag_ranges
from partnerxl.core.tables import column_types
from partnerxl.sheets import palette

# --- the Portfolio workbook -------------------------------------------------------------------------------------

SHEET_DASHBOARD = "Dashboard"
SHEET_PORTFOLIO = "Portfolio"
SHEET_HEATMAP = "Heatmap"
SHEET_FLAGS = "Flags"
SHEET_ACTIONS = "Actions"
SHEET_COMMITTEE = "Committee summary"
SHEET_PROBLEMS = "Problems"
PORTFOLIO_TABLE = "PortfolioTable"
TREND = "Trend"

# Column widths by header (characters); anything not listed gets at least DEFAULT_WIDTH, and never less than its
# longest heading word (headings wrap).
DEFAULT_WIDTH = 9
WIDTHS = {
    "ID": 6, "Name": 28, "Partnership": 28, "Status": 10, "Tier": 11, "Arrangement": 20, "Lead officer": 16,
    "Flags": 40, "Reason": 70, "Flag": 26, "Item": 44, "Action": 44, "Owner": 18, "Source": 16, "Message": 70,
    "File": 28, "Recommendation": 16, "Problem": 26, TREND: 12, "Due": 12, "Unowned": 9, "Movement": 14,
}
WRAP_COLUMNS = {"Reason", "Message", "Action", "Item", "Flags", "Name", "Partnership", "Arrangement", "Problem",
                "Source", "Owner", "Lead officer", "File"}
# Sheets whose columns are narrower than the defaults, so they print across one A4 landscape page at 100%
# (about 132 units of width for nine columns: a unit prints 5.55 points wide, plus 3.9 points a column).
SHEET_WIDTHS = {
    "Actions": {"Partnership": 20, "Source": 11, "Item": 27, "Action": 25, "Owner": 13, "Due": 10.5},
    "Problems": {"File": 24, "Sheet": 11, "Cell": 7, "Severity": 9, "Problem": 22, "Message": 56},
}
# Columns of counts and of Yes/No marks: centred, so a number never runs into the text of the next column; a mark
# of "Yes" is coloured (an overdue action red, an action with no owner amber).
COUNT_COLUMNS = {"Overdue actions", "Unowned actions", "Invited", "Returned"}
MARK_COLUMNS = {"Overdue": "Red", "Unowned": "Amber", "Low response": "Amber", "Provisional": "Amber"}
# The words a committee reads for core's codes (core/portfolio.py's movement, core/recommendation.py's verdict).
MOVEMENT_WORDS = {"improved": "Improved", "declined": "Declined", "unchanged": "No change",
                  "not comparable": "Not comparable", "not reviewed": "Not reviewed"}
DATE_FORMAT = "dd mmm yyyy"
SCORE_FORMAT = "0.00"
CHANGE_FORMAT = "+0.00;-0.00;0.00"
MONEY_FORMAT = "£#,##0"
NUMBER_FORMATS = {"score": SCORE_FORMAT, "change": CHANGE_FORMAT, "money": MONEY_FORMAT, "percent": "0%",
                  "date": DATE_FORMAT}

# --- type, colours and paper ------------------------------------------------------------------------------------

FONT = "Arial"            # a sans-serif every office and LibreOffice (Liberation Sans) has, for every cell
BODY_SIZE = 9
TITLE_SIZE = 14
SECTION_SIZE = 10
CHARS_PER_UNIT = 1.2      # characters of 9-point Arial in one unit of column width (a safe, low estimate)
# A unit of column width as Excel prints it (7 pixels of Arial 10 at 96 dpi; LibreOffice prints it 5.55 points) and
# the space a cell keeps either side of its text: documents/xlsx.py's table_lines sizes rows by them.
POINTS_PER_UNIT = 5.25
CELL_PADDING_PT = 3.0
LINE_PT = 11.0            # one line of 9-point Arial (10.4 points) with room to spare
ROW_PT = 12.75            # a row of one line: the generated workbooks' default row height
MAX_ROW_PT = 409.0        # the tallest row Excel has (a cell of 32,767 characters is shown in part)
PAPER_A4 = 9
PAPER_A3 = 8             # the Portfolio sheet: every column of the register and the scores across one page
FOOTER = "&C&\"Arial,Regular\"&8Page &P of &N"
RAG_COLOURS = dict(palette.RAG)
NOT_SCORED_COLOUR = "D9D9D9"
PREVIOUS_COLOUR = "A6A6A6"
AVERAGE_COLOUR = "1F4E79"
TREND_COLOUR = "9DC3E6"   # the Portfolio's trend columns, the latest year in AVERAGE_COLOUR

# --- the summary sheet (A4 portrait, one page at 100%) ----------------------------------------------------------

SUMMARY_SHEET = "Summary"
# Six columns: label | text | score | previous | change | band (RAG).  90 units of Arial 10: A4 portrait at 100%.
SUMMARY_COLUMNS = {"A": 21, "B": 21, "C": 9, "D": 9, "E": 8, "F": 22}
SUMMARY_FONT_SIZE = BODY_SIZE
PAGE_HEIGHT_PT = 715.0    # A4 portrait less margins, header and footer, with room to spare
CHART_HEIGHT_PT = 106.0
MAX_PRIORITY = 5          # priority benchmarks the summary lists with their possible actions; the rest are counted
MAX_LIST = 6              # rows of strengths, gaps, plan items before "and N more"


def summary_file_name(partnership_id: str, year: int) -> str:
    return f"Summary {partnership_id} {year}.xlsx"


def stamp_for(as_of: dt.date) -> dt.datetime:
    """The document timestamp of an output: noon on the as-of date, so reruns are identical."""
    return dt.datetime(as_of.year, as_of.month, as_of.day, 12, 0, 0)


# --- the Portfolio's sheets as rows -----------------------------------------------------------------------------

@dataclass
class SheetRows:
    """One output sheet, writer-neutral: rows of values, a style per row and a kind per column.

    Row styles: title, note, legend, section, header, body. Column kinds (for body rows): score, change, money,
    percent, date, rag, wrap, note (wrapped, set off from the number before it), count (centred), mark (a centred
    Yes/No, "Yes" coloured), or None (plain).
    """

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    kinds: list[str | None] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)

    def add(self, style: str, values: list[Any]) -> None:
        self.rows.append(values)
        self.styles.append(style)

    @property
    def header_row(self) -> int | None:
        return self.styles.index("header") if "header" in self.styles else None


def clean(value: Any) -> Any:
    """A pandas/numpy value as plain Python (NaN/NaT → None, bool → Yes/No) for either writer."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if value.__class__.__name__ == "NaTType":
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def band_of(value: Any, settings: Any) -> str | None:
    """The RAG of a cell's score by core's rule (exact at the thresholds); None for a blank or text."""
    return rag_of(float(value), settings) if isinstance(value, (int, float)) else None


def column_width(header: str, sheet: str = "") -> float:
    longest = max((len(w) for w in str(header).split()), default=4)
    # A band is a phrase ("Needs improving", "Serious concern"): give it room to read on one line.
    base = WIDTHS.get(header, 15 if str(header).endswith(" band") else DEFAULT_WIDTH)
    base = SHEET_WIDTHS.get(sheet, {}).get(header, base)
    return float(max(base, longest + 1.5))


def column_kind(header: str, kinds: dict[str, str]) -> str | None:
    if header.endswith("RAG"):
        return "rag"
    if header in MARK_COLUMNS:
        return "mark"
    if header in COUNT_COLUMNS:
        return "count"
    if header in WRAP_COLUMNS:
        return "wrap"
    kind = kinds.get(header)
    if kind == "number" or (kind is None and header.startswith("Overall score ")):
        return "score" if header.startswith("Overall score ") else None
    return kind if kind in NUMBER_FORMATS else None


def table_sheet(name: str, frame: Any, *, before: list[tuple[str, list[Any]]] = ()) -> SheetRows:
    """A frame laid out as a table: optional title rows, one header row, then one row a record."""
    sheet = SheetRows(name)
    for style, values in before:
        sheet.add(style, values)
    headers = [str(h) for h in frame.columns]
    kinds = column_types()
    sheet.kinds = [column_kind(h, kinds) for h in headers]
    sheet.widths = [column_width(h, name) for h in headers]
    sheet.add("header", headers)
    for values in frame.itertuples(index=False, name=None):
        sheet.add("body", [clean(v) for v in values])
    return sheet


def trend_of(result: Any) -> list[tuple[int, float | None]]:
    """(year, overall score) of every review of a partnership, oldest first: core's trend (docs/rules.md, "Trend and
    year-on-year change"), or the previous and current reviews when there is none."""
    points = getattr(result, "trend", None)
    if points:
        return sorted((int(p.year), getattr(p.overall, "score", p.overall)) for p in points)
    return [(s.year, s.score.overall.score) for s in (result.previous, result.current) if s is not None]


def _committee_view(columns: list[str], areas: list[str]) -> list[str]:
    """The columns a committee member reads, in reading order: who, how it scores (overall and by area), which way
    it is going, what needs doing. They come first, and only they are printed; the rest stay on screen."""
    wanted = ["ID", "Name", "Status", "Tier", "Overall score", "Overall band", "Overall RAG", TREND,
              *[f"{a} score" for a in areas], "Change in overall", "Movement", "Response rate", "Overdue actions",
              "Unowned actions", "Flags", "Recommendation"]
    return [c for c in wanted if c in columns]


def print_width(headers: list[str], areas: list[str]) -> int:
    """How many leading columns of the Portfolio sheet are printed (the committee view)."""
    return len(_committee_view(headers, areas))


def portfolio_frame(p: Any) -> tuple[Any, list[int]]:
    """The Portfolio sheet's frame: core's table, a Trend column after the overall RAG (a sparkline in the file)
    and one overall score column per review year at the end (the sparkline's data). Returns (frame, years)."""
    table = p.table.drop(columns=["In scope"]) if "In scope" in p.table.columns else p.table.copy()
    trends = [dict(trend_of(r)) for r in p.results]
    years = sorted({y for t in trends for y in t})
    table = table.copy()
    at = list(table.columns).index("Overall RAG") + 1 if "Overall RAG" in table.columns else len(table.columns)
    table.insert(at, TREND, [None] * len(table))
    for y in years:
        table[f"Overall score {y}"] = [t.get(y) for t in trends] if len(table) else []
    first = _committee_view(list(table.columns), area_names(p))
    for column, words in (("Movement", MOVEMENT_WORDS), ("Recommendation", None)):
        if column in table.columns:   # words, never lower-case codes
            table[column] = [(words.get(v, v) if words else v.capitalize()) if isinstance(v, str) else v
                             for v in table[column]]
    return table[first + [c for c in table.columns if c not in first]], years


def area_names(p: Any) -> list[str]:
    """The benchmark areas' names, in order (from the first scored review, else the instruments)."""
    scored = next((r.current.score for r in p.results if r.current is not None), None)
    if scored is not None:
        return [a.name for a in scored.areas]
    from partnerxl.core.instruments import load_instruments

    return [a.name for a in load_instruments().benchmarks.areas]


def problems_frame(p: Any) -> Any:
    import pandas as pd

    return pd.DataFrame([{"File": x.file, "Sheet": x.sheet, "Cell": x.cell, "Severity": x.severity.capitalize(),
                          "Problem": x.title, "Message": x.message} for x in p.problems],
                        columns=["File", "Sheet", "Cell", "Severity", "Problem", "Message"])


def heatmap_legend(settings: Any) -> list[tuple[str, list[Any]]]:
    """The heatmap's key, one colour a row, in the Name column."""
    rag = rag_ranges(settings)
    return [("legend", [None, text]) for text in (
        f"Green: {rag['Green'].low:g} and above", f"Amber: {rag['Amber'].low:g} to below {rag['Amber'].high:g}",
        f"Red: below {rag['Red'].high:g}", "Blank: not enough ratings to score")]


def portfolio_sheets(p: Any) -> list[SheetRows]:
    """Every table sheet of the Portfolio workbook (the Dashboard is drawn from them by the file writer)."""
    table, _years = portfolio_frame(p)
    council = getattr(p.settings, "council_name", "") or ""
    # The title fits the sheet's printed width; who and when go on the line below it, as on the committee summary.
    heat = table_sheet(SHEET_HEATMAP, p.heatmap, before=[
        ("title", [f"Heatmap {p.year}: area and overall scores"]),
        ("note", [(f"{council}, as" if council else "As") + f" at {p.as_of:%d %B %Y}"]),
        *heatmap_legend(p.settings)])
    heat.kinds = ["heat" if k == "score" else k for k in heat.kinds]  # scores coloured by their RAG band
    problems = table_sheet(SHEET_PROBLEMS, problems_frame(p))
    if not p.problems:
        problems.add("body", ["No problems: every review in the folder was read and used in full."])
    return [table_sheet(SHEET_PORTFOLIO, table), heat, table_sheet(SHEET_FLAGS, p.flags),
            table_sheet(SHEET_ACTIONS, p.actions), committee_sheet(p), problems]


def committee_sheet(p: Any) -> SheetRows:
    """The Committee summary: the numbers a committee reads, each with the partnerships behind it, on one A4 portrait
    page at 100% (three columns, 90 units). It names no sheet: the pack prints it for readers who have no workbook."""
    s = SheetRows(SHEET_COMMITTEE, kinds=["wrap", "count", "note"], widths=[42.0, 9.0, 39.0])
    council = getattr(p.settings, "council_name", "") or ""
    s.add("title", [f"Partnership portfolio {p.year}: committee summary" + (f", {council}" if council else "")])
    s.add("note", [f"As at {p.as_of:%d %B %Y}"])
    _portfolio_numbers(s, p)
    c = p.committee
    s.add("section", [f"Overall rating of the {c['reviewed_this_year']} reviewed for {p.year}", None, None])
    for k, v in c["by_rag"].items():
        if k in RAG_COLOURS or k == "Not scored":
            s.add("rag" if k in RAG_COLOURS else "body", [k, v])
    s.add("section", [f"No review for {p.year}", None, None])
    for why, n in c.get("no_review", {}).items():
        s.add("body", [why, n, _ids(p, lambda r, w=why: r.no_review == w)])
    s.add("section", [f"Year-on-year movement of the {c['reviewed_this_year']} reviewed (overall score against the "
                      "previous review)", None, None])
    for k, v in c["movement"].items():
        s.add("body", [MOVEMENT_WORDS.get(k, k.capitalize()), v])
    for pid, name, why in c["not_comparable"]:
        s.add("body", [f"   {pid} {name}", None, f"Not comparable: {why}"])
    s.add("section", ["Partnerships flagged", None, None])
    if not c["flagged"]:
        s.add("body", ["None", None])
    for pid, name, flags in c["flagged"]:
        s.add("body", [f"{pid} {name}", None, flags])
    _problem_rows(s, p)
    return s


def _ids(p: Any, test: Any, count: Any = None) -> str | None:
    """The ids of the partnerships that pass `test`, with `count(r)` beside each when given: 'P003 (5), P008 (2)'."""
    found = [(r.entry.id, count(r) if count else None) for r in p.results if test(r)]
    if count:
        found.sort(key=lambda x: -x[1])
    return ", ".join(f"{pid} ({n})" if count else pid for pid, n in found) or None


def _portfolio_numbers(s: SheetRows, p: Any) -> None:
    from partnerxl.core.committee import running_words

    c = p.committee
    s.add("section", ["The portfolio", None, None])
    s.add("body", ["Partnerships in the register", c["partnerships"]])
    for label, counts in (("By status", c["by_status"]), ("By tier", c["by_tier"])):
        s.add("body", [f"   {label}", None, ", ".join(f"{k} {v}" for k, v in counts.items())])
    s.add("body", [f"Reviewed for {p.year}", c["reviewed_this_year"]])
    running = f"the {c.get('running_in_scope', 0)} {running_words()} partnerships in the strategy's scope"
    s.add("money", ["Council contribution a year", c.get("contribution_in_scope_gbp", 0), running])
    s.add("body", ["Officer days a year", c.get("officer_days_in_scope", 0), running])
    s.add("body", ["Provisional reviews (some entries could not be read)", c["provisional"],
                   _ids(p, lambda r: r.current is not None and r.current.score.provisional)])
    s.add("body", ["Reviews overdue", c["overdue"], _ids(p, lambda r: r.overdue)])
    s.add("body", [f"Actions overdue (due before {p.as_of:%d %B %Y})", c.get("overdue_actions", 0),
                   _ids(p, lambda r: r.overdue_actions, lambda r: len(r.overdue_actions))])
    s.add("body", ["Actions with no owner", c.get("unowned_actions", 0),
                   _ids(p, lambda r: r.unowned_actions, lambda r: len(r.unowned_actions))])
    low = [f"{r.entry.id} ({r.current.score.returned} of {len(r.current.score.invited)} invited returned)"
           for r in p.results if r.low_response]
    s.add("body", ["Reviews with a low response from the partners", c.get("low_response", 0), ", ".join(low) or None])
    s.add("body", ["Arrangements outside the strategy's scope", c["out_of_scope"],
                   _ids(p, lambda r: r.entry.arrangement and not r.entry.in_scope)])


MAX_FILES = 6   # workbooks named on a line of the committee summary; the rest are counted


def _files(names: list[str]) -> str | None:
    shown = ", ".join(names[:MAX_FILES])
    return (shown + (f" and {len(names) - MAX_FILES} more" if len(names) > MAX_FILES else "")) or None


def _problem_rows(s: SheetRows, p: Any) -> None:
    """The workbooks not fully used, by file: left out until they are corrected, so the scores are without them."""
    if not p.problems:
        return
    from partnerxl.core.portfolio import LEFT_OUT_WHOLE

    whole = sorted({x.file for x in p.problems if x.code in LEFT_OUT_WHOLE})
    part = sorted({x.file for x in p.problems} - set(whole))
    s.add("section", ["Workbooks not fully used: the scores are worked out without them", None, None])
    s.add("body", ["Workbooks left out whole until corrected", len(whole), _files(whole)])
    s.add("body", ["Workbooks with entries left out until corrected", len(part), _files(part)])
