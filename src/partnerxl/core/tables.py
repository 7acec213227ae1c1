"""The portfolio's tables, as pandas frames: one row per partnership, the heatmap, the flags and the actions.

Columns come from the data: the register fields marked for the Portfolio, and one score, band and RAG column per
benchmark area. The writers (documents/portfolio_workbook.py, the add-in) only lay these frames out.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import RegisterEntry
from partnerxl.core.recommendation import Recommendation
from partnerxl.core.results import ActionItem, ReviewScore
from partnerxl.core.significance import Significance

if TYPE_CHECKING:  # imported where a table is made: validate and score never load pandas
    import pandas as pd


# What the tables read of core/portfolio.py's ScoredReview and PartnershipResult. portfolio.py builds its tables
# with this module, so the two are named here by their shape: importing them would close an import cycle.
class Scored(Protocol):
    @property
    def year(self) -> int: ...

    @property
    def score(self) -> ReviewScore: ...


class Partnership(Protocol):
    entry: RegisterEntry
    significance: Significance
    current: Scored | None
    previous: Scored | None
    last_review: dt.date | None
    next_review_due: dt.date | None
    change: dict[str, float | None]
    movement: str
    flags: list[Any]
    recommendation: Recommendation | None
    actions: list[ActionItem]
    trend: list[Any]

    @property
    def overdue_actions(self) -> list[ActionItem]: ...

    @property
    def unowned_actions(self) -> list[ActionItem]: ...


def area_ids() -> list[str]:
    return [a.id for a in load_instruments().benchmarks.areas]


def area_names() -> dict[str, str]:
    return {a.id: a.name for a in load_instruments().benchmarks.areas}


def register_columns() -> list[tuple[str, str, str]]:
    """(field name, column heading, field type) of the register fields the Portfolio shows (marked in the data)."""
    fixed = {"id": "ID", "name": "Name"}  # the headings every table is keyed on
    return [(f.name, fixed.get(f.name, f.label), f.type) for f in load_instruments().register.portfolio_fields]


def column_types() -> dict[str, str]:
    """Portfolio heading → kind of value (money, number, date, score, change, percent), for the writers' formats."""
    names = area_names()
    kinds = {heading: kind for _name, heading, kind in register_columns()}
    kinds.update({"Last review": "date", "Next review due": "date", "Checklist readiness": "percent",
                  "Practice score": "percent", "Change in overall": "change", "Overall score": "score",
                  "Response rate": "percent", "Invited": "number", "Returned": "number",
                  "Overdue actions": "number", "Unowned actions": "number"})
    for a in area_ids():
        kinds[f"{names[a]} score"] = "score"
        kinds[f"Change in {names[a]}"] = "change"
    return kinds


def portfolio_row(r: Partnership, names: dict[str, str]) -> dict:
    e, cur = r.entry, r.current
    row: dict = {heading: getattr(e, name) for name, heading, _kind in register_columns()}
    scope = load_instruments().register.scope
    if e.arrangement and not e.in_scope and scope.field in {n for n, _h, _k in register_columns()}:
        heading = next(h for n, h, _k in register_columns() if n == scope.field)
        row[heading] = f"{row[heading]} (out of scope)"
    row.update({"Tier": r.significance.tier, "In scope": bool(e.in_scope), "Last review": r.last_review,
                "Next review due": r.next_review_due, "Review year": cur.year if cur else None,
                "Provisional": ("Yes" if cur.score.provisional else "No") if cur else None})
    parts = [("Overall", cur.score.overall if cur else None)]
    parts += [(names[a], next((x for x in cur.score.areas if x.id == a), None) if cur else None) for a in area_ids()]
    for label, s in parts:
        row[f"{label} score"] = s.score if s else None
        row[f"{label} band"] = s.band if s else None
        row[f"{label} RAG"] = s.rag if s else None
    row.update(response_columns(r))
    row["Checklist readiness"] = cur.score.checklist.readiness if cur else None
    row["Practice score"] = cur.score.improvement.practice_score if cur else None
    row["Previous review year"] = r.previous.year if r.previous else None
    row["Change in overall"] = r.change["overall"]
    for a in area_ids():
        row[f"Change in {names[a]}"] = r.change[a]
    row["Movement"] = r.movement if cur else None
    row["Flags"] = "; ".join(f.label for f in r.flags)
    row["Recommendation"] = r.recommendation.verdict if r.recommendation else None
    return row


def response_columns(r: Partnership) -> dict:
    """The review's response rate (docs/rules.md, "Response rate") and its action register's counts; blank with no
    review."""
    s = r.current.score if r.current else None
    if s is None:
        return dict.fromkeys(["Invited", "Returned", "Response rate", "Low response", "Overdue actions",
                              "Unowned actions"])
    return {"Invited": len(s.invited), "Returned": s.returned, "Response rate": s.response_rate,
            "Low response": ("Yes" if s.low_response else "No") if s.invited else None,
            "Overdue actions": len(r.overdue_actions), "Unowned actions": len(r.unowned_actions)}


def portfolio_table(results: list[Partnership]) -> pd.DataFrame:
    import pandas as pd

    names = area_names()
    return pd.DataFrame([portfolio_row(r, names) for r in results])


def heatmap_columns() -> list[str]:
    names = area_names()
    return [f"{names[a]} score" for a in area_ids()] + ["Overall score"]


def heatmap(table: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    cols = ["ID", "Name", *heatmap_columns()]
    if table.empty:
        return pd.DataFrame(columns=cols)
    scored = table[table["Review year"].notna()][cols]
    return scored.sort_values(["Overall score", "ID"], ascending=[False, True], na_position="last",
                              kind="mergesort").reset_index(drop=True)


ACTION_COLUMNS = ["ID", "Partnership", "Source", "Item", "Action", "Owner", "Due", "Overdue", "Unowned"]
ACTION_SOURCES = {"improvement": "Improvement plan", "benchmark": "Benchmark", "fitness": "Fitness review"}


def action_table(results: list[Partnership]) -> pd.DataFrame:
    """Every action of the year's reviews (improvement plan, benchmarks, fitness review), each marked Overdue (due
    before the portfolio's as-of date) and Unowned (nobody named); unowned first, then by partnership and source."""
    import pandas as pd

    rows = [{"ID": r.entry.id, "Partnership": r.entry.name, "Source": ACTION_SOURCES[a.kind],
             "Item": f"{a.id} {a.item}", "Action": a.action, "Owner": a.owner, "Due": a.due,
             "Overdue": a.overdue, "Unowned": a.unowned}
            for r in results if r.current is not None for a in r.actions]
    df = pd.DataFrame(rows, columns=ACTION_COLUMNS)
    source_order = {"Improvement plan": 0, "Benchmark": 1, "Fitness review": 2}
    df["_u"] = ~df["Unowned"].astype(bool)
    df["_s"] = df["Source"].map(source_order)
    return df.sort_values(["_u", "ID", "_s"], kind="mergesort").drop(columns=["_u", "_s"]).reset_index(drop=True)
