"""Counts in words, as the summary lines say them: '1 warning', '2 warnings'."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and its noun, singular for exactly one (``plural`` otherwise, else the noun and s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
