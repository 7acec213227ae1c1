"""The response form's sheet → raw records: its header cells and each benchmark's rating and comment cells."""

from __future__ import annotations

from dataclasses import dataclass

from partnerxl.sheets import layout as L
from partnerxl.sheets.grid import Grid
from partnerxl.sheets.review import ItemTable, RawCell, parse_header, parse_items


@dataclass
class ResponseSheet:
    header: dict[str, RawCell]                  # partnership_id, partnership_name, year, respondent_name, organisation
    items: ItemTable                            # roles: rating, comment


def parse_response(grid: Grid, benchmark_ids: list[str]) -> ResponseSheet:
    return ResponseSheet(header=parse_header(grid, L.RESPONSE_FIELDS),
                         items=parse_items(grid, L.RESPONSE_SPEC, ids=benchmark_ids, pattern=r"\d+\.\d+",
                                         roles=("rating", "comment")))
