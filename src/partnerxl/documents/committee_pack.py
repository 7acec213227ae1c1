"""The committee pack: one workbook whose pages are the committee summary, the dashboard and every partnership's
one-page summary, in that order, and its conversion to one PDF.

The workbook is the same layout the Portfolio workbook and the summaries use (so Excel's own PDF export, in the
add-in, and LibreOffice, from the command line, print the same pages); page numbers run through the whole pack.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.portfolio import Portfolio
from partnerxl.documents.dashboard import write_dashboard
from partnerxl.documents.portfolio_workbook import _Styles, _write_rows
from partnerxl.documents.summaries import summary_context, summary_sheet
from partnerxl.storage.writing import atomic_write
from partnerxl.documents.xlsx import Book, header_text, print_setup
from partnerxl.sheets import reports as R

LIBREOFFICE_HELP = ("LibreOffice is needed to make the PDF from the command line and was not found. Install it "
                    "(https://www.libreoffice.org/download, or 'sudo apt-get install libreoffice-calc' on Debian "
                    "and Ubuntu, or 'brew install --cask libreoffice' on a Mac) and run again; in Excel, the "
                    "Committee pack button makes the PDF without it.")


def pack_book(p: Portfolio) -> Book:
    """The pack's pages as one workbook: Committee summary, Dashboard, then a summary sheet per partnership."""
    book = Book(R.stamp_for(p.as_of), title=f"Committee pack {p.year}", subject=str(p.year),
                keywords="PartnerXL committee pack")
    st = _Styles(book)
    council = getattr(p.settings, "council_name", "") or ""
    committee = R.committee_sheet(p)
    ws = book.sheet(R.SHEET_COMMITTEE)
    _write_rows(ws, committee, st, p.settings)
    print_setup(ws, header=header_text(council, f"Committee pack {p.year}", f"As at {p.as_of:%d %B %Y}"),
                landscape=False)
    dash = book.sheet(R.SHEET_DASHBOARD)
    table = R.portfolio_sheets(p)[0]
    ctx = summary_context(p)
    for r in p.results:
        if r.current is not None:
            summary_sheet(book, f"{r.entry.id} {r.current.year}"[:31], r, ctx)
    data = book.sheet(R.SHEET_PORTFOLIO)  # the dashboard's scatter reads it; hidden, so not printed
    _write_rows(data, table, st, p.settings)
    data.hide()
    write_dashboard(book, dash, p, table, header=header_text(council, f"Committee pack {p.year}: dashboard",
                                                              f"As at {p.as_of:%d %B %Y}"))
    ws.activate()
    return book


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


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
