"""Score's output in the open review: the *Scores* sheet, written as one block, then its formats and colours.

The scores come from `operations.score_book`; this module only lays them out. A review scored without some values
that could not be read is *provisional*: the sheet says so at the top and lists every problem found in the review
(sheet, cell, problem), so the officer sees what was left out.
"""

from __future__ import annotations

from typing import Any

from partnerxl.excel.live import autofit_columns, fill_cells, format_cells, owned_sheet, write_block
from partnerxl.excel.words import plural
from partnerxl.sheets import palette
from partnerxl.sheets.words import instrument_words

SCORES_SHEET = "Scores"
HEADER_COLOUR = palette.hash_colour(palette.SECTION)
PROVISIONAL_COLOUR = palette.hash_colour(palette.WARNING_MARK)
RAG_COLOURS = {rag: palette.hash_colour(c) for rag, c in palette.RAG.items()}
SCORE_HEADER = ["Scores", "Name", "Score", "Percent", "Band", "RAG", "Benchmarks rated", "Note"]
BENCH_HEADER = ["Benchmark", "Area", "Statement", "Respondents", "Mean", "Min", "Max", "Rated 1", "Rated 2",
                "Rated 3", "Rated 4", "Agreement", "Split", "Priority", "Band", "Action needed", "By whom"]
PRIORITY_HEADER = ["Rank", "Benchmark", "Statement", "Mean", "Split", "Possible actions"]
SPLIT_HEADER = ["Benchmark", "Statement", "Ratings 1 / 2 / 3 / 4", "Agreement"]
FINDINGS_HEADER = ["Severity", "Sheet", "Cell", "Problem"]
INVITED_HEADER = ["Organisation", "Name", "E-mail", "Returned"]
ACTIONS_HEADER = ["Source", "Item", "Action", "Owner", "Due", "Overdue", "Unowned"]
ACTION_SOURCES = {"improvement": "Improvement plan", "fitness": "Fitness review", "benchmark": "Benchmark"}


class _Rows:
    """Rows of the sheet being built, with the 0-based positions of its parts (for formats and colours)."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self.headers: list[tuple[int, int]] = []           # (row, width) of each table header
        self.formats: dict[str, list[tuple[int, int]]] = {}
        self.fills: dict[str, list[tuple[int, int]]] = {}

    def add(self, row: list[Any]) -> int:
        self.rows.append(row)
        return len(self.rows) - 1

    def header(self, row: list[Any]) -> None:
        self.headers.append((self.add(row), len(row)))

    def fmt(self, number_format: str, r: int, *cols: int) -> None:
        self.formats.setdefault(number_format, []).extend((r, c) for c in cols)


def _title(out: _Rows, report: Any, when: str) -> None:
    r = report.score
    title = f"PartnerXL scores: {r.partnership_id} {r.partnership_name or ''} ({r.year})".replace("  ", " ")
    out.add([title + (" PROVISIONAL" if r.provisional else "")])
    out.add([f"Scored {when} from {plural(r.respondents, 'respondent')}. Scores are means on the 1–4 scale "
             "(4 = YES – working well); percent = (score − 1) ÷ 3 × 100. Press Score again after changing the "
             "review."])
    out.add([f"Settings used: {report.settings_words}."])
    if report.provisional_note:
        out.fills.setdefault(PROVISIONAL_COLOUR, []).append(
            (out.add([f"{report.provisional_note} The entries are listed below; Validate marks each cell."]), 0))
    out.add([None])


def _score_table(out: _Rows, r: Any) -> None:
    out.header(SCORE_HEADER)
    o = r.overall
    rows = [["Overall", "All four areas", o.score, o.percent, o.band, o.rag, None,
             None if o.score is not None else "Not scored: an area has too few ratings"]]
    rows += [[f"Area {a.id}", a.name, a.score, a.percent, a.band, a.rag, f"{a.benchmarks_rated} of "
              f"{a.benchmarks_total}", "Insufficient: fewer than half its benchmarks rated" if a.insufficient
              else None] for a in r.areas]
    for scored, row in zip([o, *r.areas], rows):
        i = out.add(row)
        out.fmt("0.00", i, 2)
        out.fmt("0", i, 3)
        if scored.rag:
            out.fills.setdefault(RAG_COLOURS[scored.rag], []).append((i, 5))
    out.add([None])
    share = r.action_in_hand_share
    out.fmt("0%", out.add(["Action in hand share", None, share, None, None, None, None,
                           "Ratings of 2 among ratings of 1 or 2" if share is not None else "No ratings of 1 or 2"]),
            2)
    out.add(["Instruments completed", instrument_words(r.instruments_completed)
             or "none"])
    out.add(["Unowned actions", len(r.unowned_actions)])
    out.add(["Overdue actions", r.overdue_actions, None, None, None, None, None,
             f"Due before {r.as_of:%d %b %Y}" if r.as_of else None])
    rate = out.add(["Response rate", f"{r.returned} of {len(r.invited)} invited returned", r.response_rate,
                    None, None, None, None, _response_note(r)])
    out.fmt("0%", rate, 2)
    if r.low_response:
        out.fills.setdefault(PROVISIONAL_COLOUR, []).append((rate, 7))
    out.add([None])


def _response_note(r: Any) -> str:
    if not r.invited:
        return "Nobody listed on the Invited sheet"
    if r.low_response:
        return "LOW RESPONSE: fewer than the share asked for returned; press Chase responses"
    return "Chase responses writes a form and an email for each one still to return" if r.returned < len(r.invited) \
        else "Everyone invited has returned"


def _invited_and_actions(out: _Rows, r: Any) -> None:
    """Who was invited and whether they returned; then the review's action register, overdue and unowned marked."""
    if r.invited:
        out.add(["Invited respondents"])
        out.header(INVITED_HEADER)
        for i in r.invited:
            out.add([i.organisation, i.name, i.email, "Yes" if i.returned else "Not yet"])
        out.add([None])
    if r.actions:
        out.add(["Actions (overdue: due before the as-of date; unowned: nobody named)"])
        out.header(ACTIONS_HEADER)
        for a in r.actions:
            i = out.add([ACTION_SOURCES.get(a.kind, a.kind), f"{a.id} {a.item}", a.action, a.owner, a.due,
                         "Overdue" if a.overdue else None, "Unowned" if a.unowned else None])
            out.fmt("dd/mm/yyyy", i, 4)
        out.add([None])


def _benchmark_table(out: _Rows, r: Any) -> None:
    areas = {a.id: a.name for a in r.areas}
    out.header(BENCH_HEADER)
    for b in r.benchmarks:
        i = out.add([b.id, areas.get(b.area_id, b.area_id), b.statement, b.n, b.mean, b.min, b.max,
                     *(b.counts.get(k, 0) for k in "1234"), b.agreement, "Split" if b.split else None,
                     "Priority" if b.priority else None, b.band, b.action_needed, b.by_whom])
        out.fmt("0.00", i, 4, 11)
    out.add([None])


def _priority_and_split(out: _Rows, r: Any) -> None:
    stats = {b.id: b for b in r.benchmarks}
    out.add(["Priority benchmarks (mean below 2.5 or split), lowest mean first"])
    out.header(PRIORITY_HEADER)
    for rank, bid in enumerate(r.priority_benchmarks, start=1):
        b = stats[bid]
        out.fmt("0.00", out.add([rank, b.id, b.statement, b.mean, "Split" if b.split else None,
                                 "; ".join(b.possible_actions)]), 3)
    if not r.priority_benchmarks:
        out.add([None, None, "None: no benchmark has a mean below 2.5 or split ratings."])
    out.add([None])
    out.add(["Split benchmarks (enough raters on each side of the scale: NO = 1 or 2, YES = 3 or 4)"])
    out.header(SPLIT_HEADER)
    for bid in r.split_benchmarks:
        b = stats[bid]
        out.fmt("0.00", out.add([b.id, b.statement, " / ".join(str(b.counts.get(k, 0)) for k in "1234"),
                                 b.agreement]), 3)
    if not r.split_benchmarks:
        out.add([None, "None: the respondents agree on every benchmark's side of the scale."])


def _findings_table(out: _Rows, r: Any) -> None:
    if not r.findings:
        return
    out.add([None])
    out.add(["Problems found in the review (entries with an error were left out of the scores)"])
    out.header(FINDINGS_HEADER)
    for f in sorted(r.findings, key=lambda f: f.severity != "error"):
        out.add([f.severity.capitalize(), f.sheet, f.cell, f.message])


def score_rows(report: Any, when: str) -> _Rows:
    """The Scores sheet of a ScoreReport as one block of rows, with where its headers, formats and colours go."""
    out = _Rows()
    result = report.score
    _title(out, report, when)
    _score_table(out, result)
    _benchmark_table(out, result)
    _priority_and_split(out, result)
    out.add([None])
    _invited_and_actions(out, result)
    _findings_table(out, result)
    return out


def write_scores_sheet(book: Any, report: Any, when: str) -> Any:
    """Replace the Scores sheet with a ScoreReport: one block of values, then formats, header and RAG colours."""
    out = score_rows(report, when)
    sheet = owned_sheet(book, SCORES_SHEET)
    write_block(sheet, "A1", out.rows)
    for number_format, cells in out.formats.items():
        format_cells(sheet, cells, number_format)
    fill_cells(sheet, [(r, c) for r, width in out.headers for c in range(width)], HEADER_COLOUR)
    for colour, cells in out.fills.items():
        fill_cells(sheet, cells, colour)
    autofit_columns(sheet)
    sheet.activate()
    return sheet
