"""The committee pack, the Portfolio workbook and the validation report of the demo, printed through LibreOffice and
read page by page as the reader holds them (tests/print_measure.py): body text at 9 pt, nothing under 8 pt but chart
labels, nothing beyond the printable area or printed over other text; the pack in the order a committee reads it.

One demo run and one LibreOffice run for the module (the three documents converted together).
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from partnerxl import operations as ops
from partnerxl.demo import run_demo
from partnerxl.sheets import reports as R

from print_measure import pages, to_pdfs, tools_missing

BODY_PT = 8.95       # a page's body text (the median word) is printed at 9 pt
SMALLEST_PT = 8.0    # nothing smaller (the page footer is 8 pt)
SHEET_WORDS = re.compile(r"\bsheets?\b", re.I)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    why = tools_missing()
    if why:
        pytest.skip(why)
    folder = tmp_path_factory.mktemp("print")
    demo = run_demo(folder / "demo")
    pack = ops.write_pack_workbook(demo.portfolio, folder / "Committee pack.xlsx")
    docs = {"pack": pack, "portfolio": demo.portfolio_path, "validation": demo.validation_report}
    pdfs = to_pdfs(docs.values(), folder / "pdf")
    return demo, docs, {name: pages(pdfs[path]) for name, path in docs.items()}


def _summary_page(page) -> bool:
    return "Annual review summary" in page.text


def _chart_label(page):
    """The summaries' bar chart labels print at 7.9 pt (8 pt in the chart); every other word is held to 8 pt."""
    return lambda w: _summary_page(page) and w.size >= 7.5


@pytest.mark.parametrize("doc", ["pack", "portfolio", "validation"])
def test_every_page_prints_at_9_point_within_the_paper(printed, doc):
    _demo, _docs, printed_pages = printed
    assert printed_pages[doc]
    for page in printed_pages[doc]:
        where = f"{doc} {page.describe()}"
        assert page.body_size() >= BODY_PT, where
        small = page.smaller_than(SMALLEST_PT, exempt=_chart_label(page))
        assert not small, f"{where}: {[str(w) for w in small[:5]]}"
        assert not page.outside(), f"{where}: {[str(w) for w in page.outside()[:5]]}"
        over = page.overlapping()
        assert not over, f"{where}: text printed over text {[(str(a), str(b)) for a, b in over[:3]]}"


def test_the_pack_reads_in_order_and_names_no_sheet(printed):
    demo, _docs, printed_pages = printed
    pack = printed_pages["pack"]
    p = demo.portfolio
    texts = [page.text for page in pack]
    assert "Recommendation" in texts[0] and "Contents" in texts[0] and "That the committee" in texts[0]
    first_summary = next(i for i, page in enumerate(pack) if _summary_page(page))
    overview = next(i for i, t in enumerate(texts) if "Overview of the partnerships" in t)
    assert overview < first_summary
    listed = " ".join(texts[overview:first_summary])
    for r in p.results:
        if r.current is not None:   # every partnership reviewed, by ID and whole name, before the first summary
            assert r.entry.id in listed and " ".join(r.entry.name.split()) in listed, r.entry.id
    dashboard = next(t for t in texts if "dashboard" in t)
    assert "P003" in dashboard and "Green from" in dashboard and "Red below" in dashboard
    assert "Consider ending" in listed and "↓ Declined" in listed   # words, not codes
    assert any("Overdue actions and actions with no owner" in t for t in texts[:first_summary])
    for number, text in enumerate(texts, start=1):
        found = SHEET_WORDS.search(text)
        assert not found, f"pack page {number} names a sheet: …{text[max(0, found.start() - 80):found.end()]}"


def test_the_contents_give_the_printed_pages(printed):
    demo, _docs, printed_pages = printed
    pack = printed_pages["pack"]
    cover = pack[0].words
    for r in demo.portfolio.results:
        if r.current is None:
            continue
        at = next((w for w in reversed(cover) if w.text == r.entry.id), None)   # the contents are last
        assert at is not None, f"{r.entry.id} is not in the contents"
        number = [w.text for w in cover if abs(w.y0 - at.y0) < 2 and w.x0 > 400 and w.text.isdigit()]
        assert len(number) == 1, (r.entry.id, number)
        page = pack[int(number[0]) - 1]
        assert _summary_page(page) and r.entry.id in page.text, (r.entry.id, number)
    assert f"Page {len(pack)} of {len(pack)}" in pack[-1].text


def test_the_portfolio_sheet_prints_every_column(printed):
    demo, docs, printed_pages = printed
    ws = openpyxl.load_workbook(docs["portfolio"])[R.SHEET_PORTFOLIO]
    headers = [c.value for c in ws[1] if c.value]
    words = {w.text for page in printed_pages["portfolio"] for w in page.words}
    for header in headers:   # a heading wraps in its cell: each of its words is printed
        assert set(str(header).split()) <= words, f"column '{header}' is not printed"
    assert ws.print_title_cols and ws.print_title_rows   # ID and Name, and the headings, on every page


def test_the_validation_report_lists_errors_first(printed):
    _demo, _docs, printed_pages = printed
    severities = [w.text for page in printed_pages["validation"] for w in sorted(page.words, key=lambda w: w.y0)
                  if w.x0 < 60 and w.text in ("Error", "Warning")]   # the first column, page by page
    assert "Error" in severities and "Warning" in severities
    assert severities.index("Warning") > max(i for i, s in enumerate(severities) if s == "Error")
