"""Collate responses' output in the open review: each collated form in its respondent column of *Benchmarks*.

Which form goes into which free column is decided by `operations.plan_collate`; this module only writes them.
The sheet is protected with only its input cells unlocked, so the blocks cover input cells only: for each run of
neighbouring columns, one block for the organisation, name and e-mail rows and one per run of benchmark rows (the locked
area heading rows between them are left alone).
"""

from __future__ import annotations

from typing import Any

from partnerxl.excel.live import write_block
from partnerxl.excel.words import listed
from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import col_letter, col_number
from partnerxl.sheets.words import rating_label


def runs(numbers: list[int]) -> list[list[int]]:
    """Consecutive runs of sorted integers: [3, 4, 6] → [[3, 4], [6]]."""
    out: list[list[int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][-1] + 1:
            out[-1].append(n)
        else:
            out.append([n])
    return out


def write_respondents(sheet: Any, added: list[tuple[str, Any]], rows: dict[str, int]) -> int:
    """Write (column letter, respondent) pairs into the Benchmarks sheet, ratings as their drop-down labels;
    returns the number of block writes."""
    by_col = {col_number(col): person for col, person in added}
    row_runs = [[L.BENCH_ORG_ROW, L.BENCH_NAME_ROW, L.BENCH_EMAIL_ROW]] + runs(list(rows.values()))
    writes = 0
    for cols in runs(list(by_col)):
        people = [by_col[c] for c in cols]
        ratings = [{rows[b]: rating_label(v) for b, v in p.ratings.items() if b in rows}
                   for p in people]
        for run in row_runs:
            block = []
            for r in run:
                if r == L.BENCH_ORG_ROW:
                    block.append([p.organisation for p in people])
                elif r == L.BENCH_NAME_ROW:
                    block.append([p.name for p in people])
                elif r == L.BENCH_EMAIL_ROW:
                    block.append([p.email for p in people])
                else:
                    block.append([rt.get(r) for rt in ratings])
            write_block(sheet, f"{col_letter(cols[0])}{run[0]}", block)
            writes += 1
    return writes


def collate_into_open_review(book: Any, review_book: Any, forms: list, *, folder: Any, verb: str,
                             no_forms: str) -> str:
    """Collate the forms offered into the open review's free respondent columns (operations.plan_collate decides
    which) and return the message: shared by the Collate responses button and the xlwings Lite script, which
    differ only in the verb ("press"/"run") and in where the officer puts returned forms (`no_forms`)."""
    from partnerxl import operations as ops

    report = ops.plan_collate(review_book, forms)
    sheet = book.sheets[L.BENCHMARKS]
    write_respondents(sheet, [(col, form.respondent) for col, _name, form in report.added],
                      review_book.benchmark_rows)
    lines = [f"Collate responses: {report.headline} from {folder}."]
    if report.added:
        sheet.activate()
        lines.append("Columns: " + ", ".join(report.column_lines()) + ". Comments stay in the response forms.")
    if report.findings:
        lines.append(f"{ops.plural(len(report.findings), 'form')} left out:\n" + listed(report.problem_lines()))
    if not forms:
        lines.append(f"No response forms were found in {folder}. {no_forms}")
    if report.added:
        lines.append(f"Save the review, then {verb} Score.")
    return "\n\n".join(lines)
