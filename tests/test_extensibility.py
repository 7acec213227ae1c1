"""Instruments are data: a field, a question or a benchmark added only to a council's copy of the JSON files reaches
the templates, filling, reading, validation, scoring and the Portfolio, with no change to the code.

Each test copies the package's instrument files into a temporary folder named by PARTNERXL_INSTRUMENTS_DIR, adds
one item there, and builds real .xlsx files from it.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import pickle
import shutil
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import AS_OF, edit_cells, make_entry, make_review
from partnerxl.core import instruments as instruments_module
from partnerxl.core.instruments import load_instruments
from partnerxl.core.models import RegisterEntry, Respondent, register_entry_model
from partnerxl.core.portfolio import build_portfolio
from partnerxl.core.scoring import score_review
from partnerxl.documents import fill
from partnerxl.storage.opening import FileWorkbook
from partnerxl.documents.templates import build_register, build_response, build_review
from partnerxl.reading import read_register, read_response, read_review
from partnerxl.sheets import layout as L

PANEL = {"name": "review_panel", "label": "Review panel agreed", "type": "choice", "required": True,
         "choices": ["Yes", "No"], "portfolio": True, "help": "Has the scrutiny panel agreed the review plan?"}
QUESTION_8D = {"id": "8d", "text": "Is there an agreed plan for handing over the partnership's records when it ends?"}
BENCHMARK_46 = {"id": "4.6", "statement": "The partnership publishes what it has achieved each year.",
                "possible_actions": ["Publish an annual report of the partnership's achievements."]}


@pytest.fixture
def council_copy(tmp_path, monkeypatch):
    """A council's copy of the instrument files, in force for the test; `add(file, change)` edits one of them."""
    folder = tmp_path / "instruments"
    folder.mkdir()
    data = Path(instruments_module.__file__).parent.parent / "data"
    for f in data.glob("*.json"):
        shutil.copy(f, folder / f.name)
    monkeypatch.setenv("PARTNERXL_INSTRUMENTS_DIR", str(folder))

    def add(name: str, change) -> None:
        path = folder / name
        content = json.loads(path.read_text(encoding="utf-8"))
        change(content)
        path.write_text(json.dumps(content), encoding="utf-8")
        instruments_module._load.cache_clear()

    instruments_module._load.cache_clear()
    yield add
    monkeypatch.delenv("PARTNERXL_INSTRUMENTS_DIR")
    instruments_module._load.cache_clear()


def _findings(book, code: str) -> list[tuple[str | None, str | None]]:
    return [(f.sheet, f.cell) for f in book.findings if f.code == code]


def _item_row(rows: list[L.Row], item_id: str) -> int:
    return next(r.row for r in rows if r.kind == "item" and r.id == item_id)


# --- a register field ---------------------------------------------------------------------------------------------

def test_a_new_register_field(council_copy, tmp_path):
    council_copy("register.json", lambda d: d["fields"].append(PANEL))
    inst = load_instruments()
    assert "review_panel" in register_entry_model().model_fields
    assert RegisterEntry(id="P9", name="Nine", review_panel=" yes ").review_panel == "Yes"

    col = L.register_columns(inst)["review_panel"]
    ws = build_register(inst)[L.REGISTER]
    assert ws[f"{col}{L.REGISTER_HEADER_ROW}"].value == PANEL["label"]
    dropdown = [dv for dv in ws.data_validations.dataValidation if f"{col}{L.REGISTER_FIRST_ROW}" in dv.sqref]
    assert dropdown and dropdown[0].formula1 == L.list_name('review_panel')

    entries = [make_entry("P001", "Safer Streets", review_panel="Yes"),
               make_entry("P002", "Healthy Homes", review_panel=None),
               make_entry("P003", "Clean Air", review_panel="No")]
    path = fill.new_register(tmp_path / "Register.xlsx", entries, reviews_folder="reviews", as_of=AS_OF)
    assert load_workbook(path)[L.REGISTER][f"{col}{L.REGISTER_FIRST_ROW}"].value == "Yes"
    bad_cell = f"{col}{L.REGISTER_FIRST_ROW + 2}"
    edit_cells(path, L.REGISTER, {bad_cell: "Maybe"})
    with FileWorkbook.open(path) as source:
        book = read_register(source)
    assert _findings(book, "unknown-choice") == [(L.REGISTER, bad_cell)]
    assert _findings(book, "missing-value") == [(L.REGISTER, f"{col}{L.REGISTER_FIRST_ROW + 1}")]
    assert [e.review_panel for e in book.entries] == ["Yes", None, None]

    table = build_portfolio(book.entries, [], year=2025, as_of=AS_OF).table
    panel = table.set_index("ID")[PANEL["label"]]
    assert panel["P001"] == "Yes" and panel[["P002", "P003"]].isna().all()


def test_an_entry_with_a_new_field_reaches_a_worker_process(council_copy):
    """The rollup sends register entries to worker processes; a fresh one must rebuild the council's model."""
    council_copy("register.json", lambda d: d["fields"].append(PANEL))
    entry = make_entry(review_panel="No")
    assert pickle.loads(pickle.dumps(entry)) == entry
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        assert pool.submit(operator.attrgetter("review_panel"), entry).result(timeout=60) == "No"


# --- a checklist question -----------------------------------------------------------------------------------------

def test_a_new_checklist_question(council_copy, tmp_path):
    council_copy("checklist.json", lambda d: d["sections"][7]["questions"].append(QUESTION_8D))
    inst = load_instruments()
    n = len(inst.checklist.questions)
    assert n == 30
    spec = L.CHECKLIST_SPEC
    row = _item_row(L.checklist_rows(inst), "8d")
    ws = build_review(inst)[spec.name]
    assert (ws[f"{spec.col('id')}{row}"].value, ws[f"{spec.col('text')}{row}"].value) == ("8d", QUESTION_8D["text"])

    answers = {q.id: {"status": "Yes", "evidence": "Minutes"} for q in inst.checklist.questions}
    answers["8d"] = {"status": "No"}
    path = fill.new_review(tmp_path / "Review.xlsx", make_review(checklist=answers))
    with FileWorkbook.open(path) as source:
        book = read_review(source)
    assert book.findings == []
    # Readiness = (Yes + 0.5 × Partly) / (questions − Not applicable) = (29 + 0) / (30 − 0) = 29/30.
    assert score_review(book.review).checklist.readiness == pytest.approx((n - 1) / n)
    assert (n - 1) / n == pytest.approx(29 / 30)

    status_cell = f"{spec.col('status')}{row}"
    edit_cells(path, spec.name, {status_cell: "Maybe"})
    with FileWorkbook.open(path) as source:
        book = read_review(source)
    assert _findings(book, "unknown-choice") == [(spec.name, status_cell)]


# --- a benchmark --------------------------------------------------------------------------------------------------

def test_a_new_benchmark(council_copy, tmp_path):
    council_copy("benchmarks.json", lambda d: d["areas"][3]["benchmarks"].append(BENCHMARK_46))
    inst = load_instruments()
    bench_ids = [b.id for b in inst.benchmarks.benchmarks]
    assert bench_ids[-1] == "4.6"
    review_row = _item_row(L.benchmark_rows(inst=inst), "4.6")
    assert build_review(inst)[L.BENCHMARKS][f"{L.BENCH_TEXT_COL}{review_row}"].value == BENCHMARK_46["statement"]
    spec = L.RESPONSE_SPEC
    response_row = _item_row(L.response_rows(inst), "4.6")
    assert build_response(inst)[spec.name][f"{spec.col('text')}{response_row}"].value == BENCHMARK_46["statement"]

    # Respondent A rates 4.1–4.5 at 3 and 4.6 at 1; respondent B rates 4.1–4.5 at 4 and 4.6 at 2 (every other
    # benchmark 3). Benchmark means: 4.1–4.5 are (3 + 4) / 2 = 3.5 each, 4.6 is (1 + 2) / 2 = 1.5.
    # Area 4 = mean of its benchmark means = (5 × 3.5 + 1.5) / 6 = 19 / 6 ≈ 3.17 (without 4.6 it would be 3.5).
    def ratings(area4: int, new: int) -> dict[str, int]:
        return {b: (new if b == "4.6" else area4 if b.startswith("4.") else 3) for b in bench_ids}

    respondents = [Respondent(organisation="Police", name="A", ratings=ratings(3, 1)),
                   Respondent(organisation="NHS", name="B", ratings=ratings(4, 2))]
    path = fill.new_review(tmp_path / "Review.xlsx", make_review(respondents=respondents))
    with FileWorkbook.open(path) as source:
        book = read_review(source)
    assert book.findings == []
    area4 = next(a for a in score_review(book.review).areas if a.id == "4")
    assert area4.benchmarks_total == 6
    assert area4.score == pytest.approx(19 / 6)

    first_col = L.respondent_columns()[0]
    edit_cells(path, L.BENCHMARKS, {f"{first_col}{review_row}": "Maybe"})
    with FileWorkbook.open(path) as source:
        assert _findings(read_review(source), "bad-rating") == [(L.BENCHMARKS, f"{first_col}{review_row}")]

    form = fill.new_response(tmp_path / "Response.xlsx", partnership_id="P001", partnership_name="Safer Streets",
                             year=2025, respondent=respondents[0])
    with FileWorkbook.open(form) as source:
        assert read_response(source).respondent.ratings["4.6"] == 1
    rating_cell = f"{spec.col('rating')}{response_row}"
    edit_cells(form, spec.name, {rating_cell: "Maybe"})
    with FileWorkbook.open(form) as source:
        assert _findings(read_response(source), "bad-rating") == [(spec.name, rating_cell)]


def test_the_sample_fills_a_new_register_field(council_copy):
    from partnerxl.documents.sample import sample_models

    council_copy("register.json", lambda d: d["fields"].append(PANEL))
    entries = sample_models().entries
    assert {e.review_panel for e in entries} <= {"Yes", "No"} and all(e.review_panel for e in entries)


def test_statuses_named_by_the_cycle_must_be_statuses(council_copy):
    from partnerxl.core.errors import PartnerXLError

    council_copy("register.json", lambda d: d["cycle"].update(closed_statuses=["Finished"]))
    with pytest.raises(PartnerXLError, match=r"register.json.*'Finished' is not one of the status field's choices"):
        load_instruments()


def test_a_field_may_not_take_a_name_the_model_uses(council_copy):
    from partnerxl.core.errors import PartnerXLError

    council_copy("register.json", lambda d: d["fields"].append({**PANEL, "name": "in_scope"}))
    with pytest.raises(PartnerXLError, match=r"register.json.*in_scope.*choose another name"):
        load_instruments()


def test_dates_and_money_of_a_new_field_are_typed(council_copy):
    def add(d):
        d["fields"] += [{"name": "agreement_signed", "label": "Agreement signed", "type": "date"},
                        {"name": "partner_funding_gbp", "label": "Partner funding", "type": "money"}]

    council_copy("register.json", add)
    entry = RegisterEntry(id="P1", name="One", agreement_signed="2024-04-01", partner_funding_gbp="2500")
    assert entry.agreement_signed == dt.date(2024, 4, 1) and entry.partner_funding_gbp == 2500.0
    with pytest.raises(ValueError):
        RegisterEntry(id="P1", name="One", partner_funding_gbp=-1)
