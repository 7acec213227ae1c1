"""The demo: the whole pipeline on the bundled sample portfolio."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from partnerxl.cli import main
from partnerxl.demo import run_demo
from partnerxl.documents.sample import MISTAKES, sample_models

from test_summaries import pdf_pages, soffice_or_skip, to_pdf


def _digests(paths):
    return {Path(p).name: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo") / "partnerxl-demo")


def test_sample_shape():
    m = sample_models()
    assert len(m.entries) >= 12
    assert {e.status for e in m.entries} == {"Proposed", "Active", "Under review", "Ending", "Closed"}
    assert sum(1 for e in m.entries if not e.in_scope) >= 2
    assert all(3 <= len(r.respondents) <= 8 for r in m.reviews)
    reviewed_twice = {r.partnership_id for r in m.reviews if r.year == 2023} & {r.partnership_id for r in m.reviews
                                                                                  if r.year == 2024}
    assert len(reviewed_twice) > len(m.entries) / 2
    assert [e.model_dump() for e in sample_models().entries] == [e.model_dump() for e in m.entries]  # deterministic


def test_designed_flags(demo):
    p = demo.portfolio
    codes = {r.entry.id: [f.code for f in r.flags] for r in p.results}
    # Designed into the sample (sample._PLAN), not read back from the code under test:
    assert {"consider_ending", "value_for_money"} <= set(codes["P003"])  # Red 2023 and 2024, £250,000
    assert codes["P007"] == ["overdue"]                                # last review Nov 2022
    assert "no_lead_officer" in codes["P008"]
    for pid in ("P009", "P010", "P011"):
        assert "out_of_scope" in codes[pid]
    assert codes["P012"] == ["gatekeeper"]
    assert codes["P013"] == ["missing_instrument"]                     # Significant, no checklist
    assert codes["P015"] == []                                         # Closed


def test_mistakes_are_found_and_left_out_one_entry_at_a_time(demo):
    problem_files = {x.file for x in demo.portfolio.problems}
    assert {"Review P006 2023.xlsx", "Review P004 2023.xlsx", "Register.xlsx"} <= problem_files
    # P006's 2023 review has one rating reading "Maybe": that one value is left out, the rest of the review counts
    # (provisional), so the fall to 2024 is still seen.
    previous = demo.portfolio.result("P006").previous
    assert previous is not None and previous.score.provisional
    assert [f.code for f in previous.score.findings if f.severity == "error"] == ["bad-rating"]
    assert demo.portfolio.result("P006").movement == "declined"
    # P004's 2023 review names a partnership that is not in the register ('P040'): left out whole.
    assert [(x.code, x.cell) for x in demo.portfolio.problems if x.file == "Review P004 2023.xlsx"] == [
        ("not-in-register", "B3")]
    c = demo.portfolio.committee
    assert sum(c["movement"].values()) == c["reviewed_this_year"]
    assert len(MISTAKES) >= 3
    ws = openpyxl.load_workbook(demo.portfolio_path)["Problems"]
    assert {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)} >= problem_files


def test_outputs(demo):
    reviewed = [r.entry.id for r in demo.portfolio.results if r.current]
    assert [p.name for p in demo.summaries] == [f"Summary {pid} 2024.xlsx" for pid in reviewed]
    assert sorted(openpyxl.load_workbook(demo.portfolio_path).sheetnames) == sorted(
        ["Dashboard", "Portfolio", "Heatmap", "Flags", "Actions", "Committee summary", "Problems"])
    skipped = [d for d in demo.drafts if d.problem]
    assert [d.summary.name for d in skipped] == ["Summary P008 2024.xlsx"]   # P008 has no lead officer
    assert len([d for d in demo.drafts if d.draft]) == len(demo.summaries) - 1


def test_rerun_gives_identical_outputs_and_cli(tmp_path, capsys):
    folder = tmp_path / "d"
    assert main(["demo", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Town Centre Regeneration Board" in out and "Consider ending or merging" in out
    outputs = [folder / "Portfolio 2024.xlsx", *sorted((folder / "summaries").iterdir()),
               *sorted((folder / "email drafts").iterdir())]
    first = _digests(outputs)
    assert main(["demo", str(folder)]) == 0
    assert _digests(outputs) == first


def test_demo_pdfs(demo, tmp_path):
    exe = soffice_or_skip()
    import subprocess

    summary = demo.summaries[0]
    pdf = to_pdf(exe, summary, tmp_path)
    assert pdf_pages(pdf) == 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert demo.portfolio.results[0].entry.name in text
    ppdf = to_pdf(exe, demo.portfolio_path, tmp_path)
    assert pdf_pages(ppdf) >= 1


def test_drafts_attach_the_printed_summary_and_chased_forms_say_when_to_return(demo):
    """The demo prints the summaries (LibreOffice is installed here), so each draft to a lead officer carries the
    PDF beside the workbook; a chased form shows its return-by date, the date its draft names."""
    import email
    from email import policy

    import openpyxl

    from partnerxl.sheets import layout as L

    assert demo.summary_report.pdfs and all(p.is_file() for p in demo.summary_report.pdfs)
    for d in demo.draft_report.written:
        msg = email.message_from_bytes(d.draft.read_bytes(), policy=policy.default)
        names = sorted(a.get_filename() for a in msg.iter_attachments())
        assert names == sorted([d.summary.name, d.summary.with_suffix(".pdf").name]), names
    chase = demo.chase.chased[0]
    cell = openpyxl.load_workbook(chase.form)[L.RESPONSE][L.RESPONSE_RETURN_BY[0]].value
    assert cell is not None and cell.date() == demo.chase.reply_by
