"""The portfolio core on small hand-made portfolios; every expected number is worked out in the comments."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerxl.core.models import BenchmarkAction, FitnessPlan
from partnerxl.core.findings import finding
from partnerxl.core.portfolio import add_months, build_portfolio, score_reviews
from partnerxl.core.text import valid_email
from partnerxl.core.recommendation import recommend
from partnerxl.core.scoring import score_review
from partnerxl.core.settings import Settings

from portfolio_fixtures import FULL_CHECKLIST, entry, review, uniform

AS_OF = dt.date(2025, 3, 31)


def _portfolio():
    entries = [
        # P001 Significant: contribution 150,000 >= 100,000, priority High, risk High -> 3 of 5 criteria.
        entry("P001", "Town Centre Board", council_contribution_gbp=150_000, priority_impact="High", risk="High"),
        entry("P002", "Youth Forum"),
        # P003: Active, never reviewed, no lead officer.
        entry("P003", "Health Alliance", last_review_date=None, lead_officer=None, lead_officer_email=None),
        # P004: out of scope, invalid email.
        entry("P004", "Leisure Contract", arrangement="Contract for service delivery",
              lead_officer_email="bob(at)example"),
        # P005: Proposed; gatekeeper Yes / No / Yes -> two reasons to reconsider.
        entry("P005", "New Venture", status="Proposed", last_review_date=None, needs_many_organisations="Yes",
              long_term="No", existing_partnership_could_deliver="Yes"),
        # P006: last review 15 Jan 2023 -> next due 15 Jan 2024, before 31 Mar 2025 -> overdue.
        entry("P006", "Old Network", last_review_date=dt.date(2023, 1, 15)),
        entry("P007", "Closed Group", status="Closed", last_review_date=dt.date(2020, 1, 1)),
    ]
    reviews = [
        # P001 2024: every rating 1 -> every benchmark mean 1, every area 1, overall 1.0 -> Red.
        ("p1-2024.xlsx", review("P001", 2024, uniform(1))),
        # P001 2023: every rating 2 -> overall 2.0 -> Red.  Two Reds in a row -> consider ending.
        ("p1-2023.xlsx", review("P001", 2023, uniform(2))),
        # P002 2024: areas 4, 4, 3, 3 -> overall (4+4+3+3)/4 = 3.5 -> Green (3.5 is the Green threshold).
        ("p2-2024.xlsx", review("P002", 2024, {"1": [4, 4], "2": [4, 4], "3": [3, 3], "4": [3, 3]},
                                review_date=dt.date(2024, 9, 1))),
        # P002 2022 and 2023: the 2023 one (all 3 -> 3.0) is the previous review; change 3.5 - 3.0 = +0.5.
        ("p2-2022.xlsx", review("P002", 2022, uniform(1))),
        ("p2-2023.xlsx", review("P002", 2023, uniform(3))),
        # P002 2025 is after the rollup year: ignored.
        ("p2-2025.xlsx", review("P002", 2025, uniform(1))),
        ("unknown.xlsx", review("P999", 2024, uniform(3))),
        ("p6-a.xlsx", review("P006", 2024, uniform(3))),
        ("p6-b.xlsx", review("P006", 2024, uniform(4))),
    ]
    scored = score_reviews(reviews, Settings())
    return build_portfolio(entries, scored, 2024, AS_OF, Settings(), problems=[finding("unreadable-file", "broken.xlsx", detail="not a workbook")])


def _codes(p, pid):
    return [f.code for f in p.result(pid).flags]


def test_flags_per_partnership():
    p = _portfolio()
    # P001: Significant needs checklist + improvement + benchmarks; the review has no checklist -> missing.
    # Red 2023 and 2024 -> consider ending; contribution >= 100,000 and Red -> value for money.
    assert _codes(p, "P001") == ["missing_instrument", "consider_ending", "value_for_money"]
    assert p.result("P001").significance.tier == "Significant"
    # P002: Standard needs the improvement template only, which it has; last review 1 Sep 2024 (the review's
    # date, later than the register's 1 Jun 2024) -> next due 1 Sep 2025, not overdue.
    assert _codes(p, "P002") == []
    assert p.result("P002").next_review_due == dt.date(2025, 9, 1)
    assert _codes(p, "P003") == ["overdue", "no_lead_officer"]
    assert _codes(p, "P004") == ["no_lead_officer", "out_of_scope"]
    r5 = p.result("P005")
    assert _codes(p, "P005") == ["gatekeeper"]
    assert len(r5.gate.reasons) == 2
    # P006: both 2024 reviews are duplicates -> neither is used; 15 Jan 2023 + 12 months < 31 Mar 2025 -> overdue.
    assert _codes(p, "P006") == ["overdue"]
    assert p.result("P006").current is None
    assert p.result("P006").next_review_due == dt.date(2024, 1, 15)
    assert _codes(p, "P007") == []   # Closed: never overdue


def test_scores_and_change():
    p = _portfolio()
    r1, r2 = p.result("P001"), p.result("P002")
    assert r1.current.score.overall.score == 1.0 and r1.previous.year == 2023
    assert r1.change["overall"] == pytest.approx(-1.0)  # 1.0 - 2.0
    assert r1.movement == "declined"
    assert r2.current.score.overall.score == 3.5 and r2.current.score.overall.rag == "Green"
    assert r2.previous.year == 2023
    assert r2.change["overall"] == pytest.approx(0.5)   # 3.5 - 3.0
    assert r2.change["1"] == pytest.approx(1.0)         # 4 - 3
    assert r2.change["4"] == pytest.approx(0.0)         # 3 - 3
    assert r2.movement == "improved"


def test_problems_are_listed_not_dropped():
    p = _portfolio()
    by_file = {(x.file, x.code) for x in p.problems}
    assert ("broken.xlsx", "unreadable-file") in by_file
    assert ("unknown.xlsx", "not-in-register") in by_file
    assert ("p6-a.xlsx", "duplicate-review") in by_file and ("p6-b.xlsx", "duplicate-review") in by_file


def test_tables():
    p = _portfolio()
    t = p.table.set_index("ID")
    assert list(t.index) == ["P001", "P002", "P003", "P004", "P005", "P006", "P007"]
    assert t.loc["P004", "Arrangement"] == "Contract for service delivery (out of scope)"
    assert t.loc["P002", "Overall RAG"] == "Green"
    # Heatmap: only reviewed partnerships, highest overall first: P002 (3.5), P001 (1.0).
    assert list(p.heatmap["ID"]) == ["P002", "P001"]
    # Flags sheet: one row per flag; 3 + 0 + 2 + 2 + 1 + 1 = 9.
    assert len(p.flags) == 9
    assert set(p.flags["Flag"]) >= {"Overdue review", "Out of scope", "Gatekeeper: reconsider"}


def test_committee_numbers():
    c = _portfolio().committee
    assert c["by_status"] == {"Proposed": 1, "Active": 5, "Closed": 1}
    assert c["by_tier"] == {"Significant": 1, "Standard": 6}
    assert c["by_rag"] == {"Green": 1, "Red": 1, "No review this year": 5}
    # Contribution over the 6 entries that are not Closed: 150,000 + 5 x 10,000 = 200,000; days 6 x 5 = 30.
    assert c["total_contribution_gbp"] == 200_000
    assert c["total_officer_days"] == 30
    assert c["overdue"] == 2                       # P003, P006
    assert c["movement"] == {"improved": 1, "declined": 1, "unchanged": 0, "not comparable": 0}
    assert sum(c["movement"].values()) == c["reviewed_this_year"]
    assert [f[0] for f in c["flagged"]] == ["P001", "P003", "P004", "P005", "P006"]
    # Running totals count the partnerships in scope that are running (Active, Under review, Ending): P001, P002,
    # P003, P006 (P004 is out of scope, P005 Proposed, P007 Closed): 150,000 + 3 x 10,000; days 4 x 5.
    assert c["running_in_scope"] == 4
    assert c["contribution_in_scope_gbp"] == 180_000 and c["officer_days_in_scope"] == 20
    # No review this year, by why: P003 and P006 overdue, P004 out of scope, P005 Proposed, P007 Closed.
    assert c["no_review"] == {"Overdue": 2, "Not due yet": 0, "Out of scope": 1, "Proposed": 1, "Closed": 1}
    assert sum(c["no_review"].values()) == c["partnerships"] - c["reviewed_this_year"]


def test_lead_officer_flag_says_what_is_wrong():
    p = _portfolio()
    # P003 has no lead officer; P004's address 'bob(at)example' is not valid (not missing).
    assert [f.label for f in p.result("P003").flags if f.code == "no_lead_officer"] == ["No lead officer"]
    p4 = next(f for f in p.result("P004").flags if f.code == "no_lead_officer")
    assert p4.label == "Lead officer e-mail not valid" and "'bob(at)example' is not a valid address" in p4.reason
    # An address the register reader refused (so the entry holds none) is named from its finding and row.
    e = entry("P009", "Panel", lead_officer_email=None)
    bad = finding("bad-email", "Register.xlsx", "Register", "Q7", "Lead officer email", "x(at)y")
    flagged = build_portfolio([e], [], 2024, AS_OF, problems=[bad], entry_rows={"P009": 7}).result("P009").flags
    assert [(f.label, "'x(at)y'" in f.reason) for f in flagged] == [("Lead officer e-mail not valid", True)]
    missing = build_portfolio([e], [], 2024, AS_OF).result("P009").flags
    assert [f.label for f in missing] == ["No lead officer e-mail"]


def test_an_earlier_review_left_out_is_named_as_the_reason_not_no_review():
    entries = [entry("P001", "Alpha Board"), entry("P002", "Beta Group")]
    reviews = [("a24.xlsx", review("P001", 2024, uniform(3))), ("b24.xlsx", review("P002", 2024, uniform(3))),
               # The 2023 review of Alpha Board names P040: left out, so 2024 cannot be compared with it.
               ("a23.xlsx", review("P040", 2023, uniform(2), name="Alpha Board"))]
    p = build_portfolio(entries, score_reviews(reviews, Settings()), 2024, AS_OF)
    a, b = p.result("P001"), p.result("P002")
    assert a.movement == b.movement == "not comparable"
    assert a.not_comparable == "the 2023 review was left out (it names P040, not in the register)"
    assert b.not_comparable == "no earlier review"
    assert ("P001", "Alpha Board", a.not_comparable) in p.committee["not_comparable"]


def test_actions_unowned_first():
    entries = [entry("P010", "Action Group")]
    rv = review("P010", 2024, uniform(3), improvement={
        "I02": {"answer": "No", "action": "Write terms of reference", "owner": "Ann", "due": dt.date(2024, 12, 1)},
        "I05": {"answer": "No", "action": "Agree the council's role"},     # no owner -> unowned
        "I01": {"answer": "Yes"}}, fitness={"F2": "No", "F1": "Yes"})
    rv.fitness_actions["F2"] = FitnessPlan(owner="Chair")  # a fitness action with no owner would be unowned too
    rv.benchmark_actions["1.2"] = BenchmarkAction(action_needed="Joint away day", by_whom="Chair")
    p = build_portfolio(entries, score_reviews([("a.xlsx", rv)], Settings()), 2024, AS_OF)
    a = p.actions
    assert list(a["Unowned"]) == [True, False, False, False]
    assert a.iloc[0]["Action"] == "Agree the council's role"
    assert list(a["Source"][1:]) == ["Improvement plan", "Benchmark", "Fitness review"]
    assert a.iloc[3]["Action"] == "Review membership"


def test_add_months_and_email():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    assert valid_email("a.b@council.gov.uk") and not valid_email("a b@x.com") and not valid_email("x@y")


@pytest.mark.parametrize("cur,prev,fitness,expected", [
    (1, 2, {}, "consider ending"),      # Red (1.0) after Red (2.0)
    (1, 3, {}, "review remit"),         # Red for the first time
    (4, None, {"F1": "No"}, "review remit"),  # remit unclear
    (3, None, {}, "improve"),           # Amber 3.0
    (4, 4, {"F3": "No"}, "improve"),    # Green but a fitness action
    (4, 1, {}, "continue"),             # Green, nothing outstanding
])
def test_recommendation(cur, prev, fitness, expected):
    s = score_review(review("P1", 2024, uniform(cur), fitness=fitness, checklist=FULL_CHECKLIST))
    ps = score_review(review("P1", 2023, uniform(prev))) if prev else None
    assert recommend(s, ps).verdict == expected
