"""Speed of the ribbon's Python functions through xlwings' remote engine, against `python -c "import xlwings"`.

`RunPython` starts a fresh Python process on every click, so what the officer waits for is a whole process: start
Python, import xlwings, import PartnerXL, read the workbook, do the work, queue the writes. This script measures
exactly that, in fresh processes:

- baseline: `python -c "import xlwings"`;
- Validate on a 500-partnership register;
- Score on a review with 12 respondents;

each as the median of several runs, and prints the ratio to the baseline. The workbooks are real PartnerXL
templates filled with test data, turned into the JSON payload an xlwings client sends (tests/addin_data.py,
tests/addin_payload.py); building them is not timed. The remote engine is xlwings PRO, used under its
noncommercial licence (the key is set for the measured processes only).

Run: `python benchmarks/addin.py [--runs 7]`. Targets: each function at most 2x the baseline and under 1 second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

RUNNER = r"""
import json, sys
import xlwings
payload = json.load(open(sys.argv[1], encoding="utf-8"))
if "remote" not in xlwings.engines.engines_by_name:
    raise SystemExit("xlwings remote engine unavailable: set XLWINGS_LICENSE_KEY")
book = xlwings.Book(json=payload, engine="remote")
import partnerxl.excel.buttons as addin
message = getattr(addin, sys.argv[2])(book)
json.dump({"message": message, "actions": len(book.json()["actions"])}, open(sys.argv[3], "w", encoding="utf-8"))
"""


def build_payloads(folder: Path) -> dict[str, Path]:
    from addin_data import entry_values, register_workbook, review_workbook
    from addin_payload import payload_from_workbook

    # 500 partnerships, a few with problems so Validate marks cells and lists findings.
    rows = []
    for i in range(1, 501):
        extra = {}
        if i % 50 == 0:
            extra["risk"] = "Severe"
        if i % 70 == 0:
            extra["lead_officer_email"] = "not an email"
        rows.append(entry_values(i, **extra))
    register = payload_from_workbook(register_workbook(rows), book_name=str(folder / "PartnerXL Register.xlsx"))
    review = payload_from_workbook(review_workbook(respondents=12), book_name=str(folder / "Review P001 2025.xlsx"))
    out = {}
    for name, payload in (("register", register), ("review", review)):
        path = folder / f"{name}.json"
        path.write_text(json.dumps(payload), encoding="utf-8")
        out[name] = path
    return out


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=tempfile.gettempdir())
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        payloads = build_payloads(folder)
        runner = folder / "runner.py"
        runner.write_text(RUNNER, encoding="utf-8")
        result = folder / "result.json"
        cases = {
            "baseline: python -c \"import xlwings\"": [sys.executable, "-c", "import xlwings"],
            "Validate, 500-partnership register": [sys.executable, str(runner), str(payloads["register"]),
                                                   "validate", str(result)],
            "Score, review with 12 respondents": [sys.executable, str(runner), str(payloads["review"]), "score",
                                                  str(result)],
        }
        for cmd in cases.values():  # warm the file cache once
            timed(cmd, env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):  # interleaved, so background load hits every case alike
            for name, cmd in cases.items():
                times[name].append(timed(cmd, env))
        for name in ("validate", "score"):
            subprocess.run(cases[next(k for k in cases if k.lower().startswith(name))], check=True, env=env,
                           cwd=tempfile.gettempdir())
            info = json.loads(result.read_text(encoding="utf-8"))
            print(f"{name}: {info['actions']} actions; message: {info['message'].splitlines()[0]}")
    base = statistics.median(times[next(iter(cases))])
    print(f"\n{'case':45} {'median s':>9} {'min s':>7} {'x baseline':>11}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:45} {med:9.3f} {min(values):7.3f} {med / base:11.2f}")
    print(f"\n{args.runs} runs each, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
