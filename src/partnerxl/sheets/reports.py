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
WRAP_COLUMNS = {"Reason", "Message", "Action", "Item", "Flags", "Name", "Partnership", "Arrangement", "Problem"}
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
LINE_PT = 11.0            # one line of 9-point Arial (10.4 points) with room to spare
PAPER_A4 = 9
PAPER_A3 = 8             # the Portfolio sheet: every column of the register and the scores across one page
FOOTER = "&C&\"Arial,Regular\"&8Page &P of &N"
RAG_COLOURS = dict(palette.RAG)
NOT_SCORED_COLOUR = "D9D9D9"
PREVIOUS_COLOUR = "A6A6A6"
AVERAGE_COLOUR = "1F4E79"

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
    percent, date, rag, wrap, or None (plain).
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


def column_width(header: str) -> float:
    longest = max((len(w) for w in str(header).split()), default=4)
    # A band is a phrase ("Needs improving", "Serious concern"): give it room to read on one line.
    base = WIDTHS.get(header, 15 if str(header).endswith(" band") else DEFAULT_WIDTH)
    return float(max(base, longest + 1.5))


def column_kind(header: str, kinds: dict[str, str]) -> str | None:
    if header.endswith("RAG"):
        return "rag"
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
    sheet.widths = [column_width(h) for h in headers]
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
    title = f"Heatmap {p.year}: area and overall scores" + (f", {council}" if council else "") \
        + f", as at {p.as_of:%d %B %Y}"
    heat = table_sheet(SHEET_HEATMAP, p.heatmap, before=[("title", [title]), *heatmap_legend(p.settings)])
    heat.kinds = ["heat" if k == "score" else k for k in heat.kinds]  # scores coloured by their RAG band
    problems = table_sheet(SHEET_PROBLEMS, problems_frame(p))
    if not p.problems:
        problems.add("body", ["No problems: every review in the folder was read and used in full."])
    return [table_sheet(SHEET_PORTFOLIO, table), heat, table_sheet(SHEET_FLAGS, p.flags),
            table_sheet(SHEET_ACTIONS, p.actions), committee_sheet(p), problems]


def committee_sheet(p: Any) -> SheetRows:
    """The Committee summary sheet: the numbers and lists a committee reads."""
    c = p.committee
    s = SheetRows(SHEET_COMMITTEE, kinds=[None, None, "wrap"], widths=[44.0, 12.0, 48.0])
    council = getattr(p.settings, "council_name", "") or ""
    s.add("title", [f"Partnership portfolio {p.year}: committee summary" + (f", {council}" if council else "")])
    s.add("note", [f"As at {p.as_of:%d %B %Y}"])
    s.add("section", ["The portfolio", None, None])
    s.add("body", ["Partnerships in the register", c["partnerships"]])
    s.add("body", [f"Reviewed for {p.year}", c["reviewed_this_year"]])
    s.add("money", ["Total council contribution a year (excluding Closed)", c["total_contribution_gbp"]])
    s.add("body", ["Total officer days a year (excluding Closed)", c["total_officer_days"]])
    s.add("body", ["Provisional reviews (some entries could not be read)", c["provisional"]])
    s.add("body", ["Reviews overdue", c["overdue"]])
    s.add("body", ["Actions overdue (due before the as-of date)", c.get("overdue_actions", 0)])
    s.add("body", ["Actions with no owner", c.get("unowned_actions", 0)])
    s.add("body", ["Reviews with a low response from the partners", c.get("low_response", 0)])
    s.add("body", ["Arrangements outside the strategy's scope", c["out_of_scope"]])
    for title, counts in (("By status", c["by_status"]), ("By tier", c["by_tier"]),
                          ("By overall rating (red, amber, green)", c["by_rag"])):
        s.add("section", [title, None, None])
        for k, v in counts.items():
            s.add("rag" if k in RAG_COLOURS else "body", [k, v])
    s.add("section", [f"Year-on-year movement of the {c['reviewed_this_year']} reviewed (overall score against the "
                      "previous review)", None, None])
    for k, v in c["movement"].items():
        s.add("body", [k.capitalize(), v])
    for pid, name, why in c["not_comparable"]:
        s.add("body", [f"   {pid} {name}", None, f"Not comparable: {why}"])
    s.add("section", ["Partnerships flagged", None, None])
    if not c["flagged"]:
        s.add("body", ["None", None])
    for pid, name, flags in c["flagged"]:
        s.add("body", [f"{pid} {name}", None, flags])
    if p.problems:
        s.add("section", ["Problems", None, None])
        s.add("body", ["Workbooks left out whole (see the Problems sheet)", c["workbooks_left_out"]])
        s.add("body", ["Workbooks with entries left out (see the Problems sheet)",
                       len({x.file for x in p.problems}) - c["workbooks_left_out"]])
    return s
