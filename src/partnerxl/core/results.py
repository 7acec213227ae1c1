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
    model_config = ConfigDict(extra="forbid")


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
