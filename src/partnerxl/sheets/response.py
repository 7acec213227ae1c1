"""The response form's sheet → raw records: its header cells and each benchmark's rating and comment cells."""

from __future__ import annotations

from dataclasses import dataclass

from partnerxl.sheets import layout as L
from partnerxl.sheets.cells import a1, col_number, parse_a1
from partnerxl.sheets.columns import find_columns
from partnerxl.sheets.grid import Grid
from partnerxl.sheets.review import ItemTable, RawCell, parse_header, parse_items


@dataclass
class ResponseSheet:
    header: dict[str, RawCell]                  # partnership_id, partnership_name, year, respondent_name, organisation
    items: ItemTable                            # roles: rating, comment


def parse_response(grid: Grid, benchmark_ids: list[str]) -> ResponseSheet:
    spec = L.RESPONSE_SPEC
    # The header's values sit in the rating column, above its heading: a column inserted left of it moves both.
    rating = find_columns(grid, spec.header_row - 1, {"rating": spec.headers[spec.col("rating")]},
                          {"rating": spec.col("rating")})["rating"]
    shift = rating - (col_number(spec.col("rating")) - 1)
    fields = {key: (_shifted(ref, shift), label) for key, (ref, label) in L.RESPONSE_FIELDS.items()}
    return ResponseSheet(header=parse_header(grid, fields),
                         items=parse_items(grid, spec, ids=benchmark_ids, pattern=r"\d+\.\d+",
                                           roles=("rating", "comment")))


def _shifted(ref: str, columns: int) -> str:
    row, col = parse_a1(ref)
    return a1(row, col + columns)
