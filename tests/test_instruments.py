"""The instruments as data: counts, word-for-word texts from the seeds, and clear errors for malformed files."""

import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest

from partnerxl.core import instruments as instruments_module
from partnerxl.core.errors import PartnerXLError
from partnerxl.core.instruments import load_instruments

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SPEC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"  # the project's own statement of its rules


def test_counts():
    inst = load_instruments()
    b = inst.benchmarks
    assert [a.name for a in b.areas] == ["Leadership", "Trust", "Learning", "Managing for Performance"]
    assert [len(a.benchmarks) for a in b.areas] == [5, 6, 5, 5]
    assert [x.id for x in b.benchmarks][:6] == ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1"]
    assert b.benchmarks[-1].id == "4.5"
    assert all(len(x.possible_actions) >= 2 for x in b.benchmarks)
    assert [len(a.typical_factors) for a in b.areas] == [8, 7, 8, 5]
    assert [lv.value for lv in b.scale] == [1, 2, 3, 4]
    c = inst.checklist
    assert len(c.sections) == 8 and len(c.questions) == 29
    assert c.questions[0].id == "1a" and c.questions[-1].id == "8c"
    assert [len(s.questions) for s in c.sections] == [4, 4, 6, 2, 4, 3, 3, 3]
    assert len(inst.improvement.areas) == 14
    accountability = inst.improvement.areas[11].text
    assert accountability.count("•") == 3 and accountability.startswith("How the partnership is held to account")
    assert len(inst.fitness.questions) == 9
    reg = inst.register
    rules_fields = ["id", "name", "purpose", "arrangement", "level", "basis", "membership", "geography", "structure",
                    "decision_role", "duration", "council_role", "engagement", "legal_status", "partners",
                    "lead_officer", "lead_officer_email", "council_representatives", "council_contribution_gbp",
                    "officer_days", "other_funding", "performance_method", "priority_impact", "risk", "reliance",
                    "status", "start_date", "end_date", "last_review_date", "needs_many_organisations", "long_term",
                    "existing_partnership_could_deliver"]
    assert reg.field_names == rules_fields
    assert reg.field("arrangement").choices[0] == "Partnership" and len(reg.field("arrangement").choices) == 6
    assert reg.field("status").choices == ["Proposed", "Active", "Under review", "Ending", "Closed"]
    assert reg.scope.in_scope == ["Partnership"]
    assert [q.proceed_answer for q in reg.gatekeeper.questions] == ["Yes", "Yes", "No"]
    assert len(reg.significance.criteria) == 5
    assert [f.name for f in reg.fields if f.portfolio] == ["id", "name", "arrangement", "lead_officer",
                                                          "council_contribution_gbp", "officer_days", "status"]
    assert reg.cycle.active_status == "Active" and reg.cycle.closed_statuses == ["Closed"]
    assert reg.cycle.reviewed_statuses == ["Active", "Under review", "Ending"]
    g = inst.guides
    assert len(g.guides) == 15 and len({x.id for x in g.guides}) == 15
    assert [x.title for x in g.guides][:2] == ["Ending a partnership", "Trust"]
    assert g.guide("ending").relates_to.outcomes == ["consider ending"]
    assert g.guide("governance").relates_to.checklist_sections == ["3"]
    assert g.guide("performance-management").relates_to.benchmark_areas == ["4"]
    assert g.guide("performance-management").relates_to.checklist_sections == ["4"]
    assert g.guide("action-plans").relates_to.improvement_areas == ["I13"]
    # Every area has a guide, so a weak area always has something to read.
    assert all(any(a.id in x.relates_to.benchmark_areas for x in g.guides) for a in b.areas)


def _norm(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("•", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the seed folder {SEEDS} is missing in CI")
        pytest.skip(f"seed folder {SEEDS} not present")
    return {p.name[:3]: _norm(p.read_text(encoding="utf-8")) for p in SEEDS.glob("0*.txt")}


def test_benchmark_texts_word_for_word(seeds):
    seed = seeds["002"]
    inst = load_instruments().benchmarks
    for area in inst.areas:
        assert _norm(area.description) in seed
        assert f"{area.id} {area.name}" in seed
        for b in area.benchmarks:
            assert f"{b.id} {_norm(b.statement)}" in seed, b.id
            for action in b.possible_actions:
                assert _norm(action) in seed, (b.id, action)
        for factor in area.typical_factors:
            assert _norm(factor) in seed, factor


def test_checklist_improvement_texts_word_for_word(seeds):
    seed = seeds["003"]
    inst = load_instruments()
    for section in inst.checklist.sections:
        assert f"{section.id}. {section.title}" in seed
        for q in section.questions:
            assert f"{q.id[-1]}. {_norm(q.text)}" in seed, q.id
    for area in inst.improvement.areas:
        assert _norm(area.text) in seed, area.id


def test_fitness_and_gatekeeper_texts_word_for_word(seeds):
    inst = load_instruments()
    for q in inst.fitness.questions:
        assert _norm(q.question) in seeds["000"], q.id
        assert _norm(q.action_if_no) in seeds["000"], q.id
        assert _norm(q.group) in seeds["000"]
    reasons = [q.reason_if_not for q in inst.register.gatekeeper.questions]
    assert _norm(reasons[0]) in seeds["004"] and _norm(reasons[1]) in seeds["004"]


def test_guide_descriptions_word_for_word(seeds):
    """Each guide's description is a whole paragraph of seed 001, in the seed's order."""
    seed = SEEDS / "001_88cea6b7ef815c0a.txt"
    paragraphs = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = paragraphs[paragraphs.index("DocumentsDate added") + 1:]
    guides = load_instruments().guides.guides
    assert [g.description for g in guides] == paragraphs
    for g in guides:
        assert _norm(g.description) in seeds["001"], g.id
        assert g.description.startswith(g.first_sentence) and g.first_sentence.endswith((".", "?", "!")), g.id


def test_scale_labels_match_rules():
    rules = SPEC.read_text(encoding="utf-8")
    for level in load_instruments().benchmarks.scale:
        assert f"| {level.value} | {level.label} |" in rules


@pytest.fixture
def instrument_copy(tmp_path, monkeypatch):
    data = Path(instruments_module.__file__).parent.parent / "data"
    for f in data.glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.setenv("PARTNERXL_INSTRUMENTS_DIR", str(tmp_path))
    instruments_module._load.cache_clear()
    yield tmp_path
    instruments_module._load.cache_clear()


def test_malformed_instrument_names_file_and_entry(instrument_copy):
    path = instrument_copy / "benchmarks.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["areas"][1]["benchmarks"][3]["statement"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PartnerXLError) as err:
        load_instruments()
    msg = str(err.value)
    assert "benchmarks.json" in msg and "(id 2)" in msg and "(id 2.4)" in msg and "statement" in msg


def test_invalid_json_instrument(instrument_copy):
    (instrument_copy / "fitness.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(PartnerXLError, match=r"fitness.json.*not valid JSON"):
        load_instruments()


def test_council_can_adapt_an_instrument(instrument_copy):
    path = instrument_copy / "fitness.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["questions"].append({"id": "F10", "group": "Local", "question": "Is it on the forward plan?",
                              "action_if_no": "Add it to the forward plan"})
    path.write_text(json.dumps(data), encoding="utf-8")
    assert len(load_instruments().fitness.questions) == 10


def test_malformed_guide_names_file_and_entry(instrument_copy):
    path = instrument_copy / "guides.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["guides"][2]["relates_to"]["outcomes"] = ["think about it"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PartnerXLError) as err:
        load_instruments()
    msg = str(err.value)
    assert "guides.json" in msg and "guides[2] (id added-value)" in msg and "outcomes" in msg


def test_guide_reference_to_unknown_section_is_refused(instrument_copy):
    path = instrument_copy / "guides.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["guides"][12]["relates_to"]["checklist_sections"] = ["9"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PartnerXLError) as err:
        load_instruments()
    msg = str(err.value)
    assert "guides.json" in msg and "(id governance)" in msg and "checklist section '9'" in msg


def test_council_can_adapt_the_guides(instrument_copy):
    path = instrument_copy / "guides.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["guides"].append({"id": "local-toolkit", "title": "Our toolkit", "description": "The council's own guide.",
                           "relates_to": {"benchmark_areas": ["2"]}})
    path.write_text(json.dumps(data), encoding="utf-8")
    guides = load_instruments().guides
    assert len(guides.guides) == 16 and guides.guide("local-toolkit").title == "Our toolkit"


def test_council_can_add_a_register_field(instrument_copy):
    from partnerxl.core.models import RegisterEntry, register_entry_model

    path = instrument_copy / "register.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fields"].append({"name": "review_panel", "label": "Review panel agreed", "type": "choice",
                           "choices": ["Yes", "No"]})
    path.write_text(json.dumps(data), encoding="utf-8")
    assert list(register_entry_model().model_fields)[-1] == "review_panel"
    entry = RegisterEntry(id="P1", name="One", review_panel=" no ")
    assert entry.review_panel == "No" and isinstance(entry, RegisterEntry)
    assert pickle.loads(pickle.dumps(entry)) == entry


def test_register_entry_model_follows_the_data():
    from partnerxl.core.models import RegisterEntry, register_entry_model

    reg = load_instruments().register
    model = register_entry_model()
    assert list(model.model_fields) == reg.field_names and model is register_entry_model()
    entry = RegisterEntry(id="P1", name="One", arrangement="partnership", officer_days="4")
    assert type(entry) is model and entry.arrangement == "Partnership" and entry.officer_days == 4.0
    assert entry.in_scope and pickle.loads(pickle.dumps(entry)) == entry
    with pytest.raises(ValueError):
        RegisterEntry(name="No id")
