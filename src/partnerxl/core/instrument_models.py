"""What each instrument is: the pydantic models its JSON file (`partnerxl/data/*.json`) must fit.

Strict (unknown keys refused, frozen) so that a mistake in a council's copy is caught when it is loaded, not when
a workbook is half built. instruments.py finds the files and loads them into these models.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


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
            raise ValueError("statuses must be exactly Yes, Partly, No, Not applicable: the checklist is scored on these four")
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
            raise ValueError("answers must be exactly Yes, No: the improvement template is scored on these two")
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


# --- register (docs/rules.md, "The register", "Significance tier") ---------------------------------------------

FieldType = Literal["text", "choice", "date", "money", "number", "email"]
# A register field becomes an attribute of the register entry model (models.py), so it may not take a name the
# model already uses for itself.
RESERVED_FIELD_NAMES = frozenset({n for n in dir(BaseModel) if not n.startswith("_")} | {"in_scope"})


class RegisterField(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: FieldType
    required: bool = False
    choices: list[str] | None = None
    help: str = ""
    portfolio: bool = False  # shown as a column of the Portfolio sheet, headed by the label

    @model_validator(mode="after")
    def _choices_for_choice(self) -> "RegisterField":
        if (self.type == "choice") != bool(self.choices):
            raise ValueError(f"field {self.name}: a 'choice' field needs choices, and only a choice field has them")
        if self.name in RESERVED_FIELD_NAMES or self.name.startswith("model_"):
            raise ValueError(f"field {self.name}: PartnerXL uses this name itself; choose another name")
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


class ReviewCycle(_Strict):
    """Which statuses the annual cycle treats how (docs/rules.md, "The annual cycle"); each must be a choice of the
    `status` field."""

    active_status: str                          # needs a lead officer; overdue with no last review date
    reviewed_statuses: list[str] = Field(min_length=1)   # an annual review is expected
    closed_statuses: list[str]                  # over: left out of the portfolio's running totals

    @property
    def statuses(self) -> list[str]:
        return [self.active_status, *self.reviewed_statuses, *self.closed_statuses]


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
    cycle: ReviewCycle

    def field(self, name: str) -> RegisterField:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def portfolio_fields(self) -> list[RegisterField]:
        """The fields the Portfolio shows, in register order: those marked `"portfolio": true`, and always id and
        name, which every table is keyed on."""
        return [f for f in self.fields if f.portfolio or f.name in ("id", "name")]

    @model_validator(mode="after")
    def _check(self) -> "RegisterInstrument":
        names = [f.name for f in self.fields]
        _require_unique(names, "field name")
        for needed in ("id", "name", "arrangement", "status", self.scope.field, *[q.field for q in self.gatekeeper.questions]):
            if needed not in names:
                raise ValueError(f"the register needs a field named '{needed}'")
        if self.field("id").type != "text" or self.field("name").type != "text":
            raise ValueError("the fields 'id' and 'name' must be of type text")
        statuses = self.field("status").choices or []
        for where, status in [("gatekeeper > applies_to_status", self.gatekeeper.applies_to_status),
                              *[("cycle", s) for s in self.cycle.statuses]]:
            if status not in statuses:
                raise ValueError(f"{where}: '{status}' is not one of the status field's choices "
                                 f"({', '.join(statuses)})")
        return self


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{what} '{v}' appears twice")
        seen.add(v)
