"""The review's rules: instrument rows present once, evidence and actions where answers need them, and the
benchmark self-assessment's respondent columns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from partnerxl.checks.engine import Check
from partnerxl.core.findings import Finding
from partnerxl.core.people import same_person
from partnerxl.core.values import parse_rating, text


@dataclass
class ItemLayout(Check):
    """Each of an instrument's rows is on its sheet once, with its original id (`located` is a
    sheets.review.ItemRows; `what` names the item, e.g. "checklist question")."""

    codes = ("missing-item", "duplicate-item", "unknown-item", "unknown-benchmark")

    located: Any
    what: str

    def findings(self) -> Iterator[Finding]:
        for ident, ref, first_row in self.located.duplicates:
            yield self.finding("duplicate-item", cell=ref, field=f"{self.what} {ident}", value=ident, detail=first_row)
        code = "unknown-benchmark" if self.what == "benchmark" else "unknown-item"
        for ident, ref in self.located.unknown:
            yield self.finding(code, cell=ref, field=self.what, value=ident)
        for ident in self.located.missing:
            yield self.finding("missing-item", cell=None, field=f"{self.what} {ident}", value=ident)


@dataclass
class EvidenceNeeded(Check):
    """A checklist question answered Yes or Partly has its evidence: over the checklist's columns (`statuses` and
    `evidence`, each question's value or None; `cells` the evidence column, a sheets.review.CellColumn). `at`
    gives the question of each finding, by index."""

    codes = ("evidence-missing",)

    questions: list[str]
    statuses: list[str | None]
    evidence: list[str | None]
    cells: Any
    at: list[int] = field(default_factory=list)

    def findings(self) -> Iterator[Finding]:
        for i, (question, status, evidence) in enumerate(zip(self.questions, self.statuses, self.evidence)):
            if status in ("Yes", "Partly") and evidence is None:
                self.at.append(i)
                yield self.finding("evidence-missing", cell=self.cells.ref(i), field=question, value=status)


@dataclass
class ActionNeeded(Check):
    """An area of practice answered No has an action: over the improvement template's columns (`answers`,
    `actions`; `cells` the action column). `at` gives the area of each finding, by index."""

    codes = ("action-missing",)

    areas: list[str]
    answers: list[str | None]
    actions: list[str | None]
    cells: Any
    at: list[int] = field(default_factory=list)

    def findings(self) -> Iterator[Finding]:
        for i, (area, answer, action) in enumerate(zip(self.areas, self.answers, self.actions)):
            if answer == "No" and action is None:
                self.at.append(i)
                yield self.finding("action-missing", cell=self.cells.ref(i), field=area, value=answer)


@dataclass
class ActionOwner(Check):
    """A benchmark action names who will do it (a warning): over the Benchmarks sheet's action and owner columns
    (`cells` the owner column). `at` gives the benchmark of each finding, by index."""

    codes = ("action-without-owner",)

    benchmarks: list[str]
    actions: list[str | None]
    owners: list[str | None]
    cells: Any
    at: list[int] = field(default_factory=list)

    def findings(self) -> Iterator[Finding]:
        for i, (benchmark, action, owner) in enumerate(zip(self.benchmarks, self.actions, self.owners)):
            if action and not owner:
                self.at.append(i)
                yield self.finding("action-without-owner", cell=self.cells.ref(i), field=benchmark, value=action)


@dataclass
class Column:
    """One respondent column, read: its organisation and name, its valid ratings, and what else its cells held."""

    letter: str
    organisation_cell: str
    organisation: str | None
    name: str | None
    ratings: dict[str, int]
    filled: bool                             # any rating cell not blank (valid or not)
    refused: bool                            # any rating cell refused (bad-rating)
    unrated: list[str]                       # benchmarks whose cell is blank
    email: str | None = None                 # with the name, tells two people of one organisation apart


@dataclass
class RespondentColumns(Check):
    """Each column with ratings names its organisation, and each person rates in one column (two people of one
    organisation are told apart by name or e-mail, docs/rules.md, "Invited respondents"); a respondent who left
    benchmarks blank is reported (a warning). Results: `accepted` columns, in order, and the `free` (empty) column
    letters."""

    codes = ("respondent-without-organisation", "duplicate-respondent", "incomplete-respondent")

    columns: list[Column]
    total: int                               # benchmarks on the sheet
    accepted: list[Column] = field(default_factory=list)
    free: list[str] = field(default_factory=list)

    def findings(self) -> Iterator[Finding]:
        for col in self.columns:
            if col.organisation is None:
                if col.filled:
                    yield self.finding("respondent-without-organisation", cell=col.organisation_cell,
                                       field="Organisation", value=None, detail=col.organisation_cell)
                elif col.name is None and col.email is None:
                    self.free.append(col.letter)
                continue
            first = next((c for c in self.accepted if same_person(c, col)), None)
            if first is not None:
                yield self.finding("duplicate-respondent", cell=col.organisation_cell, field="Organisation",
                                   value=col.organisation, detail=f"column {first.letter}")
                continue
            self.accepted.append(col)
            if col.unrated and not col.refused:
                yield self.finding("incomplete-respondent", cell=col.organisation_cell, field="Organisation",
                                   value=col.organisation, detail=unrated_detail(col.unrated, self.total))


@dataclass
class InvitedPeople(Check):
    """Each invited respondent is listed once (the same person twice would count twice in the response rate);
    `lines` are (Excel row, organisation cell, the Invitee), read from the Invited sheet. Result: `accepted`."""

    codes = ("duplicate-invitee",)

    lines: list[tuple[int, str, Any]]
    accepted: list[Any] = field(default_factory=list)

    def findings(self) -> Iterator[Finding]:
        rows: list[int] = []
        for row, cell, person in self.lines:
            first = next((r for r, p in zip(rows, self.accepted) if same_person(p, person)), None)
            if first is not None:
                who = ", ".join(x for x in (person.name or person.email, person.organisation) if x)
                yield self.finding("duplicate-invitee", cell=cell, field="Invited respondent", value=who,
                                   detail=first)
                continue
            rows.append(row)
            self.accepted.append(person)


@dataclass
class UnratedBenchmarks(Check):
    """When anyone rated, every benchmark has at least one rating (a warning)."""

    codes = ("unrated-benchmark",)

    ratings: list[dict[str, int]]            # each respondent's ratings
    cells: dict[str, str]                    # benchmark id → the cell to point at (its first respondent column)

    def findings(self) -> Iterator[Finding]:
        if not any(self.ratings):
            return
        for bid, ref in self.cells.items():
            if not any(bid in r for r in self.ratings):
                yield self.finding("unrated-benchmark", ref, bid)


@dataclass
class ExtraColumns(Check):
    """A column that is not the template's (inserted by an officer once the sheet was unprotected) is not read, so
    whatever it holds is reported (a warning); ratings in it are left out of the scores (an error). `columns` are
    sheets.columns.ExtraColumn; `rated` says the sheet's items are rated in columns (Benchmarks)."""

    codes = ("unexpected-column", "ratings-not-read")

    columns: list[Any]
    rated: bool = False

    def findings(self) -> Iterator[Finding]:
        for col in self.columns:
            ratings = [ref for ref, raw in col.entries.values() if _is_rating(raw)] if self.rated else []
            if ratings:
                yield self.finding("ratings-not-read", cell=ratings[0], field=f"Column {col.letter}",
                                   value=text(col.value), detail=col.letter)
            else:
                yield self.finding("unexpected-column", cell=col.cell, field=f"Column {col.letter}",
                                   value=text(col.value), detail=col.letter)


def _is_rating(raw: Any) -> bool:
    if text(raw) is None:
        return False
    try:
        parse_rating(raw)
    except ValueError:
        return False
    return True


def unrated_detail(unrated: list[str], total: int, limit: int = 8) -> str:
    """'3 of 21 benchmarks (1.1, 2.4, 4.5)', naming at most `limit` of them."""
    names = ", ".join(unrated[:limit]) + (f" and {len(unrated) - limit} more" if len(unrated) > limit else "")
    return f"{len(unrated)} of {total} benchmarks ({names})"
