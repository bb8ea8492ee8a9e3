"""``lac-report published --config DIR``: what a run would take from the published files, for an
analyst to check before the first run (the council, its region and neighbours, the figures by year)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from pipeline.core.words import counted
from pipeline.read.config import Comparator, Config

RATES = (
    ("rate_per_10k", "looked after"),
    ("started_rate_per_10k", "starting"),
    ("ceased_rate_per_10k", "ceasing"),
    ("ceased_pct_of_cla", "ceased %"),
)


def describe(config: Config) -> list[str]:
    """The lines printed: council, neighbours, comparators by year, own figures, population, warnings."""
    published, council = config.published, config.council_config
    if published is None or published.council is None:
        return [f"{council.council.name}: council.toml has no [published]; the run uses the figures it lists."]
    found = published.council
    codes = ", ".join(c for c in (found.new_la_code, *found.other_new_codes) if c)
    lines = [
        f"{council.council.name}: the published files name it {found.name} (LA {found.old_la_code}, {codes})",
        f"Region: {found.region_name} ({found.region_code})"
        + (f"; in {found.london_name} ({found.london_code})" if found.london_name else ""),
        "Files: " + ", ".join(f.name for f in published.files),
    ]
    if published.revisions.get("shared_rows"):
        shared, revised = published.revisions["shared_rows"], published.revisions["revised_rows"]
        lines.append(
            f"Editions: {shared} rows held by two editions, {revised} revised; the edition listed last is used"
        )
    lines += ["", "Statistical neighbours:"]
    lines += [
        f"  {rank:>2}. {code} {name} ({closeness or 'closeness not given'})"
        for rank, code, name, closeness in published.neighbours.select(
            "rank", "neighbour_code", "neighbour_name", "closeness"
        ).iter_rows()
    ] or ["  none (the neighbour file has no row for the council, or [published] names no neighbour file)"]
    lines += ["", *_comparators(council.comparators, set(config.hand_typed))]
    if published.own is not None:
        lines += ["", *_own(published.own)]
    lines += ["", "Population 0-17 (ONS mid-year estimates, 30 June):"]
    lines += [f"  {p.mid_year}: {p.count:,}" for p in council.population]
    if config.warnings:
        lines += ["", "Warnings:", *(f"  {w}" for w in config.warnings)]
    return lines


def summary(config: Config) -> str:
    """The last line, as every command ends with one: what a run would take, counted."""
    council = config.council_config
    source = "from the published files and council.toml" if config.published else "from council.toml"
    comparators = counted(len(council.comparators), "comparator entry", "comparator entries")
    population = counted(len(council.population), "population estimate")
    return (
        f"lac-report: published: {council.council.name}: {comparators} and {population} {source},"
        f" {counted(len(config.warnings), 'warning')}"
    )


def _comparators(comparators: Sequence[Comparator], typed: set[tuple[str, dt.date]]) -> list[str]:
    head = f"  {'year':<6}{'group':<28}" + "".join(f"{label:>14}" for _, label in RATES)
    lines = ["Comparators by year to 31 March (rates per 10,000; ceased % of the previous 31 March):", head]
    for c in sorted(comparators, key=lambda c: (c.date, [x.group for x in comparators].index(c.group))):
        cells = "".join(f"{_number(getattr(c, key)):>14}" for key, _ in RATES)
        mark = " (council.toml)" if (c.group, c.date) in typed else ""
        lines.append(f"  {c.date.year:<6}{c.group[:27]:<28}{cells}{mark}")
        labels: dict[str, list[str]] = {}
        for key, label in RATES:
            if key in c.notes:
                labels.setdefault(c.notes[key], []).append(label)
        lines += [f"        {', '.join(names)}: {note}" for note, names in labels.items()]
    return lines


def _own(own: pl.DataFrame) -> list[str]:
    """The council's own published figures by year, for the reconciliation."""
    figures = {
        "cla_count": "looked after", "started_count": "starting", "ceased_count": "ceasing",
        "cla_rate_per_10k": "rate", "started_rate_per_10k": "rate", "ceased_rate_per_10k": "rate",
    }  # fmt: skip
    head = "  year" + "".join(f"{label:>14}" for label in figures.values())
    lines = ["The council's own published figures (numbers, then rates per 10,000):", head]
    for year in sorted(set(own["time_period"].to_list())):
        row = own.filter(pl.col("time_period") == year)
        cells = []
        for figure in figures:
            found = row.filter(pl.col("figure") == figure)
            value, reason = (found["value"][0], found["reason"][0]) if found.height else (None, "no row")
            cells.append(f"{_number(value) if value is not None else reason:>14}")
        lines.append(f"  {year}" + "".join(cells))
    return lines


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
