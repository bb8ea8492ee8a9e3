"""cohorts.csv: the children looked after on D by legal status, placement, age and sex, and
the flag-based cohorts (residential for want of a foster placement, long-term matches).

A flag is in force on day X when START_DATE <= X and (END_DATE empty or END_DATE > X): the
day a flag ends it no longer applies, as the day an episode ends is not a day in it.
``cla_by_sex`` has a row ``unknown`` only when a child looked after on D has SEX U.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.core import codes
from pipeline.core.dates import OPEN_END, twelve_months_to
from pipeline.measures.ids import Cohorts, MeasureId
from pipeline.measures.tidy import complete_groups, single, tidy

AGE_GROUPS = ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_plus")
SEX_GROUPS = ("male", "female", "unknown")


def age_on(day: dt.date) -> pl.Expr:
    """Age in whole years on ``day`` from DOB (a 29 February birthday comes on 1 March)."""
    # month and day are Int8: widen before scaling, or 12 * 100 overflows
    month, day_of_month = pl.col("DOB").dt.month().cast(pl.Int32), pl.col("DOB").dt.day().cast(pl.Int32)
    birthday_to_come = (month * 100 + day_of_month) > (day.month * 100 + day.day)
    return pl.lit(day.year) - pl.col("DOB").dt.year() - birthday_to_come.cast(pl.Int32)


def age_group() -> pl.Expr:
    age = pl.col("age")
    return (
        pl.when(age < 1)
        .then(pl.lit("under_1"))
        .when(age < 5)
        .then(pl.lit("1_to_4"))
        .when(age < 10)
        .then(pl.lit("5_to_9"))
        .when(age < 16)
        .then(pl.lit("10_to_15"))
        .otherwise(pl.lit("16_plus"))
    )


def _by(
    cla_on_d: pl.DataFrame, column: str, groups: tuple[str, ...], measure: MeasureId, as_at: dt.date
) -> pl.DataFrame:
    counts = cla_on_d.group_by(pl.col(column).alias("group")).agg(pl.len().alias("value"))
    rows = complete_groups(counts, groups).with_columns(pl.lit(as_at).alias("period_end"))
    return tidy(rows, measure=measure, unit="count")


def cla_by_legal_status(cla_on_d: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D by the legal status group of the episode open on D."""
    return _by(cla_on_d, "legal_group", codes.LEGAL_ORDER, Cohorts.CLA_BY_LEGAL_STATUS, as_at)


def cla_by_placement(cla_on_d: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D by the placement group of the episode open on D."""
    return _by(cla_on_d, "placement_group", codes.PLACEMENT_ORDER, Cohorts.CLA_BY_PLACEMENT, as_at)


def cla_by_age(cla_on_d: pl.DataFrame, header: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D by age band on D."""
    aged = cla_on_d.join(header.select("CHILD", "DOB").unique("CHILD"), on="CHILD", how="left").with_columns(
        age_on(as_at).alias("age")
    )
    return _by(aged.with_columns(age_group().alias("age_group")), "age_group", AGE_GROUPS, Cohorts.CLA_BY_AGE, as_at)


def cla_by_sex(cla_on_d: pl.DataFrame, header: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D by sex (1/M male, 2/F female; U unknown, shown only when present)."""
    sexed = cla_on_d.join(header.select("CHILD", "SEX").unique("CHILD"), on="CHILD", how="left").with_columns(
        pl.col("SEX").replace_strict(codes.SEX_GROUP, default="unknown").alias("sex")
    )
    rows = _by(sexed, "sex", SEX_GROUPS, Cohorts.CLA_BY_SEX, as_at)
    return rows.filter((pl.col("group") != "unknown") | (pl.col("value") > 0))


def flags_in_force(flags: pl.DataFrame, flag: str, day: dt.date) -> pl.DataFrame:
    """Children with ``flag`` in force on ``day`` (one row each)."""
    return (
        flags.filter(
            (pl.col("FLAG") == flag) & (pl.col("START_DATE") <= day) & (pl.col("END_DATE").fill_null(OPEN_END) > day)
        )
        .select("CHILD")
        .unique()
    )


def residential_no_foster(cla_on_d: pl.DataFrame, flags: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D in a residential placement with a RES_NO_FOSTER flag in force on D;
    ``denominator``: all children in residential placements on D."""
    residential = cla_on_d.filter(pl.col("placement_group") == "residential")
    flagged = residential.join(flags_in_force(flags, codes.FLAG_RES_NO_FOSTER, as_at), on="CHILD", how="semi")
    return single(
        Cohorts.RESIDENTIAL_NO_FOSTER, flagged.height, period_end=as_at, unit="count", denominator=residential.height
    )


def lt_matches_made(flags: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Children with an LT_MATCH flag starting in the 12 months to D (a child matched twice counts once)."""
    start, end = twelve_months_to(as_at)
    matched = flags.filter((pl.col("FLAG") == codes.FLAG_LT_MATCH) & pl.col("START_DATE").is_between(start, end))
    return single(
        Cohorts.LT_MATCHES_MADE, matched["CHILD"].n_unique(), period_start=start, period_end=end, unit="count"
    )


def lt_matched_now(cla_on_d: pl.DataFrame, flags: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D with an LT_MATCH flag in force on D."""
    matched = cla_on_d.join(flags_in_force(flags, codes.FLAG_LT_MATCH, as_at), on="CHILD", how="semi")
    return single(Cohorts.LT_MATCHED_NOW, matched.height, period_end=as_at, unit="count")


def cohorts_table(
    cla_on_d: pl.DataFrame, header: pl.DataFrame, flags: pl.DataFrame | None, as_at: dt.date
) -> pl.DataFrame:
    """``cla_on_d``: ``care.looked_after_on(episodes, [D])``. The flag measures need flags.csv."""
    frames = [
        cla_by_legal_status(cla_on_d, as_at),
        cla_by_placement(cla_on_d, as_at),
        cla_by_age(cla_on_d, header, as_at),
        cla_by_sex(cla_on_d, header, as_at),
    ]
    if flags is not None:
        frames += [
            residential_no_foster(cla_on_d, flags, as_at),
            lt_matches_made(flags, as_at),
            lt_matched_now(cla_on_d, flags, as_at),
        ]
    return pl.concat(frames)
