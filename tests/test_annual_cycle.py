"""The annual cycle (issue 11, docs/rules.md): split and priority, band names, response rate and
Low response, overdue and unowned actions, the trend over every review year, two people of one organisation.
Every expectation is worked out by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from partnerxl.core.models import FitnessPlan, Invitee, Respondent, Review
from partnerxl.core.portfolio import build_portfolio, score_reviews
from partnerxl.core.scoring import band_of, benchmark_stats, score_review, split_needs
from partnerxl.core.settings import Settings
from portfolio_fixtures import entry, review, uniform

AS_OF = dt.date(2025, 3, 31)


# --- split (docs/rules.md): k = ceil(n × 0.25) raters on each side ------------------------------------------------

@pytest.mark.parametrize("ratings, split", [
    ([2, 3], True),                          # n = 2: k = ceil(0.5) = 1; NO 1 ≥ 1 and YES 1 ≥ 1 → split
    ([3, 4], False),                         # n = 2: nobody said NO
    ([1, 3, 3, 3, 3], False),                # n = 5: k = ceil(1.25) = 2; one dissenter (NO 1 < 2) → not split
    ([1, 2, 3, 3, 3], True),                 # n = 5: NO 2 ≥ 2 and YES 3 ≥ 2 → split
    ([4, 4, 4, 4, 2], False),                # n = 5: one NO among four YES → not split
    ([1, 1] + [3] * 10, False),              # n = 12: k = ceil(3) = 3; NO 2 < 3 → not split
    ([1, 1, 2] + [4] * 9, True),             # n = 12: NO 3 ≥ 3 and YES 9 ≥ 3 → split
    ([3], False),                            # n = 1: never split
])
def test_split_boundary(ratings, split):
    assert benchmark_stats(ratings)["split"] is split


def test_split_needs_and_the_share_setting():
    # ceil(n × 0.25): 2–4 raters → 1, 5–8 → 2, 12 → 3; with a share of 0.5, 5 raters need ceil(2.5) = 3.
    assert [split_needs(n) for n in (2, 4, 5, 8, 9, 12)] == [1, 1, 2, 2, 3, 3]
    assert split_needs(5, 0.5) == 3
    assert benchmark_stats([1, 2, 3, 3, 3], split_share=0.5)["split"] is False   # NO 2 < 3


def _review_with(ratings_by_respondent: list[dict[str, int]], **extra) -> Review:
    people = [Respondent(organisation=f"Org {k}", name=f"Person {k}", ratings=r)
              for k, r in enumerate(ratings_by_respondent)]
    return Review(partnership_id="P001", year=2024, respondents=people, **extra)


def test_one_dissenter_of_five_does_not_make_a_priority():
    # 1.2 rated 4, 3, 3, 3, 2: mean 15 / 5 = 3.00, one NO of five (k = 2) → not split, mean ≥ 2.5 → not a priority.
    # 1.3 rated 4, 3, 3, 2, 1: mean 13 / 5 = 2.60, two NO of five → split → a priority although the mean is 2.60.
    ratings = [{"1.2": 4, "1.3": 4}, {"1.2": 3, "1.3": 3}, {"1.2": 3, "1.3": 3}, {"1.2": 3, "1.3": 2},
               {"1.2": 2, "1.3": 1}]
    s = score_review(_review_with(ratings))
    b = {x.id: x for x in s.benchmarks}
    assert (b["1.2"].mean, b["1.2"].split, b["1.2"].priority) == (3.0, False, False)
    assert (b["1.3"].mean, b["1.3"].split, b["1.3"].priority) == (2.6, True, True)
    assert s.priority_benchmarks == ["1.3"] and s.split_benchmarks == ["1.3"]


def test_priorities_by_mean_then_lower_agreement_then_id():
    # Means: 1.1 = (2 + 2) / 2 = 2.0, agreement 1 (no spread); 1.2 = (1 + 3) / 2 = 2.0, s² = 2, 1 − 2 / 1.25 < 0 → 0;
    # 1.3 = (1 + 1) / 2 = 1.0; 1.4 = (2 + 2) / 2 = 2.0, agreement 1 like 1.1, so the id decides.
    ratings = [{"1.1": 2, "1.2": 1, "1.3": 1, "1.4": 2}, {"1.1": 2, "1.2": 3, "1.3": 1, "1.4": 2}]
    s = score_review(_review_with(ratings))
    assert s.priority_benchmarks == ["1.3", "1.2", "1.1", "1.4"]


# --- bands (docs/rules.md) -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("score, band", [
    (1.0, "Serious concern"), (1.49, "Serious concern"),
    (1.5, "Weak"), (2.49, "Weak"),                              # 1.5 to < 2.5
    (2.5, "Needs improving"), (3.49, "Needs improving"),        # 2.5 to < 3.5
    (3.5, "Working well"), (4.0, "Working well"),               # ≥ 3.5
    (Fraction(3, 2), "Weak"), (Fraction(7, 2), "Working well"),
])
def test_band_boundaries_with_their_names(score, band):
    assert band_of(score) == band


@pytest.mark.parametrize("ratings, band", [
    ([1, 1], "Serious concern"),        # mean 1.0
    ([1, 2], "Weak"),                   # (1 + 2) / 2 = 1.5: on the boundary, the higher band
    ([2, 3], "Needs improving"),        # 2.5
    ([3, 4], "Working well"),           # 3.5
])
def test_benchmark_band_from_integer_sums(ratings, band):
    assert benchmark_stats(ratings)["band"] == band


# --- response rate and Low response (docs/rules.md) ------------------------------------------------------------

def _invited_review(invited: list[Invitee], rated: list[Respondent]) -> Review:
    return Review(partnership_id="P001", year=2024, invited=invited, respondents=rated)


def _person(org: str, name: str | None = None, email: str | None = None) -> Respondent:
    return Respondent(organisation=org, name=name, email=email, ratings={"1.1": 3})


INVITED = [Invitee(organisation="Police", name="Ann Lee", email="ann.lee@police.example.org"),
           Invitee(organisation="NHS", name="Bo Chan"),
           Invitee(organisation="Fire", name="Cy Doe"),
           Invitee(organisation="College")]


def test_response_rate_of_exactly_half_is_not_low():
    # 4 invited; Ann (by e-mail, though her name is typed differently) and Bo (by name within NHS) returned:
    # 2 / 4 = 50%, which is not below 50% → not low.
    s = score_review(_invited_review(INVITED, [_person("POLICE", "A. Lee", "Ann.Lee@police.example.org"),
                                               _person("NHS", "bo chan")]))
    assert s.returned == 2 and s.response_rate == 0.5 and s.low_response is False
    assert [i.returned for i in s.invited] == [True, True, False, False]


def test_response_rate_below_half_is_low_and_flagged():
    # 1 of 4 returned (the College invitee, named by organisation only): 1 / 4 = 25% < 50% → Low response.
    s = score_review(_invited_review(INVITED, [_person("College", "Someone")]))
    assert (s.returned, s.response_rate, s.low_response) == (1, 0.25, True)
    # Cy Doe of Fire is not matched by a Fire rater with another name: 0 of 1 → 0%.
    s = score_review(_invited_review(INVITED[2:3], [_person("Fire", "Dee Fox")]))
    assert (s.response_rate, s.low_response) == (0.0, True)
    rv = review("P001", 2024, uniform(3))   # rated by "Org 1" and "Org 2", neither of them invited: 0 of 4
    rv.invited = list(INVITED)
    p = build_portfolio([entry("P001", "Safer Streets")], score_reviews([("a.xlsx", rv)], Settings()), 2024, AS_OF)
    r = p.result("P001")
    assert "low_response" in [f.code for f in r.flags]
    assert p.committee["low_response"] == 1
    row = p.table.iloc[0]
    assert (row["Invited"], row["Returned"], row["Response rate"], row["Low response"]) == (4, 0, 0.0, "Yes")


def test_nobody_invited_has_no_response_rate():
    s = score_review(_invited_review([], [_person("Police")]))
    assert (s.response_rate, s.low_response, s.invited) == (None, False, [])


def test_low_response_share_is_a_setting():
    # 1 of 3 returned = 33%: low at the default 50%, not low when the council sets 30%.
    rv = _invited_review(INVITED[:3], [_person("NHS", "Bo Chan")])
    assert score_review(rv).low_response is True
    assert score_review(rv, Settings(low_response_share=0.3)).low_response is False


# --- overdue and unowned actions (docs/rules.md) ---------------------------------------------------------------

def test_action_due_the_day_before_the_as_of_date_is_overdue_and_on_it_is_not():
    day_before, on_the_day = AS_OF - dt.timedelta(days=1), AS_OF
    rv = review("P001", 2024, uniform(3), improvement={
        "I01": {"answer": "No", "action": "Write terms of reference", "owner": "Ann", "due": day_before},
        "I02": {"answer": "No", "action": "Agree roles", "owner": "Bo", "due": on_the_day},
        "I03": {"answer": "No", "action": "Publish minutes"}},           # no owner, no date: unowned, not overdue
        fitness={"F1": "No", "F2": "No"})
    rv.fitness_actions["F1"] = FitnessPlan(owner="Chair", due=day_before)   # overdue
    rv.fitness_actions["F2"] = FitnessPlan(due=on_the_day)                  # unowned, due today: not overdue
    s = score_review(rv, as_of=AS_OF)
    marks = {a.id: (a.overdue, a.unowned) for a in s.actions}
    assert marks == {"I01": (True, False), "I02": (False, False), "I03": (False, True),
                     "F1": (True, False), "F2": (False, True)}
    assert s.overdue_actions == 2
    assert [(u.kind, u.id) for u in s.unowned_actions] == [("improvement", "I03"), ("fitness", "F2")]
    assert [(p.area, p.overdue) for p in s.improvement.plan] == [("I01", True), ("I02", False), ("I03", False)]
    assert [(a.id, a.owner, a.overdue) for a in s.fitness.actions] == [("F1", "Chair", True), ("F2", None, False)]
    # The portfolio marks them against its own as-of date, and the committee counts them: 2 overdue, 2 unowned.
    p = build_portfolio([entry("P001", "Safer Streets")], score_reviews([("a.xlsx", rv)], Settings()), 2024, AS_OF)
    a = p.actions.set_index(p.actions["Item"].str.split().str[0])
    assert bool(a.loc["I01", "Overdue"]) and not bool(a.loc["I02", "Overdue"]) and bool(a.loc["F1", "Overdue"])
    assert a.loc["F1", "Owner"] == "Chair" and bool(a.loc["F2", "Unowned"])
    assert (p.committee["overdue_actions"], p.committee["unowned_actions"]) == (2, 2)
    assert (p.table.iloc[0]["Overdue actions"], p.table.iloc[0]["Unowned actions"]) == (2, 2)
    # A day later, I02 and F2 (due on 31 March) are overdue too: 4.
    later = build_portfolio([entry("P001", "Safer Streets")], score_reviews([("a.xlsx", rv)], Settings()), 2024,
                            AS_OF + dt.timedelta(days=1))
    assert later.committee["overdue_actions"] == 4


# --- trend over every review year (docs/rules.md) --------------------------------------------------------------------

def test_trend_over_three_years_with_a_missing_middle_year():
    # Reviews 2021 (all 2 → 2.0), 2022 (all 3 → 3.0), none in 2023, 2024 (all 4 → 4.0); 2025 is after the rollup year.
    reviews = [review("P001", y, uniform(v)) for y, v in ((2021, 2), (2022, 3), (2024, 4), (2025, 1))]
    scored = score_reviews([(f"{r.year}.xlsx", r) for r in reviews], Settings())
    p = build_portfolio([entry("P001", "Safer Streets")], scored, 2024, AS_OF)
    r = p.result("P001")
    assert [(t.year, t.overall) for t in r.trend] == [(2021, 2.0), (2022, 3.0), (2024, 4.0)]
    assert all(set(t.areas.values()) == {t.overall} for t in r.trend)
    # The change stays against the previous review, 2022: 4.0 − 3.0 = 1.0.
    assert r.previous.year == 2022 and r.change["overall"] == 1.0 and r.movement == "improved"
    t = p.trend
    assert list(t["Year"]) == [2021, 2022, 2024] and list(t["Overall score"]) == [2.0, 3.0, 4.0]
    assert list(t.columns[:4]) == ["ID", "Name", "Year", "Overall score"] and "Leadership score" in t.columns
    assert r.trend[0][:2] == (2021, 2.0)   # a tuple: (year, overall) is a sparkline's point


# --- two people of one organisation (docs/rules.md) ----------------------------------------------------------------

def test_two_people_of_one_organisation_are_two_respondents():
    ann, bob = _person("Police", "Ann Lee"), _person("Police", "Bob Roe")
    rv = Review(partnership_id="P001", year=2024, respondents=[ann, bob],
                invited=[Invitee(organisation="Police", name="Ann Lee"), Invitee(organisation="Police", name="Bob Roe")])
    s = score_review(rv)
    assert s.respondents == 2 and s.response_rate == 1.0   # 2 of 2, each matched by name within Police
    with pytest.raises(ValueError, match="appears twice"):
        Review(partnership_id="P001", year=2024, respondents=[ann, _person(" police ", "ann lee")])
    # The same e-mail is the same person whatever the name; two unnamed columns of one organisation are one person.
    with pytest.raises(ValueError, match="appears twice"):
        Review(partnership_id="P001", year=2024, respondents=[_person("Police", "Ann", "a@police.example.org"),
                                                              _person("Police", "A. Lee", "A@police.example.org")])
    with pytest.raises(ValueError, match="appears twice"):
        Review(partnership_id="P001", year=2024, respondents=[_person("Police"), _person("Police")])
