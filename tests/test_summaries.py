"""Summaries and the Portfolio workbook written from hand-made portfolios (no input workbooks needed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from partnerxl.core.models import BenchmarkAction
from partnerxl.core.portfolio import build_portfolio, score_reviews
from partnerxl.documents.portfolio_workbook import write_portfolio
from partnerxl.core.settings import Settings
from partnerxl.documents.summaries import write_summaries

from portfolio_fixtures import FULL_CHECKLIST, entry, review, uniform

NASTY = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)"]
AS_OF = dt.date(2025, 3, 31)


def nasty_portfolio():
    """A partnership whose every free-text field starts with a formula trigger."""
    e = entry("P001", NASTY[0], purpose=NASTY[1], lead_officer=NASTY[2], partners=NASTY[3],
              council_representatives=NASTY[0])
    rv = review("P001", 2024, {"1": [1, 4], "2": [2, 2], "3": [3, 3], "4": [4, 4]}, improvement={
        "I02": {"answer": "No", "action": NASTY[0], "owner": NASTY[3]},
        "I03": {"answer": "No", "action": NASTY[1]}}, fitness={"F1": "No"}, checklist=FULL_CHECKLIST)
    rv.benchmark_actions["1.1"] = BenchmarkAction(action_needed=NASTY[2], by_whom=NASTY[0])
    rv.coordinator = NASTY[3]
    return build_portfolio([e], score_reviews([(NASTY[0] + ".xlsx", rv)], Settings()), 2024, AS_OF)


def _cells(path: Path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                yield ws, c


def assert_text_only(path: Path, expect_nasty: bool = True) -> None:
    seen = set()
    for _ws, c in _cells(path):
        assert c.data_type != "f", f"{path.name} {c.coordinate} holds a formula {c.value!r}"
        if isinstance(c.value, str):
            for n in NASTY:
                if n in c.value:
                    seen.add(n)
    if expect_nasty:
        assert seen == set(NASTY), f"{path.name}: only {seen} written"


def test_user_text_stays_text_everywhere(tmp_path):
    p = nasty_portfolio()
    out = write_portfolio(p, tmp_path / "Portfolio.xlsx")
    [summary] = write_summaries(p, tmp_path / "summaries")
    assert_text_only(out)
    assert_text_only(summary)


def test_summary_is_values_only_one_sheet(tmp_path):
    p = nasty_portfolio()
    [summary] = write_summaries(p, tmp_path)
    assert summary.name == "Summary P001 2024.xlsx"
    wb = openpyxl.load_workbook(summary)
    assert wb.sheetnames == ["Summary"]
    ws = wb.active
    assert ws.sheet_state == "visible"
    assert not list(wb.defined_names)   # the print area is the sheet's own, no other names
    assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.scale or 100) == 100
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage  # never shrunk
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    names = zipfile.ZipFile(summary).namelist()
    assert not [n for n in names if "externalLink" in n or "vbaProject" in n]
    assert any(n.startswith("xl/charts/chart") for n in names)
    text = "\n".join(str(c.value) for _ws, c in _cells(summary) if c.value is not None)
    # Area 2 all 2 -> mean 2 -> priority benchmarks with their possible actions; the actions in one table.
    assert "Possible actions" in text and "Key actions: 4 (2 with no owner)" in text
    assert "Review remit" in text  # F1 answered No -> review remit
    assert "Review and clarify remit" in text
    # Guides to read: review remit → Added value; then the Red area 2 (Trust); area 1 is Amber → Leadership.
    assert "Guides to read" in text and "Added value" in text and "challenges in dealing with lack of trust" in text


def test_summaries_hold_only_their_partnership(tmp_path):
    entries = [entry("P001", "Alpha Board"), entry("P002", "Beta Forum")]
    reviews = [("a.xlsx", review("P001", 2024, uniform(3))), ("b.xlsx", review("P002", 2024, uniform(2)))]
    p = build_portfolio(entries, score_reviews(reviews, Settings()), 2024, AS_OF)
    paths = write_summaries(p, tmp_path)
    assert [x.name for x in paths] == ["Summary P001 2024.xlsx", "Summary P002 2024.xlsx"]
    a = "\n".join(str(c.value) for _ws, c in _cells(paths[0]) if c.value is not None)
    assert "Alpha Board" in a and "Beta Forum" not in a and "P002" not in a


def test_outputs_identical_on_rerun(tmp_path):
    p = nasty_portfolio()
    digests = []
    for _ in range(2):
        out = write_portfolio(p, tmp_path / "Portfolio.xlsx")
        [s] = write_summaries(p, tmp_path / "s")
        digests.append((hashlib.sha256(out.read_bytes()).hexdigest(), hashlib.sha256(s.read_bytes()).hexdigest()))
    assert digests[0] == digests[1]


def test_open_output_is_refused(tmp_path):
    from partnerxl.core.errors import PartnerXLError

    p = nasty_portfolio()
    out = write_portfolio(p, tmp_path / "Portfolio.xlsx")
    before = out.read_bytes()
    (tmp_path / "~$Portfolio.xlsx").write_text("lock")
    with pytest.raises(PartnerXLError, match="open in Excel"):
        write_portfolio(p, out)
    assert out.read_bytes() == before
    assert not [x for x in tmp_path.iterdir() if x.name.startswith(".~partnerxl")]


def soffice_or_skip() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) and poppler-utils (pdftotext) are required in CI")
        pytest.skip("LibreOffice (soffice) or poppler-utils (pdftotext) is not installed")
    return exe


def to_pdf(exe: str, path: Path, out_dir: Path) -> Path:
    profile = out_dir / "lo-profile"
    subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), str(path)], check=True, capture_output=True, timeout=180)
    pdf = out_dir / (path.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not convert {path.name}"
    return pdf


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_summary_prints_on_one_page(tmp_path):
    exe = soffice_or_skip()
    # A heavy review: every rating 1 (21 priority benchmarks), a full checklist of gaps, every area a No.
    e = entry("P001", "Riverside Regeneration Partnership", purpose="Regenerate the riverside. " * 8)
    impr = {f"I{i:02d}": {"answer": "No", "action": f"Action {i} " * 6, "owner": "Officer"} for i in range(1, 15)}
    ck = {qid: {"status": "No"} for qid in FULL_CHECKLIST}
    rv = review("P001", 2024, uniform(1, 5), improvement=impr, checklist=ck,
                fitness={f"F{i}": "No" for i in range(1, 10)})
    p = build_portfolio([e], score_reviews([("r.xlsx", rv)], Settings()), 2024, AS_OF)
    [s] = write_summaries(p, tmp_path)
    pdf = to_pdf(exe, s, tmp_path)
    assert pdf_pages(pdf) == 1
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Riverside Regeneration Partnership" in text
    # Nine fitness actions with nobody named: every one is listed, whatever else gives way.
    assert text.count("NO OWNER") == 9 and "Key actions: 23 (9 with no owner)" in text


def test_worker_processes_write_identical_files(tmp_path, monkeypatch):
    entries = [entry(f"P{i:03d}", f"Partnership {i}") for i in range(1, 5)]
    reviews = [(f"{e.id}.xlsx", review(e.id, 2024, uniform(1 + i % 4))) for i, e in enumerate(entries)]
    p = build_portfolio(entries, score_reviews(reviews, Settings()), 2024, AS_OF)
    monkeypatch.setenv("PARTNERXL_WORKERS", "1")
    one = {x.name: x.read_bytes() for x in write_summaries(p, tmp_path / "one")}
    monkeypatch.setenv("PARTNERXL_WORKERS", "2")
    two = {x.name: x.read_bytes() for x in write_summaries(p, tmp_path / "two")}
    assert one == two and len(one) == 4


# --- what the page shows (issue 17): the actions that matter, words not codes, whole names ------------------------

def _page_text(path: Path) -> str:
    return "\n".join(str(c.value) for _ws, c in _cells(path) if c.value is not None)


def _heavy_portfolio(name: str = "Riverside Regeneration Partnership"):
    """Fourteen plan items (three overdue, one unowned), nine fitness actions, every benchmark a priority."""
    from partnerxl.core.models import FitnessPlan, Invitee

    impr = {f"I{i:02d}": {"answer": "No", "action": f"Plan action {i} for the partnership", "owner": "Officer",
                          "due": dt.date(2025, 1 + i % 12, 1)} for i in range(1, 15)}
    impr["I14"]["owner"] = None
    rv = review("P001", 2024, uniform(1, 5), improvement=impr, fitness={f"F{i}": "No" for i in range(1, 10)})
    rv.fitness_actions.update({f"F{i}": FitnessPlan(owner="Fitness Owner", due=dt.date(2025, 12, 1))
                               for i in range(1, 10)})
    rv.invited = [Invitee(organisation=f"Org {k}") for k in range(1, 8)]
    e = entry("P001", name, purpose="Regenerate the riverside.", partners="River Trust; Port Authority")
    return build_portfolio([e], score_reviews([("r.xlsx", rv)], Settings()), 2024, AS_OF)


def test_key_actions_put_overdue_and_unowned_first_and_never_hide_them(tmp_path):
    from partnerxl.core.results import key_actions

    p = _heavy_portfolio()
    r = p.results[0]
    listed = key_actions(r.actions)
    flags = [(a.overdue, a.unowned) for a in listed]
    assert flags == sorted(flags, key=lambda f: (not f[0], not f[1]))  # overdue, then unowned, then the rest
    [path] = write_summaries(p, tmp_path)
    text = _page_text(path)
    must = [a for a in listed if a.overdue or a.unowned]
    assert len(must) == 5
    for a in must:
        assert a.action in text
    assert text.count("OVERDUE") == sum(a.overdue for a in listed) == 5
    assert "Key actions: 23 (5 overdue, 1 with no owner)" in text
    # The rest are counted, and said to be neither overdue nor unowned.
    assert "none overdue and each with an owner" in text


def test_summary_says_the_response_rate_and_direction_in_words(tmp_path):
    p = _heavy_portfolio()
    [path] = write_summaries(p, tmp_path)
    text = _page_text(path)
    assert "5 of 7 invited returned their ratings" in text
    assert "Direction of travel" in text and "Not comparable: no earlier review" in text
    assert "Purpose" in text and "Regenerate the riverside." in text and "River Trust; Port Authority" in text


def test_words_not_codes(tmp_path):
    import re

    p = _heavy_portfolio()
    [path] = write_summaries(p, tmp_path)
    for _ws, c in _cells(path):
        if isinstance(c.value, str) and c.column <= 6:
            assert not re.search(r"\b(I\d\d|F\d)\b", c.value), c.value      # no item codes
            assert not re.match(r"\d\.\d\b", c.value), c.value                 # no benchmark ids as labels


def test_no_improvement_plan_to_carry_out_over_no_actions(tmp_path):
    e = entry("P014", "Domestic Abuse Partnership")
    rv = review("P014", 2024, {"1": [2, 3, 3], "2": [3, 3, 3], "3": [3, 3, 4], "4": [3, 3, 3]})
    p = build_portfolio([e], score_reviews([("r.xlsx", rv)], Settings()), 2024, AS_OF)
    assert not p.results[0].actions
    [path] = write_summaries(p, tmp_path)
    text = _page_text(path)
    assert "carry out" not in text and "Key actions: none" in text


def test_long_title_is_whole(tmp_path):
    name = "Fernshire Children and Young People's Strategic Safeguarding and Wellbeing Partnership Board"
    p = _heavy_portfolio(name)
    [path] = write_summaries(p, tmp_path)
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == f"Annual review 2024: {name}"
    assert ws["A1"].alignment.wrap_text and ws["A1"].font.sz <= 14


def test_guides_quote_what_they_offer():
    from partnerxl.core.instruments import load_instruments
    from partnerxl.documents.summary_sections import guide_quote

    guides = {g.title: g for g in load_instruments().guides.guides}
    assert guide_quote(guides["Ending a partnership"].description).startswith("This document outlines the main "
                                                                              "challenges in ending")
    assert guide_quote(guides["Added value"].description).startswith("Asks: What added value would we achieve")
