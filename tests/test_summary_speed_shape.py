"""The summary planner keeps each section's rows and builds again only the sections whose limits changed: it must
choose exactly the page that building every section for every trial would (the same rows, heights and styles)."""

from __future__ import annotations

import datetime as dt
import types

import pytest

from partnerxl import operations as ops
from partnerxl.core.models import FitnessPlan
from partnerxl.core.portfolio import build_portfolio, score_reviews
from partnerxl.core.settings import Settings
from partnerxl.documents import summary_sections as sections
from partnerxl.documents.summaries import plan_page, summary_context
from partnerxl.sheets import reports as R

from portfolio_fixtures import FULL_CHECKLIST, entry, review, uniform

AS_OF = dt.date(2025, 3, 31)


def naive_plan(result, ctx) -> sections.Page:
    """The planner as it was: every section built again for every set of limits tried."""
    def build(limits):
        page = sections.Page()
        for section in sections.SECTIONS:
            section(page, result, ctx, limits)
        return page

    limits = sections.Limits()
    while (page := build(limits)).height > R.PAGE_HEIGHT_PT:
        smaller = limits.tighter()
        if smaller is None:
            return page
        limits = smaller
    return build(limits.loosened(lambda trial: build(trial).height <= R.PAGE_HEIGHT_PT))


def full_height(result, ctx) -> float:
    page = sections.Page()
    for section in sections.SECTIONS:
        section(page, result, ctx, sections.Limits())
    return page.height


@pytest.fixture(scope="module")
def demo_portfolio(tmp_path_factory):
    sample = ops.write_sample(tmp_path_factory.mktemp("demo"))
    return ops.portfolio(ops.load_register(sample.register, sample.as_of), ops.workbook_files(sample.reviews_dir),
                         year=sample.year, as_of=sample.as_of)


def heavy_portfolio():
    """Reviews from light to very heavy (every benchmark a priority, every checklist question a gap, long texts),
    so that the page is cut hard, a little, or not at all, and loosened again after."""
    entries, reviews = [], []
    for i, rating in enumerate((4, 1, 2, 3, 1, 1)):
        e = entry(f"P{i:03d}", f"Partnership {i} " + "with a long name " * (i % 3),
                  purpose="Regenerate the riverside. " * (2 * i), partners="River Trust; Port Authority; " * i)
        impr = {f"I{k:02d}": {"answer": "No", "action": f"Action {k} " * (1 + i), "owner": None if k % 4 else "Ann",
                              "due": dt.date(2024 + k % 2, 1 + k % 12, 1)} for k in range(1, min(15, 2 + 3 * i))}
        ck = {qid: {"status": ("No", "Partly", None)[k % 3]} for k, qid in enumerate(FULL_CHECKLIST)} if i % 2 else {}
        rv = review(e.id, 2024, uniform(rating, 3 + i), improvement=impr, checklist=ck,
                    fitness={f"F{k}": "No" for k in range(1, 1 + i)})
        rv.fitness_actions.update({f"F{k}": FitnessPlan(owner="Fitness Owner", due=dt.date(2025, 12, 1))
                                   for k in range(1, 1 + i, 2)})
        entries.append(e)
        reviews.append((f"{e.id}.xlsx", rv))
    return build_portfolio(entries, score_reviews(reviews, Settings()), 2024, AS_OF)


def _pages(portfolio, ctx):
    results = [r for r in portfolio.results if r.current is not None]
    assert results
    return [(r.entry.id, plan_page(r, ctx), naive_plan(r, ctx), full_height(r, ctx)) for r in results]


def _check(pages) -> None:
    for pid, new, old, _ in pages:
        assert new.rows == old.rows, pid
        assert new.height == old.height, pid


def test_demo_pages_are_planned_as_before(demo_portfolio):
    _check(_pages(demo_portfolio, summary_context(demo_portfolio)))


def test_cut_and_loosened_pages_are_planned_as_before():
    p = heavy_portfolio()
    ctx = summary_context(p)
    pages = _pages(p, ctx)
    _check(pages)
    cut = [pid for pid, new, _old, full in pages if full > R.PAGE_HEIGHT_PT]
    assert cut and len(cut) < len(pages)   # some pages had to give way, and some did not
    with_logo = types.SimpleNamespace(**{**vars(ctx), "settings": ctx.settings.model_copy(
        update={"logo_path": "logo.png"})})  # the title leaves column F to the logo: other rows, other cuts
    _check(_pages(p, with_logo))


def test_a_section_that_reads_another_limit_is_built_again(monkeypatch):
    """The planner learns which limits a section reads by watching it, so a section that starts reading a new one
    (here the strengths listed only when there is no checklist) is still built again when that one changes."""
    p = heavy_portfolio()
    ctx = summary_context(p)
    original = sections.strengths

    def strengths(page, result, ctx, limits):
        if limits.checklist and result.current.score.checklist.completed:
            return
        original(page, result, ctx, limits)

    monkeypatch.setattr(sections, "SECTIONS", tuple(strengths if s is original else s for s in sections.SECTIONS))
    _check(_pages(p, ctx))
