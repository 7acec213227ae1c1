"""The sections of a one-page summary (`summaries.py`), top to bottom, each adding rows to a `Page`.

A `Page` only collects rows with the height each needs; summaries.py measures the whole page, asks for shorter
lists until it fits one A4 page at 100%, and then writes it. `Limits` says how much of each list to show, and
`Limits.tighter` the order things give way: the long texts first (factors, checklist gaps, strengths, possible
actions), then fewer priority benchmarks, guides and actions, and only at the very end the partnership's purpose,
partners and checklist readiness. Overdue actions and actions with no owner are never cut: the key actions are
listed overdue first, then unowned (core/results.py's `key_actions`), and the list never shows fewer than those.
Every count and phrase the e-mail draft repeats comes from core/results.py, so the page and the draft agree.
A section's rows must depend only on the partnership, the context and the `Limits` fields it reads as attributes:
summaries.py keeps each section's rows by the values it read and builds it again only when one of them changes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from partnerxl.core.guidance import choose_guides
from partnerxl.core.instruments import load_instruments
from partnerxl.core.portfolio import PartnershipResult
from partnerxl.core.results import (action_counts, action_words, direction_words, key_actions, response_words,
                                    short_text)
from partnerxl.core.scoring import priority_cutoff, rag_ranges
from partnerxl.documents.text_fit import span_points, wrapped_lines
from partnerxl.sheets import reports as R

WIDTHS = list(R.SUMMARY_COLUMNS.values())
LAST = len(WIDTHS) - 1
FULL = (0, LAST)
TEXT = (1, LAST)
ACTION_SPANS = [(0, 2), (3, 4), (5, 5)]   # action (with what it answers) | owner | due date and mark
TITLE_SIZES = (R.TITLE_SIZE, 12)           # the title shrinks to 12 pt before it wraps; it is never cut


@dataclass
class Row:
    kind: str                                   # title, line, section, pair, cells, gap, chart
    values: list[Any]
    spans: list[tuple[int, int]]
    height: float
    style: dict[str, Any] = field(default_factory=dict)


# What gives way when the page is full, first cut first: the long texts, then fewer priority benchmarks, guides and
# actions, and the partnership's purpose, partners and checklist readiness only at the very end.
CUTS = (("factors", False), ("gaps", 3), ("strengths", 3), ("possible", 3), ("gaps", 0), ("strengths", 0),
        ("possible", 2), ("separate", False), ("split", False), ("possible", 1), ("guides", 2), ("priorities", 3),
        ("possible", 0), ("actions", 12), ("guides", 1), ("priorities", 2), ("actions", 8), ("priorities", 1),
        ("actions", 5), ("flag_reasons", False), ("actions", 3), ("guides", 0), ("facts", False),
        ("checklist", False), ("actions", 0))


@dataclass(frozen=True)
class Limits:
    """How much of each list the page shows (more is looser); summaries.py tightens these until the page fits,
    then gives back what still fits."""
    separate: bool = True      # status, resources, lead officer and reviews on lines of their own (else two lines)
    facts: bool = True         # purpose and partners
    flag_reasons: bool = True
    actions: int = 99          # key actions listed (never fewer than the overdue and unowned ones)
    priorities: int = R.MAX_PRIORITY
    possible: int = 99         # possible actions shown per priority benchmark
    split: bool = True
    checklist: bool = True     # the readiness line
    gaps: int = R.MAX_LIST
    strengths: int = R.MAX_LIST
    factors: bool = True
    guides: int = 3

    def tighter(self) -> "Limits | None":
        """The next smaller page, or None when nothing more can be cut."""
        for name, smaller in CUTS:
            if getattr(self, name) > smaller:
                return _with(self, name, smaller)
        return None

    def loosened(self, fits: Callable[["Limits"], bool]) -> "Limits":
        """Give back, last cut first, the most of each list that still `fits` (a cut late in the order can free
        more room than it needed)."""
        limits = self
        for name in dict.fromkeys(n for n, _v in reversed(CUTS)):
            now, default = getattr(limits, name), getattr(Limits(), name)
            steps = sorted({default, *(v for n, v in CUTS if n == name)}, reverse=True)
            for value in (v for v in steps if v > now):
                trial = _with(limits, name, value)
                if fits(trial):
                    limits = trial
                    break
        return limits


@functools.lru_cache(maxsize=1024, typed=True)
def _with(limits: Limits, name: str, value: Any) -> Limits:
    # Every summary's plan asks for the same few sets of limits, and replace() costs more than the look-up.
    return replace(limits, **{name: value})


@functools.lru_cache(maxsize=None)
def _room(span: tuple[int, int]) -> float:
    """Points of text a cell spanning these columns holds on one line."""
    return span_points(WIDTHS[span[0]:span[1] + 1])


class Page:
    """The rows of a summary page, each with the height its wrapped text needs."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    @property
    def height(self) -> float:
        return sum(r.height for r in self.rows)

    def _lines(self, values: list[Any], spans: list[tuple[int, int]], size: float = R.BODY_SIZE,
               bold: tuple[bool, ...] = ()) -> float:
        """The height of a row: its tallest cell's lines, measured in the font's own widths (text_fit.py)."""
        n = max(wrapped_lines(v, _room(s), size, bold=i < len(bold) and bold[i]) if isinstance(v, str) else 1
                for i, (v, s) in enumerate(zip(values, spans)))
        return n * R.LINE_PT * size / R.BODY_SIZE + 3

    def title(self, text: str, span: tuple[int, int]) -> None:
        """The whole title: at 14 pt when it fits one line, else at 12 pt, wrapped if it must be."""
        size = next((s for s in TITLE_SIZES if wrapped_lines(text, _room(span), s, bold=True) == 1), TITLE_SIZES[-1])
        lines = wrapped_lines(text, _room(span), size, bold=True)
        self.rows.append(Row("title", [text], [span], lines * size * 1.25 + 6, {"size": size}))

    def line(self, text: str, *, italic: bool = False, size: float = R.BODY_SIZE) -> None:
        self.rows.append(Row("line", [text], [FULL], self._lines([text], [FULL], size),
                             {"italic": italic, "size": size}))

    def section(self, text: str) -> None:
        self.rows.append(Row("section", [text], [FULL], 15))

    def pair(self, label: str, text: Any, *, bold: bool = False, fill: str | None = None) -> None:
        """A label in column A and text across the other columns."""
        values, spans = [label, text], [(0, 0), TEXT]
        self.rows.append(Row("pair", values, spans, self._lines(values, spans, bold=(True, bold)),
                             {"bold": bold, "fill": fill}))

    def cells(self, values: list[Any], spans: list[tuple[int, int]], *, header: bool = False,
              fills: dict[int, str | None] | None = None, formats: dict[int, str] | None = None) -> None:
        self.rows.append(Row("cells", values, spans, self._lines(values, spans, bold=(header,) * len(values)),
                             {"bold": header, "fills": fills or {}, "formats": formats or {}}))

    def gap(self, height: float = 5) -> None:
        self.rows.append(Row("gap", [], [], height))

    def chart(self, height: float) -> None:
        self.rows.append(Row("chart", [], [], height))


def _money(v: float | None) -> str:
    return "not recorded" if v is None else f"£{v:,.0f} a year"


def _date(d: Any) -> str:
    return f"{d:%d %b %Y}" if d else "none recorded"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _area_names(result: PartnershipResult) -> dict[str, str]:
    assert result.current is not None
    return {a.id: a.name for a in result.current.score.areas}


# --- the sections, in page order ---------------------------------------------------------------------------------

def header(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    e, review, score = result.entry, result.current.review, result.current.score
    # The logo, when there is one, sits over column F: the title then leaves it free.
    page.title(f"Annual review {result.current.year}: {e.name}", (0, LAST - 1) if ctx.settings.logo_path else FULL)
    parts = [f"Partnership {e.id}", f"review of {_date(review.review_date)}",
             response_words(score.returned, len(score.invited), score.respondents)]
    page.line(" · ".join(parts) + (f" · coordinated by {review.coordinator}" if review.coordinator else ""),
              italic=True)
    if result.recommendation:
        rec = result.recommendation
        colour = {"continue": "Green", "improve": "Amber"}.get(rec.verdict, "Red")
        page.pair("Recommendation", rec.line, bold=True, fill=R.RAG_COLOURS[colour])
    page.pair("Direction of travel", direction_of(result))


def direction_of(result: PartnershipResult) -> str:
    prev = result.previous
    return direction_words(result.movement, result.change.get("overall"),
                           prev.score.overall.score if prev else None, prev.year if prev else None,
                           result.not_comparable)


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
    page.pair("Status and tier", status if limits.separate else f"{status} · {resources}")
    if e.purpose and limits.facts:
        page.pair("Purpose", e.purpose)
    if e.partners and limits.facts:
        page.pair("Partners", e.partners)
    if limits.separate:
        page.pair("Lead officer", officer)
        page.pair("Council resources", resources)
        page.pair("Reviews", reviews)
    else:
        page.pair("Lead officer", f"{officer} · reviews: {reviews}")
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


def actions(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    """One table of the review's actions (improvement plan, fitness, agreed benchmark actions): overdue first, then
    those with no owner, each with its owner and due date; never fewer than the overdue and unowned ones."""
    listed = key_actions(result.actions)
    page.section(f"Key actions: {action_counts(listed)}")
    if not listed:
        page.line("No improvement-plan, fitness or benchmark actions were recorded in this review.")
        return
    must = sum(1 for a in listed if a.overdue or a.unowned)
    shown = listed[:max(limits.actions, must)]
    page.cells(["Action (and what it answers)", "Owner", "Due"], ACTION_SPANS, header=True)
    red, amber = R.RAG_COLOURS["Red"], R.RAG_COLOURS["Amber"]
    for a in shown:
        due = (_date(a.due) + (" · OVERDUE" if a.overdue else "")) if a.due else "no date set"
        page.cells([action_words(a), a.owner or "NO OWNER", due], ACTION_SPANS,
                   fills={1: None if a.owner else amber, 2: red if a.overdue else None})
    rest = len(listed) - len(shown)
    if rest:
        page.line(f"… and {_plural(rest, 'more action')}, none overdue and each with an owner.", italic=True)


def priorities(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    score = result.current.score
    page.section(f"Priority benchmarks (average below {priority_cutoff():g}, or partners split) and possible actions")
    stats, areas = {b.id: b for b in score.benchmarks}, _area_names(result)
    if not score.priority_benchmarks:
        page.line("None: no benchmark is below the line or split.")
        return
    shown = score.priority_benchmarks[:min(limits.priorities, R.MAX_PRIORITY)]
    for bid in shown:
        b = stats[bid]
        head = f"{areas.get(b.area_id, '')} · {b.mean:.2f}" + (" · split" if b.split else "")
        possible = b.possible_actions[:limits.possible]
        text = b.statement + (". Possible actions: " + "; ".join(possible) if possible else "")
        if len(b.possible_actions) > len(possible) and possible:
            text += f" (and {len(b.possible_actions) - len(possible)} more)"
        page.pair(head, text)
    more = len(score.priority_benchmarks) - len(shown)
    if more > 0:
        page.line(f"… and {_plural(more, 'more priority benchmark')}.", italic=True)
    split = score.split_benchmarks
    if split and limits.split:
        marked = sum(1 for b in shown if b in split)
        page.pair("Split: discuss", f"Partners disagree (some say NO, some YES) on {_plural(len(split), 'statement')}"
                  + (f" ({marked} marked split above)" if marked else "") + ". Talk these through before agreeing "
                  "actions.")


def strengths(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    score = result.current.score
    if limits.strengths == 0 or not score.strengths:
        return
    page.section("Working well (strengths)")
    stats, areas = {b.id: b for b in score.benchmarks}, _area_names(result)
    for bid in score.strengths[:limits.strengths]:
        page.pair(areas.get(stats[bid].area_id, ""), stats[bid].statement)
    if len(score.strengths) > limits.strengths:
        page.line(f"… and {_plural(len(score.strengths) - limits.strengths, 'more strength')}.", italic=True)


GAP_WORDS = {"No": "No", "Partly": "Partly", None: "Not answered"}


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
              + (f" · {_plural(len(ck.gaps), 'question')} not fully met" if ck.gaps else " · every question met"))
    for g in ck.gaps[:limits.gaps]:
        page.pair(GAP_WORDS.get(g.status, g.status or "Not answered"), g.question)
    if 0 < limits.gaps < len(ck.gaps):
        page.line(f"… and {_plural(len(ck.gaps) - limits.gaps, 'more question')} not fully met.", italic=True)


def factors(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    ticked = [(a.name, a.factors) for a in result.current.score.areas if a.factors]
    if ticked and limits.factors:
        page.section("Typical factors ticked")
        for area_name, area_factors in ticked:
            page.pair(area_name, "; ".join(area_factors))


@functools.lru_cache(maxsize=256)
def guide_quote(description: str) -> str:
    """What a guide offers, in its own words: its sentence about what 'this document' or 'this paper' does (not
    one that only promises links), else the questions it asks, else its first sentence."""
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", " ".join(description.split())) if s.strip()]
    offers = [s for s in sentences if re.match(r"(This|The) (document|paper)\b", s)
              and not re.search(r"\balso (includes|contains) links\b", s)]
    if offers:
        return offers[0]
    questions = [s.rsplit(": ", 1)[-1] for s in sentences if s.endswith("?")]  # the questions, not their lead-in
    if questions:
        return "Asks: " + " ".join(questions)
    return sentences[0] if sentences else ""


def guides(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    assert result.current is not None
    chosen = choose_guides(result.current.score, result.recommendation, load_instruments().guides)[:limits.guides]
    if chosen:
        page.section("Guides to read")
        for g in chosen:
            page.pair(g.title, guide_quote(g.description))


def footnote(page: Page, result: PartnershipResult, ctx: Any, limits: Limits) -> None:
    """Whether the scores are provisional, and what the scores and colours mean."""
    assert result.current is not None
    score = result.current.score
    page.gap()
    if score.provisional:
        bad = [f for f in score.findings if f.severity == "error"]
        one = len(bad) == 1
        page.line(f"Provisional: {len(bad)} entr{'y' if one else 'ies'} in the review could not be read and "
                  f"{'was' if one else 'were'} left out of these scores (the first: {bad[0].message}). The officer "
                  "corrects the review and writes the summary again.", italic=True)
    rag = rag_ranges(ctx.settings)
    page.line(f"Ratings 1 (NO, action is needed) to 4 (YES, working well); red below {rag['Red'].high:g}, green "
              f"from {rag['Green'].low:g}.", italic=True)


SECTIONS = (header, register_facts, scores, actions, priorities, checklist, guides, strengths, factors, footnote)

__all__ = ["Limits", "Page", "Row", "SECTIONS", "direction_of", "guide_quote", "short_text"]
