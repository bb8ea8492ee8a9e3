"""Placements and episodes for one child's period of care (the second stage).

A stay planned by :mod:`pipeline.sample.cohort` becomes a list of placements ("spells"):
moves between foster carers, kinship carers, children's homes and supported
accommodation at realistic rates for the child's age; the route's planned move (placed
with parents, placed for adoption); long-term matching with the current carers (U3/U6 to
U1/U4, same carers); now and then a short temporary placement (T-codes) and back; and the
national code changes (H5 and P2 to K3 on 28 October 2023, Z1 to Z11-Z14 in April 2025).
Merging the legal timeline with the placements gives the SSDA903 episodes: any change of
legal status or placement ends an episode with ``X1`` and starts the next the same day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from random import Random

from pipeline.sample import routes
from pipeline.sample.cohort import Child
from pipeline.sample.days import K3_FROM, SGO_SPLIT_FROM, YEAR, Z1_UNTIL
from pipeline.sample.draw import Weighted, chance, days_between
from pipeline.sample.placements import (
    FOSTER,
    FOSTER_CODES,
    KIN,
    NEW_Z_CODES,
    OTH,
    RES,
    RESIDENTIAL_CODES,
    SUP,
    TEMPORARY_CODES,
    Carers,
    Spell,
    age_group,
    initial_kind,
    kind_of,
    place_code,
    youth_place,
)
from pipeline.sample.routes import Stay

MOVE_REASONS = Weighted(
    {
        "CARPL": 55, "CREQB": 10, "CREQO": 8, "CHILD": 5, "LAREQ": 5, "STAND": 3, "ALLEG": 3,
        "CLOSE": 4, "APPRR": 2, "OTHER": 5,
    }
)  # fmt: skip
TEMPORARY = Weighted({"T0": 10, "T1": 20, "T2": 15, "T3": 40, "T4": 15})
TEMPORARY_PER_YEAR = 0.015  # chance of a temporary placement per year in a foster placement
TEMPORARY_DAYS = {"T0": (1, 7), "T1": (2, 20), "T2": (3, 14), "T3": (3, 14), "T4": (1, 7)}

# Mean days in one placement, by kind (foster placements of teenagers break down sooner).
MEAN_DAYS = {FOSTER: 4500.0, KIN: 5000.0, RES: 1500.0, SUP: 900.0, OTH: 90.0}
MEAN_DAYS_TEEN_FOSTER = 2000.0

# The next placement after a move, by current kind and age group (under 11, 11-15, 16+).
NEXT_KIND = {
    (FOSTER, 0): Weighted({FOSTER: 86, KIN: 12, RES: 2}),
    (FOSTER, 1): Weighted({FOSTER: 44, RES: 50, KIN: 4, OTH: 2}),
    (FOSTER, 2): Weighted({FOSTER: 40, SUP: 39, RES: 18, KIN: 3}),
    (KIN, 0): Weighted({KIN: 45, FOSTER: 55}),
    (KIN, 1): Weighted({KIN: 30, FOSTER: 45, RES: 25}),
    (KIN, 2): Weighted({KIN: 30, FOSTER: 30, SUP: 30, RES: 10}),
    (RES, 0): Weighted({FOSTER: 60, RES: 40}),
    (RES, 1): Weighted({RES: 70, FOSTER: 26, OTH: 4}),
    (RES, 2): Weighted({RES: 45, SUP: 47, FOSTER: 8}),
    (SUP, 0): Weighted({FOSTER: 100}),
    (SUP, 1): Weighted({FOSTER: 60, RES: 40}),
    (SUP, 2): Weighted({SUP: 80, RES: 10, FOSTER: 10}),
    (OTH, 0): Weighted({FOSTER: 85, KIN: 15}),
    (OTH, 1): Weighted({FOSTER: 75, RES: 25}),
    (OTH, 2): Weighted({FOSTER: 40, SUP: 40, RES: 20}),
}

SGO_RECS = {
    KIN: Weighted({"E45": 80, "E47": 20}),
    FOSTER: Weighted({"E46": 45, "E47": 35, "E48": 20}),
    OTH: Weighted({"E47": 60, "E48": 40}),
}
AGE_OUT_RECS = {
    FOSTER: Weighted({"E17": 35, "E8": 35, "E5": 25, "E6": 5}),
    KIN: Weighted({"E17": 45, "E8": 35, "E5": 15, "E6": 5}),
    SUP: Weighted({"E5": 50, "E8": 30, "E6": 20}),
    RES: Weighted({"E8": 45, "E5": 35, "E6": 10, "E7": 10}),
    OTH: Weighted({"E8": 70, "E5": 30}),
}
LONG_TERM_MATCH = 0.8  # chance a foster placement under a care order becomes long-term
# The council's April 2020 review of care plans found long-term matching decisions delayed
# (seed 002, paragraph 20): most decisions due in the year before it were made after it.
MATCHING_REVIEW = dt.date(2020, 4, 15).toordinal()
MATCHING_BACKLOG = 0.8


@dataclass(slots=True)
class Episode:
    """An SSDA903 episode; ``dec`` is 0 while it is open."""

    decom: int
    rne: str
    ls: str
    spell: Spell
    dec: int
    rec: str
    reason: str = ""


@dataclass(slots=True)
class CareRecord:
    """A child's stay as written, with what the other files need to know about it."""

    episodes: list[Episode]
    end: int  # the child's planned last day (may be after the extract date)
    rec: str  # reason the stay ends (its last episode's REC once it has ended)
    final_ls: str
    returned_home: int  # first day placed with parents, or the day returned home; 0 if not
    long_term: list[tuple[int, int]] = field(default_factory=list)  # (match day, end or 0)
    residential: list[tuple[int, int]] = field(default_factory=list)  # stretches in residential


def build(
    rng: Random,
    carers: Carers,
    child: Child,
    stay: Stay,
    home: str,
    extract: int,
) -> CareRecord:
    """The child's part of ``stay``: placements, episodes, exit and what followed from them."""
    end = child.end_of(stay)
    if stay.route == routes.SHORT_BREAKS:
        return _short_break(rng, carers, stay, home, extract)
    stop = stay.milestone if 0 < stay.milestone < end else end
    spells = _moves(rng, carers, child, stay, stop, min(end, extract), home)
    if stop < end and stop <= extract:
        spells.append(_milestone(rng, carers, stay, spells[-1], home))
    long_term = _long_term_matches(rng, child, stay, spells, end, extract)
    _temporary_moves(rng, spells, end)
    _code_changes(rng, spells, end)
    spells = [s for s in spells if s.start <= extract]
    rec = _final_rec(rng, child, stay, end, spells[-1])
    phases = [(day, ls) for day, ls in stay.legal if day < end]
    episodes = _episodes(phases, spells, end, rec, extract)
    returned = stay.milestone if stay.route == routes.P1_HOME and stay.milestone < end else 0
    if not returned and rec in ("E4A", "E4B"):
        returned = end
    residential = _residential_stretches(spells, end, extract)
    return CareRecord(episodes, end, rec, phases[-1][1], returned, long_term, residential)


def _short_break(rng: Random, carers: Carers, stay: Stay, home: str, extract: int) -> CareRecord:
    spell = carers.spell(rng, stay.start, "K2" if chance(rng, 0.6) else "U6", home, "")
    dec = stay.end if stay.end <= extract else 0
    episode = Episode(stay.start, "S", "V3", spell, dec, stay.exit if dec else "")
    return CareRecord([episode], stay.end, stay.exit, "V3", 0)


def _moves(
    rng: Random,
    carers: Carers,
    child: Child,
    stay: Stay,
    stop: int,
    horizon: int,
    home: str,
) -> list[Spell]:
    """Placements from the start of the stay until ``stop`` (not simulated past ``horizon``)."""
    day = stay.start
    years = (day - child.dob) / YEAR
    if stay.route == routes.YOUTH:
        place = youth_place(rng, stay.legal[0][1])
        kind = kind_of(place)
    else:
        kind = initial_kind(rng, stay.route, years, day)
        place = place_code(rng, kind, day, years, stay.route, first=True)
    spells = [carers.spell(rng, day, place, home, "")]
    while True:
        mean = MEAN_DAYS_TEEN_FOSTER if kind == FOSTER and years >= 11 else MEAN_DAYS[kind]
        if place == "R3":
            mean = 84.0
        day += max(7, int(rng.expovariate(1.0 / mean)))
        if day >= stop or day > horizon:
            return spells
        years = (day - child.dob) / YEAR
        kind = NEXT_KIND[kind, age_group(years)](rng)
        if stay.route == routes.SGO and kind == FOSTER and chance(rng, 0.25):
            kind = KIN
        place = place_code(rng, kind, day, years, stay.route, first=False)
        spells.append(carers.spell(rng, day, place, home, MOVE_REASONS(rng)))


def _milestone(rng: Random, carers: Carers, stay: Stay, before: Spell, home: str) -> Spell:
    """The route's planned move: home to parents, or to the adoptive family."""
    if stay.route == routes.P1_HOME:
        return carers.spell(rng, stay.milestone, "P1", home, "CARPL")
    current = before.place in ("U5", "U2") or (before.place == "U6" and chance(rng, 0.1))
    place = ("A3" if current else "A4") if stay.consent else ("A5" if current else "A6")
    spell = carers.spell(rng, stay.milestone, place, home, "CARPL")
    if current:
        spell.post, spell.same_carer = before.post, True
    return spell


def _spell_end(spells: list[Spell], index: int, end: int) -> int:
    return spells[index + 1].start if index + 1 < len(spells) else end


def _long_term_matches(
    rng: Random, child: Child, stay: Stay, spells: list[Spell], end: int, extract: int
) -> list[tuple[int, int]]:
    """A foster placement under a care order may become a long-term match (U3/U6 to U1/U4).

    At most one match a period; none for young people within three years of 18.
    """
    if stay.route not in (routes.LONG, routes.SGO, routes.CAO):
        return []
    settled = stay.first_day_of("C2") or (stay.start + 120 if stay.legal[-1][1] == "V2" else 0)
    if not settled:
        return []
    for index, spell in enumerate(spells):
        if spell.place not in ("U3", "U6"):
            continue
        until = _spell_end(spells, index, end)
        day = max(spell.start, settled) + days_between(rng, 90, 540)
        if MATCHING_REVIEW - YEAR <= day < MATCHING_REVIEW and chance(rng, MATCHING_BACKLOG):
            day = MATCHING_REVIEW + days_between(rng, 0, 200)
        possible = day < until - 30 and day <= extract and day <= child.adult - 3 * YEAR
        if not possible or not chance(rng, LONG_TERM_MATCH):
            continue
        spells.insert(index + 1, spell.recoded(day, "U1" if spell.place == "U3" else "U4"))
        return [(day, until if until <= extract else 0)]
    return []


def _temporary_moves(rng: Random, spells: list[Spell], end: int) -> None:
    """Now and then a few days in a temporary placement (T-codes), then back to the same carers."""
    for index in range(len(spells) - 1, -1, -1):
        spell = spells[index]
        until = _spell_end(spells, index, end)
        length = until - spell.start
        if spell.place not in FOSTER_CODES or length < 120:
            continue
        if not chance(rng, min(0.5, TEMPORARY_PER_YEAR * length / YEAR)):
            continue
        code = TEMPORARY(rng)
        days = rng.randint(*TEMPORARY_DAYS[code])
        first = spell.start + rng.randint(30, max(30, length - 30 - days))
        if first + days >= until - 1:
            continue
        away = Spell(first, code, "", "", "", False, "")
        spells[index + 1 : index + 1] = [away, spell.resumed(first + days)]


def _code_changes(rng: Random, spells: list[Spell], end: int) -> None:
    """National code changes split a placement that spans them (same carers, RNE T)."""
    for index in range(len(spells) - 1, -1, -1):
        spell = spells[index]
        until = _spell_end(spells, index, end)
        if spell.place in ("H5", "P2") and spell.start < K3_FROM < until:
            new = spell.recoded(K3_FROM, "K3")
        elif spell.place == "Z1" and spell.start < Z1_UNTIL < until:
            new = spell.recoded(Z1_UNTIL, rng.choice(NEW_Z_CODES))
            new.provider = new.urn = ""  # Z11-Z14 have neither (2025-26 rules 178 and 222)
        else:
            continue
        spells.insert(index + 1, new)


def _final_rec(rng: Random, child: Child, stay: Stay, end: int, last: Spell) -> str:
    """The REC that ends the stay, settled from the exit plan and the final placement."""
    kind = kind_of(last.place)
    if end == child.adult or stay.exit == routes.AGE_OUT:
        return AGE_OUT_RECS.get(kind, AGE_OUT_RECS[OTH])(rng)
    if stay.exit == routes.SGO_EXIT:
        if end < SGO_SPLIT_FROM:
            return "E43" if kind in (KIN, FOSTER) else "E44"
        return SGO_RECS.get(kind, SGO_RECS[OTH])(rng)
    return stay.exit


def _episodes(
    phases: list[tuple[int, str]],
    spells: list[Spell],
    end: int,
    rec: str,
    extract: int,
) -> list[Episode]:
    """Merge legal statuses and placements into episodes, cut at the extract date."""
    days = sorted({day for day, _ in phases} | {s.start for s in spells})
    episodes: list[Episode] = []
    phase, placement = 0, 0
    for day in days:
        if day > extract:
            break
        while phase + 1 < len(phases) and phases[phase + 1][0] <= day:
            phase += 1
        while placement + 1 < len(spells) and spells[placement + 1].start <= day:
            placement += 1
        ls, spell = phases[phase][1], spells[placement]
        if episodes:
            previous = episodes[-1]
            moved, changed = spell is not previous.spell, ls != previous.ls
            rne = _rne(moved, changed, spell.same_carer)
            previous.dec, previous.rec = day, "X1"
            temporary = spell.place in TEMPORARY_CODES or previous.spell.place in TEMPORARY_CODES
            if moved and not temporary:  # no reason is recorded around temporary placements
                previous.reason = spell.reason or "CARPL"
        else:
            rne = "S"
        episodes.append(Episode(day, rne, ls, spell, 0, ""))
    if end <= extract:  # the period has ended (every change came before its end)
        episodes[-1].dec, episodes[-1].rec = end, rec
    return episodes


def _rne(moved: bool, changed: bool, same_carer: bool) -> str:
    if moved and changed:
        return "U" if same_carer else "B"
    if moved:
        return "T" if same_carer else "P"
    return "L"


def _residential_stretches(spells: list[Spell], end: int, extract: int) -> list[tuple[int, int]]:
    """Unbroken stretches in residential care: (first day, last day or 0 if still there)."""
    stretches: list[tuple[int, int]] = []
    first = 0
    for index, spell in enumerate(spells):
        if spell.place in RESIDENTIAL_CODES and not first:
            first = spell.start
        if first and (index + 1 == len(spells) or spells[index + 1].place not in RESIDENTIAL_CODES):
            until = _spell_end(spells, index, end)
            stretches.append((first, until if until <= extract else 0))
            first = 0
    return stretches
