"""The sections of a one-page summary (`summaries.py`), top to bottom, each adding rows to a `Page`.

A `Page` only collects rows with the height each needs; summaries.py measures the whole page, asks for shorter
lists until it fits one A4 page at 100%, and then writes it. `Limits` says how much of each list to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from partnerxl.core.guidance import choose_guides
from partnerxl.core.instruments import load_instruments
from partnerxl.core.portfolio import PartnershipResult
from partnerxl.core.scoring import priority_cutoff, rag_ranges
from partnerxl.core.values import fit_cell
from partnerxl.documents.xlsx import text_lines
from partnerxl.sheets import reports as R

WIDTHS = list(R.SUMMARY_COLUMNS.values())
LAST = len(WIDTHS) - 1
FULL = (0, LAST)
TEXT = (1, LAST)


@dataclass
class Row:
    kind: str                                   # title, line, section, pair, cells, gap, chart
    values: list[Any]
    spans: list[tuple[int, int]]
    height: float
    style: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    """How much of each list the page shows; summaries.py tightens these until the page fits."""
    facts: bool = True
    strengths: int = R.MAX_LIST
    gaps: int = R.MAX_LIST
    factors: bool = True
    plan: int = R.MAX_LIST
    actions: int = 99          # possible actions shown per priority benchmark
    guides: int = 3
    fitness: int = 9
    flag_reasons: bool = True
    split: bool = True
    checklist: bool = True

    def tighter(self) -> "Limits | None":
        """The next smaller page, or None when nothing more can be cut."""
        for field_name, smaller in (("factors", False), ("gaps", 0), ("strengths", 3), ("facts", False),
                                    ("strengths", 0), ("actions", 3), ("plan", 4), ("fitness", 4),
                                    ("flag_reasons", False), ("checklist", False), ("actions", 2), ("plan", 3),
                                    ("fitness", 3), ("actions", 1), ("plan", 2), ("fitness", 2),
                                    ("guides", 2), ("split", False), ("plan", 1), ("fitness", 1), ("guides", 1)):
            if getattr(self, field_name) > smaller:
                return replace(self, **{field_name: smaller})
        return None


def _width(span: tuple[int, int]) -> float:
    return sum(WIDTHS[span[0]:span[1] + 1])


class Page:
    """The rows of a summary page, each with the height its wrapped text needs."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    @property
    def height(self) -> float:
        return sum(r.height for r in self.rows)

    def _lines(self, values: list[Any], spans: list[tuple[int, int]], size: float = R.BODY_SIZE) -> float:
        n = max(text_lines(v, _width(s), size=size) if isinstance(v, str) else 1 for v, s in zip(values, spans))
        return n * R.LINE_PT * size / R.BODY_SIZE + 3

    def title(self, text: str) -> None:
        self.rows.append(Row("title", [text], [(0, LAST - 1)], 22))

    def line(self, text: str, *, italic: bool = False, size: float = R.BODY_SIZE) -> None:
        self.rows.append(Row("line", [text], [FULL], self._lines([text], [FULL], size),
                             {"italic": italic, "size": size}))

    def section(self, text: str) -> None:
        self.rows.append(Row("section", [text], [FULL], 15))

    def pair(self, label: str, text: Any, *, bold: bool = False, fill: str | None = None) -> None:
        """A label in column A and text across the other columns."""
        values, spans = [label, text], [(0, 0), TEXT]
        self.rows.append(Row("pair", values, spans, self._lines(values, spans), {"bold": bold, "fill": fill}))

    def cells(self, values: list[Any], spans: list[tuple[int, int]], *, header: bool = False,
              fills: dict[int, str | None] | None = None, formats: dict[int, str] | None = None) -> None:
        self.rows.append(Row("cells", values, spans, self._lines(values, spans),
                             {"bold": header, "fills": fills or {}, "formats": formats or {}}))

    def gap(self, height: float = 5) -> None:
        self.rows.append(Row("gap", [], [], height))

    def chart(self, height: float) -> None:
        self.rows.append(Row("chart", [], [], height))


def _money(v: float | None) -> str:
    return "not recorded" if v is None else f"£{v:,.0f} a year"


def _date(d: Any) -> str:
    return f"{d:%d %b %Y}" if d else "none recorded"


def _more(n: int, noun: str, where: str) -> str:
    return f"… and {n} more {noun}, listed on {where}."


# --- the sections, in page order ---------------------------------------------------------------------------------

def header(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    e, review, score = result.entry, result.current.review, result.current.score
    page.title(f"Annual review {result.current.year}: {e.name}")
    # The council's name is in the page header of every page, so this line stays one line.
    page.line(" · ".join(x for x in (f"Partnership {e.id}", f"review of {_date(review.review_date)}",
                                      f"{score.respondents} respondent{'s' if score.respondents != 1 else ''}")
                         if x) + (f" · coordinated by {review.coordinator}" if review.coordinator else ""),
              italic=True)
    if result.recommendation:
        rec = result.recommendation
        colour = {"continue": "Green", "improve": "Amber"}.get(rec.verdict, "Red")
        page.pair("Recommendation", rec.line, bold=True, fill=R.RAG_COLOURS[colour])


def register_facts(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    e, sig = result.entry, result.significance
    page.section("The partnership")
    status = f"{e.status or 'not set'} · {sig.tier}" + ("" if e.in_scope or not e.arrangement else
                                                         f" · {e.arrangement}: outside the strategy's scope")
    resources = f"{_money(e.council_contribution_gbp)} · " + (
        "officer days not recorded" if e.officer_days is None else f"{e.officer_days:g} officer days a year")
    officer = " · ".join(x for x in (e.lead_officer, e.lead_officer_email) if x) or "none recorded"
    reviews = (f"last {_date(result.last_review)} · next due {_date(result.next_review_due)}"
               + (" (OVERDUE)" if result.overdue else ""))
    if not limits.facts:  # the short form: two lines
        page.pair("Status and resources", f"{status} · {resources}")
        page.pair("Lead officer, reviews", f"{officer} · {reviews}")
    else:
        page.pair("Status and tier", status)
        if e.purpose:
            page.pair("Purpose", e.purpose)
        page.pair("Lead officer", officer)
        if e.partners:
            page.pair("Partners", e.partners)
        page.pair("Council resources", resources)
        page.pair("Reviews", reviews)
    if result.flags:
        page.pair("Portfolio flags", "; ".join(f"{f.label}: {f.reason}" if limits.flag_reasons else f.label
                                               for f in result.flags))


SCORE_SPANS = [(0, 1), (2, 2), (3, 3), (4, 4), (5, 5)]


def scores(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    """The table of scores (area, score, previous, change, band and RAG), then room for the chart under it."""
    assert result.current is not None
    score, prev = result.current.score, result.previous
    page.section("Scores (1 to 4)")
    page.cells(["Area", f"Score {result.current.year}", f"Score {prev.year}" if prev else "Previous",
                "Change", "Band (rating)"], SCORE_SPANS, header=True)
    before = {a.id: a.score for a in prev.score.areas} if prev else {}
    rows = [(a.name, a, before.get(a.id), result.change.get(a.id)) for a in score.areas]
    rows.append(("Overall", score.overall, prev.score.overall.score if prev else None, result.change.get("overall")))
    for label, sc, previous, change in rows:
        band = sc.band or "not enough ratings"
        page.cells([label, sc.score, previous, "—" if change is None else f"{change:+.2f}",
                    f"{band} ({sc.rag})" if sc.rag else band], SCORE_SPANS, header=label == "Overall",
                   fills={4: R.RAG_COLOURS.get(sc.rag or "")}, formats={1: R.SCORE_FORMAT, 2: R.SCORE_FORMAT})
    page.chart(R.CHART_HEIGHT_PT)


def priorities(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    score = result.current.score
    page.section(f"Priority benchmarks (average below {priority_cutoff():g}, or partners split) and possible actions")
    shown = R.MAX_PRIORITY
    stats = {b.id: b for b in score.benchmarks}
    if not score.priority_benchmarks:
        page.line("None: no benchmark is below the line or split.")
    for bid in score.priority_benchmarks[:shown]:
        b = stats[bid]
        head = f"{bid} · average {b.mean:.2f}" + (" · split" if b.split else "")
        actions = b.possible_actions[:limits.actions]
        text = b.statement + (". Possible actions: " + "; ".join(actions) if actions else "")
        if len(b.possible_actions) > len(actions):
            text += f" (and {len(b.possible_actions) - len(actions)} more)"
        if b.action_needed:  # a cut keeps the owner: the action text gives way, never who will do it
            text = fit_cell(text + f"\nAgreed: {b.action_needed}",
                            keep=f" (by {b.by_whom})" if b.by_whom else " (no owner yet)")
        page.pair(head, text)
    more = len(score.priority_benchmarks) - shown
    if more > 0:
        page.line(_more(more, "priority benchmarks", "the review's Scores sheet"), italic=True)
    if score.split_benchmarks and limits.split:
        page.pair("Split: discuss", "Partners disagree (some say NO, some YES) on "
                  + ", ".join(score.split_benchmarks) + ". Talk these through before agreeing actions.")


def improvement_plan(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    improvement = result.current.score.improvement
    page.section("Improvement plan")
    spans = [(0, 2), (3, 4), (5, 5)]
    if not improvement.completed:
        page.line("The improvement template was not completed.")
    elif not improvement.plan:
        page.line("Every area of practice answered Yes: no improvement actions.")
    else:
        page.cells(["Action (area of practice)", "Owner", "Due"], spans, header=True)
        for p in improvement.plan[:limits.plan]:
            page.cells([f"{p.action or '(no action written)'} ({p.area})", p.owner or "NO OWNER",
                        _date(p.due) if p.due else "—"], spans, fills={1: None if p.owner else R.RAG_COLOURS["Amber"]})
        more = len(improvement.plan) - limits.plan
        if more > 0:
            page.line(_more(more, "items", "the Actions sheet of the Portfolio workbook"), italic=True)


def fitness(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    actions = result.current.score.fitness.actions
    if actions:
        page.section("Fitness for purpose: actions (questions answered No)")
        for a in actions[:limits.fitness]:
            page.cells([a.action, a.question], [(0, 1), (2, LAST)])
        if len(actions) > limits.fitness:
            page.line(_more(len(actions) - limits.fitness, "actions", "the Actions sheet of the Portfolio workbook"),
                      italic=True)


def strengths(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    score = result.current.score
    if limits.strengths == 0 or not score.strengths:
        return
    page.section("Working well (strengths)")
    stats = {b.id: b for b in score.benchmarks}
    for bid in score.strengths[:limits.strengths]:
        page.pair(bid, stats[bid].statement)
    if len(score.strengths) > limits.strengths:
        page.line(_more(len(score.strengths) - limits.strengths, "strengths", "the review's Scores sheet"),
                  italic=True)


def checklist(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    ck = result.current.score.checklist
    if not ck.completed:
        if "checklist" in result.missing:
            page.section("Partnership checklist")
            page.line("Not completed this year, though the partnership's tier requires it.")
        return
    if not limits.checklist:
        return
    page.section("Partnership checklist")
    page.pair("Readiness", ("not applicable" if ck.readiness is None else f"{ck.readiness * 100:.0f}%")
              + (f" · {len(ck.gaps)} question{'s' if len(ck.gaps) != 1 else ''} not fully met" if ck.gaps else ""))
    for g in ck.gaps[:limits.gaps]:
        page.pair(f"{g.id} ({g.status or 'unanswered'})", g.question)


def factors(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    ticked = [(a.name, a.factors) for a in result.current.score.areas if a.factors]
    if ticked and limits.factors:
        page.section("Typical factors ticked")
        for area_name, area_factors in ticked:
            page.pair(area_name, "; ".join(area_factors))


def guides(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    chosen = choose_guides(result.current.score, result.recommendation, load_instruments().guides)[:limits.guides]
    if chosen:
        page.section("Guides to read")
        for g in chosen:
            page.pair(g.title, g.first_sentence)


def footnote(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    """Whether the scores are provisional, and what the scores and colours mean."""
    assert result.current is not None
    score = result.current.score
    page.gap()
    if score.provisional:
        bad = [f for f in score.findings if f.severity == "error"]
        first = bad[0]
        page.line(f"Provisional: {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} in the review could not be read "
                  f"and {'was' if len(bad) == 1 else 'were'} left out of these scores (first: {first.sheet} sheet, "
                  f"cell {first.cell}: {first.message}). Correct the review and write the summary again.",
                  italic=True)
    rag = rag_ranges(ctx.settings)
    page.line(f"Ratings 1 (NO, action is needed) to 4 (YES, working well); red below {rag['Red'].high:g}, green "
              f"from {rag['Green'].low:g}.", italic=True)


SECTIONS = (header, register_facts, scores, priorities, improvement_plan, fitness, guides, strengths, checklist,
            factors, footnote)
