"""Who comes into care, when, and how each period of care is planned to end.

The first of two stages. Families (one child, or siblings who come into care together)
arrive at a steady rate; each period of care (a :class:`Stay`) gets a *route* (adoption,
special guardianship, return home, staying until 18, ...) with its legal timeline and its
planned end. The second stage (:mod:`pipeline.sample.care`) turns a stay into placements
and episodes. Planned ends may lie after the extract date: that is the children's future,
used for cases already in the legal pipeline, and cut off when the files are written.

The shapes follow the DfE's national figures and the sample council's seed report: ages at
entry (under 1: 20%, 1-4: 15%, 5-9: 17%, 10-15: 33%, 16+: 15%), legal status at entry
(about 40% s20 V2, 40% interim care order C1, 10% police protection or EPO, 3% youth
justice) and routes out (about a quarter home to parents, a quarter at 18, a fifth by
special guardianship, a tenth adopted).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from random import Random

from pipeline.sample.days import NEVER, YEAR, shift_years
from pipeline.sample.draw import Deck, Weighted, chance, days_between, lognormal_days
from pipeline.sample.routes import (
    ADOPT,
    CAO,
    COURT_HOME,
    LONG,
    OLDER,
    OTHER,
    P1_HOME,
    SGO,
    SHORT_BREAKS,
    SINGLE_CHILD_ROUTES,
    UASC,
    V2_HOME,
    YOUTH,
    Stay,
    draw_stay,
)

# Age bands at entry (DfE "children who started to be looked after").
AGE_BANDS = {0: 20, 1: 15, 2: 17, 3: 33, 4: 15}
BAND_YEARS = {0: (0.0, 1.0), 1: (1.0, 5.0), 2: (5.0, 10.0), 3: (10.0, 16.0), 4: (16.0, 17.9)}

ROUTES_BY_BAND: dict[int, dict[str, float]] = {
    0: {ADOPT: 38, SGO: 30, P1_HOME: 10, V2_HOME: 7, COURT_HOME: 6, LONG: 6, CAO: 3, OTHER: 2},
    1: {ADOPT: 22, SGO: 33, P1_HOME: 11, V2_HOME: 10, COURT_HOME: 5, LONG: 13, CAO: 4, OTHER: 4},
    2: {SGO: 32, P1_HOME: 11, V2_HOME: 11, COURT_HOME: 4, LONG: 33, CAO: 4, OTHER: 7},
    3: {
        SGO: 15,
        P1_HOME: 7,
        V2_HOME: 12,
        COURT_HOME: 3,
        LONG: 36,
        CAO: 2,
        OTHER: 10,
        YOUTH: 8,
        UASC: 3,
    },
    4: {OLDER: 70, UASC: 12, YOUTH: 6, V2_HOME: 8, OTHER: 4},
}
FAMILY_SIZES = {1: 62, 2: 23, 3: 10, 4: 4, 5: 1}

ETHNIC = Weighted(
    {
        "WBRI": 815, "WOTH": 45, "WIRI": 5, "WIRT": 10, "WROM": 10, "MWBC": 20, "MWBA": 8,
        "MWAS": 15, "MOTH": 20, "AIND": 3, "APKN": 3, "ABAN": 2, "AOTH": 8, "BCRB": 5,
        "BAFR": 8, "BOTH": 5, "CHNE": 2, "OOTH": 6, "REFU": 4, "NOBT": 6,
    }
)  # fmt: skip
UASC_ETHNIC = Weighted({"AOTH": 35, "BAFR": 25, "OOTH": 25, "BOTH": 10, "WOTH": 5})


# The council's history (see :func:`history`): a rise to a peak and back again.
HISTORY = tuple(dt.date(*ymd).toordinal() for ymd in ((2018, 4, 1), (2019, 10, 1), (2020, 10, 1)))
PEAK = 0.05  # 5% above the usual number in care at the peak
SURPLUS = 1.6  # candidate arrivals per expected arrival
GATEKEEPING = 6.0  # 5% more children in care than planned: 30% fewer arrivals

# Chance that a family comes back into care after a period ending this way.
REENTRY = {"E4A": 0.30, "E4B": 0.38, "E13": 0.20, "E14": 0.20, "E9": 0.10}


@dataclass(slots=True)
class Child:
    """A child's fixed facts; which stays they took part in follows from the 18th birthday."""

    dob: int
    sex: str
    adult: int = field(init=False)  # the 18th birthday

    def __post_init__(self) -> None:
        self.adult = shift_years(self.dob, 18)

    def end_of(self, stay: Stay) -> int:
        """The child's last day in ``stay``: its planned end or the 18th birthday."""
        return min(stay.end, self.adult)

    def takes_part(self, stay: Stay) -> bool:
        """Whether the child was still under 18 when ``stay`` began."""
        return self.adult > stay.start


@dataclass(slots=True)
class Family:
    """Siblings who come into (and go out of) care together; most families are one child."""

    children: list[Child]
    stays: list[Stay]
    ethnic: str
    echo_case: int = -1  # index of the ECHo prevention case this family came from

    @property
    def first_start(self) -> int:
        return self.stays[0].start

    def overlaps(self, first: int, last: int) -> list[Child]:
        """The children with a day in care between ``first`` and ``last``."""
        return [
            c
            for c in self.children
            if any(c.takes_part(s) and s.start <= last and c.end_of(s) >= first for s in self.stays)
        ]


class Census:
    """How many children are in care on a day, as planned so far (arrivals come in date order)."""

    def __init__(self) -> None:
        self._waiting: list[tuple[int, int]] = []  # (first day, day after) of stays not begun
        self._ends: list[int] = []  # the day each child now in care leaves

    def add(self, family: Family) -> None:
        for child in family.children:
            for stay in family.stays:
                if child.takes_part(stay):
                    heapq.heappush(self._waiting, (stay.start, child.end_of(stay)))

    def count(self, day: int) -> int:
        while self._waiting and self._waiting[0][0] <= day:
            heapq.heappush(self._ends, heapq.heappop(self._waiting)[1])
        while self._ends and self._ends[0] <= day:
            heapq.heappop(self._ends)
        return len(self._ends)


def regular_families(
    rng: Random,
    first: int,
    last: int,
    per_year: float,
    in_care: float,
) -> Iterator[Family]:
    """Families arriving between ``first`` and ``last``, in date order.

    Candidates come at ``per_year`` times :data:`SURPLUS` on a jittered grid; each is taken
    with a probability that falls as the number in care rises above ``in_care`` times the
    council's history (:func:`history`): its gatekeeping, in effect. This keeps the number
    in care on course whatever the seed, while the ups and downs of individual children remain.
    """
    intake, census = Intake(rng), Census()
    count = round((last - first) / YEAR * per_year * SURPLUS)
    step = (last - first) / max(count, 1)
    for index in range(count):
        start = first + int((index + rng.random()) * step)
        planned = in_care * history(start)
        above = (census.count(start) - planned) / planned
        if rng.random() * SURPLUS < min(max(1.0 - GATEKEEPING * above, 0.25), SURPLUS):
            family = intake.family(start)
            census.add(family)
            yield family


def history(day: int) -> float:
    """The council's number in care relative to its usual level, by day.

    Seed 002: numbers rose to about 350 by October 2019, then the reduction strategy brought
    them back to about 336 by November 2020.
    """
    rise, peak, back = HISTORY
    if rise < day <= peak:
        return 1.0 + PEAK * (day - rise) / (peak - rise)
    if peak < day < back:
        return 1.0 + PEAK * (back - day) / (back - peak)
    return 1.0


class Intake:
    """Draws the families who come into care.

    Ages, routes and family sizes are dealt from decks (:class:`Deck`), so every year's
    intake has close to the national mix while its order stays random.
    """

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self._bands = Deck(rng, AGE_BANDS)
        self._routes = {band: Deck(rng, weights) for band, weights in ROUTES_BY_BAND.items()}
        self._sizes = Deck(rng, FAMILY_SIZES)

    def family(self, start: int, *, age_days: int | None = None, ordinary: bool = False) -> Family:
        """A family arriving on ``start``; ``age_days`` fixes the first child's age.

        ``ordinary`` keeps to the common routes and a single child (for ECHo prevention
        children who come into care).
        """
        rng = self.rng
        band = self._bands() if age_days is None else _band_of(age_days)
        age = _age_in_band(rng, band) if age_days is None else age_days
        route = self._routes[band]()
        if ordinary and route in (YOUTH, UASC):
            route = V2_HOME
        size = 1 if route in SINGLE_CHILD_ROUTES or ordinary else self._sizes()
        ages = [age] + [_sibling_age(rng, age, route) for _ in range(size - 1)]
        uasc = route == UASC
        children = [Child(dob=start - a, sex=_sex(rng, male=0.9 if uasc else 0.53)) for a in ages]
        ethnic = UASC_ETHNIC(rng) if uasc else ETHNIC(rng)
        family = Family(children, [draw_stay(rng, route, start)], ethnic)
        self._add_reentries(family)
        return family

    def _add_reentries(self, family: Family) -> None:
        """Some families come back into care after going home (at most twice)."""
        rng = self.rng
        while len(family.stays) < 3:
            last = family.stays[-1]
            if last.end == NEVER or not chance(rng, REENTRY.get(last.exit, 0.0)):
                return
            start = last.end + lognormal_days(rng, 240, 0.9, 14, 1800)
            young = [c for c in family.children if c.adult > start + 30]
            if not young:
                return
            route = self._routes[_band_of(min(start - c.dob for c in young))]()
            if route == ADOPT and max(start - c.dob for c in young) > 6 * YEAR:
                route = SGO
            if route in SINGLE_CHILD_ROUTES and len(young) > 1:
                route = LONG if chance(rng, 0.5) else V2_HOME
            family.stays.append(draw_stay(rng, route, start))


def short_breaks_family(rng: Random, start: int, until: int) -> Family:
    """A disabled child's agreed series of short breaks (LS V3), from ``start`` for a few years."""
    age = days_between(rng, 5 * YEAR, 15 * YEAR)
    child = Child(dob=start - age, sex=_sex(rng, male=0.6))
    last = min(start + days_between(rng, 1 * YEAR, 2 * YEAR), child.adult - 8, until)
    stays, day = [], start
    while day <= last:
        end = day + rng.randint(1, 7)
        stays.append(Stay(SHORT_BREAKS, day, end, ((day, "V3"),), "E8", "N2"))
        day = end + days_between(rng, 50, 150)
    return Family([child], stays, ETHNIC(rng))


def _band_of(age_days: int) -> int:
    """The DfE age band (0 = under 1 ... 4 = 16 and over) of an age in days."""
    years = age_days / YEAR
    return next(band for band, (low, high) in BAND_YEARS.items() if years < high or band == 4)


def _age_in_band(rng: Random, band: int) -> int:
    if band == 0 and chance(rng, 0.45):
        return rng.randint(0, 14)  # newborns, often straight from hospital
    low, high = BAND_YEARS[band]
    return days_between(rng, low * YEAR, high * YEAR - 1)


def _sibling_age(rng: Random, age: int, route: str) -> int:
    gap = days_between(rng, 1 * YEAR, (3 if route == ADOPT else 5) * YEAR)
    sibling = age + gap if chance(rng, 0.5) else age - gap
    ceiling = 5.5 * YEAR if route == ADOPT else 17.5 * YEAR
    return int(min(max(sibling, 0), ceiling))


def _sex(rng: Random, male: float) -> str:
    return "1" if chance(rng, male) else "2"
