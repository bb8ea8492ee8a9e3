"""The Edge of Care / Home (ECHo) service: ``echo.csv``.

Two strands, at the rates in the council's investment bid (shared seeds 000 and 004):

- PREVENTION, about 25 children a year on the edge of care, each referred, worked with
  for 6 to 12 weeks and mostly kept at home. These children have their own ids and are
  not in ``header.csv``; the few who come into care during or after the involvement are
  added to the cohort as new families, so their period of care is in ``episodes.csv``.
- REUNIFICATION, about 20 families a year (sibling groups share ``FAMILY``), chosen from
  the children whose episodes show them going home (a period ending E4A/E4B, or placed
  with parents, P1) after the service began; plus a sibling group that stays in care, a
  few children with a return planned or under way on the extract date, and referrals
  not yet accepted.

Two recorded outcomes a year (scaled with the cohort) deliberately contradict the episodes
(a prevention child recorded as staying home who came into care during the involvement,
and a child recorded as remaining in care who went home) so the pipeline's contradiction
warning has something to find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

from pipeline.sample import cohort
from pipeline.sample.cohort import Family
from pipeline.sample.days import YEAR, shift_months
from pipeline.sample.draw import Deck, chance, days_between

PREVENTION, REUNIFICATION = "PREVENTION", "REUNIFICATION"
PREVENTION_PER_YEAR = 25.0
REUNIFICATION_FAMILIES_PER_YEAR = 20.0
SERVICE_OPENED = dt.date(2020, 4, 1).toordinal()  # ECHo became operational in April 2020
# How prevention involvements go, per 15 (seed 002: of 14, one came into care during the
# involvement, one soon after; the rest stayed at home).
PREVENTION_OUTCOMES = {"during": 2, "soon": 1, "later": 2, "withdrawn": 1, "home": 9}


@dataclass(slots=True)
class Involvement:
    """One child's involvement with ECHo; days are ordinals, 0 when empty."""

    strand: str
    referral: int
    start: int
    end: int
    outcome: str
    child: str = ""
    family: str = ""
    age: int = 0  # age in days on the start day (prevention children)
    goes_home: int = 0  # the day the episodes show the child going home (reunification)


def service_start(extract: int) -> int:
    """ECHo's first day: 1 April 2020, or for earlier extracts the 1 April 6-18 months before."""
    date = dt.date.fromordinal(shift_months(extract, -6))
    year = date.year if date >= dt.date(date.year, 4, 1) else date.year - 1
    return min(dt.date(year, 4, 1).toordinal(), SERVICE_OPENED)


@dataclass
class Prevention:
    """The prevention strand, planned before the cohort is built."""

    involvements: list[Involvement]
    entrants: list[Family]  # children who came into care (their ``echo_case`` is the index)


def plan_prevention(rng: Random, first: int, extract: int, scale: float) -> Prevention:
    """Prevention involvements from ``first`` to ``extract`` and the children who came into care."""
    years = max(extract - first, 0) / YEAR
    involvements: list[Involvement] = []
    entrants: list[Family] = []
    contradictions = max(1, round(scale * years))
    intake, outcomes = cohort.Intake(rng), Deck(rng, PREVENTION_OUTCOMES, size=15)
    for _ in range(round(PREVENTION_PER_YEAR * scale * years)):
        involvement, entry = _prevention_case(rng, outcomes(), first, extract)
        if entry:
            if involvement.outcome == "ENTERED_CARE" and contradictions:
                involvement.outcome, contradictions = "REMAINED_HOME", contradictions - 1
            age_at_entry = involvement.age + entry - involvement.start
            family = intake.family(entry, age_days=age_at_entry, ordinary=True)
            family.echo_case = len(involvements)
            entrants.append(family)
        involvements.append(involvement)
    for _ in range(max(1, round(2 * scale * years))):
        referral = extract - rng.randint(0, 20)  # referred, not yet accepted
        involvements.append(Involvement(PREVENTION, referral, 0, 0, ""))
    entrants.sort(key=lambda f: f.first_start)
    return Prevention(involvements, entrants)


def _prevention_case(rng: Random, course: str, first: int, extract: int) -> tuple[Involvement, int]:
    """One involvement following ``course`` and the day the child came into care (0 if not)."""
    start = rng.randint(first, max(first, extract - 5))
    referral = start - rng.randint(1, 21)
    age = days_between(rng, 9 * YEAR, 16.9 * YEAR)
    end = start + days_between(rng, 42, 84)
    end = end if end <= extract else 0
    entry, outcome = 0, "REMAINED_HOME" if end else ""
    if course == "during" and start + 7 <= extract:
        entry = rng.randint(start + 7, max(start + 7, end or extract))
        end, outcome = min(entry + rng.randint(0, 7), extract), "ENTERED_CARE"
    elif course in ("soon", "later") and end:
        low, high = (14, 120) if course == "soon" else (120, 700)
        entry = end + days_between(rng, low, high)
        entry = entry if entry <= extract else 0
    elif course == "withdrawn":
        end, outcome = min(start + days_between(rng, 7, 30), extract), "WITHDRAWN"
    return Involvement(PREVENTION, referral, start, end, outcome, age=age), entry


@dataclass(slots=True)
class Returner:
    """A looked-after child who went (or will go) home during a period of care."""

    child: str
    stay_start: int
    returned: int  # P1 placement start or the E4A/E4B end
    end: int  # the child's last day in the period


@dataclass
class ReunificationCandidates:
    """Gathered while the cohort is written, chosen from once it is complete."""

    first: int
    extract: int
    returning: dict[tuple[int, int], list[Returner]] = field(default_factory=dict)
    staying: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    def add(
        self,
        key: tuple[int, int],
        child: str,
        stay_start: int,
        returned: int,
        end: int,
    ) -> None:
        """Note a child's period of care (``key`` = family serial, period index)."""
        if self.first + 30 <= returned <= self.extract + 75:
            self.returning.setdefault(key, []).append(Returner(child, stay_start, returned, end))
        elif stay_start <= self.first - 60 and end > self.extract + 180 and not returned:
            self.staying.setdefault(key, []).append(child)


def reunification(
    rng: Random,
    candidates: ReunificationCandidates,
    scale: float,
    family_id: Callable[[tuple[int, int]], str],
) -> list[Involvement]:
    """Reunification involvements chosen from the candidates."""
    first, extract = candidates.first, candidates.extract
    years = max(extract - first, 0) / YEAR
    keys = list(candidates.returning)
    wanted = round(REUNIFICATION_FAMILIES_PER_YEAR * scale * years)
    share = min(1.0, wanted / max(1, sum(1 for k in keys if _earliest(candidates, k) <= extract)))
    involvements: list[Involvement] = []
    for key in keys:
        if chance(rng, share):
            returners = candidates.returning[key]
            involvements += _returning_family(rng, returners, first, extract, family_id(key))
    involvements += _staying_families(rng, candidates, scale, years, family_id)
    _mark_return_planned(rng, involvements, extract, max(1, round(3 * scale * years)))
    _contradict(rng, involvements, max(1, round(scale * years)))
    return involvements


def _earliest(candidates: ReunificationCandidates, key: tuple[int, int]) -> int:
    return min(r.returned for r in candidates.returning[key])


def _returning_family(
    rng: Random, returners: list[Returner], first: int, extract: int, family: str
) -> list[Involvement]:
    returned = min(r.returned for r in returners)
    settled = max(r.stay_start for r in returners) + 30
    start = max(returned - days_between(rng, 60, 150), settled, first)
    if start > min(returned - 14, extract):
        return []
    referral = start - rng.randint(3, 28)
    end = max(r.returned for r in returners) + days_between(rng, 14, 60)
    end = end if end <= extract else 0
    outcome = "RETURNED_HOME" if end else ""
    dates = (referral, start, end, outcome)
    involvements = [Involvement(REUNIFICATION, *dates, r.child, family) for r in returners]
    for involvement, returner in zip(involvements, returners, strict=True):
        involvement.goes_home = returner.returned
    return involvements


def _staying_families(
    rng: Random,
    candidates: ReunificationCandidates,
    scale: float,
    years: float,
    family_id: Callable[[tuple[int, int]], str],
) -> list[Involvement]:
    """Sibling groups judged to stay in care (groups of 3 first), and referrals not accepted yet."""
    first, extract = candidates.first, candidates.extract
    groups = sorted(candidates.staying.items(), key=lambda item: abs(len(item[1]) - 3))
    involvements: list[Involvement] = []
    wanted = max(1, round(scale * years * 0.8)) if extract - first > 150 else 0
    for key, children in [g for g in groups if len(g[1]) >= 2][:wanted]:
        start = rng.randint(first, extract - 130)
        end = start + days_between(rng, 90, 125)
        referral = start - rng.randint(3, 28)
        family = family_id(key)
        dates = (referral, start, end, "REMAIN_IN_CARE")
        involvements += [Involvement(REUNIFICATION, *dates, c, family) for c in children]
    singles = [g for g in groups if len(g[1]) == 1]
    for key, children in singles[: max(1, round(2 * scale * years))]:
        referral = extract - rng.randint(0, 20)
        waiting = Involvement(REUNIFICATION, referral, 0, 0, "", children[0], family_id(key))
        involvements.append(waiting)
    return involvements


def _mark_return_planned(
    rng: Random,
    involvements: list[Involvement],
    extract: int,
    count: int,
) -> None:
    """A few families' involvements end with "increased family time with a plan to return home".

    Only families whose children all go home after the extract date, so no record is
    contradicted; about ``count`` children, smaller families first.
    """
    families: dict[str, list[Involvement]] = {}
    for involvement in involvements:
        families.setdefault(involvement.family, []).append(involvement)
    pending = [f for f in families.values() if all(_return_pending(i, extract) for i in f)]
    rng.shuffle(pending)
    pending.sort(key=len)
    for family in pending:
        if count <= 0:
            return
        end = extract - rng.randint(0, min(20, extract - family[0].start))
        for involvement in family:
            involvement.end, involvement.outcome = end, "RETURN_PLANNED"
        count -= len(family)


def _return_pending(involvement: Involvement, extract: int) -> bool:
    """An open involvement begun a month or more ago whose child goes home after ``extract``."""
    begun = 0 < involvement.start <= extract - 30
    return begun and not involvement.end and involvement.goes_home > extract


def _contradict(rng: Random, involvements: list[Involvement], count: int) -> None:
    """Record "remain in care" for children whose episodes show them going home."""
    returned = [i for i in involvements if i.outcome == "RETURNED_HOME"]
    for involvement in rng.sample(returned, min(count, len(returned))):
        involvement.outcome = "REMAIN_IN_CARE"
