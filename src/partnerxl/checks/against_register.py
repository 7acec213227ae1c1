"""Rules that need the register: the partnership is in it, the name agrees, and the review has the instruments
its significance tier requires."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from partnerxl.checks.engine import Check
from partnerxl.core.findings import Finding
from partnerxl.core.scoring import INSTRUMENT_WORDS
from partnerxl.core.text import same



@dataclass
class InRegister(Check):
    """The partnership id is in the register (`lookup` is RegisterBook.entry: match keys, not exact text)."""

    codes = ("not-in-register",)

    cell: str
    partnership_id: str
    lookup: Callable[[str], Any]

    def findings(self) -> Iterator[Finding]:
        if self.lookup(self.partnership_id) is None:
            yield self.finding("not-in-register", cell=self.cell, field="Partnership ID", value=self.partnership_id)


@dataclass
class NameAgrees(Check):
    """The review's partnership name is the register's (compared by match key; a warning)."""

    codes = ("name-mismatch",)

    cell: str
    name: str | None
    register_name: str

    def findings(self) -> Iterator[Finding]:
        if self.name and not same(self.name, self.register_name):
            yield self.finding("name-mismatch", cell=self.cell, field="Partnership name", value=self.name,
                               detail=self.register_name)


@dataclass
class TierInstruments(Check):
    """A Significant partnership's review completes every instrument, a Standard one the improvement template.
    Each missing instrument is reported on its own sheet (`sheets`: instrument → sheet name)."""

    codes = ("missing-instrument",)

    review: Any
    entry: Any
    settings: Any
    sheets: dict[str, str]

    def findings(self) -> Iterator[Finding]:
        from partnerxl.core.scoring import assess_significance, missing_instruments, score_review

        tier = assess_significance(self.entry, self.settings).tier
        for name in missing_instruments(score_review(self.review, self.settings), tier):
            yield self.finding("missing-instrument", cell=None, field=INSTRUMENT_WORDS[name], value=None, detail=tier,
                               sheet=self.sheets[name])
