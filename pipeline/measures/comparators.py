"""comparators.csv: the published rates in force on D and what they would mean here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl

from pipeline.care.rates import comparators_in_force, population_on, round_half_up
from pipeline.measures.tidy import tidy
from pipeline.read.config import CouncilConfig


def _in_force(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Comparator rows from the config (a handful), with the implied count worked exactly."""
    population = population_on(config, as_at)
    rows = [
        {
            "group": c.group,
            "order": i,
            "rate": c.rate_per_10k,
            "note": c.source,
            "population": population,
            "implied": float(round_half_up(Decimal(str(c.rate_per_10k)) * population / 10_000)),
        }  # fmt: skip
        for i, c in enumerate(comparators_in_force(config, as_at))
    ]
    schema = {
        "group": pl.String, "order": pl.Int32, "rate": pl.Float64, "note": pl.String,
        "population": pl.Int64, "implied": pl.Float64,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema).with_columns(pl.lit(as_at).alias("period_end"))


def comparator_rate_per_10k(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Each comparator group's published rate in force on D (its latest date on or before D)."""
    return tidy(
        _in_force(config, as_at).rename({"rate": "value"}), measure="comparator_rate_per_10k", unit="rate_per_10k"
    )


def comparator_implied_count(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """The number looked after we would have at the comparator's rate: rate * population / 10,000."""
    implied = _in_force(config, as_at).rename({"implied": "value", "population": "denominator"})
    return tidy(implied, measure="comparator_implied_count", unit="count")


def comparator_gap(cla_on_day: int, implied: pl.DataFrame) -> pl.DataFrame:
    """Children looked after on D minus the implied count: how far above (or below) the comparator."""
    gap = implied.with_columns((pl.lit(cla_on_day) - pl.col("value")).alias("value"), pl.lit(None).alias("denominator"))
    return tidy(gap, measure="comparator_gap", unit="count")


def comparators_table(config: CouncilConfig, as_at: dt.date, cla_on_day: int) -> pl.DataFrame:
    implied = comparator_implied_count(config, as_at)
    return pl.concat([comparator_rate_per_10k(config, as_at), implied, comparator_gap(cla_on_day, implied)])
