"""Applications to discharge care orders: ``legal.csv``.

Every child whose period of care ends from a full care order (final LS C2) by special
guardianship (E43-E48), a planned return home (E4A) or a child arrangements order (E41)
had an application: planned, referred to legal services, issued at court and granted on
the day the period ended (CONCLUDED_DATE = the episode's DEC). For children whose exit
lies after the extract date the same timeline shows where the case stands on that day
(planned, with legal services or in proceedings), and only the dates reached are written.
A few applications are refused or withdrawn and the child stays in care. The tracker holds
the last three years.

With about 30 discharges a year, stages of about 7 months (planned), 5 weeks (with legal
services) and 7 months (in proceedings) give about 16, 3 and 16 cases on the extract
date, as in the council's November 2020 report.
"""

from __future__ import annotations

from random import Random
from typing import NamedTuple

from pipeline.sample.care import CareRecord
from pipeline.sample.days import YEAR
from pipeline.sample.draw import Weighted, chance, days_between
from pipeline.sample.routes import Stay

ROUTE_OF_REC = {
    "E43": "SGO", "E44": "SGO", "E45": "SGO", "E46": "SGO", "E47": "SGO", "E48": "SGO",
    "E4A": "REUNIFICATION", "E41": "CAO",
}  # fmt: skip
FAILED_ROUTES = Weighted({"SGO": 70, "REUNIFICATION": 25, "CAO": 5})
FAILED_SHARE = 0.025  # children on a care order with a refused or withdrawn application
TRACKER_YEARS = 3


class Application(NamedTuple):
    """A row of ``legal.csv``; days are ordinals, 0 when empty."""

    child: str
    route: str
    planned: int
    referred: int
    issued: int
    concluded: int
    outcome: str


def applications(
    rng: Random,
    child: str,
    stay: Stay,
    record: CareRecord,
    extract: int,
) -> list[Application]:
    """The discharge applications for one child's period of care."""
    care_order = stay.first_day_of("C2")
    if not care_order or care_order >= record.end:
        return []
    failed = chance(rng, FAILED_SHARE)
    found = _failed(rng, child, care_order, record.end, extract) if failed else []
    route = ROUTE_OF_REC.get(record.rec)
    if route and record.final_ls == "C2":
        found += _granted(rng, child, route, care_order, record.end, extract)
    return found


def _timeline(rng: Random, care_order: int, concluded: int) -> tuple[int, int, int]:
    """(planned, referred, issued) before ``concluded``, none before the care order."""
    issued = max(concluded - days_between(rng, 120, 330), care_order)
    referred = max(issued - days_between(rng, 14, 60), care_order)
    planned = max(referred - days_between(rng, 120, 330), care_order)
    return planned, referred, issued


def _granted(
    rng: Random,
    child: str,
    route: str,
    care_order: int,
    end: int,
    extract: int,
) -> list[Application]:
    planned, referred, issued = _timeline(rng, care_order, end)
    if chance(rng, 0.15):
        planned = 0  # cases already under way when the tracker started
    if end <= extract:
        if end < extract - TRACKER_YEARS * YEAR:
            return []
        return [Application(child, route, planned, referred, issued, end, "GRANTED")]
    if issued <= extract:
        return [Application(child, route, planned, referred, issued, 0, "")]
    if referred <= extract:
        return [Application(child, route, planned, referred, 0, 0, "")]
    if planned and planned <= extract:
        recent = max(extract - rng.randint(0, 60), care_order)
        return [Application(child, route, recent, 0, 0, 0, "")]
    return []


def _failed(rng: Random, child: str, care_order: int, end: int, extract: int) -> list[Application]:
    first = max(care_order + 180, int(extract - TRACKER_YEARS * YEAR))
    last = min(extract, end - 30)
    if first > last:
        return []
    concluded = rng.randint(first, last)
    planned, referred, issued = _timeline(rng, care_order, concluded)
    outcome = "REFUSED" if chance(rng, 0.5) else "WITHDRAWN"
    return [Application(child, FAILED_ROUTES(rng), planned, referred, issued, concluded, outcome)]
