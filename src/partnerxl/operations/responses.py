"""Chasing the partners' responses (docs/rules.md, "Invited respondents" and "Chasing and the reply-by date"): for every invited respondent who has not returned their
ratings, a Response form already filled with the partnership, the year and who they are, and an unsent e-mail
draft with that form attached, the date to return it by and the officer's name. One rule for the command
(`partnerxl responses`) and the button (Chase responses); collate recognises the forms when they come back, since
they are ordinary Response forms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.findings import finding
from partnerxl.core.portfolio import reply_by_date
from partnerxl.core.results import InvitedStatus, ReviewScore
from partnerxl.core.settings import Settings
from partnerxl.core.text import valid_email
from partnerxl.operations.checking import score_book
from partnerxl.operations.common import errors, load_register, register_for_review, workbook_files
from partnerxl.operations.report import Report, plural
from partnerxl.operations.portfolio import portfolio


@dataclass(frozen=True)
class Chase:
    """One invited respondent chased: their form, their draft (None when they have no valid address)."""

    partnership_id: str
    year: int
    invitee: InvitedStatus
    form: Path
    draft: Path | None
    problem: str | None = None


@dataclass
class ChaseReport(Report):
    """Who was chased, with which form and draft, and the findings: reviews that could not be used, and each
    invited respondent whose draft could not be written (no valid address)."""

    as_of: dt.date = dt.date.min
    reply_by: dt.date = dt.date.min
    year: int | None = None
    reviews: int = 0                                        # reviews looked at
    invited: int = 0                                        # people invited in them
    chased: list[Chase] = field(default_factory=list)
    register: Path | None = None                            # whose Settings signed the drafts (None: defaults)

    @property
    def returned(self) -> int:
        return self.invited - len(self.chased)

    @property
    def drafts_written(self) -> int:
        return sum(1 for c in self.chased if c.draft)

    @property
    def headline(self) -> str:
        return (f"{self.returned} of {plural(self.invited, 'invited respondent')} returned in "
                f"{plural(self.reviews, 'review')}; {plural(len(self.chased), 'form')} and "
                f"{plural(self.drafts_written, 'unsent email draft')}, reply by {self.reply_by:%d %B %Y}")



def chase_review(score: ReviewScore, *, partnership_name: str | None, settings: Settings, result: ChaseResult,
                 out_dir: Path) -> None:
    """Write the form and draft of each invited respondent of one scored review who has not returned."""
    from partnerxl.core.models import Respondent
    from partnerxl.documents.fill import new_response
    from partnerxl.documents.response_drafts import build_chase_draft, chase_file_stem, chase_paths
    from partnerxl.storage.writing import atomic_write_bytes, check_not_open

    name = partnership_name or score.partnership_name or score.partnership_id
    result.reviews += 1
    result.invited += len(score.invited)
    used: set[str] = {c.form.name.casefold() for c in result.chased}
    for invitee in (i for i in score.invited if not i.returned):
        stem = chase_file_stem(score.partnership_id, score.year, invitee.organisation, invitee.name or invitee.email)
        stem = next(s for s in (stem, *(f"{stem} {k}" for k in range(2, 100))) if f"{s}.xlsx".casefold() not in used)
        form, draft = chase_paths(out_dir, stem)
        used.add(form.name.casefold())
        for path in (form, draft):
            check_not_open(path)
        person = Respondent(organisation=invitee.organisation, name=invitee.name, email=invitee.email)
        new_response(form, score.partnership_id, name, score.year, person, return_by=result.reply_by)
        if not valid_email(invitee.email):
            why = "has no e-mail address" if not invitee.email else f"has an e-mail address '{invitee.email}' " \
                                                                    "that is not valid"
            who = ", ".join(p for p in (invitee.name, invitee.organisation) if p)
            problem = f"{who} {why} on the Invited sheet: the form was written, send it yourself."
            result.chased.append(Chase(score.partnership_id, score.year, invitee, form, None, problem))
            result.findings.append(finding("draft-not-written", form.name, value=who or form.name, detail=problem))
            continue
        data = build_chase_draft(to_name=invitee.name, to_email=invitee.email, partnership=name, year=score.year,
                                 reply_by=result.reply_by, settings=settings, attachment=form.read_bytes(),
                                 filename=form.name)
        result.chased.append(Chase(score.partnership_id, score.year, invitee, form,
                                   atomic_write_bytes(draft, data)))


def _out_folder(out: str | Path, reviews_dir: Path) -> Path:
    out = Path(out)
    if out.resolve() == reviews_dir.resolve():
        raise PartnerXLError("is the reviews folder: the forms would be read as reviews. Give another folder for "
                             "--out; nothing was written.", file=str(out))
    out.mkdir(parents=True, exist_ok=True)
    return out


def responses(register_path: str | Path, reviews_dir: str | Path, *, out: str | Path, year: int | None = None,
              as_of: dt.date | None = None, progress: Any = None) -> ChaseResult:
    """Chase every review of `year` (default: the latest up to the as-of date) in the folder, read as the rollup
    reads it: a review that cannot be used is named among the findings and nobody of it is chased."""
    register_path, reviews_dir = Path(register_path), Path(reviews_dir)
    register = load_register(register_path, as_of)
    paths = workbook_files(reviews_dir, skip=(register_path,))
    out_dir = _out_folder(out, reviews_dir)
    p = portfolio(register, paths, year=year, as_of=as_of, progress=progress)
    result = ChaseReport(as_of=p.as_of, reply_by=p.reply_by, year=p.year,
                         findings=list(p.problems), register=register_path)
    for r in p.results:
        if r.current is not None:
            chase_review(r.current.score, partnership_name=r.entry.name, settings=register.settings, result=result,
                         out_dir=out_dir)
    return result


def chase_open_review(review_book: Any, review_path: Path, *, out: Path) -> ChaseReport:
    """The button's form: chase one review (read from the open workbook) with the settings and as-of date of its
    register (defaults and today when there is none: the report's `register` is then None)."""
    register, register_path = register_for_review(review_path)
    settings = register.settings if register else Settings()
    when = (register.as_of if register else None) or dt.date.today()
    score = score_book(review_book, settings, when)
    result = ChaseReport(as_of=when, reply_by=reply_by_date(when, settings), year=score.year,
                         findings=errors(review_book.findings), register=register_path)
    out.mkdir(parents=True, exist_ok=True)
    chase_review(score, partnership_name=None, settings=settings, result=result, out_dir=out)
    return result
