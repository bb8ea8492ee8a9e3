"""Placements for the synthetic children: the kinds of placement and their SSDA903 codes, the
providers who run them (:class:`Carers`), and the choice of a first or next placement for a
child's age and route."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from random import Random

from pipeline.sample import routes
from pipeline.sample.days import K3_FROM, P2_NEW_UNTIL, Z1_UNTIL
from pipeline.sample.draw import Weighted, chance
from pipeline.sample.ids import Urns, postcode

FOSTER, KIN, RES, SUP, OTH = "foster", "kin", "res", "sup", "oth"
KINSHIP_CODES = frozenset({"U1", "U2", "U3"})
FOSTER_CODES = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
RESIDENTIAL_CODES = frozenset({"K1", "K2", "R1", "S1"})
SUPPORTED_CODES = frozenset({"H5", "K3", "P2"})
TEMPORARY_CODES = frozenset({"T0", "T1", "T2", "T3", "T4"})
NO_URN = frozenset({"P1", "P3", "R1", "R2", "R5", "Z11", "Z12", "Z13", "Z14"}) | TEMPORARY_CODES

RESIDENTIAL = Weighted({"K2": 80, "R1": 8, "S1": 8, "K1": 4})
OTHER_PLACES = Weighted({"R2": 25, "Z1": 55, "P3": 20})
NEW_Z_CODES = ("Z11", "Z12", "Z13", "Z14")
REMAND_PLACES = Weighted({"K1": 40, "R5": 30, "U6": 30})
KINSHIP_GROWTH = (dt.date(2019, 1, 1).toordinal(), dt.date(2021, 1, 1).toordinal())


@dataclass(slots=True)
class Spell:
    """One placement: where, who provides it, and how the child came to it."""

    start: int
    place: str
    provider: str
    urn: str
    post: str
    same_carer: bool = False  # continues with the previous placement's carers (RNE T or U)
    reason: str = "CARPL"  # REASON_PLACE_CHANGE for the move into this placement

    def recoded(self, start: int, place: str) -> Spell:
        """The same placement under a new code from ``start`` (same carers, RNE T)."""
        return Spell(start, place, self.provider, self.urn, self.post, True, "PLACE")

    def resumed(self, start: int) -> Spell:
        """Back to this placement after a temporary one."""
        return Spell(start, self.place, self.provider, self.urn, self.post, False, "")


class Carers:
    """Placement providers: the council's fostering service, agencies, homes, ...

    Children's homes, agencies and the like come from fixed pools (so several children share
    a provider's URN and postcode); foster carers live at their own made-up postcode.
    """

    POOL_SIZES = {
        "agency": 12, "other_la": 6, "adoption": 5, "K2": 35, "K1": 4, "R1": 6, "S1": 6,
        "SUP": 15, "R2": 4, "R3": 3, "R5": 3, "Z": 5, "P3": 3,
    }  # fmt: skip
    POOL_PROVIDERS = {
        "agency": Weighted({"PR4": 75, "PR5": 25}),
        "other_la": Weighted({"PR2": 1}),
        "adoption": Weighted({"PR1": 55, "PR2": 25, "PR5": 20}),
        "K2": Weighted({"PR4": 75, "PR1": 15, "PR5": 10}),
        "K1": Weighted({"PR2": 70, "PR1": 30}),
        "R1": Weighted({"PR4": 70, "PR5": 30}),
        "S1": Weighted({"PR4": 50, "PR5": 30, "PR3": 20}),
        "SUP": Weighted({"PR4": 60, "PR5": 25, "PR1": 15}),
        "R2": Weighted({"PR3": 1}),
        "R3": Weighted({"PR4": 50, "PR1": 30, "PR5": 20}),
        "R5": Weighted({"PR3": 1}),
        "Z": Weighted({"PR4": 1}),
        "P3": Weighted({"PR4": 1}),
    }

    def __init__(self, rng: Random, scale: float) -> None:
        urns = Urns(rng)
        self.council_fostering = urns.new()
        self._pools: dict[str, list[tuple[str, str, str]]] = {}
        for name, size in self.POOL_SIZES.items():
            count = max(2, round(size * scale))
            providers = self.POOL_PROVIDERS[name]
            self._pools[name] = [(providers(rng), urns.new(), postcode(rng)) for _ in range(count)]

    def spell(self, rng: Random, start: int, place: str, home: str, reason: str) -> Spell:
        """A new placement of type ``place`` with a fitting provider, URN and postcode."""
        if place in TEMPORARY_CODES:
            return Spell(start, place, "", "", "", reason="")
        if place == "P1":
            return Spell(start, place, "PR0", "", home, reason=reason)
        provider, urn, post = self._provider(rng, place, home)
        return Spell(start, place, provider, "" if place in NO_URN else urn, post, reason=reason)

    def _provider(self, rng: Random, place: str, home: str) -> tuple[str, str, str]:
        if place in FOSTER_CODES:
            council = 0.92 if place in KINSHIP_CODES else 0.6
            if chance(rng, council):
                return "PR1", self.council_fostering, _away_from(rng, home)
            pool = self._pools["other_la" if place in KINSHIP_CODES else "agency"]
            provider, urn, _ = rng.choice(pool)
            return provider, urn, _away_from(rng, home)
        if place in NEW_Z_CODES:
            return "", "", _away_from(rng, home)
        if place.startswith("A"):
            provider, urn, _ = rng.choice(self._pools["adoption"])
            return provider, urn, _away_from(rng, home)
        pool = self._pools[_POOL_OF.get(place, place)]
        entry = rng.randrange(len(pool))
        if pool[entry][2] == home:
            entry = (entry + 1) % len(pool)
        return pool[entry]


_POOL_OF = {"H5": "SUP", "K3": "SUP", "P2": "SUP", "Z1": "Z"}


def _away_from(rng: Random, home: str) -> str:
    """A carer's postcode, never the child's home postcode."""
    while (post := postcode(rng)) == home:
        pass
    return post


def age_group(years: float) -> int:
    return 0 if years < 11 else 1 if years < 16 else 2


def _kinship_weight(day: int) -> float:
    """Kinship care grows from 2019 (the council's permanence planning meetings)."""
    first, last = KINSHIP_GROWTH
    return 1.0 + 0.5 * min(max((day - first) / (last - first), 0.0), 1.0)


def initial_kind(rng: Random, route: str, years: float, day: int) -> str:
    """The kind of the first placement of a period of care."""
    kin = round(_kinship_weight(day), 1)
    if route == routes.ADOPT:
        return KIN if chance(rng, 0.05) else FOSTER
    if route == routes.SGO:
        if chance(rng, 0.4 * kin):
            return KIN
        return RES if years >= 12 and chance(rng, 0.1) else FOSTER
    if route == routes.UASC:
        return SUP if years >= 16 and chance(rng, 0.7) else FOSTER
    if route == routes.OLDER:
        return _first_placements("older", kin)(rng)
    group = "baby" if years < 1 else "child" if years < 12 else "teen" if years < 16 else "sixteen"
    return _first_placements(group, kin)(rng)


@lru_cache(maxsize=128)
def _first_placements(group: str, kin: float) -> Weighted[str]:
    """First placement kinds by age group, with kinship weighted by ``kin``."""
    weights = {
        "older": {FOSTER: 38, SUP: 40, RES: 12, KIN: 8},
        "baby": {FOSTER: 77, KIN: 15, OTH: 5},
        "child": {FOSTER: 78, KIN: 17, RES: 2},
        "teen": {FOSTER: 42, KIN: 10, RES: 45, OTH: 3},
        "sixteen": {FOSTER: 40, SUP: 32, RES: 20, KIN: 8},
    }[group]
    return Weighted({k: weight * (kin if k == KIN else 1) for k, weight in weights.items()})


def place_code(rng: Random, kind: str, day: int, years: float, route: str, first: bool) -> str:
    """The SSDA903 placement code for a placement of ``kind`` starting on ``day``."""
    if kind == FOSTER:
        return "U5" if route == routes.ADOPT and first and chance(rng, 0.25) else "U6"
    if kind == KIN:
        return "U2" if route == routes.ADOPT and first else "U3"
    if kind == RES:
        return RESIDENTIAL(rng) if years >= 10 else ("K2" if chance(rng, 0.7) else "S1")
    if kind == SUP:
        if day >= K3_FROM:
            return "K3"
        return "P2" if day < P2_NEW_UNTIL and chance(rng, 0.15) else "H5"
    if years < 1:
        return "R3"  # mother and baby unit
    code = OTHER_PLACES(rng)
    if code == "P3" and years < 16:
        code = "Z1"
    if code == "Z1" and day >= Z1_UNTIL:
        return rng.choice(NEW_Z_CODES)
    return code


def kind_of(place: str) -> str:
    if place in KINSHIP_CODES:
        return KIN
    if place in FOSTER_CODES:
        return FOSTER
    if place in RESIDENTIAL_CODES:
        return RES
    if place in SUPPORTED_CODES:
        return SUP
    return OTH


def youth_place(rng: Random, ls: str) -> str:
    if ls == "J1":
        return REMAND_PLACES(rng)
    return "K2" if chance(rng, 0.5) else "U6"
