"""The instruments (and the "how to" guides the summaries point to), held as data in `partnerxl/data/*.json` and loaded into pydantic models.

Templates, readers, validation and scoring are all driven by these models, so a council can adapt an instrument
by editing its JSON file (or pointing the environment variable PARTNERXL_INSTRUMENTS_DIR at a folder holding its
own copies) without touching code. A malformed file stops PartnerXL with a message naming the file and the entry.
"""

from __future__ import annotations

import json
import os
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from partnerxl.core.errors import PartnerXLError
# The instrument models are part of this module's API: callers import them from here.
from partnerxl.core.instrument_models import (  # noqa: F401
    ScaleLevel, Benchmark, TypicalFactor, BenchmarkArea, BenchmarkInstrument, ChecklistQuestion,
    ChecklistSection, ChecklistInstrument, ImprovementArea, ImprovementInstrument, FitnessQuestion,
    FitnessInstrument, Outcome, GuideRelations, Guide, GuidesInstrument, FieldType, RESERVED_FIELD_NAMES,
    RegisterField, ScopeRule, GatekeeperQuestion, Gatekeeper, ReviewCycle, SignificanceCriterion,
    SignificanceRule, RegisterInstrument, _Strict,
)


# `register` shadows ABCMeta.register on the model class, which nothing here uses; the name is the domain's own.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)

    class _InstrumentsFields(_Strict):
        register: RegisterInstrument


class Instruments(_InstrumentsFields):
    benchmarks: BenchmarkInstrument
    checklist: ChecklistInstrument
    improvement: ImprovementInstrument
    fitness: FitnessInstrument
    guides: GuidesInstrument

    def describe(self) -> list[str]:
        b, c, i, f, r, g = self.benchmarks, self.checklist, self.improvement, self.fitness, self.register, self.guides
        return [
            f"register     {r.title}: {len(r.fields)} fields, {len(r.gatekeeper.questions)} gatekeeper questions, "
            f"{len(r.significance.criteria)} significance criteria",
            f"checklist    {c.title}: {len(c.sections)} sections, {len(c.questions)} questions "
            f"({c.questions[0].id}–{c.questions[-1].id})",
            f"improvement  {i.title}: {len(i.areas)} areas of practice",
            f"fitness      {f.title}: {len(f.questions)} questions",
            f"benchmarks   {b.title}: {len(b.areas)} areas, {len(b.benchmarks)} benchmarks "
            f"({b.benchmarks[0].id}–{b.benchmarks[-1].id}), "
            f"{sum(len(a.typical_factors) for a in b.areas)} typical factors, {len(b.scale)}-level scale",
            f"guides       {g.title}: {len(g.guides)} guides",
        ]


INSTRUMENT_FILES = {
    "benchmarks": "benchmarks.json",
    "checklist": "checklist.json",
    "improvement": "improvement.json",
    "fitness": "fitness.json",
    "register": "register.json",
    "guides": "guides.json",
}


def _read_json(name: str, folder: Path | None) -> tuple[str, object]:
    if folder is not None and (folder / name).is_file():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        label = str(path)
    else:
        res = resources.files("partnerxl") / "data" / name
        text = res.read_text(encoding="utf-8")
        label = f"partnerxl/data/{name}"
    try:
        return label, json.loads(text)
    except json.JSONDecodeError as exc:
        raise PartnerXLError(f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
                             "Fix the instrument file or restore the original.", file=label) from None


def _describe_location(data: object, loc: tuple) -> str:
    """Turn a pydantic error location into words naming the entry, e.g. `areas[1] (id 2) > benchmarks[3] (id 2.4)`."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            ident = node.get("id") or node.get("name") if isinstance(node, dict) else None
            parts[-1] = f"{parts[-1]}[{key}]" + (f" (id {ident})" if ident else "")
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return " > ".join(parts) or "the top level"


@lru_cache(maxsize=4)
def _load(folder: str | None) -> Instruments:
    base = Path(folder) if folder else None
    loaded = {}
    for key, name in INSTRUMENT_FILES.items():
        label, data = _read_json(name, base)
        model = Instruments.model_fields[key].annotation
        try:
            loaded[key] = model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = _describe_location(data, tuple(first["loc"]))
            raise PartnerXLError(
                f"instrument entry {where}: {first['msg']}. Fix this entry in the instrument file "
                f"({exc.error_count()} problem(s) in all).", file=label) from None
    _check_guide_references(loaded, base)
    return Instruments(**loaded)


def _check_guide_references(loaded: dict, base: Path | None) -> None:
    """Every area, checklist section and improvement area a guide relates to must exist in the instruments in force."""
    known = {
        "benchmark_areas": ("benchmark area", {a.id for a in loaded["benchmarks"].areas}),
        "checklist_sections": ("checklist section", {s.id for s in loaded["checklist"].sections}),
        "improvement_areas": ("improvement area", {a.id for a in loaded["improvement"].areas}),
    }
    for n, g in enumerate(loaded["guides"].guides):
        for key, (what, ids) in known.items():
            for ref in getattr(g.relates_to, key):
                if ref not in ids:
                    label, _ = _read_json(INSTRUMENT_FILES["guides"], base)
                    raise PartnerXLError(
                        f"instrument entry guides[{n}] (id {g.id}) > relates_to > {key}: {what} '{ref}' is not in "
                        "the instruments. Fix this entry in the instrument file.", file=label)


def load_instruments() -> Instruments:
    """The instruments in force: the package's own, or a council's copies in PARTNERXL_INSTRUMENTS_DIR."""
    return _load(os.environ.get("PARTNERXL_INSTRUMENTS_DIR") or None)


def instrument_texts() -> dict[str, str]:
    """Every text of the instruments in force, each keyed by itself: a table to share one copy of each. A result
    that comes back from a worker process brings its own copies of the statements and questions it quotes, and a
    portfolio keeps thousands of results."""
    return _texts(os.environ.get("PARTNERXL_INSTRUMENTS_DIR") or None)


@lru_cache(maxsize=4)
def _texts(folder: str | None) -> dict[str, str]:
    table: dict[str, str] = {}
    stack: list = [_load(folder).model_dump()]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            table.setdefault(node, node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return table
