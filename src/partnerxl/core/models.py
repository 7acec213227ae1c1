"""Typed models of what officers record: a register entry and an annual review.

Strict where it matters (ids must exist in the instruments, ratings 1–4, closed lists), tolerant of harmless
variation (surrounding whitespace, case of closed-list values, "N/A" for "Not applicable").
Scoring results live beside the rules that produce them, in scoring.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model, field_validator, model_validator

from partnerxl.core.instruments import Instruments, RegisterField, load_instruments
from partnerxl.core.people import same_person
from partnerxl.core.values import normalise_choice, parse_rating  # noqa: F401 - re-exported for the readers

Rating = Annotated[int, Field(ge=1, le=4, strict=True)]
YesNo = Literal["Yes", "No"]
ChecklistStatus = Literal["Yes", "Partly", "No", "Not applicable"]

class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_strings_are_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in data.items()}
        return data


# --- register ---------------------------------------------------------------------------------------------------

class RegisterEntry(_Model):
    """One row of the partnership register (docs/rules.md, "The register"): one attribute per field of the register
    instrument.

    The attributes come from the instrument data, so a council that adds a field to register.json gets it here.
    `RegisterEntry(**data)` returns an instance of `register_entry_model()`, the subclass built for the instruments
    in force: modules that imported this name before a council's instruments were loaded still get their fields.
    Only `id` and `name` are required by the model, so a partly filled register can still be rolled up; the
    instrument's other required fields are enforced by validation, which reports them cell by cell.
    """

    id: str
    name: str

    def __new__(cls, *args: Any, **kwargs: Any) -> "RegisterEntry":
        if cls is RegisterEntry:
            cls = register_entry_model()
        return super().__new__(cls)

    def __reduce__(self) -> tuple:
        # The subclass is made at run time, so pickle could not find it by name; a worker process (the rollup's)
        # rebuilds the entry with the model of the instruments in force there.
        return _restore_entry, (self.__getstate__(),)

    @property
    def in_scope(self) -> bool:
        scope = load_instruments().register.scope
        return getattr(self, scope.field) in scope.in_scope


def _restore_entry(state: dict[str, Any]) -> RegisterEntry:
    model = register_entry_model()
    entry = model.__new__(model)
    entry.__setstate__(state)
    return entry


_SCALAR_TYPES: dict[str, type] = {"text": str, "choice": str, "email": str, "date": dt.date, "money": float,
                                  "number": float}
_ENTRY_MODELS: dict[int, tuple[Instruments, type[RegisterEntry]]] = {}


def _field_definition(f: RegisterField) -> tuple[Any, Any]:
    annotation: Any = _SCALAR_TYPES[f.type] | None
    if f.type == "choice":
        choices = list(f.choices or [])
        annotation = Annotated[annotation, BeforeValidator(lambda v: normalise_choice(v, choices))]
    if f.name in ("id", "name"):
        return _SCALAR_TYPES[f.type], ...
    return annotation, Field(None, ge=0) if f.type in ("money", "number") else None


def register_entry_model(instruments: Instruments | None = None) -> type[RegisterEntry]:
    """The register entry model of these instruments (default: those in force), built once per Instruments."""
    inst = instruments or load_instruments()
    cached = _ENTRY_MODELS.get(id(inst))
    if cached is not None and cached[0] is inst:
        return cached[1]
    model = create_model("RegisterEntry", __base__=RegisterEntry, __module__=__name__,
                         **{f.name: _field_definition(f) for f in inst.register.fields})
    model.__qualname__ = RegisterEntry.__qualname__
    model.__doc__ = RegisterEntry.__doc__
    if len(_ENTRY_MODELS) >= 8:  # instruments loaded earlier in a long test run; the loader keeps only 4 itself
        _ENTRY_MODELS.pop(next(iter(_ENTRY_MODELS)))
    _ENTRY_MODELS[id(inst)] = (inst, model)
    return model


# --- review -----------------------------------------------------------------------------------------------------

class Respondent(_Model):
    """One partner's benchmark ratings: benchmark id → 1..4. Unrated benchmarks are simply absent.

    A respondent is a person of an organisation (docs/rules.md, "Invited respondents"): one organisation may rate
    through several people, told apart by name or e-mail."""

    organisation: str
    name: str | None = None
    email: str | None = None
    ratings: dict[str, Rating] = Field(default_factory=dict)

    @field_validator("ratings", mode="before")
    @classmethod
    def _drop_unrated(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k).strip(): v for k, v in value.items() if v is not None}
        return value


class Invitee(_Model):
    """A person the officer asked to rate the benchmarks (one line of the review's invited respondents)."""

    organisation: str
    name: str | None = None
    email: str | None = None


class FitnessPlan(_Model):
    """Who will carry out a fitness question's action, and by when (docs/rules.md, "The fitness-for-purpose review")."""

    owner: str | None = None
    due: dt.date | None = None


class BenchmarkAction(_Model):
    action_needed: str | None = None
    by_whom: str | None = None


class ChecklistAnswer(_Model):
    status: ChecklistStatus | None = None
    evidence: str | None = None
    where: str | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> Any:
        return normalise_choice(v, list(ChecklistStatus.__args__))


class ImprovementAnswer(_Model):
    answer: YesNo | None = None
    action: str | None = None
    owner: str | None = None
    due: dt.date | None = None

    @field_validator("answer", mode="before")
    @classmethod
    def _answer(cls, v: Any) -> Any:
        return normalise_choice(v, ["Yes", "No"])


class Review(_Model):
    """One partnership's annual review: benchmark self-assessment, checklist, improvement template, fitness review.

    Keys are instrument ids: benchmark ids ("1.1"), typical-factor ids ("2.f3"), checklist question ids ("4b"),
    improvement area ids ("I07"), fitness question ids ("F2"). An instrument left entirely blank is simply empty.
    """

    partnership_id: str
    partnership_name: str | None = None
    year: int = Field(ge=1990, le=2100)
    coordinator: str | None = None
    review_date: dt.date | None = None
    respondents: list[Respondent] = Field(default_factory=list)
    benchmark_actions: dict[str, BenchmarkAction] = Field(default_factory=dict)
    factors_ticked: list[str] = Field(default_factory=list)
    checklist: dict[str, ChecklistAnswer] = Field(default_factory=dict)
    improvement: dict[str, ImprovementAnswer] = Field(default_factory=dict)
    fitness: dict[str, YesNo] = Field(default_factory=dict)
    fitness_actions: dict[str, FitnessPlan] = Field(default_factory=dict)
    invited: list[Invitee] = Field(default_factory=list)

    @field_validator("fitness", mode="before")
    @classmethod
    def _fitness(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {k: normalise_choice(a, ["Yes", "No"]) for k, a in v.items() if normalise_choice(a, ["Yes", "No"])}
        return v

    @model_validator(mode="after")
    def _ids_exist(self) -> "Review":
        inst = load_instruments()
        bench_ids = {b.id for b in inst.benchmarks.benchmarks}
        _known("benchmark", [k for r in self.respondents for k in r.ratings], bench_ids)
        _known("benchmark", self.benchmark_actions, bench_ids)
        _known("typical factor", self.factors_ticked, inst.benchmarks.factor_ids)
        _known("checklist question", self.checklist, {q.id for q in inst.checklist.questions})
        _known("improvement area", self.improvement, {a.id for a in inst.improvement.areas})
        _known("fitness question", self.fitness, {q.id for q in inst.fitness.questions})
        _known("fitness question", self.fitness_actions, {q.id for q in inst.fitness.questions})
        for i, r in enumerate(self.respondents):
            if any(same_person(r, other) for other in self.respondents[:i]):
                who = ", ".join(p for p in (r.name or r.email, r.organisation) if p)
                raise ValueError(f"respondent '{who}' appears twice: each person rates in one column only")
        return self


def _known(what: str, ids: Any, allowed: set[str]) -> None:
    for i in ids:
        if i not in allowed:
            raise ValueError(f"unknown {what} id '{i}'")
