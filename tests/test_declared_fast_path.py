"""The one-search fast path of the sheet-reach guard (storage/declared._near) never passes a sheet the full walk of
every reference (sheet_reach) would refuse, and settles ordinary sheets without that walk."""

import random

import pytest

from partnerxl.core.errors import PartnerXLError
from partnerxl.sheets.cells import col_letter
from partnerxl.storage.declared import MAX_CELLS, _near, check_sheet, sheet_reach


def _sheet(cells: list[tuple[int, int]], *, dimension: str | None = None, spans: str | None = None) -> bytes:
    rows: dict[int, list[int]] = {}
    for r, c in cells:
        rows.setdefault(r, []).append(c)
    body = "".join(
        f'<row r="{r}"{f" spans={chr(34)}{spans}{chr(34)}" if spans else ""}>'
        + "".join(f'<c r="{col_letter(c)}{r}"><v>1</v></c>' for c in cs) + "</row>"
        for r, cs in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{body}</sheetData></worksheet>").encode()


def test_near_agrees_with_the_full_walk_on_random_sheets():
    rng = random.Random(19)
    settled = 0
    for _ in range(3000):
        far_row = rng.choice([9, 99, 9_999, 10_000, 99_999, 1_048_576])
        far_col = rng.choice([5, 26, 27, 702, 703, 16_384])
        cells = [(rng.randint(1, far_row), rng.randint(1, far_col)) for _ in range(rng.randint(1, 6))]
        dim = rng.choice([None, "A1", f"A1:{col_letter(far_col)}{far_row}", "A1:XFD1048576"])
        spans = rng.choice([None, "1:5", f"1:{far_col}"])
        data = _sheet(cells, dimension=dim, spans=spans)
        rows, cols = sheet_reach(data)
        if _near(data):
            settled += 1
            assert rows * cols <= MAX_CELLS, (cells, dim, spans)
    assert settled > 300  # the fast path is taken, not only the walk


def test_a_far_cell_is_still_refused_and_a_review_sized_sheet_is_settled_by_one_search():
    with pytest.raises(PartnerXLError, match="XFD1048576"):
        check_sheet(_sheet([(1, 1), (1_048_576, 16_384)]), "Benchmarks", "Review.xlsx")
    with pytest.raises(PartnerXLError, match="AB100000"):
        check_sheet(_sheet([(1, 1), (100_000, 28)]), "Benchmarks", "Review.xlsx")
    review_sized = _sheet([(r, c) for r in range(1, 40) for c in range(1, 22)], dimension="A1:U39", spans="1:21")
    assert _near(review_sized)
    check_sheet(review_sized, "Benchmarks", "Review.xlsx")
