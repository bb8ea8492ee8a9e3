"""Populations, comparator rates and the rounding rules of the report.

Rates and percentages are rounded half up on exact integer arithmetic, so 93.05 is 93.1
whatever binary floating point would make of it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import polars as pl

from pipeline.read.config import Comparator, CouncilConfig


def round_half_up(value: Decimal | Fraction | int, places: int = 0) -> Decimal:
    """Round half away from zero ("half up" as people mean it) to ``places`` decimals."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio_expr(numerator: pl.Expr, denominator: pl.Expr, scale: int, places: int = 1) -> pl.Expr:
    """numerator / denominator * scale, rounded half up to ``places`` decimals (non-negative inputs).

    The rounded figure is a whole number of 10**-places, made a float through an exact decimal so
    that it is the float nearest that figure (2.8, not the 28 * 0.1 = 2.8000000000000003 a float
    division gives).
    """
    unit = 10**places
    numer = numerator.cast(pl.Int64) * (scale * unit * 2) + denominator.cast(pl.Int64)
    units = numer // (denominator.cast(pl.Int64) * 2)
    exact: pl.Expr = units.cast(pl.Decimal(38, places)) / unit
    return exact.cast(pl.Float64)


def rate_per_10k_expr(count: pl.Expr, population: pl.Expr) -> pl.Expr:
    return ratio_expr(count, population, 10_000)


def percent_expr(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return pl.when(denominator > 0).then(ratio_expr(numerator, denominator, 100))


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
