"""The validation report workbook (`partnerxl validate --report OUT.xlsx`): every finding, one row each.

Written with XlsxWriter (documents/xlsx.py): every cell is text, never a formula; headings repeat on every printed page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from partnerxl.core.findings import Finding, display_value
from partnerxl.sheets import palette

REPORT_COLUMNS = [("Severity", 10), ("Problem", 26), ("File", 28), ("Sheet", 14), ("Cell", 8), ("Field", 24),
                  ("Value", 24), ("Message", 90)]
# A fixed document date: the report is the same file for the same findings, whenever it is run.
REPORT_STAMP = dt.datetime(2000, 1, 1, 12, 0, 0)


def write_report(findings: list[Finding], out_path: str | Path) -> Path:
    """Write the findings to a new workbook (atomically); every cell is text, never a formula."""
    from partnerxl.documents.xlsx import Book, header_text, print_setup, put, text_lines

    book = Book(REPORT_STAMP, title="Validation report", keywords="PartnerXL validation report")
    ws = book.sheet("Findings")
    head = book.fmt(bold=True, font_color=palette.HEADER_TEXT, bg_color=palette.HEADER, text_wrap=True)
    plain, wrap, red = book.fmt(), book.fmt(text_wrap=True), book.fmt(bg_color=palette.ERROR_MARK)
    for i, (name, width) in enumerate(REPORT_COLUMNS):
        put(ws, 0, i, name, head)
        ws.set_column(i, i, width)
    for r, f in enumerate(findings, start=1):
        values = [f.severity.capitalize(), f.title, f.file, f.sheet, f.cell, f.field, display_value(f.value),
                  f.message]
        for i, v in enumerate(values):
            fmt = red if i == 0 and f.severity == "error" else wrap if i == len(values) - 1 else plain
            put(ws, r, i, v if v not in ("", None) else None, fmt)
        lines = text_lines(f.message, REPORT_COLUMNS[-1][1])
        if lines > 1:
            ws.set_row(r, lines * 11 + 3)
    if not findings:
        put(ws, 1, len(REPORT_COLUMNS) - 1, "No problems found.", plain)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(findings)), len(REPORT_COLUMNS) - 1)
    print_setup(ws, header=header_text("", "PartnerXL validation report", ""), title_rows=(0, 0))
    return book.save(Path(out_path))
