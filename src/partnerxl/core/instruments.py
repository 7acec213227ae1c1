"""The instruments (and the "how to" guides the summaries point to), held as data in `partnerxl/data/*.json` and loaded into pydantic models.

Templates, readers, validation and scoring are all driven by these models, so a council can adapt an instrument
by editing its JSON file (or pointing the environment variable PARTNERXL_INSTRUMENTS_DIR at a folder holding its
own copies) without touching code. A malformed file stops PartnerXL with a message naming the file and the entry.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from partnerxl.core.errors import PartnerXLError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- benchmarks (seed 002) --------------------------------------------------------------------------------------

class ScaleLevel(_Strict):
    value: int = Field(ge=1, le=4)
    label: str


class Benchmark(_Strict):
    id: str = Field(pattern=r"^\d+\.\d+$")
    statement: str
    possible_actions: list[str] = Field(min_length=1)


class TypicalFactor(_Strict):
    id: str
    text: str


class BenchmarkArea(_Strict):
    id: str
    name: str
    description: str
    benchmarks: list[Benchmark] = Field(min_length=1)
    typical_factors: list[str]

    @cached_property
    def factors(self) -> list[TypicalFactor]:
        """Typical factors with stable ids `<area>.f<n>` (e.g. `2.f3`), numbered in the seed's order."""
        return [TypicalFactor(id=f"{self.id}.f{i}", text=t) for i, t in enumerate(self.typical_factors, start=1)]

    @model_validator(mode="after")
    def _ids_belong_to_area(self) -> "BenchmarkArea":
        for b in self.benchmarks:
            if b.id.split(".")[0] != self.id:
                raise ValueError(f"benchmark {b.id} is listed under area {self.id}")
        return self


class BenchmarkInstrument(_Strict):
    title: str
    source: str
    scale: list[ScaleLevel] = Field(min_length=4, max_length=4)
    no_rating_labels: list[str]
    areas: list[BenchmarkArea] = Field(min_length=1)

    @property
    def benchmarks(self) -> list[Benchmark]:
        return [b for a in self.areas for b in a.benchmarks]

    def benchmark(self, benchmark_id: str) -> Benchmark:
        return self._benchmark_index()[benchmark_id]

    def area_of(self, benchmark_id: str) -> BenchmarkArea:
        return next(a for a in self.areas if any(b.id == benchmark_id for b in a.benchmarks))

    def _benchmark_index(self) -> dict[str, Benchmark]:
        return {b.id: b for b in self.benchmarks}

    @property
    def factor_ids(self) -> set[str]:
        return {f.id for a in self.areas for f in a.factors}

    @model_validator(mode="after")
    def _unique(self) -> "BenchmarkInstrument":
        _require_unique([a.id for a in self.areas], "area id")
        _require_unique([b.id for b in self.benchmarks], "benchmark id")
        if [s.value for s in self.scale] != [1, 2, 3, 4]:
            raise ValueError("the scale must list the values 1, 2, 3, 4 in order")
        return self


# --- checklist, improvement template, fitness review (seeds 003, 000) -------------------------------------------

class ChecklistQuestion(_Strict):
    id: str = Field(pattern=r"^\d+[a-z]$")
    text: str


class ChecklistSection(_Strict):
    id: str
    title: str
    questions: list[ChecklistQuestion] = Field(min_length=1)


class ChecklistInstrument(_Strict):
    title: str
    source: str
    statuses: list[str]
    sections: list[ChecklistSection] = Field(min_length=1)

    @property
    def questions(self) -> list[ChecklistQuestion]:
        return [q for s in self.sections for q in s.questions]

    @model_validator(mode="after")
    def _check(self) -> "ChecklistInstrument":
        if self.statuses != ["Yes", "Partly", "No", "Not applicable"]:
            raise ValueError("statuses must be exactly Yes, Partly, No, Not applicable (RULES.md §1.3)")
        _require_unique([q.id for q in self.questions], "question id")
        return self


class ImprovementArea(_Strict):
    id: str
    text: str

    @property
    def short(self) -> str:
        """The first sentence or line, for tables where the full text would not fit."""
        first = self.text.split("\n")[0]
        m = re.match(r"^(.+?[.?:])(\s|$)", first)
        return (m.group(1) if m else first).rstrip(":")


class ImprovementInstrument(_Strict):
    title: str
    source: str
    answers: list[str]
    areas: list[ImprovementArea] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "ImprovementInstrument":
        if self.answers != ["Yes", "No"]:
            raise ValueError("answers must be exactly Yes, No (RULES.md §1.4)")
        _require_unique([a.id for a in self.areas], "area id")
        return self


class FitnessQuestion(_Strict):
    id: str
    group: str
    question: str
    action_if_no: str


class FitnessInstrument(_Strict):
    title: str
    source: str
    answers: list[str]
    questions: list[FitnessQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "FitnessInstrument":
        _require_unique([q.id for q in self.questions], "question id")
        return self


# --- "how to" guides (seed 001) ---------------------------------------------------------------------------------

Outcome = Literal["continue", "improve", "review remit", "consider ending"]  # recommendation.Verdict


class GuideRelations(_Strict):
    """What a guide is for: the review results that make it worth reading (see guidance.py)."""

    benchmark_areas: list[str] = []
    outcomes: list[Outcome] = []
    checklist_sections: list[str] = []
    improvement_areas: list[str] = []


class Guide(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    relates_to: GuideRelations = GuideRelations()

    @property
    def first_sentence(self) -> str:
        """The description's first sentence, for the one-page summary."""
        m = re.match(r"^(.+?[.?!])(\s|$)", self.description)
        return m.group(1) if m else self.description


class GuidesInstrument(_Strict):
    title: str
    source: str
    guides: list[Guide] = Field(min_length=1)

    def guide(self, guide_id: str) -> Guide:
        return next(g for g in self.guides if g.id == guide_id)

    @model_validator(mode="after")
    def _check(self) -> "GuidesInstrument":
        _require_unique([g.id for g in self.guides], "guide id")
        return self


# --- register (RULES.md §1.1, §1.2) -----------------------------------------------------------------------------

FieldType = Literal["text", "choice", "date", "money", "number", "email"]


class RegisterField(_Strict):
    name: str = Field(pattern=r"^[a-z_]+$")
    label: str
    type: FieldType
    required: bool = False
    choices: list[str] | None = None
    help: str = ""

    @model_validator(mode="after")
    def _choices_for_choice(self) -> "RegisterField":
        if (self.type == "choice") != bool(self.choices):
            raise ValueError(f"field {self.name}: a 'choice' field needs choices, and only a choice field has them")
        return self


class ScopeRule(_Strict):
    field: str
    in_scope: list[str]
    reason: str


class GatekeeperQuestion(_Strict):
    field: str
    question: str
    proceed_answer: Literal["Yes", "No"]
    reason_if_not: str


class Gatekeeper(_Strict):
    applies_to_status: str
    source: str
    questions: list[GatekeeperQuestion] = Field(min_length=1)


class SignificanceCriterion(_Strict):
    id: Literal["contribution", "priority_impact", "risk", "duration", "reliance"]
    text: str


class SignificanceRule(_Strict):
    source: str
    criteria: list[SignificanceCriterion]
    required_instruments: dict[str, list[Literal["checklist", "improvement", "benchmarks"]]]


class RegisterInstrument(_Strict):
    title: str
    source: str
    fields: list[RegisterField]
    scope: ScopeRule
    gatekeeper: Gatekeeper
    significance: SignificanceRule

    def field(self, name: str) -> RegisterField:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @model_validator(mode="after")
    def _check(self) -> "RegisterInstrument":
        names = [f.name for f in self.fields]
        _require_unique(names, "field name")
        for needed in ("id", "name", "arrangement", "status", self.scope.field, *[q.field for q in self.gatekeeper.questions]):
            if needed not in names:
                raise ValueError(f"the register needs a field named '{needed}'")
        return self


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


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{what} '{v}' appears twice")
        seen.add(v)


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
