"""The summaries and the three templates as they print (issue 17): LibreOffice prints them, page by page the text is
measured (tests/print_measure.py): body text at 9 point or more, nothing under 8 point but the chart's labels,
nothing beyond the page's margins or printed over other text; each summary shows its partnership's whole name,
its overdue actions and its response rate. One LibreOffice run prints every file."""

from __future__ import annotations

import re

import pytest

from print_measure import Page, pages, to_pdfs, tools_missing

from partnerxl import operations as ops
from partnerxl.core.models import Respondent
from partnerxl.core.results import action_words, response_words
from partnerxl.documents.fill import new_response
from partnerxl.documents.templates import write_templates
from partnerxl.sheets import layout as L

SUMMARIES = ("P003", "P004", "P006", "P008")   # Red with 5 overdue, the long name, low response, due 1 Jan 2025
MARGIN_PT = L.MARGIN_IN * 72 - 6               # the side margins the sheets are set to, less a little slack


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict:
    why = tools_missing()
    if why:
        pytest.skip(why)
    tmp = tmp_path_factory.mktemp("print")
    sample = ops.write_sample(tmp / "demo")
    report = ops.summaries(sample.register, sample.reviews_dir, year=sample.year, out_dir=tmp / "summaries",
                           as_of=sample.as_of)
    by_id = {r.entry.id: r for r in report.portfolio.results}
    summaries = {pid: tmp / "summaries" / f"Summary {pid} {sample.year}.xlsx" for pid in SUMMARIES}
    templates = dict(zip(L.KINDS, write_templates(tmp / "templates")))
    chased = new_response(tmp / "templates" / "Response P006 chased.xlsx", "P006", by_id["P006"].entry.name,
                          sample.year, Respondent(organisation="Fernshire Police", name="Sam Lewis"),
                          return_by=report.portfolio.reply_by)
    pdfs = to_pdfs([*summaries.values(), *templates.values(), chased], tmp / "pdf")
    return {"results": by_id, "summaries": {k: pages(pdfs[v]) for k, v in summaries.items()},
            "templates": {k: pages(pdfs[v]) for k, v in templates.items()}, "chased": pages(pdfs[chased]),
            "reply_by": report.portfolio.reply_by}


def _in_chart(page: Page):
    """The summary's chart: from its title down to the next section heading (its labels may be 8 point)."""
    titles = [w for w in page.words if w.text == "scores,"]
    top = titles[0].y0 - 2 if titles else None
    below = [w.y0 for w in page.words if w.text == "Key" and top is not None and w.y0 > top]
    bottom = min(below) if below else page.height
    return lambda w: top is not None and top <= w.y0 < bottom


def _assert_readable(page: Page, label: str, *, exempt=lambda w: False) -> None:
    where = f"{label} {page.describe()}"
    assert page.body_size() >= 8.9, f"body text under 9 pt: {where}"
    small = page.smaller_than(8.0, exempt=exempt)
    assert not small, f"text under 8 pt {[str(w) for w in small[:5]]}: {where}"
    assert not page.outside(), f"text beyond the printable area {[str(w) for w in page.outside()[:5]]}: {where}"
    beyond = [w for w in page.words if w.x0 < MARGIN_PT - 1 or w.x1 > page.width - MARGIN_PT]
    assert not beyond, f"text cut at the margin {[str(w) for w in beyond[:5]]}: {where}"
    over = page.overlapping()
    assert not over, f"text printed over text {[(str(a), str(b)) for a, b in over[:3]]}: {where}"


def _text(pages_: list[Page]) -> str:
    return " ".join(" ".join(p.text for p in pages_).split())


@pytest.mark.parametrize("pid", SUMMARIES)
def test_summary_prints_at_9_point_on_one_page(printed, pid):
    [page] = printed["summaries"][pid]  # one A4 page
    _assert_readable(page, f"Summary {pid}", exempt=_in_chart(page))


@pytest.mark.parametrize("pid", SUMMARIES)
def test_summary_shows_the_whole_name_its_overdue_actions_and_response_rate(printed, pid):
    r = printed["results"][pid]
    text = _text(printed["summaries"][pid])
    assert r.entry.name in text, f"{pid}: the name is cut"
    s = r.current.score
    assert response_words(s.returned, len(s.invited), s.respondents) in text
    overdue = r.overdue_actions
    assert text.count("OVERDUE") == len(overdue), f"{pid}: {len(overdue)} overdue actions, page shows otherwise"
    for a in overdue:
        assert action_words(a)[:30] in text, f"{pid}: overdue action not shown: {action_words(a)}"
    assert not re.search(r"\b(I\d\d|F\d)\b", text), f"{pid}: an item code on the page"


def test_the_demo_cases_of_issue_17(printed):
    """P003 (Red) shows its 5 overdue actions; P006 its overdue I08; P008 its action due 1 Jan 2025 as overdue."""
    assert len(printed["results"]["P003"].overdue_actions) == 5
    assert "Write down each member's rights" in _text(printed["summaries"]["P006"])
    assert "01 Jan 2025 · OVERDUE" in _text(printed["summaries"]["P008"])
    assert "Children and Young People's Partnership" in _text(printed["summaries"]["P004"])
    assert "3 of 7 invited returned their ratings" in _text(printed["summaries"]["P006"])


@pytest.mark.parametrize("kind", L.KINDS)
def test_template_prints_at_9_point_every_page(printed, kind):
    for page in printed["templates"][kind]:
        _assert_readable(page, f"{kind} template")


def test_wide_grids_print_across_pages_with_their_ids_repeated(printed):
    register = [p for p in printed["templates"]["register"] if "Name" in p.text.split()[:3]]
    assert len(register) >= 3, "the Register sheet should print across several pages"
    assert all(p.text.startswith("ID Name") for p in register), "ID and name repeated on every Register page"
    grid = [p for p in printed["templates"]["review"] if "Respondent" in p.text and "1.1" in p.text.split()]
    assert len(grid) >= 3 and any("Respondent 7" in p.text for p in grid) and any("By whom?" in p.text for p in grid)
    for p in grid:  # each page can be read alone: the statements are on it
        assert "Partners share a common vision" in p.text or "Partners continuously seek" in p.text


def test_response_form_shows_the_scale_and_the_date_to_return_it_by(printed):
    form = _text(printed["chased"])
    assert f"Please return this form by {printed['reply_by']:%-d %B %Y}" in form
    for words in ("How to rate each statement", "4 YES – working well", "1 NO – action is needed", "Don't know"):
        assert words in form
    readme = printed["templates"]["response"][0].text
    assert "collate" not in readme and "send it back to the officer" in " ".join(readme.split())
    for page in printed["chased"]:
        _assert_readable(page, "chased Response form")


def test_settings_show_money_and_shares(printed):
    text = _text(printed["templates"]["register"])
    assert "£100,000" in text and "25%" in text and "50%" in text and "100000" not in text
