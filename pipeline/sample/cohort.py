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

from pipeline.sample.days import MONTH, NEVER, YEAR, shift_years
from pipeline.sample.draw import Deck, Weighted, chance, days_between, lognormal_days

ADOPT = "adopt"  # interim care order, placement order, placed for adoption, adopted
SGO = "sgo"  # special guardianship order, mostly from a care order
P1_HOME = "p1_home"  # care order, placed with parents, care order discharged
COURT_HOME = "court_home"  # home at the end of care proceedings (no order)
V2_HOME = "v2_home"  # short s20 accommodation, then home
LONG = "long"  # in care until 18
CAO = "cao"  # child arrangements order
OLDER = "older"  # came in at 16 or 17
UASC = "uasc"  # unaccompanied asylum-seeking child
YOUTH = "youth"  # remanded or held under PACE
OTHER = "other"  # left to other family, moved away, transferred, ...
SHORT_BREAKS = "short_breaks"  # an agreed series of short breaks (LS V3): never counted

SINGLE_CHILD_ROUTES = frozenset({OLDER, UASC, YOUTH})
AGE_OUT = "age"  # exit marker: leaves care on the 18th birthday
SGO_EXIT = "sgo"  # exit marker: the SGO code depends on the final placement

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

CIN_BY_ROUTE = {
    "court": Weighted({"N1": 74, "N2": 3, "N3": 4, "N4": 6, "N5": 8, "N8": 5}),
    V2_HOME: Weighted({"N1": 35, "N2": 4, "N3": 8, "N4": 25, "N5": 20, "N6": 5, "N7": 1, "N8": 2}),
    OLDER: Weighted({"N1": 25, "N2": 5, "N4": 25, "N5": 30, "N6": 10, "N8": 5}),
    UASC: Weighted({"N8": 95, "N7": 5}),
    YOUTH: Weighted({"N6": 80, "N5": 10, "N4": 10}),
    OTHER: Weighted({"N1": 40, "N2": 5, "N3": 5, "N4": 20, "N5": 20, "N8": 10}),
    SHORT_BREAKS: Weighted({"N2": 1}),
}
ETHNIC = Weighted(
    {
        "WBRI": 815, "WOTH": 45, "WIRI": 5, "WIRT": 10, "WROM": 10, "MWBC": 20, "MWBA": 8,
        "MWAS": 15, "MOTH": 20, "AIND": 3, "APKN": 3, "ABAN": 2, "AOTH": 8, "BCRB": 5,
        "BAFR": 8, "BOTH": 5, "CHNE": 2, "OOTH": 6, "REFU": 4, "NOBT": 6,
    }
)  # fmt: skip
UASC_ETHNIC = Weighted({"AOTH": 35, "BAFR": 25, "OOTH": 25, "BOTH": 10, "WOTH": 5})

LONG_LEAVE_EARLY = 0.4  # long stays that end before 18, after five years or so
LONG_EARLY_RECS = Weighted({SGO_EXIT: 45, "E4A": 35, "E13": 10, "E41": 10})
OLDER_EARLY_RECS = Weighted({"E4A": 40, "E13": 40, "E4B": 20})
OTHER_RECS = Weighted({"E13": 45, "E3": 35, "E16": 10, "E2": 2, "E4B": 8})

# The council's history (see :func:`history`): a rise to a peak and back again.
HISTORY = tuple(dt.date(*ymd).toordinal() for ymd in ((2018, 4, 1), (2019, 10, 1), (2020, 10, 1)))
PEAK = 0.05  # 5% above the usual number in care at the peak
SURPLUS = 1.6  # candidate arrivals per expected arrival
GATEKEEPING = 6.0  # 5% more children in care than planned: 30% fewer arrivals

# Chance that a family comes back into care after a period ending this way.
REENTRY = {"E4A": 0.30, "E4B": 0.38, "E13": 0.20, "E14": 0.20, "E9": 0.10}


@dataclass(slots=True)
class Stay:
    """A family's period of care as planned: legal timeline, route and planned end."""

    route: str
    start: int
    end: int  # planned last day (DEC); NEVER when the children stay until 18
    legal: tuple[tuple[int, str], ...]  # (first day, LS), the first on ``start``
    exit: str  # a REC code, or AGE_OUT / SGO_EXIT (settled from the final placement)
    cin: str
    milestone: int = 0  # placed with parents (P1_HOME) or placed for adoption (ADOPT)
    consent: bool = False  # adoption with parental consent (V2, A3/A4)

    def first_day_of(self, ls: str) -> int:
        """The day the stay first has legal status ``ls`` (0 if never)."""
        return next((first for first, code in self.legal if code == ls), 0)


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


def draw_stay(rng: Random, route: str, start: int) -> Stay:
    """A period of care starting on ``start`` along ``route``."""
    return _ROUTE_BUILDERS[route](rng, start)


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


# --- legal timelines and planned ends, one builder per route -----------------------------


def _proceedings(rng: Random) -> int:
    """Days on an interim care order before the final hearing (6 to 12 months)."""
    return days_between(rng, 6 * MONTH, 12 * MONTH)


def _court_opening(rng: Random, start: int) -> tuple[list[tuple[int, str]], int]:
    """How care proceedings open: sometimes police protection, an EPO or s20 first."""
    draw = rng.random()
    if draw < 0.05:
        return [(start, "L1")], start + rng.randint(1, 3)
    if draw < 0.10:
        return [(start, "L2")], start + rng.randint(2, 8)
    if draw < 0.32:
        return [(start, "V2")], start + days_between(rng, 20, 180)
    return [], start


def _accommodated(rng: Random, start: int) -> list[tuple[int, str]]:
    """s20 accommodation, after a night or two of police protection in a few cases."""
    if chance(rng, 0.08):
        return [(start, "L1"), (start + rng.randint(1, 3), "V2")]
    return [(start, "V2")]


def _court_phases(rng: Random, start: int) -> tuple[list[tuple[int, str]], int, int]:
    """Opening, then an interim care order: (phases, first C1 day, final hearing day)."""
    phases, c1 = _court_opening(rng, start)
    phases.append((c1, "C1"))
    return phases, c1, c1 + _proceedings(rng)


def _court_cin(rng: Random) -> str:
    return CIN_BY_ROUTE["court"](rng)


def _adopt(rng: Random, start: int) -> Stay:
    if chance(rng, 0.06):  # relinquished baby: accommodated with consent, placed (A3/A4)
        placed = start + days_between(rng, 14, 120)
        end = placed + days_between(rng, 150, 400)
        return Stay(ADOPT, start, end, ((start, "V2"),), _adoption_rec(rng), "N1", placed, True)
    phases, _, hearing = _court_phases(rng, start)
    phases.append((hearing, "E1"))
    placed = hearing + days_between(rng, 20, 240)
    end = placed + days_between(rng, 120, 330)
    return Stay(ADOPT, start, end, tuple(phases), _adoption_rec(rng), _court_cin(rng), placed)


def _adoption_rec(rng: Random) -> str:
    return "E11" if chance(rng, 0.75) else "E12"


def _sgo(rng: Random, start: int) -> Stay:
    phases, _, hearing = _court_phases(rng, start)
    if chance(rng, 0.1):  # the SGO is the order made at the end of proceedings
        return Stay(SGO, start, hearing, tuple(phases), SGO_EXIT, _court_cin(rng))
    phases.append((hearing, "C2"))
    end = hearing + lognormal_days(rng, 1350, 0.75, 120, 6000)
    return Stay(SGO, start, end, tuple(phases), SGO_EXIT, _court_cin(rng))


def _p1_home(rng: Random, start: int) -> Stay:
    phases, c1, hearing = _court_phases(rng, start)
    phases.append((hearing, "C2"))
    if chance(rng, 0.15):
        home = c1 + days_between(rng, 30, max(31, hearing - c1 - 10))
    else:
        home = hearing + lognormal_days(rng, 150, 0.8, 0, 1500)
    end = home + days_between(rng, 300, 1000)
    return Stay(P1_HOME, start, end, tuple(phases), "E4A", _court_cin(rng), home)


def _court_home(rng: Random, start: int) -> Stay:
    phases, c1, hearing = _court_phases(rng, start)
    end = c1 + days_between(rng, 120, max(121, hearing - c1))
    rec = "E4A" if chance(rng, 0.9) else "E4B"
    return Stay(COURT_HOME, start, end, tuple(phases), rec, _court_cin(rng))


def _v2_home(rng: Random, start: int) -> Stay:
    end = start + lognormal_days(rng, 120, 1.1, 2, 900)
    rec = "E4A" if chance(rng, 0.7) else "E4B"
    phases = tuple(_accommodated(rng, start))
    return Stay(V2_HOME, start, end, phases, rec, CIN_BY_ROUTE[V2_HOME](rng))


def _long(rng: Random, start: int) -> Stay:
    """Years in care: until 18 for most, otherwise home or to family after a few years."""
    end, rec = NEVER, AGE_OUT
    if chance(rng, LONG_LEAVE_EARLY):
        end = start + lognormal_days(rng, 5.5 * YEAR, 0.6, YEAR, 12 * YEAR)
        rec = LONG_EARLY_RECS(rng)
    if chance(rng, 0.25):  # long-term s20 accommodation
        return Stay(LONG, start, end, tuple(_accommodated(rng, start)), rec, _court_cin(rng))
    phases, _, hearing = _court_phases(rng, start)
    phases.append((hearing, "C2"))
    return Stay(LONG, start, max(end, hearing + 30), tuple(phases), rec, _court_cin(rng))


def _cao(rng: Random, start: int) -> Stay:
    phases, _, hearing = _court_phases(rng, start)
    if chance(rng, 0.3):
        return Stay(CAO, start, hearing, tuple(phases), "E41", _court_cin(rng))
    phases.append((hearing, "C2"))
    end = hearing + days_between(rng, 180, 4 * YEAR)
    return Stay(CAO, start, end, tuple(phases), "E41", _court_cin(rng))


def _older(rng: Random, start: int) -> Stay:
    phases = tuple(_accommodated(rng, start))
    cin = CIN_BY_ROUTE[OLDER](rng)
    if chance(rng, 0.85):
        return Stay(OLDER, start, NEVER, phases, AGE_OUT, cin)
    rec = OLDER_EARLY_RECS(rng)
    return Stay(OLDER, start, start + days_between(rng, 15, 300), phases, rec, cin)


def _uasc(rng: Random, start: int) -> Stay:
    phases, cin = ((start, "V2"),), CIN_BY_ROUTE[UASC](rng)
    draw = rng.random()
    if draw < 0.15:  # an age assessment finds the young person is an adult
        return Stay(UASC, start, start + days_between(rng, 14, 90), phases, "E15", cin)
    if draw < 0.27:  # National Transfer Scheme
        return Stay(UASC, start, start + days_between(rng, 7, 60), phases, "E3", cin)
    return Stay(UASC, start, NEVER, phases, AGE_OUT, cin)


def _youth(rng: Random, start: int) -> Stay:
    cin = CIN_BY_ROUTE[YOUTH](rng)
    if chance(rng, 0.4):  # held overnight under PACE
        rec = "E14" if chance(rng, 0.6) else "E4A"
        return Stay(YOUTH, start, start + rng.randint(1, 3), ((start, "J2"),), rec, cin)
    rec = "E9" if chance(rng, 0.35) else "E14"
    return Stay(YOUTH, start, start + days_between(rng, 14, 180), ((start, "J1"),), rec, cin)


def _other(rng: Random, start: int) -> Stay:
    end = start + days_between(rng, 30, 540)
    rec = OTHER_RECS(rng)
    cin = CIN_BY_ROUTE[OTHER](rng)
    if chance(rng, 0.6):
        return Stay(OTHER, start, end, tuple(_accommodated(rng, start)), rec, cin)
    phases, _, hearing = _court_phases(rng, start)
    if hearing < end:
        phases.append((hearing, "C2"))
    return Stay(OTHER, start, end, tuple(p for p in phases if p[0] < end), rec, cin)


_ROUTE_BUILDERS = {
    ADOPT: _adopt,
    SGO: _sgo,
    P1_HOME: _p1_home,
    COURT_HOME: _court_home,
    V2_HOME: _v2_home,
    LONG: _long,
    CAO: _cao,
    OLDER: _older,
    UASC: _uasc,
    YOUTH: _youth,
    OTHER: _other,
}
