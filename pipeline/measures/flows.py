"""flows.csv: children who started and ceased to be looked after in the 12 months to D."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.periods import ceased_between, started_between
from pipeline.care.rates import percent_expr, rate_per_10k_expr, with_population
from pipeline.core import codes
from pipeline.core.dates import twelve_months_to
from pipeline.measures.ids import Flows
from pipeline.measures.tidy import complete_groups, single, tidy, value_of
from pipeline.read.config import CouncilConfig


def started(periods: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Children who started to be looked after in the 12 months to D (each once)."""
    start, end = twelve_months_to(as_at)
    return single(
        Flows.STARTED, started_between(periods, start, end).height, period_start=start, period_end=end, unit="count"
    )


def started_rate_per_10k(started: pl.DataFrame, config: CouncilConfig) -> pl.DataFrame:
    """Starters per 10,000 children, on the population in force at the period's end."""
    rates = with_population(started, "period_end", config).with_columns(
        rate_per_10k_expr(pl.col("value"), pl.col("population")).alias("value"),
        pl.col("population").alias("denominator"),
    )
    return tidy(rates, measure=Flows.STARTED_RATE_PER_10K, unit="rate_per_10k")


def ceased(periods: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Children who ceased in the 12 months to D, by the route of their last occasion, then all."""
    start, end = twelve_months_to(as_at)
    leavers = ceased_between(periods, start, end)
    by_route = complete_groups(leavers.group_by("route").agg(pl.len().alias("value")), codes.ROUTE_ORDER, key="route")
    rows = pl.concat(
        [
            pl.DataFrame({"group": ["all"], "order": [0], "value": [leavers.height]}),
            by_route.select(pl.col("route").alias("group"), pl.col("order") + 1, "value"),
        ],
        how="vertical_relaxed",
    ).with_columns(pl.lit(start).alias("period_start"), pl.lit(end).alias("period_end"))
    return tidy(rows, measure=Flows.CEASED, unit="count")


def ceased_rate_per_10k(ceased: pl.DataFrame, config: CouncilConfig) -> pl.DataFrame:
    """Children who ceased (all routes) per 10,000 children, on the population in force at the period's end."""
    rates = with_population(ceased.filter(pl.col("group") == "all"), "period_end", config).with_columns(
        rate_per_10k_expr(pl.col("value"), pl.col("population")).alias("value"),
        pl.col("population").alias("denominator"),
    )
    return tidy(rates, measure=Flows.CEASED_RATE_PER_10K, unit="rate_per_10k")


def ceased_pct_of_cla(ceased: pl.DataFrame, cla_before_period: int) -> pl.DataFrame:
    """Children who ceased as a percentage of those looked after the day before the period began."""
    pct = ceased.filter(pl.col("group") == "all").with_columns(
        percent_expr(pl.col("value"), pl.lit(cla_before_period)).alias("value"),
        pl.lit(cla_before_period).alias("denominator"),
    )
    return tidy(pct, measure=Flows.CEASED_PCT_OF_CLA, unit="percent")


def flows_table(periods: pl.DataFrame, config: CouncilConfig, as_at: dt.date, cla_before_period: int) -> pl.DataFrame:
    starters = started(periods, as_at)
    leavers = ceased(periods, as_at)
    by_route = leavers.filter(pl.col("group") != "all")["value"].sum()
    if value_of(leavers) != by_route:  # the public edition's secondary suppression counts on the routes adding up
        raise RuntimeError(
            f"flows.csv: the children who ceased by route ({by_route:g}) do not add up to all who ceased"
            f" ({value_of(leavers):g}): a fault in lac-report"
        )
    return pl.concat(
        [
            starters,
            started_rate_per_10k(starters, config),
            leavers,
            ceased_rate_per_10k(leavers, config),
            ceased_pct_of_cla(leavers, cla_before_period),
        ]
    )
