"""The routes a period of care can take, and for each a builder of its legal timeline and
planned end: the :class:`Stay` that :mod:`pipeline.sample.care` turns into episodes."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from pipeline.sample.days import MONTH, NEVER, YEAR
from pipeline.sample.draw import Weighted, chance, days_between, lognormal_days

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

CIN_BY_ROUTE = {
    "court": Weighted({"N1": 74, "N2": 3, "N3": 4, "N4": 6, "N5": 8, "N8": 5}),
    V2_HOME: Weighted({"N1": 35, "N2": 4, "N3": 8, "N4": 25, "N5": 20, "N6": 5, "N7": 1, "N8": 2}),
    OLDER: Weighted({"N1": 25, "N2": 5, "N4": 25, "N5": 30, "N6": 10, "N8": 5}),
    UASC: Weighted({"N8": 95, "N7": 5}),
    YOUTH: Weighted({"N6": 80, "N5": 10, "N4": 10}),
    OTHER: Weighted({"N1": 40, "N2": 5, "N3": 5, "N4": 20, "N5": 20, "N8": 10}),
    SHORT_BREAKS: Weighted({"N2": 1}),
}
LONG_LEAVE_EARLY = 0.4  # long stays that end before 18, after five years or so
LONG_EARLY_RECS = Weighted({SGO_EXIT: 45, "E4A": 35, "E13": 10, "E41": 10})
OLDER_EARLY_RECS = Weighted({"E4A": 40, "E13": 40, "E4B": 20})
OTHER_RECS = Weighted({"E13": 45, "E3": 35, "E16": 10, "E2": 2, "E4B": 8})


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


def draw_stay(rng: Random, route: str, start: int) -> Stay:
    """A period of care starting on ``start`` along ``route``."""
    return _ROUTE_BUILDERS[route](rng, start)


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
