"""`operations.pack`: one PDF for committee, or one plain sentence on how to get LibreOffice."""

from __future__ import annotations

import openpyxl
import pytest

from partnerxl import operations as ops
from partnerxl.core.errors import PartnerXLError
from partnerxl.documents import committee_pack as pack_files


def test_without_libreoffice_the_pack_says_how_to_get_it_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pack_files, "libreoffice", lambda: None)
    with pytest.raises(PartnerXLError) as err:
        ops.pack(tmp_path / "Register.xlsx", tmp_path, year=2024, out=tmp_path / "Committee pack.pdf")
    message = str(err.value)
    assert "LibreOffice" in message and "install" in message.lower() and "\n" not in message
    assert not list(tmp_path.iterdir())


def test_the_pack_is_a_pdf(tmp_path):
    with pytest.raises(PartnerXLError, match=r"\.pdf"):
        ops.pack(tmp_path / "Register.xlsx", tmp_path, year=2024, out=tmp_path / "pack.xlsx")


def test_pack_command_writes_one_numbered_pdf_and_without_libreoffice_one_line(tmp_path, monkeypatch, capsys):
    import shutil
    import subprocess

    from partnerxl.cli import main
    from partnerxl.documents import sample

    if not pack_files.libreoffice() or not shutil.which("pdfinfo"):
        pytest.skip("LibreOffice and poppler are needed to print the pack")
    register, reviews, _models = sample.write_sample(tmp_path / "p")
    out = tmp_path / "out" / "Committee pack 2024.pdf"
    code = main(["pack", str(register), str(reviews), "--year", "2024", "--as-of", "2025-03-31", "--out", str(out)])
    assert code == 1   # the sample's planted mistakes are errors: the pack is still written
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3   # committee summary, dashboard, then a page per summary
    assert "Committee pack 2024" in capsys.readouterr().out

    monkeypatch.setattr(pack_files, "libreoffice", lambda: None)
    assert main(["pack", str(register), str(reviews), "--year", "2024", "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "LibreOffice" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


# --- the pack's pages, without printing ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_portfolio(tmp_path_factory):
    import datetime as dt

    from partnerxl.documents import sample

    folder = tmp_path_factory.mktemp("sample")
    register, reviews, _models = sample.write_sample(folder / "p")
    return ops.portfolio(ops.load_register(register), ops.workbook_files(reviews, skip=(register,)), year=2024,
                         as_of=dt.date(2025, 3, 31))


def test_page_breaks_keep_a_partnership_with_its_notes_and_repeat_the_heading():
    from partnerxl.documents.committee_pack import page_breaks

    assert page_breaks([10.0] * 10, page=35) == [3, 6, 9]
    # The heading (row 0) is printed again on every later page, so fewer rows fit there.
    assert page_breaks([10.0] * 10, repeat=0, page=35) == [3, 5, 7, 9]
    # Row 3 is the notes line of row 2: the page breaks before row 2, not between them.
    assert page_breaks([10.0] * 6, keep={3}, page=35) == [2, 5]


def test_axes_end_on_a_round_number_just_above_the_largest_value():
    from partnerxl.documents.dashboard import axis_top

    assert axis_top(250_000) == (300_000, 50_000)
    assert axis_top(180_000) == (200_000, 50_000)
    assert axis_top(5_000) == (6_000, 1_000)
    assert axis_top(0) == (1.0, 0.25)


def test_the_pack_workbook_is_in_reading_order_names_no_sheet_and_is_the_same_twice(sample_portfolio, tmp_path):
    import re
    import zipfile

    from partnerxl.sheets import pack_pages as P
    from partnerxl.sheets import reports as R

    p = sample_portfolio
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    ops.write_pack_workbook(p, first)
    ops.write_pack_workbook(p, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    reviewed = [r for r in p.results if r.current is not None]
    own = [P.SHEET_COVER, R.SHEET_COMMITTEE, P.SHEET_OVERVIEW, R.SHEET_DASHBOARD, P.SHEET_ACTION_LIST]
    assert names == [*own, *(f"{r.entry.id} {r.current.year}" for r in reviewed)]
    book = openpyxl.load_workbook(first)
    for name in own:
        for row in book[name].iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and re.search(r"\bsheets?\b", value, re.I)), (name, value)


def test_the_recommendation_to_the_committee_is_the_setting_or_made_from_the_numbers(sample_portfolio):
    from partnerxl.sheets.pack_pages import cover_sheet, recommendation_text

    p = sample_portfolio
    made = recommendation_text(p)
    c = p.committee
    assert made.startswith("That the committee:\n(a) notes") and f"{c['reviewed_this_year']} reviewed" in made
    assert f"{c['overdue_actions']} overdue action" in made
    typed = p.settings.model_copy(update={"committee_recommendation": "To note the report.",
                                          "committee_name": "Audit Committee", "committee_date": "24 June 2025"})
    p2 = type(p)(**{**p.__dict__, "settings": typed})
    cover = cover_sheet(p2, [("Committee summary", 2, False)])
    flat = [v for row in cover.rows for v in row if v]
    assert "To note the report." in flat and "Audit Committee" in flat and "24 June 2025" in flat
    assert ["Committee summary", None, 2] in cover.rows


def test_an_id_typed_like_a_formula_labels_its_dashboard_point_as_text(tmp_path):
    """A register ID such as '=Dashboard!A1' (an officer's typing) is a point's label on the dashboard, never a
    reference XlsxWriter would write as a formula."""
    import datetime as dt
    import zipfile

    from partnerxl.core.portfolio import build_portfolio, score_reviews
    from partnerxl.core.settings import Settings
    from partnerxl.documents.portfolio_workbook import write_portfolio
    from portfolio_fixtures import entry, review, uniform

    e = entry("=Dashboard!A1", "Formula Board", council_contribution_gbp=50_000.0)
    p = build_portfolio([e], score_reviews([("a.xlsx", review("=Dashboard!A1", 2024, uniform(3)))], Settings()), 2024,
                        dt.date(2025, 3, 31))
    out = write_portfolio(p, tmp_path / "Portfolio.xlsx") or tmp_path / "Portfolio.xlsx"
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert any("<a:t>=Dashboard!\u200bA1</a:t>" in c for c in charts), "the point is labelled with its ID, as text"
    assert all("<c:f>Dashboard!A1</c:f>" not in c for c in charts)
