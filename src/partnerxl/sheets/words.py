"""The words a sheet or a message shows for PartnerXL's own codes: an instrument by the name officers use, a rating
by its drop-down label. The presenters (excel/) take them from here, so a sheet never spells them differently from
the findings, flags and templates that core and documents write."""

from __future__ import annotations

from collections.abc import Iterable

from partnerxl.core.instruments import load_instruments
from partnerxl.core.scoring import INSTRUMENT_WORDS

__all__ = ["INSTRUMENT_WORDS", "instrument_words", "rating_label"]


def instrument_words(names: Iterable[str]) -> str:
    """'Checklist, benchmark self-assessment' for instrument codes; an unknown code as it is."""
    return ", ".join(INSTRUMENT_WORDS.get(name, name) for name in names)


def rating_label(value: int | None) -> str | None:
    """The drop-down label for a rating (1 → 'NO – action is needed'), from the instrument in force."""
    if value is None:
        return None
    return next(lv.label for lv in load_instruments().benchmarks.scale if lv.value == value)
