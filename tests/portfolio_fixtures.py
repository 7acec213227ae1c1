"""Small hand-made portfolios for the portfolio tests, built as models in Python (no workbooks)."""

from __future__ import annotations

import datetime as dt

from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import ImprovementAnswer, RegisterEntry, Respondent, Review


def entry(pid: str, name: str, **kw) -> RegisterEntry:
    base = dict(id=pid, name=name, arrangement="Partnership", status="Active", lead_officer="Ann Officer",
                lead_officer_email="ann.officer@example.gov.uk", priority_impact="Low", risk="Low", reliance="Low",
                duration="Time-limited", council_contribution_gbp=10_000, officer_days=5,
                last_review_date=dt.date(2024, 6, 1), purpose=f"The aims of {name}", level="Operational",
                basis="Voluntary", membership="Multi organisation", geography="Local", decision_role="Advisory",
                council_role="Supporting", engagement="Active partner", performance_method="Annual report",
                start_date=dt.date(2020, 4, 1), end_date=dt.date(2027, 3, 31))
    base.update(kw)
    return RegisterEntry(**base)


def review(pid: str, year: int, area_ratings: dict[str, list[int]], *, improvement: dict | None = None,
           fitness: dict | None = None, checklist: dict | None = None, review_date: dt.date | None = None,
           name: str | None = None) -> Review:
    """A review in which respondent k rates every benchmark of area a with area_ratings[a][k]."""
    areas = load_instruments().benchmarks.areas
    n = max(len(v) for v in area_ratings.values())
    respondents = []
    for k in range(n):
        ratings = {}
        for a in areas:
            vals = area_ratings.get(a.id, [])
            if k < len(vals) and vals[k] is not None:
                ratings.update({b.id: vals[k] for b in a.benchmarks})
        respondents.append(Respondent(organisation=f"Org {k + 1}", ratings=ratings))
    impr = {aid: ImprovementAnswer(**v) for aid, v in (improvement if improvement is not None
                                                       else {"I01": {"answer": "Yes"}}).items()}
    return Review(partnership_id=pid, partnership_name=name, year=year, respondents=respondents,
                  improvement=impr, fitness=fitness or {}, checklist=checklist or {},
                  review_date=review_date or dt.date(year, 5, 1))


def uniform(value: int, n: int = 2) -> dict[str, list[int]]:
    return {a: [value] * n for a in ("1", "2", "3", "4")}


FULL_CHECKLIST = {q.id: {"status": "Yes", "evidence": "Minutes"} for q in load_instruments().checklist.questions}
