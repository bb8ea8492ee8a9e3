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
LABELS = {
    "cla_rate_per_10k": "rate looked after",
    "started_rate_per_10k": "rate starting",
    "ceased_rate_per_10k": "rate ceasing",
    "ceased_pct_of_previous_cla": "ceased as % of the previous 31 March",
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
        entry |= {KEYS[f["figure"]]: f["value"] for f in _in_order(figures)}
        entry["source"] = f"DfE {year}"
        note = _neighbour_note(figures) if kind == "neighbours" else _missing_note(figures)
        if note:
            entry["note"] = note
        entries.append(entry)
    return entries


def _missing_note(figures: list[dict[str, Any]]) -> str:
    """England or a region: each figure it has none for, and why ("rate starting: suppressed (c)")."""
    return "; ".join(f"{LABELS[f['figure']]}: {f['reason']}" for f in _in_order(figures) if f["value"] is None)


def _neighbour_note(figures: list[dict[str, Any]]) -> str:
    """How many neighbours each mean is of, and why the others had no figure; empty when all had one."""
    if all(f["n_with_figure"] == f["n_neighbours"] for f in figures):
        return ""
    said: dict[tuple[int, int, tuple[str, ...]], list[str]] = {}
    for f in _in_order(figures):
        said.setdefault((f["n_with_figure"], f["n_neighbours"], tuple(f["missing"] or ())), []).append(
            LABELS[f["figure"]]
        )
    parts = []
    for (with_figure, of, missing), labels in said.items():
        which = "" if len(said) == 1 else f"{', '.join(labels)}: "
        none = f"; none for {', '.join(missing)}" if missing else ""
        parts.append(f"{which}mean of the {with_figure} of {of} neighbours with a figure{none}")
    return ". ".join(parts)


def _in_order(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(figures, key=lambda f: list(KEYS).index(f["figure"]))


def population_entries(population: pl.DataFrame) -> list[dict[str, Any]]:
    """One entry per mid-year with an estimate (a year the ONS marks ``x`` has none)."""
    usable = population.filter(pl.col("population").is_not_null() & (pl.col("population") > 0)).sort("mid_year")
    return [{"mid_year": year, "count": count} for year, count in usable.select("mid_year", "population").iter_rows()]
