"""headline.csv: children looked after on D and a year before, the rate, the population, and (when the
extracts hold the UASC table) the children looked after excluding unaccompanied asylum-seeking children."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.looked_after import looked_after_on, open_counts
from pipeline.care.rates import population_on, rate_per_10k_expr, with_population
from pipeline.care.uasc import uasc_on
from pipeline.core.dates import minus_years
from pipeline.measures.ids import Headline
from pipeline.measures.tidy import single, tidy
from pipeline.read.config import CouncilConfig


def cla_counts_on(episodes: pl.DataFrame, days: list[dt.date]) -> pl.DataFrame:
    """Children looked after on each day (``period_end``, ``value``), 0 where none."""
    on_day = open_counts(episodes, days)
    calendar = pl.DataFrame({"period_end": days}, schema={"period_end": pl.Date})
    return (
        calendar.join(on_day.rename({"day": "period_end"}), on="period_end", how="left")
        .with_columns(pl.col("value").fill_null(0))
        .sort("period_end")
    )


def cla_count(episodes: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D, and on D minus one year."""
    counts = cla_counts_on(episodes, [minus_years(as_at, 1), as_at])
    return tidy(counts.with_columns(pl.lit("all").alias("group")), measure=Headline.CLA_COUNT, unit="count")


def cla_counts_excluding_uasc_on(episodes: pl.DataFrame, uasc: pl.DataFrame, days: list[dt.date]) -> pl.DataFrame:
    """Children looked after on each day who are not unaccompanied asylum-seeking children that day
    (``period_end``, ``value``), 0 where none."""
    on_day = looked_after_on(episodes, days).select("day", "CHILD")
    counted = on_day.join(uasc_on(uasc, days), on=["day", "CHILD"], how="anti").group_by("day").len("value")
    calendar = pl.DataFrame({"period_end": days}, schema={"period_end": pl.Date})
    return (
        calendar.join(counted.rename({"day": "period_end"}), on="period_end", how="left")
        .with_columns(pl.col("value").fill_null(0))
        .sort("period_end")
    )


def cla_count_excluding_uasc(episodes: pl.DataFrame, uasc: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D, and on D minus one year, less the unaccompanied asylum-seeking children (UASC) on
    that day. Only when the extracts hold the UASC table (``uasc.csv``, or the annual returns')."""
    counts = cla_counts_excluding_uasc_on(episodes, uasc, [minus_years(as_at, 1), as_at])
    return tidy(
        counts.with_columns(pl.lit("all").alias("group")), measure=Headline.CLA_COUNT_EXCLUDING_UASC, unit="count"
    )


def cla_rate_per_10k(cla_count: pl.DataFrame, config: CouncilConfig) -> pl.DataFrame:
    """Rate per 10,000 children aged 0-17 for each row of ``cla_count``, on that day's population."""
    rates = with_population(cla_count, "period_end", config).with_columns(
        rate_per_10k_expr(pl.col("value"), pl.col("population")).alias("value"),
        pl.col("population").alias("denominator"),
    )
    return tidy(rates, measure=Headline.CLA_RATE_PER_10K, unit="rate_per_10k")


def population_0_17(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """The ONS mid-year estimate in force on D."""
    return single(Headline.POPULATION_0_17, population_on(config, as_at), period_end=as_at, unit="count")


def headline_table(
    episodes: pl.DataFrame, config: CouncilConfig, as_at: dt.date, uasc: pl.DataFrame | None = None
) -> pl.DataFrame:
    counts = cla_count(episodes, as_at)
    excluding = [] if uasc is None else [cla_count_excluding_uasc(episodes, uasc, as_at)]
    return pl.concat([counts, cla_rate_per_10k(counts, config), population_0_17(config, as_at), *excluding])
