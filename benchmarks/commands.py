"""Benchmark (not a test): whole commands as a user runs them, against the raw floor and the naive baseline.

    python benchmarks/commands.py 1000 [5000] [--folder DIR] [--runs 3] [--register-rows 10000] [--only NAMES]
                                  [--compare SRC]

For each size N it generates (once; a kept folder DIR/nN is reused) a register of N partnerships and N review
workbooks of 5 respondents, then runs, in rounds, each of these as a fresh process, one after the other, so that
whatever load the machine has hits them alike:

  floor        python-calamine opening every review and reading every cell of every sheet, one process
               (benchmarks/floor.py): what no reader of the same files can beat;
  naive        pandas.read_excel of every sheet of every review with openpyxl, a Review built from the template's
               fixed places and scored (benchmarks/naive.py): the obvious way;
  rollup       `partnerxl rollup` (worker processes as the command decides: one per core from 64 reviews);
  rollup-1     the same with PARTNERXL_WORKERS=1: one process, as xlwings Lite (Pyodide) runs it;
  summaries    `partnerxl summaries` (reading the reviews again, then one summary per partnership);
  validate     `partnerxl validate` of a register of --register-rows rows (once, not per size).

--compare SRC adds `rollup` and `summaries` run from another source tree (PYTHONPATH=SRC, e.g. a `git worktree` of
the commit before a change) to the same rounds: before and after, measured side by side.

Each run's CPU (user + system of the process and every process it waited for) and its peak memory (the largest
single process) come from the operating system's accounting of the finished process (os.wait4); "all processes" is
the largest sum of the resident memory of the command's whole process tree, sampled from /proc every 20 ms while
it runs (Linux only). Medians are printed, and every ratio is taken round by round (the rollup and the floor of the
same round) before its median is taken. Targets (issue 19): rollup of 1,000 within 2x the floor in CPU and >= 15x
faster than the naive baseline; 1,000 -> 5,000 linear within 10%; peak memory under 300 MB at 5,000; summaries
>= 200 a second; validate of a 10,000-row register under 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
YEAR, AS_OF = "2024", "2025-03-31"
NAMES = ("floor", "naive", "rollup", "rollup-1", "summaries")


@dataclass
class Run:
    cpu: float
    wall: float
    peak_mb: float          # the largest single process
    tree_mb: float          # the largest sum over the process tree at one moment
    code: int


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)


def _tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and all its descendants now, in MB (0 where /proc cannot say)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1])
            for task in os.scandir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task.name}/children", "rb") as fh:
                    todo += [int(child) for child in fh.read().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `cmd` once as a fresh process; its output is kept in a log beside nothing (discarded)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    tree = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree[0] = max(tree[0], _tree_rss_mb(proc.pid))
            done.wait(0.02)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(cpu=usage.ru_utime + usage.ru_stime, wall=wall, peak_mb=usage.ru_maxrss / 1024,
               tree_mb=tree[0], code=proc.returncode)


def prepare(root: Path, n: int) -> Path:
    """DIR/nN with Register.xlsx and reviews/ (N workbooks), generated unless already there."""
    folder = root / f"n{n}"
    reviews = folder / "reviews"
    if not ((folder / "Register.xlsx").exists() and len(list(reviews.glob("*.xlsx"))) == n):
        sys.path.insert(0, str(HERE))
        from rollup import generate

        t = time.perf_counter()
        generate(folder, n, 5)
        print(f"generated {n} reviews in {time.perf_counter() - t:.0f} s", flush=True)
    return folder


def prepare_register(root: Path, rows: int) -> Path:
    """A register of `rows` partnerships (every row valid), generated once."""
    path = root / f"register{rows}" / "Register.xlsx"
    if not path.exists():
        import datetime as dt

        from partnerxl.core.models import RegisterEntry
        from partnerxl.documents import fill

        entries = [RegisterEntry(
            id=f"R{i:05d}", name=f"Register Partnership {i:05d}", purpose="Generated for the benchmark",
            arrangement="Partnership", level="Operational", basis="Voluntary", membership="Multi organisation",
            geography="Local", decision_role="Advisory", duration="Permanent", council_role="Supporting",
            engagement="Active partner", lead_officer="Officer", lead_officer_email=f"officer{i}@example.gov.uk",
            council_contribution_gbp=10_000.0, officer_days=10.0, performance_method="Annual report",
            priority_impact="Low", risk="Low", reliance="Low", status="Active",
            last_review_date=dt.date(2024, 6, 1)) for i in range(1, rows + 1)]
        path.parent.mkdir(parents=True, exist_ok=True)
        fill.new_register(path, entries, as_of=dt.date(2025, 3, 31))
    return path


def _partnerxl(*args: str) -> list[str]:
    return [PY, "-m", "partnerxl", *args]


def commands(folder: Path, out: Path, quiet: list[str], compare: str | None = None
             ) -> dict[str, tuple[list[str], dict[str, str]]]:
    reg, reviews = str(folder / "Register.xlsx"), str(folder / "reviews")
    common = [reg, reviews, "--year", YEAR, "--as-of", AS_OF, *quiet]
    rollup = _partnerxl("rollup", *common, "--out", str(out / "Portfolio.xlsx"))
    summaries = _partnerxl("summaries", *common, "--out", str(out / "summaries"))
    out = {"floor": ([PY, str(HERE / "floor.py"), reviews], {}),
           "naive": ([PY, str(HERE / "naive.py"), reviews], {}),
           "rollup": (rollup, {}),
           "rollup-1": (rollup, {"PARTNERXL_WORKERS": "1"}),
           "summaries": (summaries, {})}
    if compare:
        old = [a for a in rollup if a != "--quiet"]  # the flag may be newer than the tree compared with
        out["rollup (compared)"] = (old, {"PYTHONPATH": compare})
        out["rollup-1 (compared)"] = (old, {"PYTHONPATH": compare, "PARTNERXL_WORKERS": "1"})
        out["summaries (compared)"] = ([a for a in summaries if a != "--quiet"], {"PYTHONPATH": compare})
    return out


def _ratio(a: Series, b: Series, attr: str) -> float:
    return statistics.median(getattr(x, attr) / getattr(y, attr) for x, y in zip(a.runs, b.runs))


def run_size(folder: Path, n: int, runs: int, only: set[str], quiet: list[str], compare: str | None = None
             ) -> dict[str, Series]:
    out = folder / "out"
    out.mkdir(exist_ok=True)
    todo = {k: v for k, v in commands(folder, out, quiet, compare).items() if k.split(" (")[0] in only}
    series = {k: Series() for k in todo}
    for name, (cmd, env) in todo.items():  # a warm-up of each (file cache, imports), not counted
        if measure(cmd, env).code != 0 and name in ("floor", "naive"):
            raise SystemExit(f"{name} failed: {' '.join(cmd)}")
    for i in range(runs):
        for name, (cmd, env) in todo.items():
            series[name].runs.append(measure(cmd, env))
        print(f"  N={n}: round {i + 1} of {runs} done", flush=True)
    return series


def report(n: int, s: dict[str, Series]) -> list[str]:
    lines = [f"| command, N = {n:,} | CPU s | wall s | peak MB, largest process | peak MB, all processes |",
             "|---|---|---|---|---|"]
    for name, series in s.items():
        lines.append(f"| {name} | {series.median('cpu'):.2f} | {series.median('wall'):.2f} | "
                     f"{series.median('peak_mb'):.0f} | {series.median('tree_mb'):.0f} |")
    lines.append("")
    if "rollup" in s and "floor" in s:
        for name in ("rollup", "rollup-1", "rollup (compared)", "rollup-1 (compared)"):
            if name in s:
                lines.append(f"- {name} / floor: CPU {_ratio(s[name], s['floor'], 'cpu'):.1f}x, "
                             f"wall {_ratio(s[name], s['floor'], 'wall'):.1f}x (target: CPU within 2x)")
    if "rollup" in s and "naive" in s:
        for name in ("rollup", "rollup-1", "rollup (compared)", "rollup-1 (compared)"):
            if name in s:
                lines.append(f"- naive / {name}: CPU {_ratio(s['naive'], s[name], 'cpu'):.1f}x, "
                             f"wall {_ratio(s['naive'], s[name], 'wall'):.1f}x faster (target: >= 15x)")
    for name in ("summaries", "summaries (compared)"):
        if name in s:
            per_s = statistics.median(n / r.wall for r in s[name].runs)
            lines.append(f"- {name}: {per_s:.0f} a second, reading included (target: >= 200)")
    for name in ("rollup", "rollup-1", "summaries"):
        if name in s and f"{name} (compared)" in s:
            lines.append(f"- {name} / {name} (compared): CPU {_ratio(s[name], s[name + ' (compared)'], 'cpu'):.2f}x, "
                         f"wall {_ratio(s[name], s[name + ' (compared)'], 'wall'):.2f}x, peak "
                         f"{_ratio(s[name], s[name + ' (compared)'], 'peak_mb'):.2f}x")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[1000])
    ap.add_argument("--folder", type=Path, default=Path("/tmp/partnerxl-bench"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--register-rows", type=int, default=10_000, help="0: no validate run")
    ap.add_argument("--only", default=",".join(NAMES), help=f"comma-separated subset of {', '.join(NAMES)}")
    ap.add_argument("--compare", default=None, help="a source tree (PYTHONPATH) to run rollup and summaries from too")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    help_text = subprocess.run(_partnerxl("rollup", "--help"), capture_output=True, text=True).stdout
    quiet = ["--quiet"] if "--quiet" in help_text else []
    per_size: dict[int, dict[str, Series]] = {}
    for n in args.sizes:
        per_size[n] = run_size(prepare(args.folder, n), n, args.runs, only, quiet, args.compare)
        print("\n".join(report(n, per_size[n])), flush=True)
    if len(per_size) > 1 and all("rollup" in s for s in per_size.values()):
        small, large = min(per_size), max(per_size)
        for name in ("rollup", "rollup-1"):
            if name in per_size[small]:
                growth = per_size[large][name].median("cpu") / per_size[small][name].median("cpu")
                lines = f"- {name} CPU {small:,} -> {large:,}: {growth:.2f}x for {large / small:g}x the reviews"
                print(lines + f" ({growth / (large / small):.2f} of linear; target within 1.10)")
    if args.register_rows:
        validate(prepare_register(args.folder, args.register_rows), args.runs, args.compare)
    return 0


def validate(path: Path, runs: int, compare: str | None) -> None:
    todo = {"validate": {}, **({"validate (compared)": {"PYTHONPATH": compare}} if compare else {})}
    series = {name: Series() for name in todo}
    for name, env in todo.items():
        measure(_partnerxl("validate", str(path)), env)
    for _ in range(runs):
        for name, env in todo.items():
            series[name].runs.append(measure(_partnerxl("validate", str(path)), env))
    for name, s in series.items():
        print(f"- {name} of the register {path.parent.name}: {s.median('wall'):.2f} s wall, {s.median('cpu'):.2f} s "
              f"CPU, peak {s.median('peak_mb'):.0f} MB (target: under 2 s for 10,000 rows)")
    if compare:
        print(f"- validate / validate (compared): CPU "
              f"{_ratio(series['validate'], series['validate (compared)'], 'cpu'):.2f}x")


if __name__ == "__main__":
    sys.exit(main())
