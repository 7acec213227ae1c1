"""The annual cycle's rules for one review (docs/rules.md, "Invited respondents", "Actions", "The annual cycle"):
response rate, low response, and the action register with every action marked overdue or unowned."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from partnerxl.core.models import Review
from partnerxl.core.people import returned
from partnerxl.core.results import (ActionItem, BenchmarkStats, FitnessAction, InvitedStatus, PlanItem,
                                    UnownedAction)
from partnerxl.core.settings import Settings


def is_overdue(due: dt.date | None, as_of: dt.date | None) -> bool:
    """Due before the as-of date; an action due on the as-of date itself still has that day."""
    return due is not None and as_of is not None and due < as_of


def corrections_by_date(as_of: dt.date, settings: Settings) -> dt.date:
    """The date lead officers are asked to correct their summaries by (docs/rules.md, "Chasing and the reply-by
    date"): after the partners' forms are due back (core/portfolio.py's reply_by_date; core/settings.py keeps this
    one later), so a summary is checked once every rating is in."""
    return as_of + dt.timedelta(days=settings.summary_corrections_within_days)


def response_rate(invited: int, returned_count: int) -> Fraction | None:
    """Returned / invited; None when nobody was invited (there is nothing to measure)."""
    return None if invited == 0 else Fraction(returned_count, invited)


def is_low_response(rate: Fraction | float | None, settings: Settings) -> bool:
    """Fewer than the share asked for: exactly the share (e.g. 50%) is not low. Compared as exact fractions."""
    if rate is None:
        return False
    exact = rate if isinstance(rate, Fraction) else Fraction(repr(float(rate)))
    return exact < Fraction(repr(float(settings.low_response_share)))


def invited_status(review: Review) -> list[InvitedStatus]:
    flags = returned(review.invited, review.respondents)
    return [InvitedStatus(organisation=i.organisation, name=i.name, email=i.email, returned=done)
            for i, done in zip(review.invited, flags)]


def mark_plan(plan: list[PlanItem], as_of: dt.date | None) -> list[PlanItem]:
    return [p.model_copy(update={"overdue": is_overdue(p.due, as_of), "unowned": not p.owner}) for p in plan]


def mark_fitness(actions: list[FitnessAction], review: Review, as_of: dt.date | None) -> list[FitnessAction]:
    out = []
    for a in actions:
        plan = review.fitness_actions.get(a.id)
        owner, due = (plan.owner, plan.due) if plan else (None, None)
        out.append(a.model_copy(update={"owner": owner, "due": due, "overdue": is_overdue(due, as_of),
                                        "unowned": not owner}))
    return out


def action_register(plan: list[PlanItem], fitness: list[FitnessAction],
                    benchmarks: list[BenchmarkStats]) -> list[ActionItem]:
    """Every action of the review in one list: improvement plan, fitness review, then benchmark actions."""
    items = [ActionItem(kind="improvement", id=p.area, item=p.area_text, action=p.action, owner=p.owner, due=p.due,
                        overdue=p.overdue, unowned=p.unowned) for p in plan]
    items += [ActionItem(kind="fitness", id=a.id, item=a.question, action=a.action, owner=a.owner, due=a.due,
                         overdue=a.overdue, unowned=a.unowned) for a in fitness]
    items += [ActionItem(kind="benchmark", id=b.id, item=b.statement, action=b.action_needed, owner=b.by_whom,
                         due=None, overdue=False, unowned=not b.by_whom) for b in benchmarks if b.action_needed]
    return items


def unowned_actions(actions: list[ActionItem]) -> list[UnownedAction]:
    """The unowned ones, benchmark actions first (the order the JSON has always had), then plan and fitness."""
    order = {"benchmark": 0, "improvement": 1, "fitness": 2}
    chosen = sorted((a for a in actions if a.unowned), key=lambda a: order[a.kind])
    return [UnownedAction(kind=a.kind, id=a.id, item=a.item, action=a.action) for a in chosen]
