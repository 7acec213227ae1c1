"""The validation report workbook (`partnerxl validate --report OUT.xlsx`): every finding, one row each.

Written with XlsxWriter (documents/xlsx.py): every cell is text, never a formula. Errors are listed first (then
warnings, each in the order they were found). It prints on A4 landscape at 100% (9-point text, every column across
one page, long values wrapped, never cut off) with the heading row on every page and the council, when given, and
the as-of date in the page header.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from partnerxl.core.findings import Finding, display_value
from partnerxl.sheets import palette

# (heading, width): 132 units of Arial 10 print across one A4 landscape page at 100%.
REPORT_COLUMNS = [("Severity", 8.5), ("Problem", 18), ("File", 17), ("Sheet", 11), ("Cell", 6), ("Field", 16),
                  ("Value", 18), ("Message", 37)]
WRAPPED = {"Problem", "File", "Sheet", "Field", "Value", "Message"}
SEVERITY_ORDER = {"error": 0, "warning": 1}
# A fixed document date: the report is the same file for the same findings, whenever it is run.
REPORT_STAMP = dt.datetime(2000, 1, 1, 12, 0, 0)


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings (then anything else), each in the order found."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)))


def write_report(findings: list[Finding], out_path: str | Path, *, council: str = "",
                 as_of: dt.date | None = None) -> Path:
    """Write the findings to a new workbook (atomically); every cell is text, never a formula."""
    from partnerxl.documents.xlsx import Book, header_text, print_setup, put, table_lines
    from partnerxl.sheets import reports as R

    book = Book(REPORT_STAMP, title="Validation report", keywords="PartnerXL validation report")
    ws = book.sheet("Findings")
    head = book.fmt(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER, text_wrap=True)
    plain, wrap = book.fmt(), book.fmt(text_wrap=True)
    marks = {"error": book.fmt(bg_color=palette.ERROR_MARK, bold=True), "warning": plain}
    for i, (name, width) in enumerate(REPORT_COLUMNS):
        put(ws, 0, i, name, head)
        ws.set_column(i, i, width)
    for r, f in enumerate(ordered(findings), start=1):
        values = [f.severity.capitalize(), f.title, f.file, f.sheet, f.cell, f.field, display_value(f.value),
                  f.message]
        lines = 1
        for i, v in enumerate(values):
            name, width = REPORT_COLUMNS[i]
            fmt = marks.get(f.severity, plain) if i == 0 else wrap if name in WRAPPED else plain
            put(ws, r, i, v if v not in ("", None) else None, fmt)
            if name in WRAPPED and v:
                lines = max(lines, table_lines(v, width))
        ws.set_row(r, min(R.MAX_ROW_PT, max(R.ROW_PT, lines * R.LINE_PT + 3)))
    if not findings:
        put(ws, 1, len(REPORT_COLUMNS) - 1, "No problems found.", plain)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(findings)), len(REPORT_COLUMNS) - 1)
    n = {k: sum(1 for f in findings if f.severity == k) for k in SEVERITY_ORDER}
    counts = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in n.items())
    print_setup(ws, header=header_text(council, f"PartnerXL validation report: {counts}",
                                       f"As at {as_of:%d %B %Y}" if as_of else ""),
                title_rows=(0, 0), fit_width=False)
    return book.save(Path(out_path))
