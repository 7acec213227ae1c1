"""The documents people read, printed: every demo output through LibreOffice to PDF, measured from the word boxes.

One LibreOffice run converts the summaries, the Portfolio workbook and the committee pack (module-scoped, so the
whole file costs one conversion).
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from partnerxl import operations as ops
from partnerxl.demo import run_demo
from partnerxl.sheets import palette
from partnerxl.sheets import reports as L

from test_summaries import pdf_pages, soffice_or_skip

BOX_PER_POINT = 1.3   # height of a word box from `pdftotext -bbox` per point of Arial/Liberation Sans
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    exe = soffice_or_skip()
    folder = tmp_path_factory.mktemp("docs")
    demo = run_demo(folder / "demo")
    pack = ops.write_pack_workbook(demo.portfolio, folder / "Committee pack.xlsx")
    files = [*demo.summaries, demo.portfolio_path, pack]
    out = folder / "pdf"
    subprocess.run([exe, f"-env:UserInstallation=file://{folder / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, files)], check=True, capture_output=True, timeout=240)
    return demo, {f: out / (f.stem + ".pdf") for f in files}, pack


def words(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, x max, font size in points, page width, text) of every word."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found, page, width = [], -1, 0.0
    for line in xml.splitlines():
        m = PAGE.search(line)
        if m:
            page, width = page + 1, float(m.group(1))
        w = WORD.search(line)
        if w:
            size = (float(w.group(4)) - float(w.group(2))) / BOX_PER_POINT
            found.append((page, float(w.group(3)), size, width, w.group(5)))
    return found


def test_each_summary_is_one_page_at_100_percent_with_readable_text(printed):
    demo, pdfs, _pack = printed
    for summary in demo.summaries:
        pdf = pdfs[summary]
        assert pdf_pages(pdf) == 1, summary.name
        sizes = [round(size, 1) for _p, _x, size, _w, _t in words(pdf)]
        body = Counter(sizes).most_common(1)[0][0]
        assert body >= 8.95, f"{summary.name}: body text {body} pt"
        assert min(sizes) >= 7.9, f"{summary.name}: text of {min(sizes)} pt"
        ws = openpyxl.load_workbook(summary).active
        assert int(ws.page_setup.scale or 100) == 100
        assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)


def test_portfolio_prints_with_titles_page_numbers_and_within_the_page(printed):
    demo, pdfs, _pack = printed
    wb = openpyxl.load_workbook(demo.portfolio_path)
    for ws in wb.worksheets:
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, ws.title
        assert "As at" in ws.oddHeader.right.text, ws.title
        # 9-point text as written: no sheet is shrunk to fit (a wide one prints across pages instead).
        assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage), ws.title
        assert int(ws.page_setup.scale or 100) == 100, ws.title
        if ws.title not in (L.SHEET_DASHBOARD, L.SHEET_COMMITTEE):
            assert ws.print_title_rows, f"{ws.title} has no print titles"
        if ws.title in (L.SHEET_PORTFOLIO, L.SHEET_ACTIONS):
            assert ws.print_title_cols, f"{ws.title} does not repeat its ID and name columns"
    found = words(pdfs[demo.portfolio_path])
    pages = {p for p, *_ in found}
    texts = " ".join(t for *_x, t in found)
    assert f"Page {len(pages)} of {len(pages)}" in texts
    assert all(x <= width - 18 for _p, x, _s, width, _t in found), "text printed beyond the printable width"


def test_heatmap_is_coloured_exactly_by_the_rag_bands(printed):
    demo, _pdfs, _pack = printed
    settings = demo.portfolio.settings
    ws = openpyxl.load_workbook(demo.portfolio_path)[L.SHEET_HEATMAP]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "ID")
    coloured = 0
    for row in ws.iter_rows(min_row=head + 1, min_col=3):
        for cell in row:
            band = L.band_of(cell.value, settings)
            if band:
                assert cell.fill.fgColor.rgb[-6:] == palette.RAG[band], (cell.coordinate, cell.value, band)
                coloured += 1
    assert coloured >= 5 * 9
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    formulas = " ".join(f for r in rules for f in r.formula)
    assert f">={settings.rag_green_from:g}" in formulas and f"<{settings.rag_amber_from:g}" in formulas
    legend = " ".join(str(c.value) for row in ws.iter_rows(max_row=head) for c in row if c.value)
    assert "Heatmap" in legend and "Green" in legend and "Red" in legend


def test_dashboard_has_native_charts_and_portfolio_has_sparklines(printed):
    demo, _pdfs, _pack = printed
    with zipfile.ZipFile(demo.portfolio_path) as z:
        names = z.namelist()
        workbook = z.read("xl/workbook.xml").decode()
        first = z.read("xl/worksheets/sheet1.xml").decode()
        second = z.read("xl/worksheets/sheet2.xml").decode()
    assert workbook.index('name="Dashboard"') < workbook.index('name="Portfolio"')
    assert "<drawing" in first and len([n for n in names if n.startswith("xl/charts/chart")]) >= 3
    reviewed = sum(1 for r in demo.portfolio.results if r.current or r.previous)
    assert second.count("<x14:sparkline>") == len(demo.portfolio.results) and reviewed


def test_committee_pack_pages_are_numbered_throughout(printed):
    demo, pdfs, pack = printed
    pdf = pdfs[pack]
    n = pdf_pages(pdf)
    reviewed = sum(1 for r in demo.portfolio.results if r.current)
    assert n == 5 + reviewed   # cover, committee summary, overview, dashboard, actions; a page a summary
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Page 1 of {n}" in text and f"Page {n} of {n}" in text
    assert "committee summary" in text and "Year-on-year movement" in text


def test_validation_report_lists_errors_first_with_the_council_and_date_on_every_page(tmp_path):
    import datetime as dt

    from partnerxl.core.findings import finding
    from partnerxl.documents.validation_report import write_report

    found = [finding("incomplete-respondent", "a.xlsx", "Benchmarks", "D3", "Organisation", "Org", detail="1"),
             finding("bad-email", "Register.xlsx", "Register", "Q11", "Lead officer email", "x(at)y"),
             finding("bad-rating", "b.xlsx", "Benchmarks", "C7", "Rating of 1.1", "Maybe")]
    out = write_report(found, tmp_path / "report.xlsx", council="Fernleigh Borough Council",
                       as_of=dt.date(2025, 3, 31))
    ws = openpyxl.load_workbook(out).active
    assert [ws.cell(r, 1).value for r in range(2, 5)] == ["Error", "Error", "Warning"]
    assert ws.cell(2, 3).value == "Register.xlsx"   # in the order found, within a severity
    assert "Fernleigh Borough Council" in ws.oddHeader.left.text and "31 March 2025" in ws.oddHeader.right.text
    assert "2 errors, 1 warning" in ws.oddHeader.center.text
    assert ws.print_title_rows and int(ws.page_setup.scale or 100) == 100
