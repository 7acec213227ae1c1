"""The committee pack's own pages as rows: the cover with its contents, the overview of the partnerships and the list
of overdue and unowned actions. documents/committee_pack.py lays them out (A4 portrait, 9 pt, at 100%).

Everything here is worded for a committee member holding the paper: no sheet or workbook is named, codes are words,
and every number comes from the portfolio (core/portfolio.py, core/committee.py) as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from partnerxl.core.tables import ACTION_SOURCES
from partnerxl.sheets.reports import MOVEMENT_WORDS, SheetRows

SHEET_COVER = "Cover"
SHEET_OVERVIEW = "Overview"
SHEET_ACTION_LIST = "Overdue and unowned"
# Column widths (units of Arial 10): each page is at most 90 units wide, A4 portrait at 100%.
COVER_WIDTHS = [22.0, 56.0, 10.0]
OVERVIEW_HEADERS = ["ID", "Partnership", "Rating", "Score", "Previous", "Direction", "Actions overdue",
                    "No owner", "Recommendation"]
OVERVIEW_KINDS = [None, "wrap", "rag", "score", None, "wrap", "count", "count", "wrap"]
OVERVIEW_WIDTHS = [5.5, 20.0, 7.5, 6.0, 9.0, 11.0, 7.5, 6.5, 13.5]
ACTION_HEADERS = ["Partnership", "Action", "Owner", "Due", "Listed as"]
ACTION_KINDS = ["wrap", "wrap", "wrap", "date", "status"]
ACTION_WIDTHS = [21.0, 34.0, 13.0, 11.0, 9.0]
ARROWS = {"improved": "↑ ", "declined": "↓ ", "unchanged": "→ "}
OVERDUE, NO_OWNER = "Overdue", "No owner"
STATUS_COLOURS = {OVERDUE: "Red", NO_OWNER: "Amber"}   # the RAG colour a "Listed as" word is printed on


def direction(r: Any) -> str:
    """The direction of the overall score since the previous review, in words with an arrow."""
    if r.current is None:
        return "—"
    return ARROWS.get(r.movement, "") + MOVEMENT_WORDS.get(r.movement, r.movement.capitalize())


def _rating(r: Any) -> str:
    if r.current is None:
        return "No review"
    return r.current.score.overall.rag or "Not scored"


def _notes(r: Any, year: int) -> str | None:
    """What the overview says under a partnership: why it has no review, why it cannot be compared, its flags."""
    parts = []
    if r.current is None and r.no_review:
        parts.append(f"No review for {year}: {r.no_review.lower()}.")
    if r.current is not None and r.movement == "not comparable" and r.not_comparable:
        parts.append(f"Not comparable: {r.not_comparable}.")
    parts += [f"{f.label}: {f.reason.rstrip('.')}." for f in r.flags if f.code != "out_of_scope"]
    return " ".join(parts) or None


def overview_sheet(p: Any) -> SheetRows:
    """Every partnership in the strategy's scope, one row each (rating, score, previous score, direction, actions
    overdue and with no owner, recommendation) and a line under it with its flags and their reasons; the
    arrangements out of scope are named at the end."""
    s = SheetRows(SHEET_OVERVIEW, kinds=list(OVERVIEW_KINDS), widths=list(OVERVIEW_WIDTHS))
    s.add("title", [f"Overview of the partnerships, {p.year}"])
    s.add("note", [f"As at {p.as_of:%d %B %Y}. Every partnership in the strategy's scope; score and previous score "
                   "are overall scores (1 to 4); the line under a partnership gives its flags and why."])
    s.add("header", list(OVERVIEW_HEADERS))
    outside = []
    for r in p.results:
        if r.entry.arrangement and not r.entry.in_scope:
            outside.append(f"{r.entry.id} {r.entry.name} ({r.entry.arrangement})")
            continue
        cur, prev = r.current, r.previous
        previous = f"{prev.score.overall.score:.2f} ({prev.year})" if prev and prev.score.overall.score is not None \
            else None
        reviewed = cur is not None
        s.add("body", [r.entry.id, r.entry.name, _rating(r), cur.score.overall.score if reviewed else None,
                       previous, direction(r), len(r.overdue_actions) if reviewed else None,
                       len(r.unowned_actions) if reviewed else None,
                       r.recommendation.verdict.capitalize() if r.recommendation else None])
        notes = _notes(r, p.year)
        if notes:
            s.add("notes", [None, notes])
    if outside:
        s.add("notes", [None, "Outside the strategy's scope, managed by the process for their kind of arrangement: "
                              + "; ".join(outside) + "."])
    return s


def _action_text(a: Any) -> str:
    what = a.action or f"no action written for: {a.item}"
    return f"{what} ({ACTION_SOURCES.get(a.kind, a.kind).lower()})"


def action_sheet(p: Any) -> SheetRows:
    """The actions of this year's reviews that are overdue or have no owner: overdue first (the longest overdue
    first), then those with no owner, each with its partnership, owner and due date."""
    s = SheetRows(SHEET_ACTION_LIST, kinds=list(ACTION_KINDS), widths=list(ACTION_WIDTHS))
    s.add("title", [f"Overdue actions and actions with no owner, {p.year} reviews"])
    listed = [(r, a) for r in p.results for a in r.actions if a.overdue or a.unowned]
    c = p.committee
    s.add("note", [f"As at {p.as_of:%d %B %Y}: {c.get('overdue_actions', 0)} overdue (due before that date) and "
                   f"{c.get('unowned_actions', 0)} with nobody named to do them, of the actions agreed or needed in "
                   f"the {p.year} reviews. Lead officers are asked to complete or re-plan them."])
    s.add("header", list(ACTION_HEADERS))
    if not listed:
        s.add("body", ["No action is overdue, and every action has an owner."])
        return s
    listed.sort(key=lambda x: (not x[1].overdue, x[1].due or dt.date.max, x[0].entry.id))
    for r, a in listed:
        status = "; ".join(w for w, on in ((OVERDUE, a.overdue), (NO_OWNER, a.unowned)) if on)
        s.add("body", [f"{r.entry.id} {r.entry.name}", _action_text(a), a.owner or NO_OWNER, a.due, status])
    return s


def recommendation_text(p: Any) -> str:
    """The officer's recommendation to the committee: the setting when given, else lettered points made from the
    numbers (note the reviews; ask for the overdue and unowned actions and the overdue reviews; consider the future
    of any partnership Red in two consecutive reviews)."""
    typed = (getattr(p.settings, "committee_recommendation", "") or "").strip()
    if typed:
        return typed
    c = p.committee
    rags = ", ".join(f"{n} {k}" for k, n in c["by_rag"].items() if k in ("Green", "Amber", "Red"))
    points = [f"notes the annual review of the council's partnerships for {p.year}: {c['reviewed_this_year']} "
              "reviewed" + (f" ({rags})" if rags else "")]
    asks = []
    for key, words in (("overdue_actions", "complete or re-plan the {n} overdue action{s}"),
                       ("unowned_actions", "name an owner for the {n} action{s} with none"),
                       ("overdue", "carry out the {n} overdue review{s}")):
        n = c.get(key) or 0
        if n:
            asks.append(words.format(n=n, s="s" if n != 1 else ""))
    if asks:
        points.append("asks the lead officers to " + ", ".join(asks[:-1]) + (" and " if len(asks) > 1 else "")
                      + asks[-1])
    ending = [f"{r.entry.id} {r.entry.name}" for r in p.results if any(f.code == "consider_ending" for f in r.flags)]
    if ending:
        points.append("considers whether to end or merge " + " and ".join(ending) + ", rated Red in two "
                      "consecutive reviews")
    letters = "abcdefgh"
    return "That the committee:\n" + ";\n".join(f"({letters[i]}) {t}" for i, t in enumerate(points)) + "."


def glance_text(p: Any) -> str:
    """The portfolio in two sentences, for the cover."""
    c = p.committee
    flagged = len(c["flagged"])
    return (f"{c['partnerships']} partnerships in the register, {c['reviewed_this_year']} reviewed for {p.year}; "
            f"{flagged} flagged for the committee's attention. {c.get('overdue_actions', 0)} actions are overdue and "
            f"{c.get('unowned_actions', 0)} have no owner; {c['overdue']} review"
            + (" is" if c["overdue"] == 1 else "s are") + " overdue.")


def cover_sheet(p: Any, contents: list[tuple[str, int, bool]]) -> SheetRows:
    """The cover: council, committee, meeting date, the officer's recommendation, the portfolio at a glance and the
    contents (title, page, indented)."""
    st = p.settings
    s = SheetRows(SHEET_COVER, kinds=["wrap", "wrap", None], widths=list(COVER_WIDTHS))
    s.add("council", [getattr(st, "council_name", "") or None])
    s.add("big", [f"Partnership portfolio {p.year}"])
    s.add("subtitle", ["Annual review of the council's partnerships"])
    for label, value in (("Report to", getattr(st, "committee_name", "")),
                         ("Meeting date", getattr(st, "committee_date", "")),
                         ("Report of", getattr(st, "officer_name", "")), ("Position as at", f"{p.as_of:%d %B %Y}")):
        if value:
            s.add("pair", [label, value])
    s.add("section", ["Recommendation", None, None])
    s.add("para", [recommendation_text(p)])
    s.add("section", ["At a glance", None, None])
    s.add("para", [glance_text(p)])
    s.add("section", ["Contents", None, "Page"])
    for title, page, indent in contents:
        s.add("contents", [("      " if indent else "") + title, None, page])
    return s
