"""`partnerxl summaries`: one page per partnership reviewed in the year, A4 portrait, printed at 100%.

A summary holds values only — no formulas, macros, hidden sheets or external links — and only its own
partnership's data (plus the portfolio's average area scores for the chart). Every string is written as text, so
`=HYPERLINK(...)` stays text. The page is never shrunk to fit: summary_sections.py collects the rows with their
heights, and the lists are shortened ("and N more") until the page fits one A4 page with 9-point body text. The
chart is a native Excel column chart of the four areas on the 1 to 4 scale: this review (in its RAG colours), the
previous review and the portfolio's average.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from partnerxl.core.cycle import corrections_by_date
from partnerxl.core.portfolio import PartnershipResult, Portfolio
from partnerxl.core.results import action_counts, action_words, key_actions, response_words
from partnerxl.core.scoring import priority_cutoff
from partnerxl.documents import summary_sections as sections
from partnerxl.storage.names import inside, safe_part
from partnerxl.storage.writing import check_not_open
from partnerxl.documents.xlsx import Book, header_text, put
from partnerxl.sheets import palette
from partnerxl.sheets import reports as R

DATA_COL = 8           # the chart's data: columns I to L, beside the page and hidden
CHART_FONT = {"name": R.FONT, "size": 8}


class _Reading:
    """Limits that note which of their fields a section reads, and the values it saw."""

    __slots__ = ("_limits", "seen")

    def __init__(self, limits: sections.Limits) -> None:
        self._limits = limits
        self.seen: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._limits, name)
        self.seen[name] = value
        return value


def plan_page(result: PartnershipResult, ctx: Any) -> sections.Page:
    """The rows of the summary, with lists shortened until the page fits one A4 page at 100%, then lengthened
    again where a later cut left room."""
    # The search below tries some 26 sets of limits, each differing from the last in one list, and building every
    # section for each was most of a summary's time. A section's rows depend only on the limits it reads, so they
    # are kept by the names it was seen to read (a branch may read more) and their values, and a trial builds
    # again only the sections whose values changed: the same rows in the same order, so the same page and height.
    kept: dict[Any, dict[tuple[str, ...], dict[tuple, list[sections.Row]]]] = {s: {} for s in sections.SECTIONS}

    def rows_of(section: Any, limits: sections.Limits) -> list[sections.Row]:
        for names, by_values in kept[section].items():
            rows = by_values.get(tuple(getattr(limits, name) for name in names))
            if rows is not None:
                return rows
        page, reading = sections.Page(), _Reading(limits)
        section(page, result, ctx, reading)
        kept[section].setdefault(tuple(reading.seen), {})[tuple(reading.seen.values())] = page.rows
        return page.rows

    def build(limits: sections.Limits) -> sections.Page:
        page = sections.Page()
        for section in sections.SECTIONS:
            page.rows += rows_of(section, limits)
        return page

    limits: sections.Limits | None = sections.Limits()
    while True:
        page = build(limits)
        if page.height <= R.PAGE_HEIGHT_PT:
            break
        smaller = limits.tighter()
        if smaller is None:
            return page
        limits = smaller
    return build(limits.loosened(lambda trial: build(trial).height <= R.PAGE_HEIGHT_PT))


def _formats(book: Book) -> dict[str, Any]:
    f = book.fmt
    return {"section": f(bold=True, font_size=R.SECTION_SIZE, font_color=palette.TITLE_TEXT, bg_color=palette.SECTION,
                         valign="vcenter")}


def _title_format(book: Book, row: sections.Row) -> Any:
    """The title at the size the plan chose for it (14 pt, or 12 pt for a long name), wrapped, never cut."""
    return book.fmt(bold=True, font_size=row.style.get("size", R.TITLE_SIZE), font_color=palette.TITLE_TEXT,
                    valign="vcenter", text_wrap=True)


def _cell_format(book: Book, row: sections.Row, i: int) -> Any:
    st = row.style
    props: dict[str, Any] = {"text_wrap": True}
    if row.kind == "line":
        props.update(italic=st.get("italic", False), font_size=st.get("size", R.BODY_SIZE))
    if row.kind == "pair":
        props["bold"] = i == 0 or st.get("bold", False)
        if i == 1 and st.get("fill"):
            props["bg_color"] = st["fill"]
    if row.kind == "cells":
        props["bold"] = st.get("bold", False)
        fill = st.get("fills", {}).get(i)
        if fill:
            props["bg_color"] = fill
        if i in st.get("formats", {}):
            props.update(num_format=st["formats"][i], align="center")
        elif i > 0 and row.spans[i][0] >= 2 and row.spans[i][0] < 5 and len(row.spans) == 5:
            props["align"] = "center"
    return book.fmt(**props)


def _write_page(book: Book, ws: Any, page: sections.Page) -> tuple[int, int]:
    """Write the rows; returns (the chart's row, the score table's first data row)."""
    fixed = _formats(book)
    chart_row = table_row = -1
    for r, row in enumerate(page.rows):
        ws.set_row(r, row.height)
        if row.kind == "chart":
            chart_row = r
            continue
        if row.kind == "cells" and row.values and row.values[0] == "Area" and table_row < 0:
            table_row = r + 1
        for i, (value, (c1, c2)) in enumerate(zip(row.values, row.spans)):
            fmt = _title_format(book, row) if row.kind == "title" else fixed.get(row.kind) or _cell_format(book, row, i)
            if c2 > c1:
                ws.merge_range(r, c1, r, c2, "", fmt)
            put(ws, r, c1, value, fmt)
    return chart_row, table_row


def _chart(book: Book, ws: Any, result: PartnershipResult, averages: dict[str, float], *, at: tuple[int, int],
           sheet: str = R.SUMMARY_SHEET) -> None:
    """Four areas on the 1–4 scale: this review in RAG colours, the previous review and the portfolio average."""
    chart_row, first = at
    assert result.current is not None
    areas = result.current.score.areas
    prev = {a.id: a.score for a in result.previous.score.areas} if result.previous else {}
    heads = ["Area", f"This review ({result.current.year})",
             f"Previous review ({result.previous.year})" if result.previous else "Previous review",
             "Portfolio average"]
    for c, h in enumerate(heads):
        put(ws, first - 1, DATA_COL + c, h)
    for i, a in enumerate(areas):
        for c, v in enumerate([a.name, a.score, prev.get(a.id), averages.get(a.id)]):
            put(ws, first + i, DATA_COL + c, v)
    last = first + len(areas) - 1
    chart = book.wb.add_chart({"type": "column"})
    colours = ["#" + R.RAG_COLOURS.get(a.rag or "", R.NOT_SCORED_COLOUR) for a in areas]
    overall = result.current.score.overall.rag or ""
    series = [(1, {"fill": {"color": "#" + R.RAG_COLOURS.get(overall, R.NOT_SCORED_COLOUR)}, "points": [{"fill": {"color": c}, "border": {"color": "#595959"}} for c in colours],
                   "data_labels": {"value": True, "num_format": "0.00", "font": CHART_FONT}})]
    if result.previous:
        series.append((2, {"fill": {"color": "#" + R.PREVIOUS_COLOUR}}))
    if averages:
        series.append((3, {"fill": {"color": "#" + R.AVERAGE_COLOUR}}))
    for col, extra in series:
        chart.add_series({"name": [sheet, first - 1, DATA_COL + col], "gap": 80,
                          "categories": [sheet, first, DATA_COL, last, DATA_COL],
                          "values": [sheet, first, DATA_COL + col, last, DATA_COL + col], **extra})
    chart.set_y_axis({"min": 1, "max": 4, "major_unit": 1, "num_format": "0", "num_font": CHART_FONT,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, "crosses": 1})
    chart.set_x_axis({"num_font": CHART_FONT})
    chart.set_legend({"position": "right", "font": CHART_FONT})
    chart.set_title({"name": "Area scores, 1 to 4 (this review in its red, amber or green rating)",
                     "name_font": {"name": R.FONT, "size": 9, "bold": True}})
    chart.show_hidden_data()
    chart.set_size({"width": 600, "height": int(R.CHART_HEIGHT_PT * 4 / 3) - 6})
    ws.insert_chart(chart_row, 0, chart, {"x_offset": 4, "y_offset": 3, "object_position": 3})
    ws.set_column(DATA_COL, DATA_COL + 3, 12, None, {"hidden": True})


def _logo(ws: Any, path: str) -> None:
    """The council's logo at the top right, 40 points high, when the setting names an image that exists."""
    from xlsxwriter.image import Image

    if not path or not Path(path).is_file():
        return
    try:
        image = Image(path)
    except Exception:  # noqa: BLE001 — not an image XlsxWriter can read: the summary goes out without it
        return
    scale = 40 * 4 / 3 / max(1.0, image.height)
    ws.insert_image(0, sections.LAST, path, {"x_scale": scale, "y_scale": scale, "object_position": 3,
                                             "x_offset": 20})


def summary_book(result: PartnershipResult, ctx: Any) -> Book:
    """The one-page summary of `result` (which must have a current review); `ctx` is `summary_context`'s."""
    assert result.current is not None
    e, year = result.entry, result.current.year
    book = Book(R.stamp_for(ctx.as_of), title=f"Annual review summary {e.id} {year}", subject=str(year),
                keywords="PartnerXL summary", custom=draft_facts(result, ctx))
    summary_sheet(book, R.SUMMARY_SHEET, result, ctx)
    return book


def summary_sheet(book: Book, name: str, result: PartnershipResult, ctx: Any) -> Any:
    """Write the summary page of `result` as sheet `name` of `book` (a summary file, or a page of the pack)."""
    assert result.current is not None
    ws = book.sheet(name)
    for i, width in enumerate(R.SUMMARY_COLUMNS.values()):
        ws.set_column(i, i, width)
    page = plan_page(result, ctx)
    chart_row, table_row = _write_page(book, ws, page)
    if chart_row >= 0 and table_row >= 0:
        _chart(book, ws, result, ctx.averages, at=(chart_row, table_row), sheet=name)
    _logo(ws, ctx.settings.logo_path)
    council = ctx.settings.council_name
    ws.set_paper(R.PAPER_A4)
    ws.set_portrait()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_header(header_text(council, f"Annual review summary {result.current.year}", f"As at {ctx.as_of:%d %B %Y}"),
                  {"margin": 0.25})
    ws.set_footer(R.FOOTER, {"margin": 0.25})
    ws.set_print_scale(100)
    ws.print_area(0, 0, len(page.rows) - 1, sections.LAST)
    ws.hide_gridlines(2)
    return ws


def draft_facts(result: PartnershipResult, ctx: Any) -> dict[str, str]:
    """What the e-mail draft says about this summary, in the page's own words and counts (core/results.py), kept in
    the file's document properties so that `partnerxl email` needs only the summaries folder and the register."""
    assert result.current is not None
    score, s = result.current.score, ctx.settings
    overall = score.overall
    rating = (f"{overall.score:.2f} ({overall.band}, {overall.rag})" if overall.score is not None
              else "not scored (not enough ratings)")
    listed = key_actions(result.actions)
    n = len(score.priority_benchmarks)
    shown = min(n, R.MAX_PRIORITY)
    facts = {"PartnerXL partnership": result.entry.id, "PartnerXL year": str(result.current.year),
             "Overall rating": rating, "Direction": sections.direction_of(result),
             "Responses": response_words(score.returned, len(score.invited), score.respondents),
             "Recommendation": result.recommendation.line if result.recommendation else "",
             "Flags": "\n".join(f"{f.label}: {f.reason}" for f in result.flags),
             "Priority benchmarks": (f"{n} (average below {priority_cutoff():g}, or partners split); "
                                     + (f"the first {shown} are" if shown < n else "all are" if n > 1 else "it is")
                                     + " on the summary with possible actions") if n else "none",
             "Key actions": action_counts(listed),
             "Overdue actions": "\n".join(_action_line(a) for a in listed if a.overdue),
             "Unowned actions": "\n".join(_action_line(a) for a in listed if a.unowned and not a.overdue),
             "Corrections by": f"{ctx.corrections_by:%d %B %Y}",
             "Committee": " on ".join(x for x in (s.committee_name, s.committee_date) if x),
             "Sender": s.officer_name, "Signature": s.officer_signature, "Council": s.council_name}
    # A document property holds at most 255 characters: longer text is kept in numbered parts, joined on reading.
    out: dict[str, str] = {}
    for key, value in facts.items():
        for i in range(0, len(value), 250):
            out[key if i == 0 else f"{key} ({i // 250 + 1})"] = value[i:i + 250]
    return out


def _action_line(a: Any) -> str:
    """One action for the e-mail, as the summary's table gives it: what, who, when."""
    return (f"{action_words(a)}: {a.owner or 'no owner'}, "
            + (f"due {a.due:%d %b %Y}" + (" (overdue)" if a.overdue else "") if a.due else "no due date"))


def summary_context(portfolio: Portfolio) -> SimpleNamespace:
    """What every summary needs from the portfolio besides its own partnership (small, sent to workers)."""
    return SimpleNamespace(as_of=portfolio.as_of, settings=portfolio.settings, averages=portfolio.area_averages,
                           reply_by=portfolio.reply_by,
                           corrections_by=corrections_by_date(portfolio.as_of, portfolio.settings))


def _summary_task(args: tuple) -> Path:
    result, ctx, path = args
    return summary_book(result, ctx).save(path)


def summary_paths(portfolio: Portfolio, out_dir: Path) -> list[Path]:
    """Where `write_summaries` will write, one path per partnership reviewed in the portfolio's year."""
    return [inside(Path(out_dir), R.summary_file_name(safe_part(r.entry.id), portfolio.year))
            for r in portfolio.results if r.current is not None]


def write_summaries(portfolio: Portfolio, out_dir: Path, *, pdf: bool = False, progress: Any = None) -> list[Path]:
    """Write `Summary <id> <year>.xlsx` for every partnership reviewed in the portfolio's year (in worker processes
    for a large portfolio; the files are identical either way). `pdf`: print each to `Summary <id> <year>.pdf`
    beside it as well (print_summaries; LibreOffice must be installed: the operation decides). `progress(done,
    total)`, if given, is told as they are written."""
    from partnerxl.storage.parallel import run_all

    todo = [r for r in portfolio.results if r.current is not None]
    paths = summary_paths(portfolio, out_dir)
    for path in paths:  # refuse before writing anything if one of the outputs is open in Excel
        check_not_open(path)
    ctx = summary_context(portfolio)
    written = run_all(_summary_task, [(r, ctx, path) for r, path in zip(todo, paths)], progress=progress)
    if pdf:
        print_summaries(written, portfolio.as_of)
    return written


def print_summaries(paths: list[Path], as_of: Any) -> list[Path]:
    """A PDF of each written summary beside it, in one LibreOffice run, reproducible (documents/pdf_print.py); the
    e-mail drafts attach it. PartnerXLError when LibreOffice is not installed (pdf_print.libreoffice() says)."""
    from partnerxl.documents.pdf_print import print_pdfs

    return print_pdfs(list(paths), R.stamp_for(as_of))
