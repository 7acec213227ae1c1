"""Property test: for any valid ratings, scores stay inside the scale and the overall sits between its areas."""

from fractions import Fraction

from hypothesis import given, settings, strategies as st

from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import Review
from partnerxl.core.scoring import PRIORITY_MEAN_BELOW, band_of, benchmark_stats, score_review

BENCHMARKS = [b.id for b in load_instruments().benchmarks.benchmarks]

respondent = st.dictionaries(st.sampled_from(BENCHMARKS), st.integers(1, 4), max_size=len(BENCHMARKS))


@settings(max_examples=300, deadline=None)
@given(st.lists(respondent, min_size=0, max_size=12))
def test_scores_stay_in_range(ratings):
    review = Review(partnership_id="P1", year=2025,
                    respondents=[{"organisation": f"Org {i}", "ratings": r} for i, r in enumerate(ratings)])
    result = score_review(review)
    for b in result.benchmarks:
        assert b.n == sum(b.counts.values())
        if b.n:
            assert 1 <= b.min <= b.mean <= b.max <= 4
        assert b.agreement is None or 0 <= b.agreement <= 1
        assert (b.agreement is None) == (b.n < 2)
    areas = [a.score for a in result.areas]
    for a in result.areas:
        if a.score is not None:
            assert 1 <= a.score <= 4 and 0 <= a.percent <= 100
    overall = result.overall.score
    if overall is not None:
        assert 1 <= overall <= 4 and 0 <= result.overall.percent <= 100
        assert min(areas) - 1e-12 <= overall <= max(areas) + 1e-12
    else:
        assert any(a is None for a in areas)
    share = result.action_in_hand_share
    assert share is None or 0 <= share <= 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=40))
def test_benchmark_decisions_agree_with_the_exact_mean(ratings):
    # benchmark_stats decides band and priority from integer sums; they must match the exact rational mean.
    s = benchmark_stats(ratings)
    mean = Fraction(sum(ratings), len(ratings))
    assert s["mean"] == mean and s["band"] == band_of(mean)
    assert s["below_priority"] == (mean < PRIORITY_MEAN_BELOW)
    if len(ratings) >= 2:
        variance = sum((r - mean) ** 2 for r in ratings) / (len(ratings) - 1)
        assert abs(s["agreement"] - float(max(Fraction(0), 1 - variance / Fraction(5, 4)))) < 1e-12
