"""The committee pack: one workbook whose pages are, in order, the cover (council, committee, meeting date, the
officer's recommendation, contents), the committee summary, the overview of every partnership, the dashboard, the
overdue and unowned actions and every partnership's one-page summary, and its conversion to one PDF.

Every page is A4 portrait at 100% with 9-point text; the pages' rows are set to the height their wrapped text needs
and the page breaks are placed here (so the contents' page numbers are the printed ones, whether Excel's own PDF
export, in the add-in, or LibreOffice, from the command line, prints it). Page numbers run through the whole pack.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from partnerxl.documents.pdf_print import libreoffice  # noqa: F401  (one way to find LibreOffice)
from partnerxl.core.errors import PartnerXLError
from partnerxl.core.portfolio import Portfolio
from partnerxl.documents.dashboard import write_dashboard
from partnerxl.documents.portfolio_workbook import _Styles, _write_rows
from partnerxl.documents.summaries import summary_context, summary_sheet
from partnerxl.documents.xlsx import Book, header_text, print_setup, put, table_lines
from partnerxl.sheets import pack_pages as P
from partnerxl.sheets import palette
from partnerxl.sheets import reports as R
from partnerxl.storage.writing import atomic_write

LIBREOFFICE_HELP = ("LibreOffice is needed to make the PDF from the command line and was not found. Install it "
                    "(https://www.libreoffice.org/download, or 'sudo apt-get install libreoffice-calc' on Debian "
                    "and Ubuntu, or 'brew install --cask libreoffice' on a Mac) and run again; in Excel, the "
                    "Committee pack button makes the PDF without it.")
# Rows of the pack's own pages that are not a line of body text: style → (font size, bold, height in points).
LOOKS = {"council": (12, True, 20.0), "big": (20, True, 32.0), "subtitle": (13, False, 22.0),
         "section": (R.SECTION_SIZE, True, 16.0), "title": (R.TITLE_SIZE, True, 24.0)}
MERGED = {"note", "para", "notes", "pair", "contents"}   # rows whose text spans several columns


def page_breaks(heights: list[float], *, repeat: int | None = None, keep: set[int] = frozenset(),
                page: float = R.PAGE_HEIGHT_PT) -> list[int]:
    """The rows that start a new page, for rows `heights` points tall on pages `page` points tall; the row
    `repeat` is printed again at the top of every later page; a row in `keep` stays on the page of the row above."""
    breaks: list[int] = []
    used = 0.0
    for i, h in enumerate(heights):
        if used + h > page and used > 0:
            at = i
            while at in keep and at - 1 > (breaks[-1] if breaks else 0):
                at -= 1
            breaks.append(at)
            used = (heights[repeat] if repeat is not None and at > repeat else 0.0) + sum(heights[at:i])
        used += h
    return breaks


class _PackStyles:
    """The formats of the pack's own pages (the cover, the overview, the action list)."""

    def __init__(self, book: Book):
        f = book.fmt
        self.f = f
        self.looks = {k: f(bold=bold, font_size=size, font_color=palette.TITLE_TEXT, valign="vcenter",
                           **({"bg_color": palette.SECTION} if k == "section" else {}))
                      for k, (size, bold, _h) in LOOKS.items()}
        self.looks["subtitle"] = f(font_size=13, font_color="404040", valign="vcenter")
        self.note = f(italic=True, font_color="404040", text_wrap=True)
        self.notes = f(italic=True, font_color="404040", text_wrap=True, indent=1)
        self.label = f(bold=True, text_wrap=True)
        self.wrap = f(text_wrap=True)
        self.page = f(align="right")
        self.header = f(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER, text_wrap=True,
                        border=1, border_color="BFBFBF")
        self.kinds = {"score": f(num_format=R.SCORE_FORMAT, align="center"), "count": f(align="center"),
                      "date": f(num_format=R.DATE_FORMAT, align="center"), "wrap": self.wrap, None: f()}
        self.colour = {rag: f(bg_color=c, align="center") for rag, c in R.RAG_COLOURS.items()}
        self.status = {w: f(bg_color=R.RAG_COLOURS[rag], text_wrap=True, indent=1)
                       for w, rag in P.STATUS_COLOURS.items()}

    def body(self, kind: str | None, value: Any) -> Any:
        if kind == "rag":
            return self.colour.get(value, self.f(align="center", bg_color=R.NOT_SCORED_COLOUR))
        if kind == "status":
            return self.status.get(str(value).split(";")[0], self.wrap)
        return self.kinds.get(kind, self.kinds[None])


def _merge(ws: Any, row: int, first: int, last: int, value: Any, fmt: Any) -> None:
    if last > first:
        ws.merge_range(row, first, row, last, None, fmt)
    put(ws, row, first, value, fmt)


def _span(sheet: R.SheetRows, style: str) -> tuple[int, int]:
    """The columns (first, last) a merged row's text spans."""
    last = len(sheet.widths) - 1
    return (1 if style in ("notes", "pair") else 0), (last - 1 if style == "contents" else last)


def row_heights(sheet: R.SheetRows) -> list[float]:
    """How tall each row of one of the pack's own pages is printed: its text wrapped in its columns."""
    heights = []
    for style, values in zip(sheet.styles, sheet.rows):
        if style in LOOKS:
            heights.append(LOOKS[style][2])
            continue
        if style in MERGED:
            first, end = _span(sheet, style)
            text = values[first] if len(values) > first else None
            lines = table_lines(text, sum(sheet.widths[first:end + 1]))
        else:
            lines = max([table_lines(v, sheet.widths[c], bold=style == "header") for c, v in enumerate(values)
                         if isinstance(v, str) and (style == "header" or sheet.kinds[c] in ("wrap", "status"))] or [1])
        heights.append(min(R.MAX_ROW_PT, max(R.ROW_PT, lines * R.LINE_PT + 3)))
    return heights


def _write_pack_rows(ws: Any, sheet: R.SheetRows, st: _PackStyles) -> list[float]:
    """Every row of one of the pack's own pages, each row as tall as its text needs; returns the heights (points)."""
    last = len(sheet.widths) - 1
    for c, width in enumerate(sheet.widths):
        ws.set_column(c, c, width)
    heights = row_heights(sheet)
    for r, (style, values) in enumerate(zip(sheet.styles, sheet.rows)):
        if style == "section":
            for c in range(last + 1):
                put(ws, r, c, values[c] if c < len(values) else None, st.looks[style])
        elif style in LOOKS:
            _merge(ws, r, 0, last, values[0], st.looks[style])
        elif style in MERGED:
            first, end = _span(sheet, style)
            fmt = st.notes if style == "notes" else st.note if style == "note" else st.wrap
            _merge(ws, r, first, end, values[first] if len(values) > first else None, fmt)
            if style == "pair":
                put(ws, r, 0, values[0], st.label)
            if style == "contents":
                put(ws, r, last, values[-1], st.page)
        else:
            for c, v in enumerate(values):
                kind = sheet.kinds[c] if c < len(sheet.kinds) else None
                put(ws, r, c, v, st.header if style == "header" else st.body(kind, v))
        ws.set_row(r, heights[r])
    return heights


def _paged(ws: Any, sheet: R.SheetRows, heights: list[float], header: str) -> int:
    """Page setup of a pack page (A4 portrait, 100%, heading row repeated) and its page breaks; returns its pages."""
    head = sheet.header_row
    print_setup(ws, header=header, landscape=False, fit_width=False,
                title_rows=(head, head) if head is not None else None)
    keep = {i for i, s in enumerate(sheet.styles) if s == "notes"}
    breaks = page_breaks(heights, repeat=head, keep=keep)
    if breaks:
        ws.set_h_pagebreaks(breaks)
    ws.print_area(0, 0, len(sheet.rows) - 1, len(sheet.widths) - 1)
    return len(breaks) + 1


def pack_book(p: Portfolio) -> Book:
    """The pack's pages as one workbook, in the order they are printed (see the module docstring)."""
    book = Book(R.stamp_for(p.as_of), title=f"Committee pack {p.year}", subject=str(p.year),
                keywords="PartnerXL committee pack")
    st, pst = _Styles(book), _PackStyles(book)
    st_settings = p.settings
    council = getattr(st_settings, "council_name", "") or ""
    meeting = ", ".join(x for x in (getattr(st_settings, "committee_name", ""),
                                    getattr(st_settings, "committee_date", "")) if x)
    header = header_text(council, f"Committee pack {p.year}" + (f": {meeting}" if meeting else ""),
                         f"As at {p.as_of:%d %B %Y}")
    cover = book.sheet(P.SHEET_COVER)
    pages: list[tuple[str, int, bool]] = []
    committee = R.committee_sheet(p)
    ws = book.sheet(R.SHEET_COMMITTEE)
    pages.append(("Committee summary", _paged(ws, committee, _write_rows(ws, committee, st, st_settings), header),
                  False))
    for sheet in (P.overview_sheet(p), None, P.action_sheet(p)):
        if sheet is None:
            write_dashboard(book, book.sheet(R.SHEET_DASHBOARD), p, header=header)
            pages.append(("Dashboard: ratings, movement and contribution against score", 1, False))
            continue
        ws = book.sheet(sheet.name)
        title = "Overview of the partnerships" if sheet.name == P.SHEET_OVERVIEW else \
            "Overdue actions and actions with no owner"
        pages.append((title, _paged(ws, sheet, _write_pack_rows(ws, sheet, pst), header), False))
    ctx = summary_context(p)
    reviewed = [r for r in p.results if r.current is not None]
    if reviewed:
        pages.append(("Partnership summaries, one page each", 0, False))
    for r in reviewed:
        summary_sheet(book, f"{r.entry.id} {r.current.year}"[:31], r, ctx)
        pages.append((f"{r.entry.id} {r.entry.name}", 1, True))
    _write_cover(cover, p, pages, pst, header)
    cover.activate()
    return book


def _write_cover(ws: Any, p: Portfolio, pages: list[tuple[str, int, bool]], st: _PackStyles, header: str) -> None:
    """The cover with its contents: each entry's first page, counted from the pages after the cover's own."""
    own = 1
    for _attempt in range(3):   # the cover's own length moves every page number after it
        at, contents = own + 1, []
        for title, count, indent in pages:
            contents.append((title, at, indent))
            at += count
        sheet = P.cover_sheet(p, contents)
        needed = len(page_breaks(row_heights(sheet))) + 1
        if needed <= own:
            break
        own = needed
    _paged(ws, sheet, _write_pack_rows(ws, sheet, st), header)


def pdf_with_libreoffice(workbook: Path, pdf: Path, *, timeout: int = 300) -> Path:
    """Convert `workbook` to `pdf` with LibreOffice headless (a private profile, so a running LibreOffice is not
    disturbed); PartnerXLError with how to get LibreOffice when it is not installed."""
    exe = libreoffice()
    if exe is None:
        raise PartnerXLError(LIBREOFFICE_HELP)
    with tempfile.TemporaryDirectory(prefix="partnerxl-pdf-") as tmp:
        work = Path(tmp)
        cmd = [exe, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--convert-to", "pdf",
               "--outdir", str(work), str(workbook)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except (subprocess.SubprocessError, OSError) as exc:
            raise PartnerXLError(f"LibreOffice could not make the PDF ({type(exc).__name__}). Close any "
                                 "LibreOffice window and run again.", file=str(workbook)) from None
        made = work / (workbook.stem + ".pdf")
        if not made.is_file():
            raise PartnerXLError("LibreOffice did not make the PDF. Run again; if it fails again, open the "
                                 "workbook in Excel and save it as PDF.", file=str(workbook))
        return atomic_write(Path(pdf), lambda tmp_path: shutil.copyfile(made, tmp_path))
