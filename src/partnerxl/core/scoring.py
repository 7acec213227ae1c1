"""The scoring rules of RULES.md §1.2–§2, as pure functions from models to results.

Everything an officer sees as a score is decided here and nowhere else. Arithmetic is done with exact fractions so
that a score that is 2.5 on paper is 2.5 here (a float mean of means can land on 2.4999999 and change a band);
results are converted to floats only at the end and are never rounded — rounding is for display.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from partnerxl.core.findings import Finding
from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.core.models import RegisterEntry, Review
from partnerxl.core.settings import Settings

Band = Literal["Action needed", "Action in hand", "Needs improving", "Working well"]
Rag = Literal["Red", "Amber", "Green"]
InstrumentName = Literal["checklist", "improvement", "benchmarks"]
INSTRUMENT_WORDS = {"checklist": "Checklist", "improvement": "Improvement template",  # as officers say
                    "benchmarks": "benchmark self-assessment"}

# Fixed by RULES.md §2 (not settings): band boundaries, the priority cut-off and the variance of a uniform 1–4 rating.
BAND_BOUNDS: list[tuple[Fraction, Band]] = [
    (Fraction(7, 2), "Working well"), (Fraction(5, 2), "Needs improving"), (Fraction(3, 2), "Action in hand"),
]
PRIORITY_MEAN_BELOW = Fraction(5, 2)
# The same boundaries doubled, for exact integer comparisons of a benchmark mean total/n (2·total against 2b·n).
_BAND_TWICE = [(int(2 * bound), band) for bound, band in BAND_BOUNDS]
_PRIORITY_TWICE = int(2 * PRIORITY_MEAN_BELOW)
UNIFORM_VARIANCE = Fraction(5, 4)  # (4² − 1) / 12


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _exact(score: float | Fraction) -> Fraction:
    # A float is taken at its shortest decimal spelling (3.8, not 3.7999…), so thresholds compare as written.
    return score if isinstance(score, Fraction) else Fraction(repr(float(score)))


def band_of(score: float | Fraction | None) -> Band | None:
    if score is None:
        return None
    score = _exact(score)
    for bound, band in BAND_BOUNDS:
        if score >= bound:
            return band
    return "Action needed"


def rag_of(score: float | Fraction | None, settings: Settings) -> Rag | None:
    if score is None:
        return None
    # Compare as exact fractions so a score of exactly the threshold is on the upper side.
    exact = _exact(score)
    if exact >= _exact(settings.rag_green_from):
        return "Green"
    if exact >= _exact(settings.rag_amber_from):
        return "Amber"
    return "Red"


def percent_of(score: Fraction | None) -> float | None:
    return None if score is None else float((score - 1) / 3 * 100)


def _f(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


# --- results ----------------------------------------------------------------------------------------------------

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
    kind: Literal["benchmark", "improvement"]
    id: str
    item: str
    action: str | None


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


class FitnessScore(_Result):
    completed: bool
    answered: int
    actions: list[FitnessAction]


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
    # Set by the operations layer: the review's findings, and whether any value had to be left out (an error).
    findings: list[Finding] = []
    provisional: bool = False


# --- benchmarks -------------------------------------------------------------------------------------------------

def benchmark_stats(ratings: list[int]) -> dict:
    """n, mean, min, max, counts, agreement, split and band for one benchmark's ratings.

    Worked from integer sums, so every decision is exact without fraction arithmetic (a rollup scores thousands
    of benchmarks): the mean is total/n, compared with a boundary b as 2·total against 2b·n.
    """
    n = len(ratings)
    counts = {str(v): ratings.count(v) for v in (1, 2, 3, 4)}
    if n == 0:
        return dict(n=0, mean=None, total=0, min=None, max=None, counts=counts, agreement=None, split=False,
                    band=None, below_priority=False)
    total = sum(ratings)
    agreement = None
    if n >= 2:
        # Sample variance s² = (n·Σr² − (Σr)²) / (n·(n − 1)); agreement = max(0, 1 − s² / (5/4)).
        num, den = n * sum(r * r for r in ratings) - total * total, n * (n - 1)
        agreement = max(0.0, (5 * den - 4 * num) / (5 * den))
    split = (counts["1"] + counts["2"]) > 0 and (counts["3"] + counts["4"]) > 0
    twice = 2 * total
    band = next((b for bound, b in _BAND_TWICE if twice >= bound * n), "Action needed")
    return dict(n=n, mean=Fraction(total, n), total=total, min=min(ratings), max=max(ratings), counts=counts,
                agreement=agreement, split=split, band=band,
                below_priority=twice < _PRIORITY_TWICE * n)


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _benchmark_results(review: Review,
                       inst: Instruments) -> tuple[list[BenchmarkStats], dict[str, Fraction], list[int]]:
    """Every benchmark's stats, the exact means of the rated ones, and all the ratings given."""
    stats: list[BenchmarkStats] = []
    exact_means: dict[str, Fraction] = {}
    all_ratings: list[int] = []
    for area in inst.benchmarks.areas:
        for b in area.benchmarks:
            ratings = [r.ratings[b.id] for r in review.respondents if b.id in r.ratings]
            all_ratings += ratings
            s = benchmark_stats(ratings)
            if s["mean"] is not None:
                exact_means[b.id] = s["mean"]
            act = review.benchmark_actions.get(b.id)
            priority = s["n"] > 0 and (s["below_priority"] or s["split"])
            stats.append(BenchmarkStats(
                id=b.id, area_id=area.id, statement=b.statement, n=s["n"],
                mean=s["total"] / s["n"] if s["n"] else None, min=s["min"], max=s["max"], counts=s["counts"],
                agreement=s["agreement"], split=s["split"], priority=priority, band=s["band"],
                possible_actions=list(b.possible_actions),
                action_needed=act.action_needed if act else None, by_whom=act.by_whom if act else None,
            ))
    return stats, exact_means, all_ratings


def _area_scores(review: Review, inst: Instruments, exact_means: dict[str, Fraction],
                 settings: Settings) -> tuple[list[AreaScore], Fraction | None]:
    """Each area's score from its benchmarks' exact means, and the overall score (None if an area has none)."""
    ticked = set(review.factors_ticked)
    areas: list[AreaScore] = []
    exact_area_scores: list[Fraction | None] = []
    for area in inst.benchmarks.areas:
        means = [exact_means[b.id] for b in area.benchmarks if b.id in exact_means]
        total = len(area.benchmarks)
        insufficient = 2 * len(means) < total  # fewer than half of the area's benchmarks rated
        score = None if insufficient else _mean(means)
        exact_area_scores.append(score)
        factors = [f.text for f in area.factors if f.id in ticked]
        areas.append(AreaScore(
            id=area.id, name=area.name, score=_f(score), percent=percent_of(score), band=band_of(score),
            rag=rag_of(score, settings), benchmarks_rated=len(means), benchmarks_total=total,
            insufficient=insufficient, factors_ticked=len(factors), factors=factors,
        ))
    overall = None if any(s is None for s in exact_area_scores) else _mean(exact_area_scores)  # type: ignore[arg-type]
    return areas, overall


def score_review(review: Review, settings: Settings | None = None, instruments: Instruments | None = None) -> ReviewScore:
    settings = settings or Settings()
    inst = instruments or load_instruments()
    stats, exact_means, all_ratings = _benchmark_results(review, inst)
    areas, overall = _area_scores(review, inst, exact_means=exact_means, settings=settings)
    ones, twos = all_ratings.count(1), all_ratings.count(2)
    rated = [s for s in stats if s.n > 0]
    priority = sorted((s for s in rated if s.priority), key=lambda s: (exact_means[s.id], s.id))
    improvement = score_improvement(review, inst)
    unowned = [UnownedAction(kind="benchmark", id=s.id, item=s.statement, action=s.action_needed)
               for s in stats if s.action_needed and not s.by_whom]
    unowned += [UnownedAction(kind="improvement", id=p.area, item=p.area_text, action=p.action)
                for p in improvement.plan if not p.owner]
    checklist = score_checklist(review, inst)
    fitness = score_fitness(review, inst)
    done: list[tuple[InstrumentName, bool]] = [("checklist", checklist.completed),
                                               ("improvement", improvement.completed), ("benchmarks", bool(all_ratings))]
    completed: list[InstrumentName] = [name for name, ok in done if ok]
    return ReviewScore(
        partnership_id=review.partnership_id, partnership_name=review.partnership_name, year=review.year,
        respondents=len(review.respondents),
        overall=Score(score=_f(overall), percent=percent_of(overall), band=band_of(overall), rag=rag_of(overall, settings)),
        areas=areas, benchmarks=stats,
        priority_benchmarks=[s.id for s in priority],
        split_benchmarks=[s.id for s in stats if s.split],
        strengths=[s.id for s in rated if s.band == "Working well" and not s.split],
        action_in_hand_share=None if ones + twos == 0 else twos / (ones + twos),
        unowned_actions=unowned, checklist=checklist, improvement=improvement, fitness=fitness,
        instruments_completed=completed,
    )


# --- checklist, improvement template, fitness review ------------------------------------------------------------

def _readiness(statuses: list[str | None]) -> Fraction | None:
    applicable = [s for s in statuses if s != "Not applicable"]
    if not applicable:
        return None
    points = sum(Fraction(1) if s == "Yes" else Fraction(1, 2) if s == "Partly" else Fraction(0) for s in applicable)
    return points / len(applicable)


def score_checklist(review: Review, inst: Instruments | None = None) -> ChecklistScore:
    inst = inst or load_instruments()
    status = {qid: a.status for qid, a in review.checklist.items() if a.status}
    completed = bool(status)
    sections, unanswered, gaps, every = [], [], [], []
    for sec in inst.checklist.sections:
        sts = [status.get(q.id) for q in sec.questions]
        every += sts
        missing = [q.id for q in sec.questions if q.id not in status]
        unanswered += missing
        gaps += [ChecklistGap(id=q.id, question=q.text, status=status.get(q.id))
                 for q in sec.questions if status.get(q.id) in (None, "No", "Partly")]
        sections.append(ChecklistSectionScore(
            id=sec.id, title=sec.title, readiness=_f(_readiness(sts)) if completed else None,
            questions=len(sec.questions), not_applicable=sts.count("Not applicable"), unanswered=missing,
        ))
    return ChecklistScore(
        completed=completed, readiness=_f(_readiness(every)) if completed else None, sections=sections,
        unanswered=unanswered, gaps=gaps if completed else [],
    )


def score_improvement(review: Review, inst: Instruments | None = None) -> ImprovementScore:
    inst = inst or load_instruments()
    answers = {aid: a for aid, a in review.improvement.items() if a.answer}
    yes = sum(1 for a in answers.values() if a.answer == "Yes")
    plan = [
        PlanItem(area=area.id, area_text=area.short, action=answers[area.id].action, owner=answers[area.id].owner,
                 due=answers[area.id].due)
        for area in inst.improvement.areas if area.id in answers and answers[area.id].answer == "No"
    ]
    return ImprovementScore(
        completed=bool(answers), practice_score=(yes / len(answers)) if answers else None, answered=len(answers),
        yes=yes, plan=plan,
    )


def score_fitness(review: Review, inst: Instruments | None = None) -> FitnessScore:
    inst = inst or load_instruments()
    actions = [FitnessAction(id=q.id, question=q.question, action=q.action_if_no)
               for q in inst.fitness.questions if review.fitness.get(q.id) == "No"]
    return FitnessScore(completed=bool(review.fitness), answered=len(review.fitness), actions=actions)


# --- register: significance tier and gatekeeper (RULES.md §1.1–1.2) ---------------------------------------------

class Significance(_Result):
    tier: Literal["Significant", "Standard"]
    criteria_met: list[str]
    by_contribution: bool
    required_instruments: list[InstrumentName]


class GatekeeperResult(_Result):
    recommendation: Literal["proceed", "reconsider"]
    reasons: list[str]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def assess_significance(entry: RegisterEntry, settings: Settings | None = None,
                        instruments: Instruments | None = None) -> Significance:
    settings = settings or Settings()
    inst = instruments or load_instruments()
    long_lasting = entry.duration == "Permanent" or (
        entry.start_date is not None and entry.end_date is not None
        and entry.end_date >= _add_years(entry.start_date, settings.long_duration_years))
    holds = {
        "contribution": (entry.council_contribution_gbp or 0) >= settings.significant_contribution_gbp
        and entry.council_contribution_gbp is not None,
        "priority_impact": entry.priority_impact == "High",
        "risk": entry.risk == "High",
        "duration": long_lasting,
        "reliance": entry.reliance == "High",
    }
    met = [c.id for c in inst.register.significance.criteria if holds[c.id]]
    tier = "Significant" if len(met) >= settings.significance_min_criteria else "Standard"
    return Significance(tier=tier, criteria_met=met, by_contribution=holds["contribution"],
                        required_instruments=list(inst.register.significance.required_instruments[tier]))


def gatekeeper(entry: RegisterEntry, instruments: Instruments | None = None) -> GatekeeperResult | None:
    """Proceed only when every gatekeeper answer is the one that justifies a new partnership; None if not Proposed."""
    gate = (instruments or load_instruments()).register.gatekeeper
    if entry.status != gate.applies_to_status:
        return None
    reasons = []
    for q in gate.questions:
        answer = getattr(entry, q.field)
        if answer is None:
            reasons.append(f"Not answered: {q.question}")
        elif answer != q.proceed_answer:
            reasons.append(q.reason_if_not)
    return GatekeeperResult(recommendation="reconsider" if reasons else "proceed", reasons=reasons)


def missing_instruments(score: ReviewScore, tier: str, instruments: Instruments | None = None) -> list[str]:
    """Instruments the tier requires (RULES.md §1.2) that the review did not complete."""
    required = (instruments or load_instruments()).register.significance.required_instruments.get(tier, [])
    return [name for name in required if name not in score.instruments_completed]
