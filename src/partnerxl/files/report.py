"""The validation report workbook (`partnerxl validate --report OUT.xlsx`): every finding, one row each."""

from __future__ import annotations

from pathlib import Path

from partnerxl.core.findings import Finding, display_value
from partnerxl.sheets import layout as L

REPORT_COLUMNS = [("Severity", 10), ("Code", 26), ("File", 28), ("Sheet", 14), ("Cell", 8), ("Field", 24),
                  ("Value", 24), ("Message", 90)]


def write_report(findings: list[Finding], out_path: str | Path) -> Path:
    """Write the findings to a new workbook (atomically); every cell is text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from partnerxl.files.writing import save_workbook, set_text

    wb = Workbook()
    ws = wb.active
    ws.title = "Findings"
    for i, (name, width) in enumerate(REPORT_COLUMNS, start=1):
        c = ws.cell(row=1, column=i)
        set_text(c, name)
        c.font = Font(bold=True, color=L.HEADER_FONT)
        c.fill = PatternFill("solid", fgColor=L.HEADER_FILL)
        ws.column_dimensions[L.col_letter(i)].width = width
    red = PatternFill("solid", fgColor=L.NO_FILL)
    for r, f in enumerate(findings, start=2):
        values = [f.severity, f.code, f.file, f.sheet, f.cell, f.field, display_value(f.value), f.message]
        for i, v in enumerate(values, start=1):
            c = ws.cell(row=r, column=i)
            set_text(c, v if v not in ("", None) else None)
            c.alignment = Alignment(wrap_text=(i == len(values)), vertical="top")
        if f.severity == "error":
            ws.cell(row=r, column=1).fill = red
    if not findings:
        set_text(ws.cell(row=2, column=8), "No problems found.")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{L.col_letter(len(REPORT_COLUMNS))}{max(2, len(findings) + 1)}"
    return save_workbook(wb, Path(out_path))

