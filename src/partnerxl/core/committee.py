"""What the committee is told beyond the counts (docs/rules.md, "Portfolio flags", "The annual cycle"): why a
partnership has no review this year, why its score cannot be compared with an earlier one, the words of the lead
officer flag, and which partnerships the running totals count.

Worked out here once, for core/portfolio.py; the committee summary, the pack's overview and the dashboard only
print them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import RegisterEntry
from partnerxl.core.text import match_key, valid_email

OVERDUE, NOT_DUE, OUT_OF_SCOPE = "Overdue", "Not due yet", "Out of scope"


def _cycle():
    return load_instruments().register.cycle


def not_started_statuses() -> list[str]:
    """The statuses with no review expected yet and not closed (the register's Proposed)."""
    cycle = _cycle()
    choices = load_instruments().register.field("status").choices or []
    return [s for s in choices if s not in cycle.reviewed_statuses and s not in cycle.closed_statuses]


def no_review_reasons() -> list[str]:
    """Why a partnership has no review this year, in the order the committee reads them."""
    return [OVERDUE, NOT_DUE, OUT_OF_SCOPE, *not_started_statuses(), *_cycle().closed_statuses]


def out_of_scope(entry: RegisterEntry) -> bool:
    """An arrangement the register says is not a partnership (a blank arrangement is not judged)."""
    return bool(entry.arrangement) and not entry.in_scope


def no_review_reason(entry: RegisterEntry, overdue: bool) -> str:
    """One of `no_review_reasons()` for a partnership with no review this year: a closed or not yet started
    partnership by its status, then an arrangement out of scope, then whether its next review is overdue."""
    cycle = _cycle()
    if entry.status in cycle.closed_statuses or entry.status in not_started_statuses():
        return entry.status
    if out_of_scope(entry):
        return OUT_OF_SCOPE
    if overdue:
        return OVERDUE
    return NOT_DUE if entry.status in cycle.reviewed_statuses else (entry.status or "Status not set")


def running_in_scope(entry: RegisterEntry) -> bool:
    """Counted in the running totals (contribution, officer days): a partnership in the strategy's scope whose
    status expects an annual review (Active, Under review, Ending) — not Proposed, not Closed, not out of scope."""
    return entry.status in _cycle().reviewed_statuses and not out_of_scope(entry)


def running_words() -> str:
    """The statuses `running_in_scope` counts, as a label says them: 'Active, Under review and Ending'."""
    names = list(_cycle().reviewed_statuses)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def committee_counts(results: Iterable[Any]) -> dict[str, Any]:
    """The committee numbers worked out here: partnerships with no review this year by why (every reason, zeros
    included), and the partnerships, contribution and officer days the running totals count."""
    results = list(results)
    why = Counter(r.no_review for r in results if r.no_review)
    running = [r.entry for r in results if running_in_scope(r.entry)]
    return {"no_review": {k: why[k] for k in [*no_review_reasons(), *sorted(set(why) - set(no_review_reasons()))]},
            "running_in_scope": len(running),
            "contribution_in_scope_gbp": sum(e.council_contribution_gbp or 0 for e in running),
            "officer_days_in_scope": sum(e.officer_days or 0 for e in running)}


def earlier_left_out(entries: list[RegisterEntry], scored: Iterable[Any], year: int) -> dict[str, str]:
    """Register id → why an earlier review of the partnership was left out, for the latest earlier year: a review
    that names an id not in the register but the partnership's own name ('the 2023 review was left out (it names
    P040, not in the register)'), or two reviews of one year. Matched by the name inside the review, never the file
    name; used when the partnership has no usable earlier review (core/portfolio.py, `_movement`)."""
    ids = {match_key(e.id): e.id for e in entries}
    names = {match_key(e.name): e.id for e in entries}
    earlier = [s for s in scored if s.year < year]
    per_year: dict[tuple[str, int], int] = {}
    for s in earlier:
        key = (match_key(s.review.partnership_id), s.year)
        per_year[key] = per_year.get(key, 0) + 1
    found: dict[str, str] = {}
    for s in sorted(earlier, key=lambda s: (-s.year, s.source)):
        key = match_key(s.review.partnership_id)
        if key in ids and per_year[(key, s.year)] > 1:
            found.setdefault(ids[key], f"the {s.year} reviews were left out (two reviews for {s.year})")
        elif key not in ids and match_key(s.review.partnership_name) in names:
            found.setdefault(names[match_key(s.review.partnership_name)],
                             f"the {s.year} review was left out (it names {s.review.partnership_id}, not in the "
                             "register)")
    return found


def lead_officer_flag(entry: RegisterEntry, unread_email: str | None = None) -> tuple[str, str] | None:
    """(label, reason) of the lead officer flag of an Active partnership, or None: no lead officer, no lead officer
    e-mail, or an e-mail that is not a valid address (`unread_email`: the address the register reader could not
    accept, so the entry holds none)."""
    if entry.status != _cycle().active_status:
        return None
    if not entry.lead_officer:
        return "No lead officer", "Active partnership with no lead officer in the register."
    address = entry.lead_officer_email or unread_email
    if valid_email(entry.lead_officer_email):
        return None
    if not address:
        return "No lead officer e-mail", f"Active partnership: no e-mail address for its lead officer " \
                                         f"({entry.lead_officer}) in the register."
    return "Lead officer e-mail not valid", f"Active partnership: lead officer e-mail '{address}' is not a valid " \
                                            "address."


def unread_emails(problems: Iterable[Any], entry_rows: dict[str, int] | None) -> dict[str, str]:
    """Register id → the lead officer e-mail its row held that could not be read as an address (the register's
    'bad-email' findings, placed by `entry_rows`: id → sheet row)."""
    if not entry_rows:
        return {}
    by_row = {row: pid for pid, row in entry_rows.items()}
    label = load_instruments().register.field("lead_officer_email").label
    found = {}
    for f in problems:
        row = int("".join(ch for ch in (f.cell or "") if ch.isdigit()) or 0)
        if f.code == "bad-email" and f.field == label and row in by_row and f.value:
            found[by_row[row]] = str(f.value)
    return found
