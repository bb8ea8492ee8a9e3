"""Building blocks of every measure (measures.md): who is looked after on a day, periods of
care, and the children who started or ceased in a period.

Assumptions:
- Episodes with LS V3/V4 (agreed series of short breaks) are never counted; a period of care
  made only of them is ignored everywhere.
- A child is looked after on day X when an episode has DECOM <= X and (DEC empty or DEC > X):
  the day an episode ends belongs to the next episode, or to life after care.
- Started/ceased count children, not periods: first start and last cessation in the period.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

import polars as pl

from pipeline import codes
from pipeline.rules import episodes_in_order, starts_new_period

OPEN_END = dt.date(9999, 12, 31)


def not_short_break() -> pl.Expr:
    return ~pl.col("LS").is_in(codes.SHORT_BREAK_LS)


def first_match(cases: list[tuple[pl.Expr, str]], default: str) -> pl.Expr:
    """The label of the first condition that holds, else ``default`` (a CASE WHEN as a coalesce)."""
    return pl.coalesce([pl.when(condition).then(pl.lit(label)) for condition, label in cases] + [pl.lit(default)])


def placement_group() -> pl.Expr:
    """The placement group id of an episode (measures.md), from PLACE and PLACE_PROVIDER."""
    place, groups = pl.col("PLACE"), codes.PLACEMENT_GROUPS
    in_house = pl.col("PLACE_PROVIDER").is_in(codes.IN_HOUSE_PROVIDERS).fill_null(False)
    cases = [
        (place.is_in(groups["kinship_fostering"]), "kinship_fostering"),
        (place.is_in(groups["in_house_fostering"]) & in_house, "in_house_fostering"),
        (place.is_in(groups["agency_fostering"]), "agency_fostering"),
    ]
    cases += [
        (place.is_in(groups[group]), group)
        for group in ("residential", "placed_with_parents", "placed_for_adoption", "supported_or_independent")
    ]
    return first_match(cases, "other")


def legal_group() -> pl.Expr:
    """The legal status group id of an episode's LS."""
    return first_match([(pl.col("LS").is_in(ls), group) for group, ls in codes.LEGAL_GROUPS.items()], "other")


def route(rec: str = "rec") -> pl.Expr:
    """The route out of care of a period, from the REC that ended it."""
    return first_match([(pl.col(rec).is_in(recs), name) for name, recs in codes.ROUTES.items()], "other")


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


def periods_of_care(episodes: pl.DataFrame, ordered: pl.DataFrame | None = None) -> pl.DataFrame:
    """Each child's periods of care: chains of episodes joined by REC = X1 on the same day.

    ``ordered`` is ``rules.episodes_in_order(episodes)`` when the caller already has it.
    """
    # The episodes are in order child by child and a child's first episode starts a period, so a
    # running count over the whole frame numbers every period uniquely: no window per child needed.
    ordered = (episodes_in_order(episodes) if ordered is None else ordered).with_columns(
        starts_new_period().cast(pl.Int64).cum_sum().alias("period")
    )
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


def minus_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February becomes 28 February."""
    year = day.year - years
    return day.replace(year=year, day=min(day.day, monthrange(year, day.month)[1]))


def plus_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def twelve_months_to(day: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months to D: from D minus 12 months plus one day, to D."""
    return plus_months(day, -12) + dt.timedelta(days=1), day


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def trend_days(day: dt.date, months: int = 36) -> list[dt.date]:
    """The last ``months`` month ends on or before D, then D itself when it is not a month end."""
    last = month_end(day) if month_end(day) == day else month_end(plus_months(day.replace(day=1), -1))
    ends = [month_end(plus_months(last.replace(day=1), -k)) for k in range(months - 1, -1, -1)]
    return ends if ends[-1] == day else [*ends, day]
