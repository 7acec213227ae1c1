"""One finished report per operation, in the spirit of frictionless-py's `Report`.

Every operation (validate, score, collate, chase, portfolio, summaries, drafts, pack, new review) returns one of
these: its findings, whether it is valid and provisional, its exit code, its counts, and the words a presenter
prints (`headline`, `problem_lines`). The command line, the buttons, the xlwings Lite scripts and the demo only
format a report; none of them decides a threshold, an exit code, a date or a count.

Exit codes (docs/rules.md, "Entries that cannot be read"): 0 done with no error findings; 1 done, with error
findings (the outputs are still written); 2 could not run. A run that could not start raises PartnerXLError
instead of returning a report, so 2 appears here only when a file given by name could not be read at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from partnerxl.core.findings import Finding

GROUP_AT = 20  # alike problems beyond this many are grouped into one line on a console or in a message box


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def exit_code(findings: list[Finding], *, stopped: bool = False) -> int:
    return 2 if stopped else 1 if errors(findings) else 0


def where(f: Finding) -> str:
    """'file, Sheet!A1' as an officer reads it (the parts that are known)."""
    cell = "!".join(p for p in (f.sheet, f.cell) if p)
    return ", ".join(p for p in (f.file, cell) if p)


def count_words(findings: list[Finding]) -> str:
    """'2 errors and 1 warning', or 'no problems found'."""
    if not findings:
        return "no problems found"
    n = len(errors(findings))
    return f"{plural(n, 'error')} and {plural(len(findings) - n, 'warning')}"


def problem_lines(findings: list[Finding], *, limit: int | None = None) -> list[str]:
    """One line per problem, where it is and what is wrong. Problems of one kind beyond GROUP_AT become one line
    ('9,900 files not used (…), e.g. a.txt, b.txt, c.txt'), so a console stays readable at any scale; `limit`
    caps the lines, with 'and N more'."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_code[f.code].append(f)
    lines: list[str] = []
    for f in findings:
        alike = by_code[f.code]
        if len(alike) <= GROUP_AT:
            lines.append(f"{where(f)}: {f.message}" if where(f) else f.message)
        elif alike[0] is f:
            examples = ", ".join(where(x) for x in alike[:3])
            lines.append(f"{plural(len(alike), 'problem')} '{f.title}' (for example {examples}): {f.message}")
    if limit is not None and len(lines) > limit:
        lines = lines[:limit] + [f"(and {len(lines) - limit:,} more)"]
    return lines


@dataclass
class Report:
    """What every operation returns: its findings and what follows from them."""

    findings: list[Finding] = field(default_factory=list)
    stopped: bool = False  # a file given by name could not be read at all (exit 2)

    @property
    def errors(self) -> list[Finding]:
        return errors(self.findings)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "error"]

    @property
    def valid(self) -> bool:
        return not self.stopped and not self.errors

    @property
    def provisional(self) -> bool:
        """Results made without entries that could not be read (docs/rules.md, "Entries that cannot be read")."""
        return bool(self.errors)

    @property
    def exit_code(self) -> int:
        return exit_code(self.findings, stopped=self.stopped)

    @property
    def counts(self) -> dict[str, int]:
        return {"errors": len(self.errors), "warnings": len(self.warnings)}

    @property
    def count_words(self) -> str:
        return count_words(self.findings)

    @property
    def headline(self) -> str:
        return self.count_words

    def problem_lines(self, limit: int | None = None) -> list[str]:
        return problem_lines(self.findings, limit=limit)
