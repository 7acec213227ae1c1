"""What scoring a review returns: the JSON contract of docs/scoring.md, as pydantic models.

The rules that fill these live in scoring.py (benchmarks, areas, instruments) and responses.py (invited
respondents, actions); keys are only ever added to these models, never renamed or removed.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from partnerxl.core.findings import Finding

Band = Literal["Serious concern", "Weak", "Needs improving", "Working well"]
Rag = Literal["Red", "Amber", "Green"]
InstrumentName = Literal["checklist", "improvement", "benchmarks"]
ActionKind = Literal["benchmark", "improvement", "fitness"]


class _Result(BaseModel):
    # Frozen: a result is worked out once and never changed, so equal results may be one object (core/compact.py
    # shares them across the thousands of reviews a portfolio keeps); a change is a model_copy.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Score(_Result):
    score: float | None
    percent: float | None
    band: Band | None
    rag: Rag | None


class AreaScore(Score):
    id: str
    name: str
    benchmarks_rated: int
    benchmarks_total: int
    insufficient: bool
    factors_ticked: int
    factors: list[str]


class BenchmarkStats(_Result):
    id: str
    area_id: str
    statement: str
    n: int
    mean: float | None
    min: int | None
    max: int | None
    counts: dict[str, int]
    agreement: float | None
    split: bool
    priority: bool
    band: Band | None
    possible_actions: list[str]
    action_needed: str | None
    by_whom: str | None


class UnownedAction(_Result):
    kind: ActionKind
    id: str
    item: str
    action: str | None


class ActionItem(_Result):
    """One entry of the review's action register: an improvement-plan item, a fitness action or a benchmark action,
    marked overdue (due before the as-of date) and unowned (nobody named)."""

    kind: ActionKind
    id: str
    item: str
    action: str | None
    owner: str | None
    due: dt.date | None
    overdue: bool
    unowned: bool


class ChecklistSectionScore(_Result):
    id: str
    title: str
    readiness: float | None
    questions: int
    not_applicable: int
    unanswered: list[str]


class ChecklistGap(_Result):
    id: str
    question: str
    status: str | None


class ChecklistScore(_Result):
    completed: bool
    readiness: float | None
    sections: list[ChecklistSectionScore]
    unanswered: list[str]
    gaps: list[ChecklistGap]


class PlanItem(_Result):
    area: str
    area_text: str
    action: str | None
    owner: str | None
    due: dt.date | None
    overdue: bool = False
    unowned: bool = False


class ImprovementScore(_Result):
    completed: bool
    practice_score: float | None
    answered: int
    yes: int
    plan: list[PlanItem]


class FitnessAction(_Result):
    id: str
    question: str
    action: str
    owner: str | None = None
    due: dt.date | None = None
    overdue: bool = False
    unowned: bool = False


class FitnessScore(_Result):
    completed: bool
    answered: int
    actions: list[FitnessAction]


class InvitedStatus(_Result):
    """One invited respondent and whether a respondent column carries their ratings."""

    organisation: str
    name: str | None
    email: str | None
    returned: bool


class ReviewScore(_Result):
    """The scoring result: the JSON contract (`model_dump(mode="json")`) documented in docs/scoring.md."""

    partnership_id: str
    partnership_name: str | None
    year: int
    respondents: int
    overall: Score
    areas: list[AreaScore]
    benchmarks: list[BenchmarkStats]
    priority_benchmarks: list[str]
    split_benchmarks: list[str]
    strengths: list[str]
    action_in_hand_share: float | None
    unowned_actions: list[UnownedAction]
    checklist: ChecklistScore
    improvement: ImprovementScore
    fitness: FitnessScore
    instruments_completed: list[InstrumentName]
    # The annual cycle (docs/rules.md, "Invited respondents", "The annual cycle"): whom the officer invited, who
    # returned, and the action register.
    invited: list[InvitedStatus] = []
    returned: int = 0
    response_rate: float | None = None
    low_response: bool = False
    as_of: dt.date | None = None
    actions: list[ActionItem] = []
    overdue_actions: int = 0
    # Set by the operations layer: the review's findings, and whether any value had to be left out (an error).
    findings: list[Finding] = []
    provisional: bool = False


# --- what a summary and its e-mail draft say, worked out once (docs/rules.md, "Actions", "Trend and year-on-year
# change", "Response rate"), so the page and the draft give the same counts and the same words -------------------

ACTION_ORDER = {"improvement": 0, "fitness": 1, "benchmark": 2}
ACTION_SOURCES = {"improvement": "improvement plan", "fitness": "fitness for purpose", "benchmark": "benchmark"}
ACTION_CHARS = 240   # an action longer than this is shown by its start and "…"


def key_actions(actions: list[ActionItem]) -> list[ActionItem]:
    """A review's actions in the order a reader needs them: overdue first, then those with nobody named, then by
    due date (undated last); ties in the action register's order (improvement, fitness, benchmark, then id)."""
    return sorted(actions, key=lambda a: (not a.overdue, not a.unowned, a.due is None, a.due or dt.date.max,
                                          ACTION_ORDER.get(a.kind, 9), a.id))


def short_text(text: str, limit: int = 60) -> str:
    """A statement or question short enough for a table: whole when it fits, else up to its first colon (or a
    comma far enough in), else cut at a word with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    for mark in (":", ","):
        cut = text.find(mark)
        if 30 <= cut <= limit:
            return text[:cut]
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def action_words(a: ActionItem) -> str:
    """An action in words: what is to be done and what it answers, never an item code.
    'Review and clarify remit (fitness for purpose: Are the objectives and remit of the partnership clear?)'"""
    what = " ".join((a.action or "no action written yet").split())
    if len(what) > ACTION_CHARS:  # a whole essay typed as an action: the table shows its start, visibly cut
        what = what[:ACTION_CHARS].rsplit(" ", 1)[0] + "…"
    what = what[:1].upper() + what[1:]
    if a.kind == "improvement":
        return f"{what} (improvement plan)"
    return f"{what} ({ACTION_SOURCES.get(a.kind, a.kind)}: {short_text(a.item)})"


def action_counts(actions: list[ActionItem]) -> str:
    """How many actions, and how many of them are overdue or have nobody named: '18 (5 overdue, 1 with no owner)',
    '2 (none overdue, each with an owner)', 'none'."""
    if not actions:
        return "none"
    overdue, unowned = sum(a.overdue for a in actions), sum(a.unowned for a in actions)
    extra = ", ".join(p for p in (f"{overdue} overdue" if overdue else "",
                                  f"{unowned} with no owner" if unowned else "") if p)
    if not extra:
        extra = "not overdue, with an owner" if len(actions) == 1 else "none overdue, each with an owner"
    return f"{len(actions)} ({extra})"


def direction_words(movement: str, change: float | None, previous_score: float | None,
                    previous_year: int | None, why: str | None) -> str:
    """The overall score's direction of travel in words: 'Declined since 2023: down 0.54 from 2.16'."""
    if movement in ("improved", "declined") and change is not None and previous_score is not None:
        return (f"{movement.capitalize()} since {previous_year}: {'up' if change > 0 else 'down'} "
                f"{abs(change):.2f} from {previous_score:.2f}")
    if movement == "unchanged" and previous_score is not None:
        return f"Unchanged since {previous_year} ({previous_score:.2f})"
    if movement == "not reviewed":
        return "Not reviewed this year"
    return "Not comparable" + (f": {why}" if why else "")


def response_words(returned: int, invited: int, respondents: int) -> str:
    """'3 of 7 invited returned their ratings' (or how many rated when nobody was listed as invited)."""
    if invited:
        return f"{returned} of {invited} invited returned their ratings"
    return f"{respondents} respondent{'s' if respondents != 1 else ''} rated (nobody listed as invited)"
