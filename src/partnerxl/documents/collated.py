"""The collated review: a new copy of a review workbook with returned Response forms in free respondent columns.

What is collated is decided by `operations.plan_collate`; this module only writes it. The review itself is read
and never changed; the copy is written atomically, with the xlwings Lite scripts the review carries (openpyxl
would drop them). Each form's comments become notes on its rating cells.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from partnerxl.documents.fill import write_respondents
from partnerxl.documents.lite_extension import save_keeping_extension
from partnerxl.documents.template_parts import as_excel_writes
from partnerxl.sheets import layout as L


def collated_copy(review_path: Path, out_path: Path, added: list[tuple[str, Any]], rows: dict[str, int]) -> Path:
    """Write `review_path` plus each (column letter, ResponseBook) of `added` to `out_path`."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions it does not keep
        wb = load_workbook(review_path)
    write_respondents(wb[L.BENCHMARKS], [form.respondent for _col, form in added], [col for col, _form in added],
                      rows, [form.comments for _col, form in added])
    return save_keeping_extension(as_excel_writes(wb), out_path, review_path)  # the review's Lite scripts too
