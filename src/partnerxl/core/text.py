"""How text typed by people is compared: one rule for ids, names and e-mail addresses, used everywhere.

Ids and names are compared by their *match key*: trimmed, Unicode NFKC-folded (so a full-width "Ｐ００１" is "P001"),
with invisible characters (zero-width spaces, joiners, soft hyphens, byte-order marks) removed, and case ignored.
The same key matches the register to a review, a review to a response form and either to a file name.
E-mail addresses are judged by `email-validator` (internationalised addresses accepted, no network look-ups), so
validation, the portfolio flags and the e-mail drafts agree on what a valid address is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Format characters (Unicode category Cf: zero-width space and joiners, soft hyphen, BOM, direction marks) are
# invisible in Excel, so two ids that differ only by them look the same to an officer.
_SPACES = re.compile(r"\s+")


def _visible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


@lru_cache(maxsize=8192)
def match_key(text: object) -> str:
    """The form in which two ids or names are compared: 'p001\u200b ' and 'P001' have the same key."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", _visible(str(text)))
    return _SPACES.sub(" ", folded).strip().casefold()


def same(a: object, b: object) -> bool:
    """Do two ids (or names) mean the same thing to an officer?"""
    return match_key(a) == match_key(b)


@lru_cache(maxsize=4096)
def valid_email(address: str | None) -> bool:
    """Is `address` a single, well-formed e-mail address (syntax only; nothing is looked up)?"""
    if not address or not str(address).strip():
        return False
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(str(address).strip(), check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
