"""The "Guides to read" rule (guidance.choose_guides), on hand-made scores and hand-made guide lists."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import get_args

from partnerxl.core.guidance import MAX_GUIDES, choose_guides
from partnerxl.core.instruments import GuidesInstrument, Outcome, load_instruments
from partnerxl.core.portfolio import build_portfolio, score_reviews
from partnerxl.core.recommendation import Recommendation, Verdict
from partnerxl.core.settings import Settings

from portfolio_fixtures import FULL_CHECKLIST, entry, review, uniform


def score(areas: dict[str, tuple[str | None, float | None]] | None = None, gaps: list[str] = (),
          plan: list[str] = ()) -> SimpleNamespace:
    """Only what the rule reads: area id/rag/score, checklist gap ids, improvement-plan area ids."""
    areas = areas or {a: ("Green", 3.5) for a in "1234"}
    return SimpleNamespace(
        areas=[SimpleNamespace(id=a, rag=rag, score=sc) for a, (rag, sc) in areas.items()],
        checklist=SimpleNamespace(gaps=[SimpleNamespace(id=g) for g in gaps]),
        improvement=SimpleNamespace(plan=[SimpleNamespace(area=i) for i in plan]))


def rec(verdict: str) -> Recommendation:
    return Recommendation(verdict, "reason")  # type: ignore[arg-type]


GUIDES = GuidesInstrument(title="t", source="s", guides=[
    {"id": "end", "title": "End", "description": "d.", "relates_to": {"outcomes": ["consider ending"]}},
    {"id": "remit", "title": "Remit", "description": "d.", "relates_to": {"outcomes": ["review remit"]}},
    {"id": "a1", "title": "A1", "description": "d.", "relates_to": {"benchmark_areas": ["1"]}},
    {"id": "a2", "title": "A2", "description": "d.", "relates_to": {"benchmark_areas": ["2"]}},
    {"id": "a3", "title": "A3", "description": "d.", "relates_to": {"benchmark_areas": ["3"]}},
    {"id": "a4", "title": "A4", "description": "d.", "relates_to": {"benchmark_areas": ["4"], "checklist_sections": ["4"]}},
    {"id": "a4b", "title": "A4b", "description": "d.", "relates_to": {"benchmark_areas": ["4"]}},
    {"id": "gov", "title": "Gov", "description": "d.", "relates_to": {"checklist_sections": ["3"]}},
    {"id": "plan", "title": "Plan", "description": "d.", "relates_to": {"improvement_areas": ["I13"]}},
])


def ids(guides) -> list[str]:
    return [g.id for g in guides]


def test_green_continue_no_gaps_gives_nothing():
    assert choose_guides(score(), rec("continue"), GUIDES) == []
    assert choose_guides(score(), None, GUIDES) == []


def test_consider_ending_comes_first_then_red_before_amber_lowest_first():
    s = score({"1": ("Amber", 2.4), "2": ("Red", 1.9), "3": ("Red", 1.5), "4": ("Green", 3.2)})
    assert ids(choose_guides(s, rec("consider ending"), GUIDES)) == ["end", "a3", "a2"]
    # Without the ending guide the third place goes to the Amber area.
    assert ids(choose_guides(s, rec("improve"), GUIDES)) == ["a3", "a2", "a1"]


def test_review_remit_has_its_guide():
    assert ids(choose_guides(score(), rec("review remit"), GUIDES)) == ["remit"]


def test_unscored_and_green_areas_are_not_weak():
    s = score({"1": (None, None), "2": ("Green", 3.0), "3": ("Amber", 2.9), "4": ("Green", 4.0)})
    assert ids(choose_guides(s, rec("improve"), GUIDES)) == ["a3"]


def test_checklist_gaps_then_improvement_plan_each_guide_once():
    s = score({"1": ("Green", 3), "2": ("Green", 3), "3": ("Green", 3), "4": ("Amber", 2.6)},
              gaps=["4a", "3b", "3c"], plan=["I02", "I13"])
    # Area 4 takes a4; the section-4 gap would take a4 again, so it adds nothing; section 3 gives gov; then the plan.
    assert ids(choose_guides(s, rec("improve"), GUIDES)) == ["a4", "gov", "plan"]


def test_at_most_three():
    s = score({"1": ("Red", 1.2), "2": ("Red", 1.1), "3": ("Red", 1.3), "4": ("Red", 1.0)}, gaps=["3a"], plan=["I13"])
    chosen = choose_guides(s, rec("consider ending"), GUIDES)
    assert MAX_GUIDES == 3 and ids(chosen) == ["end", "a4", "a2"]


def test_outcomes_are_the_recommendation_verdicts():
    assert set(get_args(Outcome)) == set(get_args(Verdict))


def test_real_guides_for_a_failing_partnership():
    """Seed 001's guides on a real scored review: Red twice → Ending a partnership, then the weakest areas."""
    e = entry("P001", "Alpha Board")
    ck = dict(FULL_CHECKLIST, **{"3a": {"status": "No"}})
    ratings = {"1": [2, 2], "2": [1, 1], "3": [3, 3], "4": [1, 2]}
    reviews = [("old.xlsx", review("P001", 2023, uniform(1), checklist=ck, review_date=dt.date(2023, 5, 1))),
               ("new.xlsx", review("P001", 2024, ratings, checklist=ck))]
    p = build_portfolio([e], score_reviews(reviews, Settings()), 2024, dt.date(2025, 3, 31))
    [r] = p.results
    assert r.recommendation.verdict == "consider ending"
    chosen = choose_guides(r.current.score, r.recommendation, load_instruments().guides)
    assert [g.title for g in chosen] == ["Ending a partnership", "Trust", "Performance management"]
    # Without the ending the third weak area (Leadership, 2.00) takes the third place.
    chosen = choose_guides(r.current.score, rec("improve"), load_instruments().guides)
    assert [g.title for g in chosen] == ["Trust", "Performance management", "Leadership"]


def test_real_guides_for_a_checklist_gap():
    """One weak area, a governance gap (3a answered No) and I13 answered No: Trust, Governance, Action plans."""
    ck = dict(FULL_CHECKLIST, **{"3a": {"status": "No"}})
    rv = review("P001", 2024, {"1": [4, 3], "2": [1, 2], "3": [3, 4], "4": [4, 3]}, checklist=ck,
                improvement={"I13": {"answer": "No", "action": "Write a development plan"}})
    p = build_portfolio([entry("P001", "Alpha Board")], score_reviews([("r.xlsx", rv)], Settings()), 2024,
                        dt.date(2025, 3, 31))
    [r] = p.results
    assert r.recommendation.verdict == "improve"
    chosen = choose_guides(r.current.score, r.recommendation, load_instruments().guides)
    assert [g.title for g in chosen] == ["Trust", "Governance", "Action plans"]
