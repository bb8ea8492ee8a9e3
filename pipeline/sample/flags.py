"""Dated person flags from Mosaic: ``flags.csv``.

- ``LT_MATCH`` on the day a foster placement became a long-term match (the episodes show
  the same carers moving from U3/U6 to U1/U4); it ends when that placement ends.
- ``RES_NO_FOSTER`` (about half) or ``RES_ASSESSED_NEED`` (about a third) for each
  stretch in residential care, from its first day to the day the child left residential.
- A few flags the pipeline does not use (``DISABILITY_REG``), which it should ignore with
  a warning, as councils send their whole flag table.
"""

from __future__ import annotations

from random import Random
from typing import NamedTuple

from pipeline.sample.care import CareRecord
from pipeline.sample.draw import Weighted, chance
from pipeline.sample.routes import Stay

RESIDENTIAL_REASON = Weighted({"RES_NO_FOSTER": 53, "RES_ASSESSED_NEED": 30, "": 17})
UNKNOWN_FLAG = "DISABILITY_REG"


class Flag(NamedTuple):
    """A row of ``flags.csv``; days are ordinals, 0 when empty."""

    child: str
    flag: str
    start: int
    end: int


def flags(rng: Random, child: str, record: CareRecord) -> list[Flag]:
    """The flags raised during one child's period of care."""
    found = [Flag(child, "LT_MATCH", start, end) for start, end in record.long_term]
    for start, end in record.residential:
        reason = RESIDENTIAL_REASON(rng)
        if reason:
            found.append(Flag(child, reason, start, end))
    return found


def other_flags(rng: Random, child: str, stays: list[Stay]) -> list[Flag]:
    """Flags the pipeline does not know: a disability register entry for some disabled children."""
    disabled = next((s for s in stays if s.cin == "N2"), None)
    if disabled is None or not chance(rng, 0.5):
        return []
    return [Flag(child, UNKNOWN_FLAG, disabled.start, 0)]
