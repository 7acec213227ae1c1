"""The portfolio core: register entries + scored reviews in, portfolio tables out. No files, no Excel.

`build_portfolio` matches every review to its register entry by the partnership id held *inside* the review (never
by file name), keeps the review of the rollup year as the current one and the latest earlier review as the previous
one (and every review up to the rollup year as the trend), joins them with pandas, applies the rules of
docs/rules.md ("Portfolio flags", "The annual cycle"), works out year-on-year change, marks the actions overdue
against the as-of date, and returns the tables the Portfolio workbook shows plus everything the summaries need,
partnership by partnership.
Reviews that cannot be used (unknown partnership, two reviews for the same partnership and year) become
problems (findings of the one catalogue, core/findings.py): reported, never silently dropped. Partnerships, review
ids and areas are matched and listed from the instrument data, never from names fixed here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from partnerxl.core.committee import (committee_counts, earlier_left_out, lead_officer_flag, no_review_reason,
                                      unread_emails)
from partnerxl.core.cycle import is_overdue
from partnerxl.core.findings import Finding, finding
from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import RegisterEntry, Review
from partnerxl.core.recommendation import Recommendation, recommend
from partnerxl.core.results import ActionItem
from partnerxl.core.scoring import (GatekeeperResult, ReviewScore, Significance, assess_significance, gatekeeper,
                      INSTRUMENT_WORDS, missing_instruments, score_review)
from partnerxl.core.settings import Settings
from partnerxl.core.tables import action_table, area_ids, heatmap, portfolio_table
from partnerxl.core.text import match_key
from partnerxl.core.trend import TrendPoint, no_trend, trend_frame, trend_of

if TYPE_CHECKING:  # imported where a table is made: validate and score never load pandas
    import pandas as pd

# Flag codes and the words officers see, in the order the Flags sheet lists them.
FLAG_LABELS: dict[str, str] = {
    "overdue": "Overdue review",
    "missing_instrument": "Missing instrument for tier",
    "consider_ending": "Consider ending or merging",
    "value_for_money": "Value-for-money concern",
    "no_lead_officer": "No lead officer",
    "out_of_scope": "Out of scope",
    "gatekeeper": "Gatekeeper: reconsider",
    "low_response": "Low response",
}


def statuses() -> list[str]:
    return list(load_instruments().register.field("status").choices or [])


def _cycle():
    return load_instruments().register.cycle


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 29th–31st fall back to the last day of a shorter month."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def reply_by_date(as_of: dt.date, settings: Settings) -> dt.date:
    """The date partners are asked to reply, or return their forms, by: worked out here once, so the summaries, the
    e-mail drafts and the chasing drafts give one date (docs/rules.md, "Chasing and the reply-by date")."""
    return as_of + dt.timedelta(days=settings.reply_within_days)


@dataclass(frozen=True)
class ScoredReview:
    review: Review
    score: ReviewScore
    source: str = ""
    id_cell: tuple[str, str] | None = None   # (sheet, cell) holding the partnership id, for problems

    @property
    def year(self) -> int:
        return self.review.year


@dataclass(frozen=True)
class Flag:
    partnership_id: str
    name: str
    code: str
    reason: str
    wording: str = ""   # the label when the code's own is not precise (core/committee.py, lead_officer_flag)

    @property
    def label(self) -> str:
        return self.wording or FLAG_LABELS[self.code]


@dataclass
class PartnershipResult:
    entry: RegisterEntry
    significance: Significance
    gate: GatekeeperResult | None
    current: ScoredReview | None
    previous: ScoredReview | None
    last_review: dt.date | None
    next_review_due: dt.date | None
    overdue: bool
    missing: list[str]
    flags: list[Flag]
    change: dict[str, float | None]   # "overall" and area ids → current − previous score
    movement: str                     # improved / declined / unchanged / not comparable (overall score)
    not_comparable: str | None        # why the overall score cannot be compared with the previous review
    recommendation: Recommendation | None
    trend: list[TrendPoint] = field(default_factory=list)   # every review year up to this one, oldest first
    actions: list[ActionItem] = field(default_factory=list)  # the current review's, marked against the as-of date

    @property
    def response_rate(self) -> float | None:
        return self.current.score.response_rate if self.current else None

    @property
    def low_response(self) -> bool:
        return bool(self.current and self.current.score.low_response)

    @property
    def action_count(self) -> int:
        """The current review's actions (plan items, fitness and benchmark actions), as the e-mail draft counts."""
        return len(self.actions)

    @property
    def overdue_actions(self) -> list[ActionItem]:
        return [a for a in self.actions if a.overdue]

    @property
    def unowned_actions(self) -> list[ActionItem]:
        return [a for a in self.actions if a.unowned]

    @property
    def no_review(self) -> str | None:
        """Why there is no review this year (core/committee.py, no_review_reason); None when there is one."""
        return None if self.current else no_review_reason(self.entry, self.overdue)


@dataclass
class Portfolio:
    year: int
    as_of: dt.date
    settings: Settings
    results: list[PartnershipResult]
    table: pd.DataFrame
    heatmap: pd.DataFrame
    flags: pd.DataFrame
    actions: pd.DataFrame
    committee: dict[str, object]
    problems: list[Finding] = field(default_factory=list)
    trend: pd.DataFrame = field(default_factory=no_trend)  # ID, Name, Year, Overall score, area scores
    area_averages: dict[str, float] = field(default_factory=dict)  # area id → mean of this year's area scores
    reply_by: dt.date | None = None   # when partners are asked to reply by (reply_by_date)

    def result(self, partnership_id: str) -> PartnershipResult:
        return next(r for r in self.results if r.entry.id == partnership_id)


def score_reviews(reviews: list[tuple[str, Review]], settings: Settings,
                  known: dict[str, ReviewScore] | None = None) -> list[ScoredReview]:
    """Score each (source, review); `known` holds scores already worked out with the same settings, by source."""
    known = known or {}
    return [ScoredReview(review=r, score=known.get(src) or score_review(r, settings), source=src) for src, r in reviews]


def _movement(cur: ScoredReview | None, prev: ScoredReview | None, change: float | None) -> tuple[str, str | None]:
    """(improved / declined / unchanged / not comparable, why not comparable) for the overall score."""
    if cur is None:
        return "not reviewed", None
    if prev is None:
        return "not comparable", "no earlier review"
    if cur.score.overall.score is None:
        return "not comparable", f"overall score not worked out for {cur.year} (too few ratings)"
    if change is None:
        return "not comparable", f"overall score not worked out for {prev.year} (too few ratings)"
    if change > 1e-9:
        return "improved", None
    if change < -1e-9:
        return "declined", None
    return "unchanged", None


def match_history(entries: list[RegisterEntry], scored: list[ScoredReview], year: int
                  ) -> tuple[dict[str, ScoredReview], dict[str, ScoredReview], dict[str, list[ScoredReview]],
                             list[Finding]]:
    """Current (the rollup year's), previous (latest earlier) and every usable review up to the rollup year per
    register id, joined with pandas on the ids' match keys (so 'p001' in a review is the register's 'P001').

    A review whose partnership is not in the register, or a second review of the same partnership and year, is a
    problem and is not used (the officer must decide which file is right).
    """
    import pandas as pd

    problems: list[Finding] = []
    reg = pd.DataFrame({"key": [match_key(e.id) for e in entries], "entry_id": [e.id for e in entries]})
    rev = pd.DataFrame({"key": [match_key(s.review.partnership_id) for s in scored], "year": [s.year for s in scored],
                        "source": [s.source for s in scored], "pos": range(len(scored))},
                       columns=["key", "year", "source", "pos"])
    joined = rev.merge(reg, on="key", how="left")
    for row in joined[joined["entry_id"].isna()].itertuples():
        s = scored[row.pos]
        sheet, cell = s.id_cell or (None, None)
        problems.append(finding("not-in-register", s.source, sheet, cell, "Partnership ID", s.review.partnership_id))
    known = joined[joined["entry_id"].notna() & (joined["year"] <= year)]
    dup_mask = known.duplicated(["key", "year"], keep=False)
    for (_key, yr), group in known[dup_mask].groupby(["key", "year"], sort=True):
        files = ", ".join(sorted(group["source"]))
        for row in group.sort_values("source").itertuples():
            problems.append(finding("duplicate-review", row.source, field=str(yr), value=row.entry_id, detail=files))
    usable = known[~dup_mask]
    current = {row.entry_id: scored[row.pos] for row in usable[usable["year"] == year].itertuples()}
    earlier = usable[usable["year"] < year].sort_values(["key", "year"]).groupby("key").tail(1)
    previous = {row.entry_id: scored[row.pos] for row in earlier.itertuples()}
    history: dict[str, list[ScoredReview]] = {}
    for row in usable.sort_values(["year", "pos"]).itertuples():
        history.setdefault(row.entry_id, []).append(scored[row.pos])
    return current, previous, history, problems


def _flags_for(entry: RegisterEntry, sig: Significance, gate: GatekeeperResult | None, cur: ScoredReview | None,
               prev: ScoredReview | None, overdue: bool, next_due: dt.date | None, missing: list[str],
               settings: Settings, unread_email: str | None = None) -> list[Flag]:
    flags: list[Flag] = []

    def add(code: str, reason: str) -> None:
        flags.append(Flag(entry.id, entry.name, code, reason))

    if overdue:
        if next_due is None:
            add("overdue", f"{entry.status} partnership with no review recorded.")
        else:
            add("overdue", f"next review was due {next_due:%d %b %Y} "
                           f"({settings.review_interval_months} months after the last review).")
    if missing:
        add("missing_instrument", f"{sig.tier} partnership: its {cur.year if cur else ''} review lacks the "
                                  + ", ".join(INSTRUMENT_WORDS.get(m, m) for m in missing) + ".")
    rag = cur.score.overall.rag if cur else None
    if rag == "Red" and prev is not None and prev.score.overall.rag == "Red":
        add("consider_ending", f"overall rating Red in two consecutive reviews ({prev.year}: "
                               f"{prev.score.overall.score:.2f}, {cur.year}: {cur.score.overall.score:.2f}).")
    if rag == "Red" and sig.by_contribution:
        add("value_for_money", f"council contribution £{entry.council_contribution_gbp:,.0f} a year "
                               f"(significant at £{settings.significant_contribution_gbp:,.0f}) and overall rating "
                               f"Red ({cur.score.overall.score:.2f}).")
    lead = lead_officer_flag(entry, unread_email)
    if lead:
        flags.append(Flag(entry.id, entry.name, "no_lead_officer", lead[1], wording=lead[0]))
    if entry.arrangement and not entry.in_scope:
        add("out_of_scope", f"arrangement is '{entry.arrangement}', not a partnership: "
                            + load_instruments().register.scope.reason)
    if gate is not None and gate.recommendation == "reconsider":
        add("gatekeeper", "Proposed partnership, gatekeeper says reconsider: " + " ".join(gate.reasons))
    if cur is not None and cur.score.low_response:
        s = cur.score
        add("low_response", f"{s.returned} of {len(s.invited)} invited respondents returned their ratings for "
                            f"{cur.year} ({s.response_rate:.0%}; below {settings.low_response_share:.0%}).")
    return flags


def build_portfolio(entries: list[RegisterEntry], scored: list[ScoredReview], year: int, as_of: dt.date,
                    settings: Settings | None = None, problems: list[Finding] | None = None,
                    entry_rows: dict[str, int] | None = None) -> Portfolio:
    """The whole portfolio for the rollup `year` as at `as_of` (see the module docstring); `entry_rows` (register
    id → its row) lets the lead officer flag name an e-mail the register reader could not accept."""
    settings = settings or Settings()
    current, previous, history, match_problems = match_history(entries, scored, year)
    unread, left_out = unread_emails(problems or [], entry_rows), earlier_left_out(entries, scored, year)
    results = [_result(e, current.get(e.id), previous.get(e.id), as_of, settings, unread.get(e.id)) for e in entries]
    for r in results:
        r.trend = trend_of(history.get(r.entry.id, []))
        if r.movement == "not comparable" and r.previous is None and r.entry.id in left_out:
            r.not_comparable = left_out[r.entry.id]
    table = portfolio_table(results)
    all_problems = list(problems or []) + match_problems
    committee = _committee(results, table, year)
    committee["workbooks_left_out"] = len({f.file for f in all_problems if f.code in LEFT_OUT_WHOLE})
    return Portfolio(year=year, as_of=as_of, settings=settings, results=results, table=table,
                     heatmap=heatmap(table), flags=_flag_table(results), actions=action_table(results),
                     committee=committee, problems=all_problems, trend=trend_frame(results),
                     area_averages=area_averages(results), reply_by=reply_by_date(as_of, settings))


def area_averages(results: list[PartnershipResult]) -> dict[str, float]:
    """The portfolio's average score of each area over this year's reviews that have one (the summaries' chart)."""
    scores: dict[str, list[float]] = {}
    for r in results:
        if r.current is not None:
            for a in r.current.score.areas:
                if a.score is not None:
                    scores.setdefault(a.id, []).append(a.score)
    return {k: sum(v) / len(v) for k, v in scores.items()}


# Problems that keep a whole workbook out of the portfolio (the rest leave out single entries).
LEFT_OUT_WHOLE = {"unreadable-file", "wrong-kind", "review-incomplete", "not-in-register", "duplicate-review"}


def _next_review(e: RegisterEntry, cur: ScoredReview | None, prev: ScoredReview | None, as_of: dt.date,
                 settings: Settings) -> tuple[dt.date | None, dt.date | None, bool]:
    """(last review, next review due, overdue): the register's date or a review's, whichever is later."""
    review_dates = [s.review.review_date for s in (cur, prev) if s and s.review.review_date
                    and s.review.review_date <= as_of]
    last = max([d for d in [e.last_review_date, *review_dates] if d is not None], default=None)
    next_due = add_months(last, settings.review_interval_months) if last else None
    cycle = _cycle()
    if e.status not in cycle.reviewed_statuses:
        overdue = False
    elif next_due is None:
        overdue = e.status == cycle.active_status
    else:
        overdue = next_due < as_of
    return last, next_due, overdue


def _result(e: RegisterEntry, cur: ScoredReview | None, prev: ScoredReview | None, as_of: dt.date,
            settings: Settings, unread_email: str | None = None) -> PartnershipResult:
    sig = assess_significance(e, settings)
    gate = gatekeeper(e)
    last, next_due, overdue = _next_review(e, cur, prev, as_of, settings)
    missing = missing_instruments(cur.score, sig.tier) if cur else []
    change: dict[str, float | None] = {}
    for key in ("overall", *area_ids()):
        c, p = _area(cur, key), _area(prev, key)
        change[key] = None if c is None or p is None else c - p
    flags = _flags_for(e, sig, gate, cur, prev, overdue, next_due, missing, settings, unread_email)
    rec = recommend(cur.score, prev.score if prev else None, missing=missing, in_scope=e.in_scope) if cur else None
    movement, why = _movement(cur, prev, change["overall"])
    # Marked again here, so every action of the portfolio is judged against the portfolio's own as-of date.
    # An action judged so already (scored as of the same date) is kept as it is, not copied by the thousand.
    actions = [a if a.overdue == (late := is_overdue(a.due, as_of)) else a.model_copy(update={"overdue": late})
               for a in cur.score.actions] if cur else []
    return PartnershipResult(
        entry=e, significance=sig, gate=gate, current=cur, previous=prev, last_review=last,
        next_review_due=next_due, overdue=overdue, missing=missing, flags=flags, change=change,
        movement=movement, not_comparable=why, recommendation=rec, actions=actions)


def _area(s: ScoredReview | None, key: str) -> float | None:
    if s is None:
        return None
    if key == "overall":
        return s.score.overall.score
    return next(a.score for a in s.score.areas if a.id == key)


def _flag_table(results: list[PartnershipResult]) -> pd.DataFrame:
    import pandas as pd

    order = list(FLAG_LABELS)
    rows = [{"ID": f.partnership_id, "Name": f.name, "Flag": f.label, "Reason": f.reason, "_o": order.index(f.code)}
            for r in results for f in r.flags]
    df = pd.DataFrame(rows, columns=["ID", "Name", "Flag", "Reason", "_o"])
    return df.sort_values(["_o", "ID"], kind="mergesort").drop(columns="_o").reset_index(drop=True)


MOVEMENTS = ("improved", "declined", "unchanged", "not comparable")


def _committee(results: list[PartnershipResult], table: pd.DataFrame, year: int) -> dict[str, object]:
    live = [r for r in results if r.entry.status not in _cycle().closed_statuses]
    status = Counter(r.entry.status or "(not set)" for r in results)
    tier = Counter(r.significance.tier for r in results)
    rag = Counter((r.current.score.overall.rag or "Not scored") if r.current else "No review this year" for r in results)
    reviewed = [r for r in results if r.current]
    movement = Counter(r.movement for r in reviewed)
    known = statuses()
    return {
        "partnerships": len(results),
        "by_status": {k: status[k] for k in [*known, *sorted(set(status) - set(known))] if status[k]},
        "by_tier": {k: tier[k] for k in ("Significant", "Standard") if tier[k]},
        "by_rag": {k: rag[k] for k in ("Green", "Amber", "Red", "Not scored", "No review this year") if rag[k]},
        "reviewed_this_year": len(reviewed),
        "provisional": sum(1 for r in reviewed if r.current.score.provisional),
        "total_contribution_gbp": sum(r.entry.council_contribution_gbp or 0 for r in live),
        "total_officer_days": sum(r.entry.officer_days or 0 for r in live),
        "overdue": sum(1 for r in results if r.overdue),
        # This year's action register (docs/rules.md, "Actions"): past their due date, and with nobody named.
        "overdue_actions": sum(len(r.overdue_actions) for r in reviewed),
        "unowned_actions": sum(len(r.unowned_actions) for r in reviewed),
        "low_response": sum(1 for r in reviewed if r.low_response),
        "out_of_scope": sum(1 for r in results if r.entry.arrangement and not r.entry.in_scope),
        # Every partnership reviewed this year is counted once, so the four add up to reviewed_this_year.
        "movement": {k: movement[k] for k in MOVEMENTS},
        "not_comparable": [(r.entry.id, r.entry.name, r.not_comparable) for r in reviewed
                           if r.movement == "not comparable"],
        "flagged": [(r.entry.id, r.entry.name, "; ".join(f.label for f in r.flags)) for r in results if r.flags],
        **committee_counts(results),   # no review this year by why; running totals in scope (core/committee.py)
        "year": year,
    }
