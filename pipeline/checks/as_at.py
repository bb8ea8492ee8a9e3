"""The reporting date against the extract: a report on a day the extract cannot know about is refused.

An extract holds what had been recorded by the day it was taken. A report as at a later day
would count every child still open on that day as looked after, and age them, with nothing
recorded since: a wrong report that looks right. So:

- When the extract says when it was taken (``extract.toml`` or a dated folder name,
  ``pipeline.read.extract_date``), an as-at after that day is an error.
- When it does not, the newest episode start or end (DECOM, DEC; never a planned date, which
  may lie ahead) stands in for it, with margins, because a small council can go weeks without
  an episode starting or ending: more than ``MONTHS_WARNED`` month after it is a warning, more
  than ``MONTHS_REFUSED`` months an error.
- ``--as-at-beyond-extract`` lets the rare deliberate run go ahead, reported as a warning.
- An as-at before the extract's first episode, or outside the council's population estimates,
  is a warning: the figures are computed, on little or borrowed data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from pipeline.core.dates import plus_months
from pipeline.core.problems import Problem, Severity
from pipeline.core.rules import Rule
from pipeline.read.config import Population
from pipeline.read.extract_date import EXTRACT_TOML, DatedExtract, newest_event
from pipeline.read.returns.provenance import Provenance

MONTHS_WARNED = 1
MONTHS_REFUSED = 3
POPULATION_YEARS = 2  # ONS publishes a mid-year estimate about a year later: two years means one is missing
FLAG = "--as-at-beyond-extract"

_E, _W = Severity.ERROR, Severity.WARNING
AS_AT_RULES: tuple[Rule, ...] = (
    Rule(
        "AS_AT_AFTER_EXTRACT",
        _E,
        "--as-at",
        "The as-at date is not after the day the extract was taken (extract.toml, or the date in the folder's"
        f" name): the extract cannot show what happened since. {FLAG} lets the run go ahead with a warning.",
    ),
    Rule(
        "AS_AT_AFTER_EVENTS",
        _E,
        "--as-at",
        "When the extract does not say when it was taken: the as-at date is at most"
        f" {MONTHS_REFUSED} months after the newest episode start or end (DECOM, DEC)."
        f" {FLAG} lets the run go ahead with a warning.",
    ),
    Rule(
        "AS_AT_LONG_AFTER_EVENTS",
        _W,
        "--as-at",
        f"When the extract does not say when it was taken: the as-at date is at most {MONTHS_WARNED} month after"
        " the newest episode start or end (DECOM, DEC).",
    ),
    Rule(
        "AS_AT_BEYOND_EXTRACT_ALLOWED",
        _W,
        "--as-at",
        f"An as-at date after the extract went ahead because the run was given {FLAG}: nothing recorded after"
        " the extract is in the figures.",
    ),
    Rule(
        "AS_AT_BEFORE_EPISODES",
        _W,
        "--as-at",
        "The as-at date is not before the extract's first episode starts (the extract records nothing earlier).",
    ),
    Rule(
        "AS_AT_OUTSIDE_POPULATION",
        _W,
        "--as-at",
        "The as-at date is not before the first population estimate in council.toml, nor more than"
        f" {POPULATION_YEARS} years after the latest (the rates would use an estimate for another time).",
    ),
)


def as_at_problems(
    as_at: dt.date,
    dated: DatedExtract,
    episodes: pl.DataFrame | None,
    population: Sequence[Population] | None,
    *,
    beyond_extract: bool = False,
) -> list[Problem]:
    """Every problem of ``as_at`` against the extract's date, its episodes and the population estimates.

    ``episodes`` and ``population`` are ``None`` when they could not be read; a check that needs
    one is then skipped, and so is every check on the extract's date when that failed to read.
    """
    problems: list[Problem] = []
    if dated.date is not None:
        if as_at > dated.date.taken:
            column = "taken" if dated.date.source == EXTRACT_TOML else ""
            when = f"after the day the extract was taken, {dated.date.taken.isoformat()} ({dated.date.source})"
            problems.append(_beyond(as_at, when, dated.date.place, column, "AS_AT_AFTER_EXTRACT", beyond_extract))
    elif not dated.problems and episodes is not None and (newest := newest_event(episodes)) is not None:
        problems += _after_events(as_at, *newest, beyond_extract=beyond_extract)
    if episodes is not None:
        problems += before_episodes(as_at, episodes)
    if population:
        problems += outside_population(as_at, population)
    return problems


def after_the_returns(as_at: dt.date, returns: Provenance | None, *, beyond_extract: bool = False) -> list[Problem]:
    """An as-at after the newest return's 31 March when no current extract is beside the returns: an episode
    open on that day would be taken to be open ever since, and nothing recorded since is known."""
    if returns is None or any(s.current for s in returns.sources):
        return []
    newest = max(s.window[1] for s in returns.sources)
    if as_at <= newest:
        return []
    when = f"after {newest.isoformat()}, the end of the newest return, and no current extract is beside the returns"
    return [_beyond(as_at, when, returns.sources[-1].label, "", "AS_AT_AFTER_EXTRACT", beyond_extract)]


def _after_events(as_at: dt.date, newest: dt.date, column: str, *, beyond_extract: bool) -> list[Problem]:
    event = f"the newest episode start or end in the extract, {newest.isoformat()}"
    if as_at > plus_months(newest, MONTHS_REFUSED):
        when = f"more than {MONTHS_REFUSED} months after {event}, and the extract does not say when it was taken"
        return [_beyond(as_at, when, "episodes.csv", column, "AS_AT_AFTER_EVENTS", beyond_extract)]
    if as_at > plus_months(newest, MONTHS_WARNED):
        message = (
            f"the as-at date {as_at.isoformat()} is more than {MONTHS_WARNED} month after {event}: check this is"
            " the newest extract (extract.toml with taken = yyyy-mm-dd, or a dated folder name, says when it was"
            " taken)"
        )
        return [Problem("episodes.csv", 0, column, message, "AS_AT_LONG_AFTER_EVENTS", _W)]
    return []


def _beyond(as_at: dt.date, when: str, place: str, column: str, rule: str, allowed: bool) -> Problem:
    """An as-at the extract cannot know about (``when`` says why): an error, or a warning when the
    run was told to go ahead."""
    text = f"the as-at date {as_at.isoformat()} is {when}"
    if allowed:
        message = f"{text}: allowed by {FLAG}, so nothing recorded since is in the figures"
        return Problem(place, 0, column, message, "AS_AT_BEYOND_EXTRACT_ALLOWED", _W)
    message = f"{text}: report on an earlier day (--as-at), or use a newer extract"
    return Problem(place, 0, column, message, rule)


def before_episodes(as_at: dt.date, episodes: pl.DataFrame) -> list[Problem]:
    """A warning when ``as_at`` is before the first episode starts: the extract records nothing earlier."""
    first = episodes["DECOM"].min()
    if not isinstance(first, dt.date) or as_at >= first:
        return []
    message = (
        f"the as-at date {as_at.isoformat()} is before the extract's first episode starts ({first.isoformat()}):"
        " the extract records nothing on that day"
    )
    return [Problem("episodes.csv", 0, "DECOM", message, "AS_AT_BEFORE_EPISODES", _W)]


def outside_population(as_at: dt.date, population: Sequence[Population]) -> list[Problem]:
    """A warning when ``as_at`` is before the first estimate, or more than two years after the latest."""
    first = min(population, key=lambda p: p.mid_year)
    latest = max(population, key=lambda p: p.mid_year)
    if as_at < first.date:
        where = f"before the first population estimate in council.toml (mid-{first.mid_year})"
        uses = f"the rates per 10,000 use the mid-{first.mid_year} population"
    elif as_at > latest.date.replace(year=latest.mid_year + POPULATION_YEARS):
        where = f"more than {POPULATION_YEARS} years after the latest population estimate in council.toml"
        where += f" (mid-{latest.mid_year})"
        uses = f"the rates per 10,000 use the mid-{latest.mid_year} population (add the newer ONS estimates)"
    else:
        return []
    message = f"the as-at date {as_at.isoformat()} is {where}: {uses}"
    return [Problem("council.toml", 0, "population", message, "AS_AT_OUTSIDE_POPULATION", _W)]
