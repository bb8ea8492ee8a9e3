"""Periods of care, and the children who started or ceased in a period.

- A period of care made only of LS V3/V4 episodes (short breaks) is ignored everywhere.
- Started/ceased count children, not periods: first start and last cessation in the period.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.episodes import episodes_in_order, starts_new_period
from pipeline.care.groups import route
from pipeline.core import codes


def periods_of_care(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each child's periods of care: chains of episodes joined by REC = X1 on the same day."""
    # The episodes are in order child by child and a child's first episode starts a period, so a
    # running count over the whole frame numbers every period uniquely: no window per child needed.
    ordered = episodes_in_order(episodes).with_columns(starts_new_period().cast(pl.Int64).cum_sum().alias("period"))
    periods = ordered.group_by("period").agg(
        pl.col("CHILD").first(),
        pl.col("DECOM").first().alias("period_start"),
        pl.col("DEC").last().alias("period_end"),
        pl.col("REC").last().alias("rec"),
        pl.col("LS").last().alias("final_ls"),
        pl.col("LS").is_in(codes.SHORT_BREAK_LS).all().alias("_short_breaks_only"),
    )
    return (
        periods.filter(~pl.col("_short_breaks_only"))
        .drop("_short_breaks_only")
        .with_columns(route().alias("route"))
        .sort("CHILD", "period")
    )


def started_between(periods: pl.DataFrame, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Children who started a period of care in [start, end], once each (first occasion)."""
    return (
        periods.filter(pl.col("period_start").is_between(start, end))
        .sort("CHILD", "period_start")
        .unique("CHILD", keep="first", maintain_order=True)
    )


def ceased_between(periods: pl.DataFrame, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Children who ceased in [start, end], once each, by their last occasion (its REC and LS)."""
    return (
        periods.filter(pl.col("period_end").is_between(start, end))
        .sort("CHILD", "period_end")
        .unique("CHILD", keep="last", maintain_order=True)
    )
