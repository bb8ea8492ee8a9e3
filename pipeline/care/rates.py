"""Populations, comparator rates, and the rates and percentages of the report.

Rates and percentages are rounded half up to one decimal on exact decimals
(``pipeline.core.rounding``), so 93.05 is 93.1 whatever binary floating point would make of it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.core.rounding import rounded_ratio
from pipeline.read.config import Comparator, CouncilConfig


def rate_per_10k_expr(count: pl.Expr, population: pl.Expr) -> pl.Expr:
    return rounded_ratio(count, population, 10_000)


def percent_expr(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return pl.when(denominator > 0).then(rounded_ratio(numerator, denominator, 100))


def population_table(config: CouncilConfig) -> pl.DataFrame:
    """ONS mid-year estimates, each dated 30 June of its year, oldest first."""
    return pl.DataFrame(
        {"estimate_date": [p.date for p in config.population], "population": [p.count for p in config.population]},
        schema={"estimate_date": pl.Date, "population": pl.Int64},
    ).sort("estimate_date")


def with_population(frame: pl.DataFrame, day: str, config: CouncilConfig) -> pl.DataFrame:
    """Add the population in force on each row's ``day``: the latest ONS mid-year estimate (dated
    30 June of its year) on or before it.

    A day before the first estimate uses the first one (``population_estimate_before`` says so).
    """
    table = population_table(config)
    joined = frame.sort(day).join_asof(table, left_on=day, right_on="estimate_date", strategy="backward")
    first = table.row(0, named=True)
    return joined.with_columns(
        pl.col("estimate_date").is_null().alias("population_estimate_before"),
        pl.col("population").fill_null(first["population"]),
    ).drop("estimate_date")


def population_on(config: CouncilConfig, day: dt.date) -> int:
    frame = with_population(pl.DataFrame({"day": [day]}, schema={"day": pl.Date}), "day", config)
    return int(frame["population"][0])


def comparators_in_force(config: CouncilConfig, day: dt.date) -> list[Comparator]:
    """Per group, in the order first listed, the published rate with the latest date on or before D."""
    in_force: dict[str, Comparator] = {}
    for comparator in sorted(config.comparators, key=lambda c: c.date):
        if comparator.date <= day:
            in_force[comparator.group] = comparator
    return [in_force[group] for group in config.comparator_groups() if group in in_force]
