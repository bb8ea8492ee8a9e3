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
    return periods_of_episodes_in_order(episodes_in_order(episodes))


def periods_of_episodes_in_order(ordered: pl.DataFrame) -> pl.DataFrame:
    """``periods_of_care`` of episodes already in order (``episodes_in_order``), by child and period.

    The episodes are in order child by child and a child's first episode starts a period, so a
    running count over the whole frame numbers every period uniquely, and each period's episodes
    lie together in number order: its first and last rows say all there is, with no grouping and
    no sort. A period is left out when every episode of it is a short break (V3/V4, or no LS):
    when a running count of the other episodes does not grow over it.
    """
    other = pl.col("LS").is_in(codes.SHORT_BREAK_LS).not_().fill_null(False).cast(pl.Int64)
    numbered = ordered.select(
        starts_new_period().cast(pl.Int64).cum_sum().alias("period"),
        other.cum_sum().alias("_others"),
        other.alias("_other"),
    )
    period = numbered.get_column("period")
    first, last = period != period.shift(1).fill_null(0), period != period.shift(-1).fill_null(0)
    starts = ordered.select("CHILD", "DECOM").hstack(numbered).filter(first)
    ends = ordered.select("DEC", "REC", "LS").with_columns(numbered.get_column("_others")).filter(last)
    periods = pl.DataFrame(
        {
            "period": starts.get_column("period"),
            "CHILD": starts.get_column("CHILD"),
            "period_start": starts.get_column("DECOM"),
            "period_end": ends.get_column("DEC"),
            "rec": ends.get_column("REC"),
            "final_ls": ends.get_column("LS"),
            "_others": ends.get_column("_others") - (starts.get_column("_others") - starts.get_column("_other")),
        }
    )
    return periods.filter(pl.col("_others") > 0).drop("_others").with_columns(route().alias("route"))


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
