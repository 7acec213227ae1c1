"""The one error of the add-in build, shared by every step of it."""

from __future__ import annotations

from partnerxl.core.errors import PartnerXLError


class BuildError(PartnerXLError):
    """The add-in cannot be built from these sources (one line saying what to fix)."""
