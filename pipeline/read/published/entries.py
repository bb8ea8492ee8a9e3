"""The published figures as ``council.toml`` entries: ``[[comparators]]`` and ``[[population]]``.

What the files say becomes the same entries an analyst would type by hand, so the config
validates both alike and the rest of the run cannot tell them apart (``pipeline.read.config``
lets the hand-typed ones win).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from pipeline.read.published.figures import GROUP_KINDS

# Published figure -> the [[comparators]] key it fills.
KEYS = {
    "cla_rate_per_10k": "rate_per_10k",
    "started_rate_per_10k": "started_rate_per_10k",
    "ceased_rate_per_10k": "ceased_rate_per_10k",
    "ceased_pct_of_previous_cla": "ceased_pct_of_cla",
}


def comparator_entries(comparators: pl.DataFrame) -> list[dict[str, Any]]:
    """One entry per comparator group and year with any figure: England, the region, Inner or
    Outer London, the statistical neighbours (in that order), each year oldest first."""
    rows = comparators.filter((pl.col("group_kind") != "council") & pl.col("figure").is_in(list(KEYS)))
    rank = pl.col("group_kind").replace_strict({k: i for i, k in enumerate(GROUP_KINDS)}, return_dtype=pl.Int64)
    groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for row in rows.sort(rank, "time_period").iter_rows(named=True):
        groups.setdefault((row["group_kind"], row["group_name"], row["time_period"]), []).append(row)
    entries = []
    for (kind, name, year), figures in groups.items():
        if all(f["value"] is None for f in figures):
            continue  # nothing published for the group that year: the year before stays in force
        entry: dict[str, Any] = {"group": name, "date": dt.date(year, 3, 31)}
        entry |= {KEYS[f["figure"]]: f["value"] for f in figures}
        entry["source"] = f"DfE {year}"
        notes = {KEYS[f["figure"]]: note for f in figures if (note := _note(kind, f))}
        if notes:
            entry["notes"] = notes
        entries.append(entry)
    return entries


def _note(kind: str, figure: dict[str, Any]) -> str | None:
    """Why a figure is missing; for a neighbours' mean not of every neighbour, how many it is of and why."""
    if kind != "neighbours":
        return None if figure["value"] is not None else str(figure["reason"])
    with_figure, of = figure["n_with_figure"], figure["n_neighbours"]
    if with_figure == of:
        return None
    if with_figure == 0:
        return f"none of the {of} neighbours has a figure ({'; '.join(figure['reasons'] or [])})"
    return f"mean of the {with_figure} of {of} neighbours with a figure; none for {', '.join(figure['missing'])}"


def population_entries(population: pl.DataFrame) -> list[dict[str, Any]]:
    """One entry per mid-year with an estimate (a year the ONS marks ``x`` has none)."""
    usable = population.filter(pl.col("population").is_not_null() & (pl.col("population") > 0)).sort("mid_year")
    return [{"mid_year": year, "count": count} for year, count in usable.select("mid_year", "population").iter_rows()]
