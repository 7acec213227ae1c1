"""Benchmark (not a test): rollup and summaries on N generated review workbooks, against a naive baseline.

    python benchmarks/rollup.py [N] [--respondents 5] [--folder DIR] [--keep]

Generates a register of N partnerships and N review workbooks (through fill.py, the same writer the demo uses),
then times, in one run:
  * rollup    — partnerxl's path: open each workbook once (python-calamine), read + validate, score, join with
                pandas, write Portfolio.xlsx;
  * summaries — one-page summary workbooks for all N partnerships;
  * baseline  — the naive way: pandas.read_excel of every sheet of every file with the openpyxl engine, then the
                same scoring (score_review) of each review.
It prints times, files per second, peak memory (peak RSS of this process, ru_maxrss) and the ratio.
  * raw floor — python-calamine opening every review and reading every cell, one process: what no reader beats.
Targets: rollup within 2x the raw floor and >= 15x faster than the baseline, summaries >= 200 per second, peak
memory < 300 MB (at 5,000 reviews).
benchmarks/commands.py measures the same as whole commands, as a user runs them (issue 19).
Reading and summary writing use worker processes as the commands do (one per core for 64 files or more);
PARTNERXL_WORKERS=N sets the number (1 = none); peak memory then includes the largest worker (RUSAGE_CHILDREN).
The baseline is single-process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from partnerxl.documents import fill as fill
from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import ImprovementAnswer, RegisterEntry, Respondent, Review
from partnerxl import operations as ops
from partnerxl.core.scoring import score_review
from partnerxl.core.settings import Settings

YEAR = 2024
AS_OF = dt.date(2025, 3, 31)


def peak_mb() -> float:
    """Peak RSS of this process or of any finished worker process, in MB (Linux reports kilobytes)."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def generate(folder: Path, n: int, respondents: int, seed: int = 1) -> tuple[Path, Path]:
    rng = random.Random(seed)
    inst = load_instruments()
    entries = [RegisterEntry(
        id=f"B{i:04d}", name=f"Benchmark Partnership {i:04d}", purpose="Generated for the benchmark",
        arrangement="Partnership", level="Operational", basis="Voluntary", membership="Multi organisation",
        geography="Local", decision_role="Advisory", duration="Permanent", council_role="Supporting",
        engagement="Active partner", lead_officer="Officer", lead_officer_email=f"officer{i}@example.gov.uk",
        council_contribution_gbp=float(rng.choice([10_000, 50_000, 150_000])), officer_days=10.0,
        performance_method="Annual report", priority_impact=rng.choice(["High", "Low"]), risk="Low",
        reliance="Low", status="Active", last_review_date=dt.date(2024, 6, 1)) for i in range(1, n + 1)]
    register = folder / "Register.xlsx"
    fill.new_register(register, entries, as_of=AS_OF)
    reviews = folder / "reviews"
    for e in entries:
        target = rng.uniform(1.5, 3.8)
        resp = [Respondent(organisation=f"Org {k}", ratings={
            b.id: max(1, min(4, round(rng.gauss(target, 0.7)))) for b in inst.benchmarks.benchmarks})
            for k in range(1, respondents + 1)]
        impr = {a.id: ImprovementAnswer(answer="Yes") if rng.random() < 0.7 else
                ImprovementAnswer(answer="No", action="Agree an action", owner="Officer")
                for a in inst.improvement.areas}
        rv = Review(partnership_id=e.id, partnership_name=e.name, year=YEAR, review_date=dt.date(2024, 6, 1),
                    respondents=resp, improvement=impr,
                    fitness={q.id: rng.choice(["Yes", "Yes", "No"]) for q in inst.fitness.questions})
        fill.new_review(reviews / f"{e.id}.xlsx", rv, e)
    return register, reviews


def raw_floor(reviews_dir: Path) -> int:
    """The floor no reader can beat: python-calamine opens every review and reads every cell of every sheet."""
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in ops.workbook_files(reviews_dir):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            cells += sum(len(row) for row in book.get_sheet_by_name(name).to_python())
    return cells


def baseline(reviews_dir: Path, settings: Settings) -> None:
    """Naive (benchmarks/naive.py): pandas.read_excel every sheet of every file with openpyxl, a Review from the
    template's fixed places, then the same scoring."""
    import pandas as pd

    from naive import _review

    for path in ops.workbook_files(reviews_dir):
        score_review(_review(pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)), settings)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", nargs="?", type=int, default=1000, help="number of review workbooks (default 1000)")
    ap.add_argument("--respondents", type=int, default=5)
    ap.add_argument("--folder", type=Path, default=None, help="where to generate (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="partnerxl-bench-"))
    try:
        t = time.perf_counter()
        if (folder / "Register.xlsx").exists() and len(list((folder / "reviews").glob("*.xlsx"))) == args.n:
            register, reviews_dir = folder / "Register.xlsx", folder / "reviews"   # reuse a kept folder
        else:
            register, reviews_dir = generate(folder, args.n, args.respondents)
        print(f"generated {args.n} review workbooks ({args.respondents} respondents each) in "
              f"{time.perf_counter() - t:.1f} s  [{folder}]")
        base_mem = peak_mb()

        t = time.perf_counter()
        raw_floor(reviews_dir)
        t_floor = time.perf_counter() - t

        t = time.perf_counter()
        portfolio = ops.rollup(register, reviews_dir, year=YEAR, out=folder / "Portfolio.xlsx", as_of=AS_OF).portfolio
        t_rollup = time.perf_counter() - t
        mem_rollup = peak_mb()
        reviewed = [r.current for r in portfolio.results if r.current]
        assert len(reviewed) == args.n, f"only {len(reviewed)} reviews used: {portfolio.problems[:3]}"

        t = time.perf_counter()
        paths = ops.write_summaries(portfolio, folder / "summaries").paths
        t_sum = time.perf_counter() - t
        mem_sum = peak_mb()

        t = time.perf_counter()
        baseline(reviews_dir, portfolio.settings)
        t_base = time.perf_counter() - t
        mem_base = peak_mb()

        n = args.n
        print(f"rollup     {t_rollup:8.2f} s  {n / t_rollup:8.1f} files/s   peak RSS {mem_rollup:6.0f} MB "
              f"(after generating: {base_mem:.0f} MB)")
        print(f"summaries  {t_sum:8.2f} s  {len(paths) / t_sum:8.1f} summaries/s  peak RSS {mem_sum:6.0f} MB")
        print(f"baseline   {t_base:8.2f} s  {n / t_base:8.1f} files/s   peak RSS {mem_base:6.0f} MB "
              "(pandas.read_excel, openpyxl engine, every sheet + scoring)")
        print(f"raw floor  {t_floor:8.2f} s  {n / t_floor:8.1f} files/s   (python-calamine, every cell, one process)")
        print(f"ratio      rollup is {t_base / t_rollup:.1f}x faster than the baseline and "
              f"{t_rollup / t_floor:.1f}x the raw floor")
        ok = (t_base / t_rollup >= 15 and t_rollup / t_floor <= 2 and len(paths) / t_sum >= 200
              and max(mem_rollup, mem_sum) < 300)
        print("targets    " + ("met" if ok else "NOT all met")
              + " (>= 15x the baseline, <= 2x the raw floor, >= 200 summaries/s, < 300 MB)")
        return 0
    finally:
        if not args.keep and args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
