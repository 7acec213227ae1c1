"""Small helpers for the words of the add-in's messages and sheets (standard library only: imported at start-up)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 error', '2 errors', '3 entries' (with `many`)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
