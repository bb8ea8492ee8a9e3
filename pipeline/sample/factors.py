"""Factors identified at the end of children-in-need assessments: ``factors.csv``.

Three years of assessments, one row per child per assessment, siblings sharing ``FAMILY``
and the assessment day. Volumes follow the shape of the council's toxic-trio funnel (seed
004: many families below the threshold or on child-in-need plans, far fewer on child
protection plans; most families with one of the three risks, multiple risks more common as
families go up the levels). Children assessed while looked after (``CLA``) are children in
``header.csv``, assessed in the first weeks of a period of care; the others have their own
ids. Factor codes are the CIN census codes (shared/domain/reference.md section 4); lists
are written with ``;`` in most families and ``,`` in some, as Mosaic exports vary.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from random import Random
from typing import NamedTuple

from pipeline.sample.days import YEAR
from pipeline.sample.draw import Weighted, chance, days_between

BELOW, CIN, CP, CLA = "BELOW_THRESHOLD", "CIN", "CP", "CLA"
FAMILIES_PER_YEAR = {BELOW: 250.0, CIN: 180.0, CP: 35.0}  # for the default 1,300 children
SIBLINGS = {
    BELOW: Weighted({1: 55, 2: 28, 3: 12, 4: 5}),
    CIN: Weighted({1: 50, 2: 30, 3: 14, 4: 6}),
    CP: Weighted({1: 35, 2: 35, 3: 20, 4: 10}),
}
TRIO_SHARE = {BELOW: 0.5, CIN: 0.6, CP: 0.75, CLA: 0.7}
RISK_COUNT = {
    BELOW: Weighted({1: 72, 2: 22, 3: 6}),
    CIN: Weighted({1: 60, 2: 28, 3: 12}),
    CP: Weighted({1: 40, 2: 35, 3: 25}),
    CLA: Weighted({1: 35, 2: 33, 3: 32}),
}
RISK_WEIGHTS = {"domestic": 0.6, "substance": 0.45, "mental": 0.5}
TRIO_CODES: dict[str, Weighted[tuple[str, ...]]] = {
    "domestic": Weighted({("3B",): 85, ("3A",): 10, ("3C",): 5}),
    "substance": Weighted({("1B",): 38, ("2B",): 38, ("1B", "2B"): 16, ("1C",): 4, ("2C",): 4}),
    "mental": Weighted({("4B",): 90, ("4C",): 10}),
}
OTHER_FACTORS = Weighted(
    {
        "16A": 20, "17A": 15, "14A": 8, "5B": 5, "6B": 6, "6A": 5, "5A": 4, "10A": 6, "11A": 3,
        "18C": 5, "19C": 2, "20": 8, "7A": 3, "24A": 3, "13A": 2, "15A": 3, "22A": 0.5,
        "23A": 0.5, "9A": 1,
    }
)  # fmt: skip
CLA_ASSESSED = 0.75  # share of periods of care starting with an assessment on record


class Assessment(NamedTuple):
    """A row of ``factors.csv``; the day is an ordinal."""

    child: str
    family: str
    day: int
    factors: str
    level: str


@dataclass
class LookedAfterStarts:
    """Periods of care that began in the assessment window (gathered while writing the cohort)."""

    first: int
    starts: dict[tuple[int, int], list[tuple[str, int, int]]] = field(default_factory=dict)

    def add(self, key: tuple[int, int], child: str, start: int, end: int) -> None:
        if start >= self.first - 30:
            self.starts.setdefault(key, []).append((child, start, end))


def window_start(extract: int) -> int:
    """The first day of the three years of assessments."""
    return extract - round(3 * YEAR)


def assessments(
    rng: Random,
    extract: int,
    scale: float,
    looked_after: LookedAfterStarts,
    new_child: Callable[[], str],
    new_family: Callable[[], str],
    family_of: Callable[[tuple[int, int]], str],
) -> Iterator[Assessment]:
    """Every assessment in the three years to ``extract``, by day, then FAMILY, then CHILD.

    Rows are made a day at a time, so memory stays small at national scale.
    """
    first = window_start(extract)
    levels = Weighted(FAMILIES_PER_YEAR)
    total = round(sum(FAMILIES_PER_YEAR.values()) * scale * 3)
    days = array("i", sorted(rng.randint(first, extract) for _ in range(total)))
    looked_after_days = _looked_after_assessments(rng, looked_after, first, extract)
    position, cla = 0, 0
    while position < len(days) or cla < len(looked_after_days):
        day = min(
            days[position] if position < len(days) else extract + 1,
            looked_after_days[cla][0] if cla < len(looked_after_days) else extract + 1,
        )
        rows: list[Assessment] = []
        while position < len(days) and days[position] == day:
            level = levels(rng)
            children = [new_child() for _ in range(SIBLINGS[level](rng))]
            rows += _family_rows(rng, level, day, new_family(), children)
            position += 1
        while cla < len(looked_after_days) and looked_after_days[cla][0] == day:
            _, key, children = looked_after_days[cla]
            rows += _family_rows(rng, CLA, day, family_of(key), children)
            cla += 1
        rows.sort(key=lambda a: (a.family, a.child))
        yield from rows


def _looked_after_assessments(
    rng: Random, looked_after: LookedAfterStarts, first: int, extract: int
) -> list[tuple[int, tuple[int, int], list[str]]]:
    """(day, family key, children) of assessments in the first weeks of a period of care."""
    found = []
    for key, members in looked_after.starts.items():
        if not chance(rng, CLA_ASSESSED):
            continue
        start = max(m[1] for m in members)
        day = min(start + days_between(rng, 7, 90), extract, min(m[2] for m in members) - 1)
        if first <= day and day >= start:
            found.append((day, key, [m[0] for m in members]))
    found.sort(key=lambda item: item[0])
    return found


def _family_rows(
    rng: Random,
    level: str,
    day: int,
    family: str,
    children: list[str],
) -> list[Assessment]:
    """One family's assessment: parental risks shared by the siblings, some factors per child."""
    separator = ";" if chance(rng, 0.75) else ","
    parental = _toxic_trio(rng, level) if chance(rng, TRIO_SHARE[level]) else []
    rows = []
    for child in children:
        codes = set(parental)
        extras = int(rng.random() * 3) + (0 if parental else 1)  # 0-2 more, or 1-3 alone
        codes.update(OTHER_FACTORS(rng) for _ in range(extras))
        if not parental and level == BELOW and chance(rng, 0.3):
            codes = {"21"}  # no factors identified
        listed = separator.join(sorted(codes, key=CODE_ORDER.__getitem__))
        rows.append(Assessment(child, family, day, listed, level))
    return rows


def _toxic_trio(rng: Random, level: str) -> list[str]:
    """Parental domestic abuse, substance misuse and mental health codes (one to three risks)."""
    count = RISK_COUNT[level](rng)
    order = sorted(RISK_WEIGHTS, key=lambda risk: -(rng.random() ** (1.0 / RISK_WEIGHTS[risk])))
    codes: list[str] = []
    for risk in order[:count]:
        codes += TRIO_CODES[risk](rng)
    return codes


_CODES = (f"{number}{letter}" for number in range(1, 25) for letter in ("", *"ABCDEF"))
CODE_ORDER = {code: index for index, code in enumerate(_CODES)}  # CIN census order: 1B, 3B, 16A
