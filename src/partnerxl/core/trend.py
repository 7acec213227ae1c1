"""A partnership's course over every review year found (docs/rules.md, "Trend and year-on-year change"), as data
for the Portfolio and the summaries: one point per review year, oldest first, with the overall and area scores of
that year's review."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from partnerxl.core.tables import Partnership, Scored, area_ids, area_names

if TYPE_CHECKING:  # imported where a table is made: validate and score never load pandas
    import pandas as pd


class TrendPoint(NamedTuple):
    """One review year of a partnership: (year, overall score, area id → score). A tuple, so `year, overall =
    point[:2]` reads a sparkline's data; a score is None when it could not be worked out that year."""

    year: int
    overall: float | None
    areas: dict[str, float | None]


def trend_of(history: list[Scored]) -> list[TrendPoint]:
    """The points of the reviews given (one per year, as `match_history` keeps them), oldest first."""
    return [TrendPoint(year=s.year, overall=s.score.overall.score, areas={a.id: a.score for a in s.score.areas})
            for s in sorted(history, key=lambda s: s.year)]


def trend_columns() -> list[str]:
    names = area_names()
    return ["ID", "Name", "Year", "Overall score", *(f"{names[a]} score" for a in area_ids())]


def trend_frame(results: list[Partnership]) -> pd.DataFrame:
    """Every partnership's trend in long form: one row per partnership and review year (ID, Name, Year, Overall
    score, one score column per area), partnerships in register order, years oldest first. A year with no review
    has no row, so a gap in the reviews is a gap in the years."""
    import pandas as pd

    names = area_names()
    rows = [{"ID": r.entry.id, "Name": r.entry.name, "Year": p.year, "Overall score": p.overall,
             **{f"{names[a]} score": p.areas.get(a) for a in area_ids()}}
            for r in results for p in r.trend]
    return pd.DataFrame(rows, columns=trend_columns())


def no_trend() -> pd.DataFrame:
    """An empty trend table (a portfolio made without one)."""
    import pandas as pd

    return pd.DataFrame()
