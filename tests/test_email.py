"""Email drafts: RFC 5322 files Outlook opens as unsent drafts, one per summary, nothing sent."""

from __future__ import annotations

import datetime as dt
import email
import hashlib
from email import policy

from partnerxl.documents.email_drafts import XLSX_TYPE
from partnerxl.operations import email_drafts as write_drafts
from partnerxl.core.portfolio import build_portfolio, score_reviews
from partnerxl.core.settings import Settings
from partnerxl.documents.summaries import write_summaries

from portfolio_fixtures import entry, review, uniform


def _setup(tmp_path):
    entries = [entry("P001", "Alpha Board", lead_officer="Ann Officer", lead_officer_email="ann@council.gov.uk"),
               entry("P002", "Beta Forum", lead_officer_email="not-an-address"),
               entry("P003", "Gamma Group", lead_officer_email=None)]
    reviews = [(f"{e.id}.xlsx", review(e.id, 2024, uniform(3))) for e in entries]
    p = build_portfolio(entries, score_reviews(reviews, Settings()), 2024, dt.date(2025, 3, 31))
    write_summaries(p, tmp_path / "summaries")
    return entries


def test_drafts(tmp_path):
    entries = _setup(tmp_path)
    results = write_drafts(tmp_path / "summaries", entries, tmp_path / "drafts").drafts
    written = [r for r in results if r.draft]
    skipped = [r for r in results if r.problem]
    assert [r.draft.name for r in written] == ["Summary P001 2024.eml"]
    assert len(skipped) == 2
    assert "invalid lead officer email 'not-an-address'" in skipped[0].problem
    assert "no lead officer email" in skipped[1].problem
    msg = email.message_from_bytes(written[0].draft.read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1"
    assert msg["To"].addresses[0].addr_spec == "ann@council.gov.uk"
    assert "Alpha Board" in msg["Subject"] and "2024" in msg["Subject"]
    assert "Alpha Board" in msg.get_body(("plain",)).get_content()
    [att] = list(msg.iter_attachments())
    assert (att.get_content_maintype(), att.get_content_subtype()) == XLSX_TYPE
    assert att.get_filename() == "Summary P001 2024.xlsx"
    assert att.get_content() == (tmp_path / "summaries" / "Summary P001 2024.xlsx").read_bytes()
    assert "Date" not in msg and "From" not in msg  # a draft: Outlook fills in the sender


def test_drafts_identical_on_rerun_and_summaries_untouched(tmp_path):
    entries = _setup(tmp_path)
    summaries = sorted((tmp_path / "summaries").iterdir())
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in summaries}
    a = write_drafts(tmp_path / "summaries", entries, tmp_path / "drafts").drafts[0].draft.read_bytes()
    b = write_drafts(tmp_path / "summaries", entries, tmp_path / "drafts").drafts[0].draft.read_bytes()
    assert a == b
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in summaries}


def test_draft_says_something(tmp_path):
    settings = Settings(officer_name="Pat Partnerships", officer_signature="Partnerships Officer\n01234 567890",
                        council_name="Fernleigh Borough Council", reply_within_days=14,
                        summary_corrections_within_days=21, committee_name="Audit Committee",
                        committee_date="24 June 2025")
    e = entry("P001", "Alpha Board", lead_officer="Ann\nBcc: x@evil.example", lead_officer_email="ann@council.gov.uk")
    p = build_portfolio([e], score_reviews([("a.xlsx", review("P001", 2024, uniform(2)))], settings), 2024,
                        dt.date(2025, 3, 31), settings)
    [summary] = write_summaries(p, tmp_path / "summaries")
    summary.with_suffix(".pdf").write_bytes(b"%PDF-1.4 test")
    [r] = write_drafts(tmp_path / "summaries", [e], tmp_path / "drafts").drafts
    raw = r.draft.read_bytes()
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["X-Unsent"] == "1" and "Bcc" not in msg and b"\nBcc:" not in raw
    assert "Red" in msg["Subject"] and "corrections by 21 April 2025" in msg["Subject"]
    body = " ".join(msg.get_body(("plain",)).get_content().split())
    assert "Overall rating: 2.00" in body and "Recommendation:" in body and "Priority benchmarks: 21" in body
    assert "by 21 April 2025, before the summary goes to Audit Committee on 24 June 2025" in body
    assert "Pat Partnerships" in body and "01234 567890" in body and "as a PDF to read" in body
    assert [a.get_filename() for a in msg.iter_attachments()] == ["Summary P001 2024.xlsx", "Summary P001 2024.pdf"]


def test_long_recommendation_reaches_the_draft_whole(tmp_path):
    from partnerxl.documents.email_drafts import summary_facts

    e = entry("P001", "Alpha Board", lead_officer_email="ann@council.gov.uk")
    rv = review("P001", 2024, uniform(3), fitness={f"F{i}": "No" for i in range(1, 10)})
    p = build_portfolio([e], score_reviews([("a.xlsx", rv)], Settings()), 2024, dt.date(2025, 3, 31))
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("error")
        [summary] = write_summaries(p, tmp_path / "s")
    line = p.results[0].recommendation.line
    assert len(line) > 255 and summary_facts(summary)["Recommendation"] == line


def test_draft_agrees_with_the_summary(tmp_path):
    """The same counts and words as the page: key actions, overdue and unowned actions by name, flags, the
    response rate and the direction of travel; and never 'the actions below' over no list."""
    from partnerxl.core.models import BenchmarkAction, FitnessPlan, Invitee

    e = entry("P006", "Older People's Forum", lead_officer="Ann Officer", lead_officer_email="ann@council.gov.uk")
    rv = review("P006", 2024, uniform(2, 3), improvement={
        "I08": {"answer": "No", "action": "Write down each member's rights", "owner": "Sam Patel",
                "due": dt.date(2025, 3, 1)}}, fitness={"F3": "No"})
    rv.fitness_actions["F3"] = FitnessPlan(due=dt.date(2025, 10, 1))
    rv.benchmark_actions["1.5"] = BenchmarkAction(action_needed="ensure partners are clear why they are there",
                                                  by_whom="Priya Shah")
    rv.invited = [Invitee(organisation=f"Org {k}") for k in range(1, 8)]
    p = build_portfolio([e], score_reviews([("a.xlsx", rv)], Settings()), 2024, dt.date(2025, 3, 31))
    [summary] = write_summaries(p, tmp_path / "summaries")
    [r] = write_drafts(tmp_path / "summaries", [e], tmp_path / "drafts").drafts
    msg = email.message_from_bytes(r.draft.read_bytes(), policy=policy.default)
    body = msg.get_body(("plain",)).get_content()
    page = " ".join(str(c.value) for row in __import__("openpyxl").load_workbook(summary).active.iter_rows()
                    for c in row if c.value is not None)
    assert "Key actions: 3 (1 overdue, 1 with no owner)" in body and "Key actions: 3 (1 overdue, 1 with no owner)" in page
    assert "- Write down each member's rights (improvement plan): Sam Patel, due 01 Mar 2025 (overdue)" in body
    assert "- Adjust structures, processes, partnership culture (fitness for purpose: Are partnership structures " \
           "and working processes robust?): no owner, due 01 Oct 2025" in body
    assert "3 of 7 invited returned their ratings" in body and "3 of 7 invited returned their ratings" in page
    assert "Low response: 3 of 7" in body and "Direction of travel: Not comparable: no earlier review" in body
    assert "below" not in body.split("Portfolio flags")[0].replace("average below", "")
    assert "as a workbook" in body  # no PDF beside the summary: the draft does not promise one


def test_chase_deadline_falls_before_the_summary_deadline():
    """Forms are due back before summaries are due corrected: two settings, checked against each other, and a
    council's setting that breaks the rule is a bad-setting finding at its cell (its default is used)."""
    import pytest
    from pydantic import ValidationError

    from partnerxl.checks.register import SettingsValues
    from partnerxl.core.cycle import corrections_by_date
    from partnerxl.core.portfolio import reply_by_date
    from partnerxl.sheets import layout as L

    day = dt.date(2025, 3, 31)
    assert reply_by_date(day, Settings()) < corrections_by_date(day, Settings())
    with pytest.raises(ValidationError):
        Settings(reply_within_days=42)
    cells = {k: (f"B{i}", None) for i, k in enumerate(L.settings_keys(), 2)}
    for typed, blamed in (({"reply_within_days": 50}, "reply_within_days"),
                          ({"summary_corrections_within_days": 20}, "summary_corrections_within_days"),
                          ({"reply_within_days": 30, "summary_corrections_within_days": 30},
                           "summary_corrections_within_days")):
        given = dict(cells)
        given.update({k: (cells[k][0], v) for k, v in typed.items()})
        check = SettingsValues("Register.xlsx", "Settings", cells=given, as_of_key=L.AS_OF_KEY,
                               folder_key=L.REVIEWS_FOLDER_KEY)
        [found] = list(check.findings())
        assert found.code == "bad-setting" and found.cell == cells[blamed][0]
        assert "forms must be due back before the summary corrections" in found.message
        s = check.settings
        assert s.reply_within_days < s.summary_corrections_within_days


def test_summaries_printed_to_pdf_are_attached_and_reproducible(tmp_path):
    """With LibreOffice, the summaries writer prints each summary to a PDF beside it (when the operation asks), the
    draft attaches it and says so; LibreOffice's print time and random id are made fixed, so reruns are identical."""
    import re
    import shutil

    import pytest

    from partnerxl.documents.pdf_print import reproducible
    from partnerxl.sheets.reports import stamp_for

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    e = entry("P001", "Alpha Board", lead_officer="Ann Officer", lead_officer_email="ann@council.gov.uk")
    p = build_portfolio([e], score_reviews([("a.xlsx", review("P001", 2024, uniform(3)))], Settings()), 2024,
                        dt.date(2025, 3, 31))
    [summary] = write_summaries(p, tmp_path / "summaries", pdf=True)
    pdf = summary.with_suffix(".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/CreationDate(D:20250331120000" in data
    other = re.sub(rb"(/CreationDate\(D:)\d{14}", rb"\g<1>20991231235959", data)
    other = re.sub(rb"(/ID\s*\[\s*<)[0-9A-F]{8}", rb"\g<1>DEADBEEF", other)
    assert reproducible(other, stamp_for(p.as_of)) == data
    [r] = write_drafts(tmp_path / "summaries", [e], tmp_path / "drafts").drafts
    msg = email.message_from_bytes(r.draft.read_bytes(), policy=policy.default)
    assert [a.get_filename() for a in msg.iter_attachments()] == ["Summary P001 2024.xlsx", "Summary P001 2024.pdf"]
    assert "as a PDF to read and as the workbook" in " ".join(msg.get_body(("plain",)).get_content().split())
