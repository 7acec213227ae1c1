"""The bundled sample portfolio `partnerxl demo` runs on: a register and a folder of reviews with planted
mistakes, written by code (documents/sample.py), with the year and as-of date the demo reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    register: Path
    reviews_dir: Path
    council: str
    year: int
    as_of: dt.date


def write_sample(folder: str | Path, *, seed: int | None = None) -> Sample:
    """Write Register.xlsx and reviews/*.xlsx into `folder` (the same files for the same seed)."""
    from partnerxl.documents import sample

    register, reviews_dir, _models = sample.write_sample(Path(folder), sample.SEED if seed is None else seed)
    return Sample(register=register, reviews_dir=reviews_dir, council=sample.COUNCIL, year=sample.YEAR,
                  as_of=sample.AS_OF)
