"""The response form's rules beyond its cell values: a form rates every benchmark (or says Don't know)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from partnerxl.checks.engine import Check
from partnerxl.checks.review import unrated_detail
from partnerxl.core.findings import Finding


@dataclass
class FormComplete(Check):
    """Blank rating cells on a form are a warning, pointing at the first; skipped when a rating was refused
    (the officer fixes that first)."""

    codes = ("incomplete-respondent",)

    who: str | None                          # the form's organisation
    unrated: list[tuple[str, str]]           # (benchmark id, its rating cell), blank ones only
    total: int
    refused: bool

    def findings(self) -> Iterator[Finding]:
        if self.unrated and not self.refused:
            ids = [bid for bid, _ref in self.unrated]
            yield self.finding("incomplete-respondent", cell=self.unrated[0][1], field="Your rating",
                               value=self.who or "This form", detail=unrated_detail(ids, self.total))
