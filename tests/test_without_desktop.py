"""The operations without the desktop-only modules: validate, score, collate and rollup give the same answers with
xlwings, python_calamine, olefile and _multiprocessing unimportable (as under Pyodide, in xlwings Lite, where
pyproject.toml installs none of the first three), and under sys.platform "emscripten" storage/parallel.py keeps the
work in one process on purpose.

Each route runs the real command line (`partnerxl.cli.main`) in its own Python process, started with a bootstrap
that puts None in sys.modules for the blocked names (any import of them, or of a submodule, raises ImportError)
before PartnerXL is imported; the test compares what the runs print and write.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partnerxl.cli import main

DESKTOP_ONLY = ["xlwings", "python_calamine", "olefile", "_multiprocessing"]
POOL_MODULE = "concurrent.futures.process"  # imported by storage/parallel.py only when it starts worker processes

BOOTSTRAP = r"""
import contextlib, io, json, sys
blocked, platform, plan, out = json.loads(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
for name in blocked:
    sys.modules[name] = None  # `import name` (and name.anything) now raises ImportError
from partnerxl.cli import main
import partnerxl.operations
if platform:
    sys.platform = platform  # after the imports: this run is about the choices made while working
runs = []
for argv in plan:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    runs.append({"argv": argv, "code": code, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()})
loaded = sorted(m for m, mod in sys.modules.items() if mod is not None)
with open(out, "w", encoding="utf-8") as fh:
    json.dump({"runs": runs, "loaded": loaded}, fh)
"""


def run_route(plan: list[list[str]], out_dir: Path, blocked: list[str], platform: str = "") -> dict:
    """Run `plan` (argument lists for the command line) in a fresh Python; OUT in an argument is `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = [[a.replace("OUT", str(out_dir)) for a in argv] for argv in plan]
    result = out_dir / "route.json"
    env = {**os.environ, "PARTNERXL_WORKERS": "2"}  # worker processes for any number of books, where allowed
    done = subprocess.run([sys.executable, "-c", BOOTSTRAP, json.dumps(blocked), platform, json.dumps(plan),
                           str(result)], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(result.read_text(encoding="utf-8"))
    for run in data["runs"]:  # the output folder differs between routes, the words do not
        for stream in ("stdout", "stderr"):
            run[stream] = run[stream].replace(str(out_dir), "OUT")
    return data


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl does not read sparklines; the values are what is compared
        wb = load_workbook(path, data_only=True, read_only=True)
        try:
            return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
        finally:
            wb.close()


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict:
    """The demo portfolio (register, reviews with planted mistakes) and, for collating, a blank review of one of
    its partnerships with three returned Response forms and one for another partnership."""
    from partnerxl.core.instruments import load_instruments
    from partnerxl.core.models import Respondent, Review
    from partnerxl.documents.fill import new_response, new_review

    root = tmp_path_factory.mktemp("books")
    assert main(["demo", str(root / "demo")]) == 0
    collate = root / "collate"
    collate.mkdir()
    review = new_review(collate / "Review P002 2025.xlsx", Review(partnership_id="P002", year=2025))
    bench = [b.id for b in load_instruments().benchmarks.benchmarks]
    responses = []
    for i, org in enumerate(["Police", "NHS", "Fire"]):
        ratings = {b: 1 + (i + j) % 4 for j, b in enumerate(bench)}
        responses.append(new_response(collate / f"Response {org}.xlsx", "P002", None, 2025,
                                      Respondent(organisation=org, name=f"{org} lead", ratings=ratings)))
    responses.append(new_response(collate / "Response other.xlsx", "P999", None, 2025,
                                   Respondent(organisation="Other", name="X", ratings={bench[0]: 2})))
    demo = root / "demo"
    return {"register": demo / "Register.xlsx", "reviews": demo / "reviews", "review": review,
            "responses": responses}


@pytest.fixture(scope="module")
def plan(books) -> list[list[str]]:
    reviews = sorted(str(p) for p in books["reviews"].glob("*.xlsx"))
    register = str(books["register"])
    return [
        ["validate", "--json", "--register", register, register, *reviews],
        *[["score", "--json", "--register", register, r] for r in reviews],
        ["collate", str(books["review"]), *map(str, books["responses"]), "--out", "OUT/Collated.xlsx"],
        ["score", "--json", "OUT/Collated.xlsx"],
        ["rollup", register, str(books["reviews"]), "--year", "2024", "--as-of", "2024-06-30",
         "--out", "OUT/Portfolio.xlsx"],
    ]


@pytest.fixture(scope="module")
def full(plan, tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("full")
    return run_route(plan, out, blocked=[]), out


@pytest.fixture(scope="module")
def without(plan, tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("without")
    return run_route(plan, out, blocked=DESKTOP_ONLY), out


def test_the_blocked_modules_really_were_not_there(full, without):
    loaded = set(without[0]["loaded"])
    assert not {m for m in loaded if m.split(".")[0] in DESKTOP_ONLY}
    assert "python_calamine" in full[0]["loaded"]  # the full route did read with calamine
    assert POOL_MODULE in full[0]["loaded"]  # and started worker processes (PARTNERXL_WORKERS=2)


def test_every_command_answers_the_same_without_the_desktop_modules(full, without):
    assert len(full[0]["runs"]) == len(without[0]["runs"])
    for a, b in zip(full[0]["runs"], without[0]["runs"]):
        assert (a["argv"][0], a["code"], a["stderr"]) == (b["argv"][0], b["code"], b["stderr"])
        if "--json" in a["argv"]:
            assert json.loads(a["stdout"]) == json.loads(b["stdout"]), a["argv"]
        else:
            assert a["stdout"] == b["stdout"], a["argv"]


def test_the_answers_are_real_ones(full):
    runs = {tuple(r["argv"][:2]): r for r in full[0]["runs"]}
    findings = json.loads(runs[("validate", "--json")]["stdout"])["findings"]
    assert findings, "the demo plants mistakes: validation must find some"
    scores = [json.loads(r["stdout"]) for r in full[0]["runs"] if r["argv"][0] == "score"]
    assert any(s["overall"]["score"] is not None for s in scores)
    collated = json.loads(full[0]["runs"][-2]["stdout"])
    assert collated["respondents"] == 3


def test_the_written_workbooks_hold_the_same_values(full, without):
    for name in ("Collated.xlsx", "Portfolio.xlsx"):
        assert sheet_values(full[1] / name) == sheet_values(without[1] / name), name


def test_under_pyodide_the_rollup_stays_in_one_process_on_purpose(books, plan, full, tmp_path):
    """sys.platform "emscripten" with _multiprocessing importable and PARTNERXL_WORKERS=2: parallel.py does not even
    import the process pool (its explicit platform check), and the rollup is the same."""
    rollup = [argv for argv in plan if argv[0] == "rollup"]
    route = run_route(rollup, tmp_path / "pyodide", blocked=["xlwings", "python_calamine", "olefile"],
                      platform="emscripten")
    assert POOL_MODULE not in route["loaded"]
    assert route["runs"][0]["stdout"] == full[0]["runs"][-1]["stdout"]
    assert sheet_values(tmp_path / "pyodide" / "Portfolio.xlsx") == sheet_values(full[1] / "Portfolio.xlsx")


def _pid(_task: object) -> int:
    return os.getpid()


def test_parallel_chooses_one_process_under_emscripten(monkeypatch):
    from partnerxl.storage import parallel

    monkeypatch.setenv("PARTNERXL_WORKERS", "2")
    assert parallel.workers_for(1000) == 2 and not parallel.single_process_platform()
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert parallel.single_process_platform() and parallel.workers_for(1000) == 1
    assert parallel.run_all(_pid, list(range(8))) == [os.getpid()] * 8
