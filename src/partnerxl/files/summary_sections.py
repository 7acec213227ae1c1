"""The sections of a one-page summary (`summaries.py`), top to bottom, each written by one function onto a
`SummarySheet` cursor."""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList

from partnerxl.core.guidance import choose_guides
from partnerxl.core.instruments import load_instruments
from partnerxl.core.portfolio import PartnershipResult, Portfolio
from partnerxl.sheets import reports as L

NCOLS = len(L.SUMMARY_COLUMNS)
TEXT_WIDTH = sum(list(L.SUMMARY_COLUMNS.values())[1:])  # columns B–E merged


_FONTS: dict[tuple, L.Font] = {}


def _font(bold: bool = False, italic: bool = False, size: float = L.SUMMARY_FONT_SIZE, color: str | None = None) -> L.Font:
    """Shared Font objects: openpyxl hashes every style it is given, so reusing them keeps summaries fast."""
    key = (bold, italic, size, color)
    if key not in _FONTS:
        _FONTS[key] = L.Font(bold=bold, italic=italic, size=size, color=color)
    return _FONTS[key]


class SummarySheet:
    """A cursor over the summary sheet that writes rows and sizes them for wrapped text."""

    def __init__(self, ws: Any):
        self.ws = ws
        self.row = 1
        self.font = _font()

    def _height(self, lines: int) -> None:
        self.ws.row_dimensions[self.row].height = max(1, lines) * L.LINE_HEIGHT_PT + 2

    def title(self, text: str) -> None:
        L.put(self.ws, self.row, 1, text, font=L.TITLE_FONT)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=NCOLS)
        self.ws.row_dimensions[self.row].height = 22
        self.row += 1

    def section(self, text: str) -> None:
        for c in range(1, NCOLS + 1):
            self.ws.cell(row=self.row, column=c).fill = L.SECTION_FILL
        L.put(self.ws, self.row, 1, text, font=_font(bold=True, size=L.SUMMARY_FONT_SIZE + 1, color=L.palette.TITLE_TEXT))
        self.ws.row_dimensions[self.row].height = 16
        self.row += 1

    def pair(self, label: str, text: Any, *, bold: bool = False, fill: Any = None) -> None:
        """A label in column A and text across B–E."""
        L.put(self.ws, self.row, 1, label, font=_font(bold=True), wrap=True)
        L.put(self.ws, self.row, 2, text, font=_font(bold=bold), wrap=True, fill=fill)
        self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=NCOLS)
        text_s = "" if text is None else str(text)
        self._height(max(L.lines_needed(text_s, TEXT_WIDTH), L.lines_needed(label, L.SUMMARY_COLUMNS["A"])))
        self.row += 1

    def line(self, text: str, *, italic: bool = False) -> None:
        L.put(self.ws, self.row, 1, text, font=_font(italic=italic), wrap=True)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=NCOLS)
        self._height(L.lines_needed(text, sum(L.SUMMARY_COLUMNS.values())))
        self.row += 1

    def cells(self, values: list[Any], *, header: bool = False, fills: dict[int, Any] | None = None,
              formats: dict[int, str] | None = None) -> None:
        font = _font(bold=header)
        lines = 1
        for c, v in enumerate(values, start=1):
            L.put(self.ws, self.row, c, v, font=font, wrap=True, fill=(fills or {}).get(c),
                  number_format=(formats or {}).get(c))
            width = list(L.SUMMARY_COLUMNS.values())[c - 1]
            lines = max(lines, L.lines_needed(v if isinstance(v, str) else None, width))
        self._height(lines)
        self.row += 1

    def gap(self) -> None:
        self.ws.row_dimensions[self.row].height = 6
        self.row += 1


def _money(v: float | None) -> str:
    return "not recorded" if v is None else f"£{v:,.0f} a year"


def _date(d: Any) -> str:
    return f"{d:%d %b %Y}" if d else "none recorded"


def _more(items: list[Any], limit: int) -> tuple[list[Any], int]:
    return items[:limit], max(0, len(items) - limit)


# --- the sections, in page order ---------------------------------------------------------------------------------

def header(s: SummarySheet, result: PartnershipResult) -> None:
    assert result.current is not None
    e, review, score = result.entry, result.current.review, result.current.score
    s.title(f"Annual review {result.current.year}: {e.name}")
    s.line(f"Partnership {e.id} · review of {_date(review.review_date)} · {score.respondents} respondent(s)"
           + (f" · coordinated by {review.coordinator}" if review.coordinator else ""), italic=True)
    if result.recommendation:
        rec = result.recommendation
        fill = {"continue": L.RAG_FILL["Green"], "improve": L.RAG_FILL["Amber"]}.get(rec.verdict, L.RAG_FILL["Red"])
        s.pair("Recommendation", rec.line, bold=True, fill=fill)


def register_facts(s: SummarySheet, result: PartnershipResult) -> None:
    e, sig = result.entry, result.significance
    s.section("The partnership (from the register)")
    criteria = [c.text for c in load_instruments().register.significance.criteria if c.id in sig.criteria_met]
    s.pair("Status and tier", f"{e.status or 'not set'} · {sig.tier}"
           + (f" ({'; '.join(criteria)})" if criteria else ""))
    s.pair("Arrangement", (e.arrangement or "not set") + ("" if e.in_scope or not e.arrangement
                                                           else " — outside the strategy's scope"))
    if e.purpose:
        s.pair("Purpose", e.purpose)
    s.pair("Lead officer", " · ".join(x for x in (e.lead_officer, e.lead_officer_email) if x) or "none recorded")
    if e.partners:
        s.pair("Partners", e.partners)
    s.pair("Council resources", f"{_money(e.council_contribution_gbp)} · "
           + ("officer days not recorded" if e.officer_days is None else f"{e.officer_days:g} officer days a year"))
    s.pair("Reviews", f"last {_date(result.last_review)} · next due {_date(result.next_review_due)}"
           + (" (OVERDUE)" if result.overdue else ""))
    if result.flags:
        s.pair("Portfolio flags", "; ".join(f"{f.label}: {f.reason}" for f in result.flags))


def scores(s: SummarySheet, result: PartnershipResult) -> None:
    """The table of area scores, then the bar chart drawn from its score cells."""
    assert result.current is not None
    score, prev, ws = result.current.score, result.previous, s.ws
    s.section("Scores")
    change_head = f"Change since {prev.year}" if prev else "Change"
    s.cells(["Area", "", "Score", "Band", change_head], header=True)
    ws.merge_cells(start_row=s.row - 1, start_column=1, end_row=s.row - 1, end_column=2)
    first_area_row = s.row
    names = {a.id: a.name for a in score.areas}
    rows = [(names[a.id], a, result.change.get(a.id)) for a in score.areas]
    rows.append(("Overall", score.overall, result.change.get("overall")))
    for label, sc, change in rows:
        band = sc.band or "insufficient ratings"
        rag = f"{band} ({sc.rag})" if sc.rag else band
        change_v = "—" if change is None else f"{change:+.2f}"
        s.cells([label, "", sc.score, rag, change_v], header=label == "Overall",
                fills={4: L.RAG_FILL.get(sc.rag)}, formats={3: L.SCORE_FORMAT})
        ws.merge_cells(start_row=s.row - 1, start_column=1, end_row=s.row - 1, end_column=2)
    last_area_row = first_area_row + len(score.areas) - 1
    _area_chart(ws, first=first_area_row, last=last_area_row, anchor_row=s.row, year=result.current.year)
    for _ in range(L.CHART_ROWS):
        ws.row_dimensions[s.row].height = 15
        s.row += 1


def _area_chart(ws: Any, *, first: int, last: int, anchor_row: int, year: int) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = f"Area scores {year} (1–4)"
    chart.legend = None
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 4
    chart.y_axis.majorUnit = 1
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"   # area 1 at the top, like the table
    data = Reference(ws, min_col=3, min_row=first, max_row=last)
    cats = Reference(ws, min_col=1, min_row=first, max_row=last)
    chart.add_data(data, titles_from_data=False)
    chart.set_categories(cats)
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showCatName = False
    chart.dataLabels.showSerName = False
    chart.dataLabels.showLegendKey = False
    chart.width, chart.height = L.CHART_SIZE_CM
    ws.add_chart(chart, f"A{anchor_row}")


def strengths(s: SummarySheet, result: PartnershipResult) -> None:
    assert result.current is not None
    score = result.current.score
    s.section("Working well (strengths)")
    shown, more = _more(score.strengths, L.MAX_LIST)
    stats = {b.id: b for b in score.benchmarks}
    if not shown:
        s.line("No benchmark is rated 'working well' by the partners as a whole yet.")
    for bid in shown:
        s.pair(bid, stats[bid].statement)
    if more:
        s.line(f"… and {more} more: " + ", ".join(score.strengths[L.MAX_LIST:]))


def priorities(s: SummarySheet, result: PartnershipResult) -> None:
    assert result.current is not None
    score = result.current.score
    s.section("Priority benchmarks (mean below 2.5 or partners split) with possible actions")
    prio, more = _more(score.priority_benchmarks, L.MAX_PRIORITY)
    stats = {b.id: b for b in score.benchmarks}
    if not prio:
        s.line("None.")
    for bid in prio:
        b = stats[bid]
        head = f"{bid} · mean {b.mean:.2f}" + (" · split" if b.split else "")
        text = f"{b.statement}\nPossible actions: " + "; ".join(b.possible_actions)
        if b.action_needed:
            text += f"\nAgreed: {b.action_needed}" + (f" (by {b.by_whom})" if b.by_whom else " (no owner yet)")
        s.pair(head, text)
    if more:
        s.line(f"… and {more} more: " + ", ".join(score.priority_benchmarks[L.MAX_PRIORITY:]))
    if score.split_benchmarks:
        s.pair("Split: discuss", "Partners disagree (some say NO, some YES) on "
               + ", ".join(score.split_benchmarks) + ". Talk these through before agreeing actions.")


def factors(s: SummarySheet, result: PartnershipResult) -> None:
    assert result.current is not None
    ticked = [(a.name, a.factors) for a in result.current.score.areas if a.factors]
    if ticked:
        s.section("Typical factors ticked")
        for area_name, area_factors in ticked:
            s.pair(area_name, "; ".join(area_factors))


def checklist(s: SummarySheet, result: PartnershipResult) -> None:
    assert result.current is not None
    s.section("Partnership checklist")
    ck = result.current.score.checklist
    if not ck.completed:
        s.line("Not completed this year." + (" Its tier requires it." if "checklist" in result.missing else ""))
        return
    s.pair("Readiness", "not applicable" if ck.readiness is None else f"{ck.readiness * 100:.0f}%")
    gaps, more = _more(ck.gaps, L.MAX_LIST)
    for g in gaps:
        s.pair(f"{g.id} ({g.status or 'unanswered'})", g.question)
    if more:
        s.line(f"… and {more} more gaps: " + ", ".join(g.id for g in ck.gaps[L.MAX_LIST:]))


def improvement_plan(s: SummarySheet, result: PartnershipResult) -> None:
    assert result.current is not None
    improvement = result.current.score.improvement
    s.section("Improvement plan")
    plan, more = _more(improvement.plan, L.MAX_LIST)
    if not improvement.completed:
        s.line("The improvement template was not completed.")
    elif not plan:
        s.line("Every area of practice answered Yes: no improvement actions.")
    else:
        s.cells(["Area", "Action", "Owner", "Due", ""], header=True)
        for p in plan:
            s.cells([f"{p.area} {p.area_text}", p.action or "(no action written)", p.owner or "NO OWNER",
                     _date(p.due) if p.due else "—", ""])
    if more:
        s.line(f"… and {more} more items: see the Actions sheet of the Portfolio workbook.")


def fitness(s: SummarySheet, result: PartnershipResult) -> None:
    assert result.current is not None
    actions = result.current.score.fitness.actions
    if actions:
        s.section("Fitness for purpose: actions")
        for a in actions:
            s.pair(a.id + " " + a.action, a.question + " — No")


def guides(s: SummarySheet, result: PartnershipResult) -> None:
    assert result.current is not None
    chosen = choose_guides(result.current.score, result.recommendation, load_instruments().guides)
    if chosen:
        s.section("Guides to read (partnership 'how to' guides)")
        for g in chosen:
            s.pair(g.title, g.first_sentence)


def footnote(s: SummarySheet, result: PartnershipResult, portfolio: Portfolio) -> None:
    """Whether the scores are provisional, and what the scores and RAG colours mean."""
    assert result.current is not None
    score = result.current.score
    s.gap()
    if score.provisional:
        bad = [f for f in score.findings if f.severity == "error"]
        first = bad[0]
        s.line(f"Provisional: {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} in the review could not be read and "
               f"{'was' if len(bad) == 1 else 'were'} left out of these scores (first: {first.sheet}!{first.cell}: "
               f"{first.message}). Correct the review and write the summary again.", italic=True)
    s.line(f"PartnerXL summary for {result.entry.id} {result.current.year}, as at {portfolio.as_of:%d %B %Y}. "
           "Scores: 1 = NO – action is needed … 4 = YES – working well; RAG Red below "
           f"{portfolio.settings.rag_amber_from:g}, Green from {portfolio.settings.rag_green_from:g}.", italic=True)
