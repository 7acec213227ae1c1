"""Progress on long runs (issue 19, item 4): the operations tell a `progress` callable as they go, the command line
shows a bar only on a terminal and never with --quiet, the add-in's status bar says it, and nothing else changes:
the outputs are the same with and without it, in one process or in workers. The small results the workers send
back (core/compact.py) are the results themselves."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest

from partnerxl import operations as ops
from partnerxl.cli import build_parser, main
from partnerxl.core.compact import pack, unpack
from partnerxl.excel.live import status_bar_progress
from partnerxl.operations.progress import console_progress, phase
from partnerxl.storage.parallel import run_all

from test_rollup import files  # noqa: F401 - the fixture


def _cells(path: Path) -> dict[str, list]:
    """Every sheet's values (two workbooks written in one process may order their styles differently)."""
    from openpyxl import load_workbook

    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in load_workbook(path, read_only=True)}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_run_all_tells_progress_in_order(monkeypatch, workers):
    monkeypatch.setenv("PARTNERXL_WORKERS", workers)
    told: list[tuple[int, int]] = []
    assert run_all(abs, list(range(-70, 0)), progress=lambda done, total: told.append((done, total))) == \
        list(range(70, 0, -1))
    assert told == [(n, 70) for n in range(71)]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_console_bar_only_on_a_terminal_and_never_when_quiet():
    assert console_progress(quiet=True, stream=_Terminal()) is None
    assert console_progress(stream=io.StringIO()) is None  # a pipe or a log file: nothing
    screen = _Terminal()
    bar = console_progress(stream=screen)
    for done in range(6):
        bar(done, 5, "reading reviews")
    for done in range(3):
        bar(done, 2, "writing summaries")
    shown = screen.getvalue()
    assert "Reading reviews" in shown and "0/5" in shown and "Writing summaries" in shown


@pytest.mark.parametrize("command", ["rollup", "summaries", "responses", "pack"])
def test_quiet_is_a_flag_of_the_long_commands(command):
    args = build_parser().parse_args([command, "R.xlsx", "reviews", "--year", "2024", "--out", "x", "--quiet"])
    assert args.quiet is True


def test_rollup_tells_progress_and_writes_the_same(files, tmp_path, monkeypatch, capsys):  # noqa: F811
    register, reviews = files / "Register.xlsx", files / "reviews"
    told: list[tuple[int, int, str]] = []
    quiet, loud = tmp_path / "quiet", tmp_path / "loud"
    assert main(["rollup", str(register), str(reviews), "--year", "2024", "--out", str(quiet / "P.xlsx"),
                 "--quiet"]) == 1
    ops.rollup(register, reviews, year=2024, out=loud / "P.xlsx", progress=lambda *a: told.append(a))
    n = len(ops.workbook_files(reviews, skip=(register,)))
    assert told == [(i, n, "reading reviews") for i in range(n + 1)]
    assert _cells(quiet / "P.xlsx") == _cells(loud / "P.xlsx")
    monkeypatch.setenv("PARTNERXL_WORKERS", "2")  # workers send small results back: the same workbook
    ops.rollup(register, reviews, year=2024, out=tmp_path / "workers" / "P.xlsx")
    assert _cells(tmp_path / "workers" / "P.xlsx") == _cells(loud / "P.xlsx")
    # the same bytes: results unpacked (texts and equal results shared) make exactly the workbook read in one process
    assert (tmp_path / "workers" / "P.xlsx").read_bytes() == (loud / "P.xlsx").read_bytes()
    assert "Reading reviews" not in capsys.readouterr().err


def test_summaries_tell_both_phases(files, tmp_path):  # noqa: F811
    told: list[tuple[int, int, str]] = []
    report = ops.summaries(files / "Register.xlsx", files / "reviews", year=2024, out_dir=tmp_path / "s",
                           progress=lambda *a: told.append(a))
    phases = [what for done, _total, what in told if done == 0]
    assert phases == ["reading reviews", "writing summaries"]
    assert told[-1] == (len(report.paths), len(report.paths), "writing summaries")


def test_status_bar_says_it_and_hands_it_back():
    class App:
        def __init__(self):
            self.shown: list = []

        @property
        def status_bar(self):
            return self.shown[-1] if self.shown else False

        @status_bar.setter
        def status_bar(self, value):
            self.shown.append(value)

    class Book:
        app = App()

    progress = status_bar_progress(Book(), "Roll up portfolio")
    for done in range(1001):
        progress(done, 1000, "reading reviews")
    shown = Book.app.shown
    assert shown[0] == "Roll up portfolio: reading reviews 0 of 1,000" and shown[-1] is False
    assert len(shown) <= 102  # about once a percent: each is a round trip to Excel

    class NoStatusBar:
        @property
        def app(self):
            raise AttributeError("no status bar on this engine")

    status_bar_progress(NoStatusBar())(1, 2, "reading reviews")  # says nothing, stops nothing
    assert phase(None, "x") is None


def test_a_scored_review_packed_small_is_the_same(files):  # noqa: F811
    from partnerxl.core.settings import Settings
    from partnerxl.operations.portfolio import _read_review_task

    path = files / "reviews" / "x.xlsx"
    scored, found = ops.read_review_file(path, Settings(), None)
    from partnerxl.core.instruments import instrument_texts

    small = pickle.dumps(pack(_read_review_task((path, Settings(), None))))  # as a worker sends it
    back, back_found = unpack(pickle.loads(small), texts=instrument_texts())
    assert len(small) < len(pickle.dumps((scored, found)))
    assert back.score == scored.score and back.score.model_dump_json() == scored.score.model_dump_json()
    assert back_found == found and back.source == scored.source and back.id_cell == scored.id_cell
    assert {k: getattr(back.review, k) for k in ("partnership_id", "year", "review_date", "coordinator")} == \
        {k: getattr(scored.review, k) for k in ("partnership_id", "year", "review_date", "coordinator")}
    sets = {id(a.__pydantic_fields_set__) for a in back.score.benchmarks}
    assert len(sets) == 1  # one set of set fields for every benchmark's stats, not one each
    statement = back.score.benchmarks[0].statement  # the instruments' own copy, not one per review kept
    assert statement is instrument_texts()[statement]
    shared: dict = {}  # equal frozen results from two messages are one object, equal to what was scored
    one, two = (unpack(pickle.loads(small), shared=shared)[0] for _ in range(2))
    assert one.score.benchmarks[0] is two.score.benchmarks[0] and one.score.benchmarks == scored.score.benchmarks
    assert one.score is not two.score  # a model holding other models is never shared
    assert type(one.score.benchmarks[0].mean) is type(scored.score.benchmarks[0].mean)
    assert unpack(pack((1, [2.5, "x"], {"k": None}))) == (1, [2.5, "x"], {"k": None})
