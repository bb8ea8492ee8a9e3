"""Everything one run takes from the published files named in ``council.toml``'s ``[published]``."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.core.problems import Problem, in_order
from pipeline.read.published.councils import (
    NEIGHBOUR_SCHEMA,
    Council,
    council_directory,
    council_neighbours,
    resolve_council,
)
from pipeline.read.published.figures import comparator_figures, council_figures, council_population
from pipeline.read.published.neighbours import read_neighbours
from pipeline.read.published.population import read_population
from pipeline.read.published.statistics import combine_editions, read_statistics, revision_summary


@dataclass(frozen=True)
class PublishedFile:
    """One published file read: its name as ``council.toml`` gives it, and its SHA-256."""

    name: str
    sha256: str


@dataclass(frozen=True)
class Published:
    """What the published files say about one council (frames from ``figures``), and their problems."""

    council: Council | None
    comparators: pl.DataFrame | None  # comparator_figures: the council and each comparator group, by year
    own: pl.DataFrame | None  # council_figures: the council's own published figures, by year
    population: pl.DataFrame | None  # council_population: ONS mid-year estimates 0-17
    neighbours: pl.DataFrame  # the council's neighbours: rank, neighbour_code, neighbour_name, closeness
    files: tuple[PublishedFile, ...] = ()
    revisions: dict[str, int] = field(default_factory=dict)  # revision_summary of the editions
    problems: tuple[Problem, ...] = ()


def load_published(
    folder: Path,
    la_code: str,
    *,
    statistics: Sequence[str],
    population: str | None = None,
    neighbours: str | None = None,
    config_file: str = "council.toml",
    lines: Mapping[str, int] | None = None,
) -> Published:
    """Read the files (paths relative to ``folder``) and answer for the council ``la_code``.

    Problems are collected, never raised. ``lines`` gives the line of each config key
    (``council.la_code``, ``published.statistics``, ...) for the problems about the config.
    """
    at = dict(lines or {})
    problems: list[Problem] = []
    named = [("published.statistics", n) for n in statistics]
    named += [(key, n) for key, n in (("published.population", population), ("published.neighbours", neighbours)) if n]
    files = []
    for key, name in named:
        path = folder / name
        if path.is_file():
            files.append(PublishedFile(name, hashlib.sha256(path.read_bytes()).hexdigest()))
        else:
            message = f"{name!r} is not a file in the config folder {folder}"
            problems.append(Problem(config_file, at.get(key, 0), key, message, "PUBLISHED_MISSING"))
    present = {f.name for f in files}
    editions = []
    for name in statistics:
        if name in present:
            frame, found = read_statistics(folder / name, name)
            problems += found
            if frame is not None:
                editions.append(frame)
    combined, revisions = combine_editions(editions) if editions else (None, None)
    people, found = read_population(folder / population, population) if population in present else (None, [])
    problems += found
    sns, found = read_neighbours(folder / neighbours, neighbours) if neighbours in present else (None, [])
    problems += found
    council: Council | None = None
    mine = pl.DataFrame(schema=NEIGHBOUR_SCHEMA)
    read_all = len(editions) == len(statistics) and (people is not None) == bool(population)
    if read_all and (sns is not None) == bool(neighbours):  # else an unknown code may only be in the file not read
        directory = council_directory(combined, people, sns)
        where = (config_file, at.get("council.la_code", 0))
        council, found = resolve_council(la_code, directory, combined, where=where, searched=[n for _, n in named])
        problems += found
        if council is not None and sns is not None and neighbours is not None:
            mine, found = council_neighbours(sns, council, directory, neighbours)
            problems += found
    comparators = own = people_of_council = None
    if council is not None and combined is not None:
        comparators, own = comparator_figures(combined, council, mine), council_figures(combined, council)
    if council is not None and people is not None:
        people_of_council = council_population(people, council)
    return Published(
        council=council,
        comparators=comparators,
        own=own,
        population=people_of_council,
        neighbours=mine,
        files=tuple(files),
        revisions=revision_summary(revisions) if revisions is not None else {},
        problems=tuple(in_order(problems)),
    )
