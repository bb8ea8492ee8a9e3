"""trend.csv: each month end of the 36 months to D, and D itself; with the UASC table, the children
looked after excluding unaccompanied asylum-seeking children too."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.groups import placement_group
from pipeline.care.looked_after import open_counts
from pipeline.core import codes
from pipeline.measures.headline import cla_counts_excluding_uasc_on, cla_counts_on, cla_rate_per_10k
from pipeline.measures.ids import MeasureId, Trend
from pipeline.measures.tidy import tidy
from pipeline.read.config import CouncilConfig


def trend_cla_count(episodes: pl.DataFrame, days: list[dt.date]) -> pl.DataFrame:
    """Looked after on each day: all children, then each placement group (0 where none)."""
    total = cla_counts_on(episodes, days).with_columns(pl.lit("all").alias("group"), pl.lit(0).alias("order"))
    by_group = open_counts(episodes, days, by=placement_group()).rename({"day": "period_end"})
    grid = pl.DataFrame({"period_end": days}, schema={"period_end": pl.Date}).join(
        pl.DataFrame({"group": list(codes.PLACEMENT_ORDER), "order": list(range(1, len(codes.PLACEMENT_ORDER) + 1))}),
        how="cross",
    )
    groups = grid.join(by_group, on=["period_end", "group"], how="left").with_columns(pl.col("value").fill_null(0))
    return tidy(pl.concat([total, groups], how="diagonal_relaxed"), measure=Trend.CLA_COUNT, unit="count")


def trend_cla_count_excluding_uasc(episodes: pl.DataFrame, uasc: pl.DataFrame, days: list[dt.date]) -> pl.DataFrame:
    """Looked after on each trend day, less the unaccompanied asylum-seeking children (UASC) on that day.
    Only when the extracts hold the UASC table."""
    counts = cla_counts_excluding_uasc_on(episodes, uasc, days).with_columns(pl.lit("all").alias("group"))
    return tidy(counts, measure=Trend.CLA_COUNT_EXCLUDING_UASC, unit="count")


def trend_cla_rate_per_10k(trend_cla_count: pl.DataFrame, config: CouncilConfig) -> pl.DataFrame:
    """Rate per 10,000 children aged 0-17 of all children looked after on each trend day, on that day's population."""
    return cla_rate_per_10k(trend_cla_count.filter(pl.col("group") == "all"), config)


def _months(days: list[dt.date]) -> pl.LazyFrame:
    """Each trend day with the first day of its calendar month: a month end's month, or D's month to date."""
    return pl.LazyFrame({"period_end": days}, schema={"period_end": pl.Date}).with_columns(
        pl.col("period_end").dt.month_start().alias("period_start")
    )


def _children_by_month(
    periods: pl.DataFrame, days: list[dt.date], date_column: str, measure: MeasureId
) -> pl.DataFrame:
    events = periods.lazy().select("CHILD", pl.col(date_column).alias("_event")).drop_nulls()
    counted = (
        _months(days)
        .join_where(events, pl.col("_event") >= pl.col("period_start"), pl.col("_event") <= pl.col("period_end"))
        .group_by("period_start", "period_end")
        .agg(pl.col("CHILD").n_unique().alias("value"))
    )
    frame = (
        _months(days)
        .join(counted, on=["period_start", "period_end"], how="left")
        .with_columns(pl.col("value").fill_null(0), pl.lit("all").alias("group"))
        .collect()
    )
    return tidy(frame, measure=measure, unit="count")


def trend_started(periods: pl.DataFrame, days: list[dt.date]) -> pl.DataFrame:
    """Children who started to be looked after in each calendar month (D's month to date)."""
    return _children_by_month(periods, days, "period_start", Trend.STARTED)


def trend_ceased(periods: pl.DataFrame, days: list[dt.date]) -> pl.DataFrame:
    """Children who ceased to be looked after in each calendar month (D's month to date)."""
    return _children_by_month(periods, days, "period_end", Trend.CEASED)


def trend_table(
    episodes: pl.DataFrame,
    periods: pl.DataFrame,
    config: CouncilConfig,
    days: list[dt.date],
    uasc: pl.DataFrame | None = None,
) -> pl.DataFrame:
    counts = trend_cla_count(episodes, days)
    excluding = [] if uasc is None else [trend_cla_count_excluding_uasc(episodes, uasc, days)]
    return pl.concat(
        [
            counts,
            trend_cla_rate_per_10k(counts, config),
            trend_started(periods, days),
            trend_ceased(periods, days),
            *excluding,
        ]
    )
