"""Chasing the responses not yet returned (issue 11): `partnerxl responses` on the sample portfolio writes a filled
Response form and an unsent draft for each invited respondent who has not returned; the drafts open as drafts;
the forms, once filled in and returned, collate into the right columns."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
from conftest import edit_cells

from partnerxl.cli import main
from partnerxl.documents import sample
from partnerxl.operations import chase_open_review, collate, responses
from partnerxl.operations import read_workbook as read_any
from partnerxl.sheets import layout as L

# Designed into the sample (sample.NOT_RETURNED), not read back from the code under test.
EXPECTED = {("P002", "Alex Morgan"), ("P002", "Jo Bennett"), ("P004", "Chris Hall"), ("P006", "Sam Lewis"),
            ("P006", "Dana Price"), ("P006", "Lee Carter"), ("P006", "Mo Ahmed")}
REPLY_BY = "28 April 2025"   # the as-of date 31 March 2025 + 28 days (reply_within_days)


@pytest.fixture(scope="module")
def chased(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chase")
    register, reviews, _models = sample.write_sample(folder)
    result = responses(register, reviews, out=folder / "out", year=2024, as_of=sample.AS_OF)
    return folder, register, reviews, result


def test_a_form_and_a_draft_for_each_respondent_not_returned(chased):
    _folder, _register, _reviews, result = chased
    assert {(c.partnership_id, c.invitee.name) for c in result.chased} == EXPECTED
    assert result.reply_by == dt.date(2025, 4, 28)
    assert len(result.chased) == 7 and result.reviews == 9   # the nine partnerships reviewed in 2024
    for c in result.chased:
        form = read_any(c.form)
        assert (form.partnership_id, form.year) == (c.partnership_id, 2024)
        assert (form.organisation, form.respondent_name, form.email) == (c.invitee.organisation, c.invitee.name,
                                                                         c.invitee.email)
        assert form.respondent.ratings == {}                              # for the partner to fill in
        assert c.form.name.startswith(f"Response {c.partnership_id} 2024 ") and c.draft.suffix == ".eml"


def test_the_drafts_open_as_drafts_with_the_form_attached(chased):
    _folder, _register, _reviews, result = chased
    for c in result.chased:
        msg = email.message_from_bytes(c.draft.read_bytes(), policy=policy.default)
        assert msg["X-Unsent"] == "1"
        assert c.invitee.email in msg["To"] and c.invitee.name in msg["To"]
        body = msg.get_body(preferencelist=("plain",)).get_content()
        assert REPLY_BY in body and f"Dear {c.invitee.name}," in body
        assert "Priya Shah" in body and "Partnerships Officer" in body and sample.COUNCIL in body
        (attachment,) = list(msg.iter_attachments())
        assert attachment.get_filename() == c.form.name
        assert attachment.get_content() == c.form.read_bytes()


def test_returned_forms_collate_into_the_next_free_columns(chased, tmp_path):
    _folder, _register, reviews, result = chased
    rows = [r.row for r in L.response_rows() if r.kind == "item"]
    returned = []
    for c in result.chased:
        if c.partnership_id == "P002":
            returned.append(edit_cells(c.form, L.RESPONSE, {f"C{r}": "YES – but needs improving" for r in rows},
                                       out=tmp_path / c.form.name))
    review = reviews / "Review P002 2024.xlsx"
    out = tmp_path / "P002 collated.xlsx"
    plan = collate(review, returned, out)
    # P002's 8 raters fill C to J, so the two returned forms take K and L.
    assert sorted((col, form.respondent_name) for col, _name, form in plan.added) == [("K", "Alex Morgan"),
                                                                                      ("L", "Jo Bennett")]
    assert not plan.findings
    book = read_any(out)
    alex = next(r for r in book.review.respondents if r.name == "Alex Morgan")
    # Alex Morgan is a second person of the Fernleigh Borough Council, which already rated in column C.
    assert alex.organisation == sample.ORGS[0] and book.review.respondents[0].organisation == sample.ORGS[0]
    assert set(alex.ratings.values()) == {3} and len(alex.ratings) == 21
    from partnerxl.operations import score_book
    s = score_book(book)
    assert (s.returned, len(s.invited), s.response_rate) == (10, 10, 1.0)   # 8 + 2 of 10 invited
    # Sending the same form back twice is refused: the same person already has ratings.
    again = collate(out, returned[:1], tmp_path / "again.xlsx")
    assert [f.code for f in again.findings] == ["duplicate-form"]


def test_the_button_chases_one_review_with_the_registers_settings(chased, tmp_path):
    _folder, _register, reviews, _result = chased
    path = reviews / "Review P006 2024.xlsx"
    result = chase_open_review(read_any(path), path, out=tmp_path / "chase")
    assert result.register is not None and result.register.name == "Register.xlsx"  # it reads reviews/ from above
    assert {c.invitee.name for c in result.chased} == {"Sam Lewis", "Dana Price", "Lee Carter", "Mo Ahmed"}
    assert (result.invited, result.as_of) == (7, sample.AS_OF)             # 3 returned of 7: a low response
    msg = email.message_from_bytes(result.chased[0].draft.read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1" and REPLY_BY in msg.get_body(preferencelist=("plain",)).get_content()


def test_cli_responses_and_its_refusals(chased, tmp_path, capsys):
    _folder, register, reviews, _result = chased
    code = main(["responses", str(register), str(reviews), "--year", "2024", "--as-of", "2025-03-31",
                 "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 1                     # the sample's planted mistakes are problems, as in the rollup
    assert "7 forms and 7 unsent email drafts" in out and "Alex Morgan" in out
    assert main(["responses", str(register), str(reviews), "--out", str(reviews)]) == 2
    assert "reviews folder" in capsys.readouterr().err


def test_the_sample_exercises_the_annual_cycle():
    from partnerxl.core.portfolio import build_portfolio, score_reviews
    from partnerxl.core.settings import Settings

    m = sample.sample_models()
    p = build_portfolio(m.entries, score_reviews([(f"{r.partnership_id} {r.year}", r) for r in m.reviews],
                                                 Settings()), sample.YEAR, sample.AS_OF)
    years = {r.entry.id: [t.year for t in r.trend] for r in p.results}
    assert sum(1 for y in years.values() if len(y) >= 3) >= 3            # P001–P003: 2022, 2023, 2024
    assert years["P014"] == [2021, 2023, 2024]                             # a gap in the middle
    rates = {r.entry.id: r.response_rate for r in p.results if r.current}
    assert rates["P006"] == 3 / 7 and p.result("P006").low_response       # 3 of 7 returned
    assert rates["P002"] == 8 / 10 and not p.result("P002").low_response
    assert p.committee["overdue_actions"] > 0 and p.committee["unowned_actions"] > 0
    assert p.actions["Overdue"].any() and (p.actions["Source"] == "Fitness review").any()


def test_a_form_sent_back_blank_is_left_out_and_blocks_nobody(chased, tmp_path):
    _folder, _register, reviews, result = chased
    blank = next(c.form for c in result.chased if c.invitee.name == "Chris Hall")
    plan = collate(reviews / "Review P004 2024.xlsx", [blank], tmp_path / "P004.xlsx")
    assert [(f.code, f.severity) for f in plan.findings] == [("form-not-filled", "warning")] and not plan.added
    assert "Chris Hall" in plan.findings[0].message
