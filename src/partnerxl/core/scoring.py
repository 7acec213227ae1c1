"""The scoring rules (docs/rules.md, "Scoring", "Bands and RAG", "Splits and priorities"), as pure functions from
models to results.

Everything an officer sees as a score is decided here and nowhere else (the register's tier and gatekeeper in
significance.py, the annual cycle's response rate and action marks in cycle.py). Arithmetic is done with exact
fractions so that a score that is 2.5 on paper is 2.5 here (a float mean of means can land on 2.4999999 and change
a band); results are converted to floats only at the end and are never rounded — rounding is for display.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import lru_cache
from math import ceil
from typing import NamedTuple

from partnerxl.core import cycle
from partnerxl.core.compact import made
from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.core.models import Review
from partnerxl.core.results import (ActionItem, AreaScore, Band, BenchmarkStats, ChecklistGap,  # noqa: F401
                                    ChecklistScore, ChecklistSectionScore, FitnessAction, FitnessScore,
                                    ImprovementScore, InstrumentName, InvitedStatus, PlanItem, Rag, ReviewScore,
                                    Score, UnownedAction)
from partnerxl.core.settings import Settings
from partnerxl.core.significance import (GatekeeperResult, Significance, assess_significance,  # noqa: F401
                                         gatekeeper, missing_instruments)

INSTRUMENT_WORDS = {"checklist": "Checklist", "improvement": "Improvement template",  # as officers say
                    "benchmarks": "benchmark self-assessment"}

# Fixed, not settings (docs/rules.md, "Bands and RAG", "Splits and priorities"): band boundaries and the priority
# cut-off.
BAND_BOUNDS: list[tuple[Fraction, Band]] = [
    (Fraction(7, 2), "Working well"), (Fraction(5, 2), "Needs improving"), (Fraction(3, 2), "Weak"),
]
LOWEST_BAND: Band = "Serious concern"
PRIORITY_MEAN_BELOW = Fraction(5, 2)
# The same boundaries doubled, for exact integer comparisons of a benchmark mean total/n (2·total against 2b·n).
_BAND_TWICE = [(int(2 * bound), band) for bound, band in BAND_BOUNDS]
_PRIORITY_TWICE = int(2 * PRIORITY_MEAN_BELOW)


def _exact(score: float | Fraction) -> Fraction:
    # A float is taken at its shortest decimal spelling (3.8, not 3.7999…), so thresholds compare as written.
    return score if isinstance(score, Fraction) else _decimal(float(score))


@lru_cache(maxsize=1024)
def _decimal(x: float) -> Fraction:
    return Fraction(repr(x))


def band_of(score: float | Fraction | None) -> Band | None:
    if score is None:
        return None
    score = _exact(score)
    for bound, band in BAND_BOUNDS:
        if score >= bound:
            return band
    return LOWEST_BAND


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


class RagRange(NamedTuple):
    """Scores from `low` (inclusive) up to below `high`; None where the range has no end."""

    low: float | None
    high: float | None


def rag_ranges(settings: Settings) -> dict[Rag, RagRange]:
    """The council's RAG cut-offs as `rag_of` applies them, Green first: so a legend, a heading or a conditional
    format states the same thresholds as the colour a score was given (docs/rules.md, "Bands and RAG")."""
    amber, green = settings.rag_amber_from, settings.rag_green_from
    return {"Green": RagRange(green, None), "Amber": RagRange(amber, green), "Red": RagRange(None, amber)}


def priority_cutoff() -> float:
    """The mean below which a benchmark is a priority. Fixed, and not the Amber setting: a council that moves Amber
    does not change which benchmarks are priorities (docs/rules.md, "Splits and priorities")."""
    return float(PRIORITY_MEAN_BELOW)


def percent_of(score: Fraction | None) -> float | None:
    return None if score is None else float((score - 1) / 3 * 100)


def _f(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


# --- benchmarks -------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def split_needs(n: int, split_share: float = 0.25) -> int:
    """k = ceil(n × share): how many raters each side of the scale a split takes (2–4 raters: 1; 5–8: 2; 12: 3)."""
    return ceil(n * Fraction(repr(float(split_share))))


def benchmark_stats(ratings: list[int], split_share: float = 0.25) -> dict:
    """n, mean, min, max, counts, agreement, split and band for one benchmark's ratings.

    Worked from integer sums, so every decision is exact without fraction arithmetic (a rollup scores thousands
    of benchmarks): the mean is total/n, compared with a boundary b as 2·total against 2b·n. A split needs at least
    k = ceil(n × split_share) raters on each side (NO = 1 or 2, YES = 3 or 4), so one dissenter among many is not one.
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
    k = split_needs(n, split_share)
    split = n >= 2 and counts["1"] + counts["2"] >= k and counts["3"] + counts["4"] >= k
    twice = 2 * total
    band = next((b for bound, b in _BAND_TWICE if twice >= bound * n), LOWEST_BAND)
    return dict(n=n, mean=Fraction(total, n), total=total, min=min(ratings), max=max(ratings), counts=counts,
                agreement=agreement, split=split, band=band,
                below_priority=twice < _PRIORITY_TWICE * n)


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _benchmark_results(review: Review, inst: Instruments,
                       split_share: float) -> tuple[list[BenchmarkStats], dict[str, Fraction], list[int]]:
    """Every benchmark's stats, the exact means of the rated ones, and all the ratings given."""
    stats: list[BenchmarkStats] = []
    exact_means: dict[str, Fraction] = {}
    all_ratings: list[int] = []
    for area in inst.benchmarks.areas:
        for b in area.benchmarks:
            ratings = [r.ratings[b.id] for r in review.respondents if b.id in r.ratings]
            all_ratings += ratings
            s = benchmark_stats(ratings, split_share)
            if s["mean"] is not None:
                exact_means[b.id] = s["mean"]
            act = review.benchmark_actions.get(b.id)
            priority = s["n"] > 0 and (s["below_priority"] or s["split"])
            stats.append(made(BenchmarkStats,
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
        areas.append(made(AreaScore,
            id=area.id, name=area.name, score=_f(score), percent=percent_of(score), band=band_of(score),
            rag=rag_of(score, settings), benchmarks_rated=len(means), benchmarks_total=total,
            insufficient=insufficient, factors_ticked=len(factors), factors=factors,
        ))
    overall = None if any(s is None for s in exact_area_scores) else _mean(exact_area_scores)  # type: ignore[arg-type]
    return areas, overall


def _priority_order(s: BenchmarkStats, exact_means: dict[str, Fraction]) -> tuple:
    # Lowest mean first; among equal means the less agreed first (a single rating has no agreement: last), then id.
    return exact_means[s.id], s.agreement is None, s.agreement or 0.0, s.id


def score_review(review: Review, settings: Settings | None = None, instruments: Instruments | None = None, *,
                 as_of: dt.date | None = None) -> ReviewScore:
    """The review's scores; `as_of` is the day actions are judged overdue against (None: none is overdue)."""
    settings = settings or Settings()
    inst = instruments or load_instruments()
    stats, exact_means, all_ratings = _benchmark_results(review, inst, settings.split_share)
    areas, overall = _area_scores(review, inst, exact_means=exact_means, settings=settings)
    ones, twos = all_ratings.count(1), all_ratings.count(2)
    rated = [s for s in stats if s.n > 0]
    priority = sorted((s for s in rated if s.priority), key=lambda s: _priority_order(s, exact_means))
    improvement = score_improvement(review, inst)
    improvement = improvement.model_copy(update={"plan": cycle.mark_plan(improvement.plan, as_of)})
    fitness = score_fitness(review, inst)
    fitness = fitness.model_copy(update={"actions": cycle.mark_fitness(fitness.actions, review, as_of)})
    actions = cycle.action_register(improvement.plan, fitness.actions, stats)
    checklist = score_checklist(review, inst)
    done: list[tuple[InstrumentName, bool]] = [("checklist", checklist.completed),
                                               ("improvement", improvement.completed), ("benchmarks", bool(all_ratings))]
    invited = cycle.invited_status(review)
    came_back = sum(1 for i in invited if i.returned)
    rate = cycle.response_rate(len(invited), came_back)
    return made(ReviewScore,
        partnership_id=review.partnership_id, partnership_name=review.partnership_name, year=review.year,
        respondents=len(review.respondents),
        overall=made(Score, score=_f(overall), percent=percent_of(overall), band=band_of(overall),
                                      rag=rag_of(overall, settings)),
        areas=areas, benchmarks=stats,
        priority_benchmarks=[s.id for s in priority],
        split_benchmarks=[s.id for s in stats if s.split],
        strengths=[s.id for s in rated if s.band == "Working well" and not s.split],
        action_in_hand_share=None if ones + twos == 0 else twos / (ones + twos),
        unowned_actions=cycle.unowned_actions(actions), checklist=checklist, improvement=improvement,
        fitness=fitness, instruments_completed=[name for name, ok in done if ok],
        invited=invited, returned=came_back, response_rate=_f(rate),
        low_response=cycle.is_low_response(rate, settings), as_of=as_of, actions=actions,
        overdue_actions=sum(1 for a in actions if a.overdue),
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
        gaps += [made(ChecklistGap, id=q.id, question=q.text, status=status.get(q.id))
                 for q in sec.questions if status.get(q.id) in (None, "No", "Partly")]
        sections.append(made(ChecklistSectionScore,
            id=sec.id, title=sec.title, readiness=_f(_readiness(sts)) if completed else None,
            questions=len(sec.questions), not_applicable=sts.count("Not applicable"), unanswered=missing,
        ))
    return made(ChecklistScore,
        completed=completed, readiness=_f(_readiness(every)) if completed else None, sections=sections,
        unanswered=unanswered, gaps=gaps if completed else [],
    )


def score_improvement(review: Review, inst: Instruments | None = None) -> ImprovementScore:
    inst = inst or load_instruments()
    answers = {aid: a for aid, a in review.improvement.items() if a.answer}
    yes = sum(1 for a in answers.values() if a.answer == "Yes")
    plan = [
        made(PlanItem, area=area.id, area_text=area.short, action=answers[area.id].action,
                                 owner=answers[area.id].owner, due=answers[area.id].due)
        for area in inst.improvement.areas if area.id in answers and answers[area.id].answer == "No"
    ]
    return made(ImprovementScore,
        completed=bool(answers), practice_score=(yes / len(answers)) if answers else None, answered=len(answers),
        yes=yes, plan=plan,
    )


def score_fitness(review: Review, inst: Instruments | None = None) -> FitnessScore:
    inst = inst or load_instruments()
    actions = [made(FitnessAction, id=q.id, question=q.question, action=q.action_if_no)
               for q in inst.fitness.questions if review.fitness.get(q.id) == "No"]
    return made(FitnessScore, completed=bool(review.fitness), answered=len(review.fitness),
                                        actions=actions)
