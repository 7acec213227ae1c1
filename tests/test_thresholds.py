"""Each threshold once: a council's own Amber and Green reach every heading, colour and key PartnerXL writes.

The files are written by the code and read back with openpyxl (charts, which openpyxl does not read, from the
file's XML): the summary's table, priority heading and footnote, the Portfolio's RAG cells, heatmap, key and
conditional formats, and the dashboard's chart title must all tell the same story as `rag_of`.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from partnerxl.core.portfolio import build_portfolio, score_reviews
from partnerxl.core.scoring import priority_cutoff, rag_of, rag_ranges
from partnerxl.core.settings import Settings
from partnerxl.documents.portfolio_workbook import write_portfolio
from partnerxl.documents.summaries import write_summaries
from partnerxl.sheets import palette
from partnerxl.sheets import reports as R

from portfolio_fixtures import entry, review

AS_OF = dt.date(2025, 3, 31)
DEFAULT = Settings()
COUNCIL = Settings(rag_amber_from=3.0, rag_green_from=3.8)
# Five raters, so one NO among four YES is not a split: Leadership 3.6, Trust 2.8 (below the council's Amber, above
# the fixed priority cut-off, not split), Learning 2.0 (a priority everywhere), Managing for Performance 3.0.
RATINGS = {"1": [4, 4, 3, 3, 4], "2": [3, 3, 3, 3, 2], "3": [2, 2, 2, 2, 2], "4": [3, 3, 3, 3, 3]}
EXPECTED = {  # area or overall → (default RAG, council RAG)
    "Leadership": ("Green", "Amber"), "Trust": ("Amber", "Red"), "Learning": ("Red", "Red"),
    "Managing for Performance": ("Amber", "Amber"), "Overall": ("Amber", "Red"),
}


def _write(tmp_path: Path, settings: Settings) -> tuple[Path, Path]:
    scored = score_reviews([("Review P001 2024.xlsx", review("P001", 2024, RATINGS))], settings)
    p = build_portfolio([entry("P001", "Threshold Partnership")], scored, 2024, AS_OF, settings)
    out = tmp_path / "out"
    [summary] = write_summaries(p, out)
    return summary, write_portfolio(p, out / "Portfolio 2024.xlsx")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    base = tmp_path_factory.mktemp("thresholds")
    return {name: _write(base / name, s) for name, s in (("default", DEFAULT), ("council", COUNCIL))}


def _fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:]


def _summary_texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.mark.parametrize("name, settings, side", [("default", DEFAULT, 0), ("council", COUNCIL, 1)])
def test_summary_colours_and_words_follow_the_councils_thresholds(written, name, settings, side):
    ws = openpyxl.load_workbook(written[name][0]).active
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Area")
    rows = {ws.cell(r, 1).value: r for r in range(first + len(EXPECTED), first, -1)}  # the score table's rows
    for label, rags in EXPECTED.items():
        band_cell = ws.cell(rows[label], 6)
        assert band_cell.value.endswith(f"({rags[side]})"), (label, band_cell.value)
        assert _fill(band_cell) == palette.RAG[rags[side]], label
    texts = _summary_texts(ws)
    rag = rag_ranges(settings)
    assert (f"Ratings 1 (NO, action is needed) to 4 (YES, working well); red below {rag['Red'].high:g}, green "
            f"from {rag['Green'].low:g}.") in texts
    assert f"red below {settings.rag_amber_from:g}, green from {settings.rag_green_from:g}." in texts[-1]


@pytest.mark.parametrize("name", ["default", "council"])
def test_priority_heading_states_the_real_rule_whatever_amber_is(written, name):
    """Scoring lists a benchmark as a priority below a fixed 2.5 (or when split), so the heading says 2.5 even where
    Amber starts at 3.0: Trust's benchmarks (2.8) are below that Amber and rightly not listed."""
    ws = openpyxl.load_workbook(written[name][0]).active
    texts = _summary_texts(ws)
    heading = next(t for t in texts if t.startswith("Priority benchmarks"))
    assert heading == "Priority benchmarks (average below 2.5, or partners split) and possible actions"
    assert priority_cutoff() == 2.5
    # The summary labels each priority benchmark by its area and average (words, not ids): only Learning's.
    listed = [t.split(" · ")[0] for t in texts if re.match(r"^[A-Z][A-Za-z ]+ · \d\.\d\d", t)]
    assert listed and all(b == "Learning" for b in listed), listed


def test_portfolio_colours_key_and_formats_follow_the_councils_thresholds(written):
    summary, portfolio = written["council"]
    wb = openpyxl.load_workbook(portfolio)
    heat = wb[R.SHEET_HEATMAP]
    head = next(r for r in range(1, 12) if heat.cell(r, 1).value == "ID")
    legend = [heat.cell(r, 2).value for r in range(1, head)]
    assert {"Green: 3.8 and above", "Amber: 3 to below 3.8", "Red: below 3"} <= set(legend)
    coloured = 0
    for row in heat.iter_rows(min_row=head + 1, min_col=3):
        for cell in row:
            if isinstance(cell.value, (int, float)):
                assert _fill(cell) == palette.RAG[rag_of(cell.value, COUNCIL)], (cell.coordinate, cell.value)
                coloured += 1
    assert coloured == 5
    formulas = {re.sub(r"[A-Z]+[0-9]+", "X", f) for cf in heat.conditional_formatting for r in cf.rules
                for f in r.formula}
    assert formulas == {"AND(ISNUMBER(X),X>=3.8)", "AND(ISNUMBER(X),X>=3.0,X<3.8)", "AND(ISNUMBER(X),X<3.0)"}
    table = wb[R.SHEET_PORTFOLIO]
    headers = [c.value for c in table[1]]
    overall = table.cell(2, headers.index("Overall RAG") + 1)
    assert overall.value == "Red" and _fill(overall) == palette.RAG["Red"]
    # The summary of the same partnership shows the same overall colour as the Portfolio.
    ws = openpyxl.load_workbook(summary).active
    overall_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Overall")
    assert _fill(ws.cell(overall_row, 6)) == _fill(overall)
    with zipfile.ZipFile(portfolio) as z:
        charts = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart"))
    assert "(green from 3.8, red below 3)" in charts


def test_every_rules_reference_in_the_code_names_a_section_of_the_rules_page():
    root = Path(__file__).resolve().parents[1]
    headings = {line.lstrip("#").strip() for line in (root / "docs" / "rules.md").read_text(encoding="utf-8")
                .splitlines() if line.startswith("#")}
    name = re.compile(r"([\"'])([^\"']+)\1(, )?")   # "Section", or 'Section' in JSON, then maybe another
    cited = set()
    for path in [*(root / "src" / "partnerxl").rglob("*.py"), *(root / "src" / "partnerxl" / "data").glob("*.json")]:
        text = re.sub(r"\s*\n\s*#?\s*", " ", path.read_text(encoding="utf-8"))  # references wrap across lines
        for ref in re.finditer(r"docs/rules\.md,? \(?", text):
            at = ref.end()
            while (m := name.match(text, at)) is not None:
                cited.add(m.group(2))
                at = m.end()
                if not m.group(3):
                    break
    assert len(cited) >= 10
    assert cited <= headings, f"docs/rules.md has no section {sorted(cited - headings)}"
