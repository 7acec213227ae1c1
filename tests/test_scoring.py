"""Scoring rules of docs/rules.md, checked against numbers worked out by hand (arithmetic in the comments)."""

import datetime as dt

import pytest

from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import RegisterEntry, Review
from partnerxl.core.scoring import assess_significance, band_of, gatekeeper, missing_instruments, rag_of, score_review
from partnerxl.core.settings import Settings

INST = load_instruments()
ALL = [b.id for b in INST.benchmarks.benchmarks]
AREA_IDS = {a.id: [b.id for b in a.benchmarks] for a in INST.benchmarks.areas}


def review(*ratings: dict, **extra) -> Review:
    return Review(partnership_id="P001", year=2025,
                  respondents=[{"organisation": f"Org {i}", "ratings": r} for i, r in enumerate(ratings)], **extra)


def all_at(value: int) -> dict:
    return {b: value for b in ALL}


def by_id(result, benchmark_id):
    return next(b for b in result.benchmarks if b.id == benchmark_id)


def test_one_respondent_agreement_is_null():
    s = score_review(review(all_at(3)))
    b = by_id(s, "1.1")
    assert (b.n, b.mean, b.min, b.max, b.agreement) == (1, 3.0, 3, 3, None)
    assert b.counts == {"1": 0, "2": 0, "3": 1, "4": 0}
    # every benchmark 3 → every area 3 → overall 3; percent = (3 − 1) / 3 × 100 = 66.67
    assert s.overall.score == 3.0 and s.overall.percent == pytest.approx(200 / 3)
    assert s.overall.band == "Needs improving" and s.overall.rag == "Amber"


def test_agreement_and_split():
    # 1.1 rated 2, 3, 4: mean 3; s² = ((2−3)² + 0 + (4−3)²) / (3 − 1) = 1; agreement = 1 − 1/1.25 = 0.2.
    # Someone rated 2 (a NO) and someone 3 or 4 (a YES) → split, hence priority although the mean is 3.
    s = score_review(review({"1.1": 2}, {"1.1": 3}, {"1.1": 4}))
    b = by_id(s, "1.1")
    assert b.mean == 3.0 and b.agreement == pytest.approx(0.2) and b.split and b.priority
    # 1.2 rated 4, 4, 1: mean 3; s² = (1 + 1 + 4) / 2 = 3; 1 − 3/1.25 = −1.4 → clipped to 0.
    s = score_review(review({"1.2": 4}, {"1.2": 4}, {"1.2": 1}))
    assert by_id(s, "1.2").agreement == 0.0
    # 1.3 rated 4, 4: variance 0 → agreement 1; not split, not priority.
    s = score_review(review({"1.3": 4}, {"1.3": 4}))
    b = by_id(s, "1.3")
    assert b.agreement == 1.0 and not b.split and not b.priority
    assert s.strengths == ["1.3"]


def test_insufficient_area_makes_area_and_overall_null():
    # Leadership has 5 benchmarks: rating only 1.1 and 1.2 is fewer than half (2 < 2.5) → Leadership null.
    ratings = {b: 3 for b in ALL if b not in ("1.3", "1.4", "1.5")}
    s = score_review(review(ratings))
    lead = s.areas[0]
    assert lead.benchmarks_rated == 2 and lead.insufficient and lead.score is None and lead.band is None
    assert s.areas[1].score == 3.0
    assert s.overall.score is None and s.overall.rag is None and s.overall.percent is None
    # Three of five rated (3 ≥ 2.5) is enough; Trust with 3 of 6 rated (exactly half) is enough too.
    ratings = {b: 3 for b in ALL if b not in ("1.4", "1.5", "2.4", "2.5", "2.6")}
    s = score_review(review(ratings))
    assert s.areas[0].score == 3.0 and s.areas[1].score == 3.0 and s.overall.score == 3.0


@pytest.mark.parametrize("ratings, expected_score, band, rag", [
    # area means all equal the overall; each boundary is hit exactly by mixing two respondents.
    ((1, 2), 1.5, "Weak", "Red"),                  # (1 + 2) / 2 = 1.5 → band boundary, RAG Red
    ((2, 3), 2.5, "Needs improving", "Amber"),     # (2 + 3) / 2 = 2.5 → Needs improving and Amber
    ((3, 4), 3.5, "Working well", "Green"),        # (3 + 4) / 2 = 3.5 → Working well and Green
    ((1, 1), 1.0, "Serious concern", "Red"),
])
def test_band_and_rag_boundaries(ratings, expected_score, band, rag):
    s = score_review(review(all_at(ratings[0]), all_at(ratings[1])))
    assert s.overall.score == expected_score
    assert (s.overall.band, s.overall.rag) == (band, rag)
    assert all((a.score, a.band, a.rag) == (expected_score, band, rag) for a in s.areas)


def test_boundary_reached_through_mean_of_means_is_exact():
    # Leadership benchmarks rated 2,2,3,3,3 by one respondent and 3,3,2,2,2 by another → each mean 2.5 → area 2.5.
    # Trust: six benchmarks at 2.1, 2.2, 2.3 = 1 and 2.4, 2.5, 2.6 = 4 → (1+1+1+4+4+4)/6 = 2.5.
    # Learning and Managing for Performance all at 2 and 3 → 2.5. Overall = 2.5 exactly → Amber.
    r1 = {**{b: 2 for b in ALL}, "1.3": 3, "1.4": 3, "1.5": 3, "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 4, "2.5": 4, "2.6": 4}
    r2 = {**{b: 3 for b in ALL}, "1.3": 2, "1.4": 2, "1.5": 2, "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 4, "2.5": 4, "2.6": 4}
    s = score_review(review(r1, r2))
    assert [a.score for a in s.areas] == [2.5, 2.5, 2.5, 2.5]
    assert s.overall.rag == "Amber" and s.overall.band == "Needs improving"


def test_rag_settings_and_band_function():
    assert band_of(1.4999) == "Serious concern" and band_of(3.5) == "Working well" and band_of(None) is None
    strict = Settings(rag_amber_from=3.0, rag_green_from=3.8)
    assert rag_of(2.9, strict) == "Red" and rag_of(3.0, strict) == "Amber" and rag_of(3.8, strict) == "Green"


def test_priority_order_and_action_in_hand_share():
    # 1.1 mean 1 (1,1); 1.2 mean 2 (2,2); 1.3 mean 2.5 (2,3: split); 1.4 mean 4.
    s = score_review(review({"1.1": 1, "1.2": 2, "1.3": 2, "1.4": 4}, {"1.1": 1, "1.2": 2, "1.3": 3, "1.4": 4}))
    assert s.priority_benchmarks == ["1.1", "1.2", "1.3"]  # lowest mean first; 1.3 is priority because split
    assert s.split_benchmarks == ["1.3"]
    # ratings of 2: three (1.2 ×2, 1.3 ×1); ratings of 1 or 2: five (plus 1.1 ×2) → 3/5 = 0.6
    assert s.action_in_hand_share == pytest.approx(0.6)
    assert by_id(s, "1.1").possible_actions[0] == "focus on the medium to long term, not quick fixes"
    assert score_review(review(all_at(4))).action_in_hand_share is None  # no 1s or 2s: nothing to share


def test_checklist_readiness_with_partly_and_not_applicable():
    # Section 1 (4 questions): Yes, Partly, Not applicable, No → (1 + 0.5) / (4 − 1) = 0.5.
    # Section 4 (2 questions): Yes, unanswered → (1 + 0) / 2 = 0.5, and 4b is reported unanswered.
    # Whole checklist: 29 questions, 1 N/A → denominator 28; points 1 + 0.5 + 1 = 2.5 → 2.5 / 28.
    answers = {"1a": {"status": "Yes", "evidence": "Board minutes"}, "1b": {"status": "Partly", "evidence": "Draft"},
               "1c": {"status": "N/A"}, "1d": {"status": "No"}, "4a": {"status": "yes", "evidence": "Reports"}}
    s = score_review(review(all_at(3), checklist=answers))
    sections = {sec.id: sec for sec in s.checklist.sections}
    assert sections["1"].readiness == pytest.approx(0.5) and sections["1"].not_applicable == 1
    assert sections["4"].readiness == pytest.approx(0.5) and sections["4"].unanswered == ["4b"]
    assert s.checklist.readiness == pytest.approx(2.5 / 28)
    assert "4b" in s.checklist.unanswered and "1a" not in s.checklist.unanswered and len(s.checklist.unanswered) == 24
    assert sections["2"].readiness == 0.0  # four unanswered questions count 0
    assert {g.id for g in s.checklist.gaps} >= {"1b", "1d", "4b"}
    # Not completed at all → readiness null, not zero.
    assert score_review(review(all_at(3))).checklist.readiness is None


def test_improvement_plan_and_unowned_actions():
    # I01 Yes, I02 No with owner, I03 No without owner → practice score 1/3; two plan items; I03 unowned.
    improvement = {"I01": {"answer": "Yes"},
                   "I02": {"answer": "No", "action": "Write a purpose statement", "owner": "Jo Bloggs", "due": "2026-03-31"},
                   "I03": {"answer": "No", "action": "Take legal advice"}}
    s = score_review(review(all_at(3), improvement=improvement,
                            benchmark_actions={"2.4": {"action_needed": "Monthly newsletter"},
                                               "2.5": {"action_needed": "Review shares", "by_whom": "Board"}}))
    assert s.improvement.practice_score == pytest.approx(1 / 3)
    assert [(p.area, p.owner, p.due) for p in s.improvement.plan] == [
        ("I02", "Jo Bloggs", dt.date(2026, 3, 31)), ("I03", None, None)]
    assert [(u.kind, u.id) for u in s.unowned_actions] == [("benchmark", "2.4"), ("improvement", "I03")]


def test_fitness_actions():
    s = score_review(review(all_at(3), fitness={"F1": "Yes", "F2": "No", "F9": "no"}))
    assert [(a.id, a.action) for a in s.fitness.actions] == [("F2", "Review membership"),
                                                             ("F9", "Develop an evaluation strategy")]


def entry(**kw) -> RegisterEntry:
    base = dict(id="P001", name="Safer Streets", status="Active", duration="Time-limited",
                priority_impact="Low", risk="Low", reliance="Low", council_contribution_gbp=0)
    return RegisterEntry(**{**base, **kw})


def test_significance_threshold():
    # Exactly 3 of 5: contribution £100,000 (≥ £100,000), priority High, risk High → Significant.
    at = assess_significance(entry(council_contribution_gbp=100_000, priority_impact="High", risk="High"))
    assert at.tier == "Significant" and at.criteria_met == ["contribution", "priority_impact", "risk"]
    assert at.required_instruments == ["checklist", "improvement", "benchmarks"]
    # 2 of 5: £99,999.99 is below the threshold → Standard, needs the improvement template only.
    below = assess_significance(entry(council_contribution_gbp=99_999.99, priority_impact="High", risk="High"))
    assert below.tier == "Standard" and below.required_instruments == ["improvement"]
    # Duration counts when Permanent, or when planned for at least 5 years (1 Apr 2024 → 1 Apr 2029).
    planned = entry(start_date="2024-04-01", end_date="2029-04-01", priority_impact="High", reliance="High")
    assert assess_significance(planned).tier == "Significant"
    short = entry(start_date="2024-04-01", end_date="2029-03-31", priority_impact="High", reliance="High")
    assert assess_significance(short).tier == "Standard"
    assert assess_significance(entry(duration="Permanent", risk="High", reliance="High")).tier == "Significant"
    # The threshold count is a setting.
    assert assess_significance(entry(risk="High", reliance="High"), Settings(significance_min_criteria=2)).tier == "Significant"


def test_gatekeeper():
    assert gatekeeper(entry()) is None  # only Proposed partnerships
    ok = gatekeeper(entry(status="Proposed", needs_many_organisations="Yes", long_term="Yes",
                          existing_partnership_could_deliver="No"))
    assert ok.recommendation == "proceed" and ok.reasons == []
    bad = gatekeeper(entry(status="Proposed", needs_many_organisations="Yes", long_term="No",
                           existing_partnership_could_deliver="yes"))
    assert bad.recommendation == "reconsider" and len(bad.reasons) == 2
    assert "short to medium terms" in bad.reasons[0]
    missing = gatekeeper(entry(status="Proposed", needs_many_organisations="Yes", long_term="Yes"))
    assert missing.recommendation == "reconsider" and missing.reasons[0].startswith("Not answered")


def test_missing_instruments():
    s = score_review(review(all_at(3), improvement={"I01": {"answer": "Yes"}}))
    assert s.instruments_completed == ["improvement", "benchmarks"]
    assert missing_instruments(s, "Significant") == ["checklist"]
    assert missing_instruments(s, "Standard") == []


def test_json_contract_keys():
    d = score_review(review(all_at(3), all_at(4))).model_dump(mode="json")
    assert {"partnership_id", "year", "overall", "areas", "benchmarks", "action_in_hand_share", "unowned_actions",
            "checklist", "improvement", "fitness"} <= set(d)
    assert set(d["overall"]) >= {"score", "percent", "band", "rag"}
    assert set(d["areas"][0]) >= {"id", "name", "score", "percent", "band", "rag", "benchmarks_rated", "factors_ticked"}
    assert set(d["benchmarks"][0]) >= {"id", "n", "mean", "min", "max", "counts", "agreement", "split", "priority",
                                       "possible_actions"}
    assert set(d["benchmarks"][0]["counts"]) == {"1", "2", "3", "4"}
    assert set(d["checklist"]) >= {"readiness", "sections", "unanswered"} and set(d["checklist"]["sections"][0]) >= {"id", "readiness"}
    assert set(d["improvement"]) >= {"practice_score", "plan"} and set(d["fitness"]) >= {"actions"}


def test_review_model_is_strict_where_it_matters():
    with pytest.raises(ValueError, match="unknown benchmark id '9.9'"):
        review({"9.9": 3})
    with pytest.raises(ValueError):
        review({"1.1": 5})
    with pytest.raises(ValueError, match="appears twice"):
        Review(partnership_id="P1", year=2025, respondents=[{"organisation": "Police"}, {"organisation": " police "}])
    with pytest.raises(ValueError):
        review(all_at(3), checklist={"1a": {"status": "Maybe"}})
    with pytest.raises(ValueError, match="unknown typical factor"):
        review(all_at(3), factors_ticked=["1.f99"])
    assert review(all_at(3), factors_ticked=["1.f1", "1.f2"]).factors_ticked == ["1.f1", "1.f2"]
