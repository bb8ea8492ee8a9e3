"""Who is looked after on a day.

- Episodes with LS V3/V4 (agreed series of short breaks) are never counted.
- A child is looked after on day X when an episode has DECOM <= X and (DEC empty or DEC > X):
  the day an episode ends belongs to the next episode, or to life after care.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.groups import legal_group, not_short_break, placement_group
from pipeline.core.dates import OPEN_END


def _episode_days(episodes: pl.DataFrame, calendar: pl.Series, *columns: str | pl.Expr) -> pl.LazyFrame:
    """One row per counted episode and calendar day it is open on (``_index`` into ``calendar``).

    An episode covers the days in [DECOM, DEC): found by searching the sorted days, not by a join, so
    the cost grows with the episodes plus the open (episode, day) pairs. Validation (EPISODE_OVERLAP)
    guarantees a child has one open episode on a day, so rows are children.
    """
    return (
        episodes.lazy()
        .filter(not_short_break())
        .select(
            *columns,
            pl.lit(calendar).search_sorted(pl.col("DECOM"), side="left").alias("_first"),
            pl.lit(calendar).search_sorted(pl.col("DEC").fill_null(OPEN_END), side="left").alias("_stop"),
        )
        .filter(pl.col("_stop") > pl.col("_first"))
        .with_columns(pl.int_ranges("_first", "_stop").alias("_index"))
        .explode("_index")
        .drop("_first", "_stop")
    )


def _calendar(days: list[dt.date]) -> pl.Series:
    return pl.Series("day", sorted(set(days)), dtype=pl.Date)


def looked_after_on(episodes: pl.DataFrame, days: list[dt.date]) -> pl.DataFrame:
    """Children looked after on each day: an episode has started on or before the day and has not ended
    by it (DEC empty or after the day), short breaks (LS V3/V4) not counted. One row per day and child,
    with the fields of the episode open that day."""
    calendar = _calendar(days)
    fields = ("CHILD", "DECOM", "LS", "PLACE", "PLACE_PROVIDER")
    return (
        _episode_days(
            episodes, calendar, *fields, placement_group().alias("placement_group"), legal_group().alias("legal_group")
        )
        .select(pl.lit(calendar).gather(pl.col("_index")).alias("day"), *fields, "placement_group", "legal_group")
        .sort("day", "CHILD")
        .collect()
    )


def open_counts(episodes: pl.DataFrame, days: list[dt.date], by: pl.Expr | None = None) -> pl.DataFrame:
    """Children looked after on each day (``day``, ``value``), by the group ``by`` of their open episode
    when given (column ``group``); only days and groups with children appear."""
    calendar = _calendar(days)
    keys = ["_index"] if by is None else ["_index", "group"]
    columns = [] if by is None else [by.alias("group")]
    return (
        _episode_days(episodes, calendar, *columns)
        .group_by(keys)
        .agg(pl.len().alias("value"))
        .select(pl.lit(calendar).gather(pl.col("_index")).alias("day"), *keys[1:], "value")
        .collect()
    )
