"""The naive baseline (a benchmark, not a test): what a script written without PartnerXL's reader would do.

    python benchmarks/naive.py REVIEWS_FOLDER

Every sheet of every review is read with `pandas.read_excel(..., engine="openpyxl")`; the ratings, the checklist,
the improvement answers and the fitness answers are taken from the template's fixed places, a `Review` is built
and scored with the same `score_review`. No safety checks, no findings, no Portfolio workbook: the least a
rollup has to do, done the obvious way.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def _review(frames: dict):
    import pandas as pd

    from partnerxl.core.models import ChecklistAnswer, ImprovementAnswer, Respondent, Review
    from partnerxl.core.values import parse_rating
    from partnerxl.sheets import layout as L

    def cell(sheet: str, row: int, col: int):
        df = frames[sheet]
        value = df.iat[row, col] if row < len(df) and col < df.shape[1] else None
        return None if value is None or (isinstance(value, float) and pd.isna(value)) else value

    about = {key: cell(L.ABOUT, int(ref[1:]) - 1, 1) for key, (ref, _label) in L.ABOUT_FIELDS.items()}
    bench = frames[L.BENCHMARKS]
    rows = {str(bench.iat[r, 0]): r for r in range(L.BENCH_FIRST_ROW - 1, len(bench)) if cell(L.BENCHMARKS, r, 0)}
    respondents = []
    for c in range(L.BENCH_FIRST_RESPONDENT_COL - 1, L.BENCH_FIRST_RESPONDENT_COL - 1 + L.RESPONDENT_COLUMNS):
        org = cell(L.BENCHMARKS, L.BENCH_ORG_ROW - 1, c)
        if org is None:
            continue
        ratings = {bid: parse_rating(cell(L.BENCHMARKS, r, c)) for bid, r in rows.items()
                   if cell(L.BENCHMARKS, r, c) is not None}
        respondents.append(Respondent(organisation=str(org), ratings=ratings))
    checklist = {str(cell(L.CHECKLIST, r, 0)): ChecklistAnswer(status=cell(L.CHECKLIST, r, 2))
                 for r in range(3, len(frames[L.CHECKLIST])) if cell(L.CHECKLIST, r, 2)}
    improvement = {str(cell(L.IMPROVEMENT, r, 0)): ImprovementAnswer(answer=cell(L.IMPROVEMENT, r, 2),
                                                                      action=cell(L.IMPROVEMENT, r, 3))
                   for r in range(3, len(frames[L.IMPROVEMENT])) if cell(L.IMPROVEMENT, r, 2)}
    fitness = {str(cell(L.FITNESS, r, 0)): cell(L.FITNESS, r, 2)
               for r in range(3, len(frames[L.FITNESS])) if cell(L.FITNESS, r, 2)}
    return Review(partnership_id=str(about["partnership_id"]), partnership_name=about["partnership_name"],
                  year=int(about["year"]), respondents=respondents, checklist=checklist, improvement=improvement,
                  fitness=fitness)


def main(folder: str) -> int:
    import pandas as pd

    from partnerxl.core.scoring import score_review
    from partnerxl.core.settings import Settings

    settings, scored = Settings(), 0
    for path in sorted(Path(folder).glob("*.xlsx")):
        frames = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
        score_review(_review(frames), settings, as_of=dt.date(2025, 3, 31))
        scored += 1
    print(f"{scored} reviews scored")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
