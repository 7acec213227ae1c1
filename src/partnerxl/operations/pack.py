"""`partnerxl pack` and the Committee pack button: one PDF for committee.

The committee summary, the dashboard and every reviewed partnership's one-page summary, with page numbers. The
pages are laid out once, as a workbook (documents/committee_pack.py); the command line prints it to PDF with LibreOffice
headless, the button with Excel's own PDF export. Without LibreOffice the command says how to get it and stops
(exit 2), after writing nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerxl.core.errors import PartnerXLError
from partnerxl.core.portfolio import Portfolio
from partnerxl.operations.common import load_register, refuse_output_over_input, workbook_files
from partnerxl.operations.portfolio import PortfolioReport, portfolio


@dataclass
class PackReport(PortfolioReport):
    """The portfolio the pack was laid out from, its workbook and the PDF printed from it."""

    workbook: Path | None = None
    pdf: Path | None = None

    @property
    def headline(self) -> str:
        return f"Committee pack {self.portfolio.year}: {self.pdf or self.workbook}"



def pack_workbook_path(pdf: Path) -> Path:
    """The workbook the pack is printed from, beside the PDF."""
    return Path(pdf).with_suffix(".xlsx")


def write_pack_workbook(p: Portfolio, out: Path) -> Path:
    """The pack's pages as one workbook at `out` (what the button exports through Excel)."""
    from partnerxl.documents.committee_pack import pack_book

    return pack_book(p).save(Path(out))


def pack(register_path: str | Path, reviews_dir: str | Path, *, year: int, out: str | Path,
         as_of: dt.date | None = None, progress: Any = None) -> PackReport:
    """Read the register and the reviews, and write the committee pack: `out` (a .pdf) and its workbook beside it."""
    from partnerxl.documents.committee_pack import LIBREOFFICE_HELP, libreoffice, pdf_with_libreoffice

    register_path, out = Path(register_path), Path(out)
    if out.suffix.lower() != ".pdf":
        raise PartnerXLError("the committee pack is a PDF: give --out a name ending in .pdf.", file=str(out))
    if libreoffice() is None:
        raise PartnerXLError(LIBREOFFICE_HELP)
    register = load_register(register_path, as_of)
    paths = workbook_files(Path(reviews_dir), skip=(register_path,))
    book = pack_workbook_path(out)
    refuse_output_over_input(out, [register_path, *paths], option="--out")
    refuse_output_over_input(book, [register_path, *paths], option="--out")
    p = portfolio(register, paths, year=year, as_of=as_of, progress=progress)
    write_pack_workbook(p, book)
    return PackReport(findings=list(p.problems), portfolio=p, workbook=book, pdf=pdf_with_libreoffice(book, out))
