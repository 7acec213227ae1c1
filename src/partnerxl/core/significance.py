"""The register's rules (docs/rules.md, "Significance tier", "The gatekeeper"): a partnership's significance tier,
the gatekeeper's recommendation for a Proposed partnership, and the review instruments a tier requires."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from partnerxl.core.instruments import Instruments, load_instruments
from partnerxl.core.models import RegisterEntry
from partnerxl.core.results import InstrumentName, ReviewScore, _Result
from partnerxl.core.settings import Settings


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
    """Instruments the tier requires (docs/rules.md, "Significance tier") that the review did not complete."""
    required = (instruments or load_instruments()).register.significance.required_instruments.get(tier, [])
    return [name for name in required if name not in score.instruments_completed]
