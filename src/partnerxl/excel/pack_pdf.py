"""The Committee pack button: the committee summary, the dashboard and every summary as one PDF, printed by
Excel itself (xlwings `Book.to_pdf`) from the pack workbook that `operations.write_pack_workbook` lays out.

Wire the ribbon to `partnerxl.excel.pack_pdf.committee_pack` (it takes the calling book, like every button).
"""

from __future__ import annotations

from typing import Any

from partnerxl.excel.caller import register_portfolio
from partnerxl.excel.wrapper import button

PACK_FOLDER = "committee pack"


def _committee_pack(book: Any) -> str:
    from partnerxl import operations as ops
    from partnerxl.excel.live import book_folder

    report = register_portfolio(book, "Committee pack")
    p = report.portfolio
    out = book_folder(book) / PACK_FOLDER / f"Committee pack {p.year}.pdf"
    workbook = ops.write_pack_workbook(p, ops.pack_workbook_path(out))
    pack = book.app.books.open(str(workbook))
    try:
        pack.to_pdf(str(out), show_prompt=False)   # Excel's own PDF export: every sheet, page numbers throughout
    finally:
        pack.close()
    return (f"Committee pack: {report.headline}; the committee summary, the dashboard and "
            f"{ops.plural(report.reviewed, 'partnership summary', 'partnership summaries')} in one PDF:\n{out}\n\n"
            f"Reviews read from {report.reviews_folder}.")


committee_pack = button("Committee pack")(_committee_pack)
