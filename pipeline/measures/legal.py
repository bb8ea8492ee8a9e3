"""legal.csv: discharge-of-care-order applications, by stage on D, route and plan.

Counts are of applications (rows of legal.csv), not children. The stage of an application
on D follows from its dates (measures.md); a case concluded on or before D is closed and
is in no stage, whatever dates it has. A case with none of PLANNED, REFERRED or ISSUED on
or before D (only a REFERRED_DATE after D, say) is not yet in the pipeline on D.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.core import codes
from pipeline.core.dates import month_end, plus_months, twelve_months_to
from pipeline.measures.ids import Legal
from pipeline.measures.tidy import complete_groups, single, tidy

ROUTE_GROUPS = tuple(route.lower() for route in codes.LEGAL_ROUTES)
OUTCOME_GROUPS = tuple(outcome.lower() for outcome in codes.LEGAL_OUTCOMES)


def stage_on(as_at: dt.date) -> pl.Expr:
    """The stage of each application on D: in_proceedings, with_legal, planned, or null (closed
    or not started)."""
    return (
        pl.when(pl.col("CONCLUDED_DATE") <= as_at)
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("ISSUED_DATE") <= as_at)
        .then(pl.lit("in_proceedings"))
        .when(pl.col("REFERRED_DATE") <= as_at)
        .then(pl.lit("with_legal"))
        .when(pl.col("PLANNED_DATE").is_not_null())
        .then(pl.lit("planned"))
    )


def with_stage(legal: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    return legal.with_columns(
        stage_on(as_at).alias("stage"), pl.col("ROUTE").cast(pl.String).str.to_lowercase().alias("route")
    )


def horizon(as_at: dt.date) -> dt.date:
    """The last day of the second month after D's month (D in November: 31 January)."""
    return month_end(plus_months(as_at.replace(day=1), 2))


def _counted(counts: pl.DataFrame, groups: tuple[str, ...], key: str, as_at: dt.date) -> pl.DataFrame:
    return (
        complete_groups(counts, groups, key=key).rename({key: "group"}).with_columns(pl.lit(as_at).alias("period_end"))
    )


def legal_cases(staged: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Applications at each stage on D: planned, with legal services, in proceedings."""
    counts = staged.drop_nulls("stage").group_by("stage").agg(pl.len().alias("value"))
    return tidy(_counted(counts, codes.LEGAL_STAGES, "stage", as_at), measure=Legal.LEGAL_CASES, unit="count")


def legal_cases_by_route(staged: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Open applications on D (any of the three stages) by route: SGO, reunification, CAO."""
    counts = staged.drop_nulls("stage").group_by("route").agg(pl.len().alias("value"))
    return tidy(_counted(counts, ROUTE_GROUPS, "route", as_at), measure=Legal.LEGAL_CASES_BY_ROUTE, unit="count")


def legal_planned_by_month(staged: pl.DataFrame) -> pl.DataFrame:
    """Applications planned on D by the month of their PLANNED_DATE (``yyyy-mm``), months with
    at least one case, oldest first (overdue plans included: they are still planned)."""
    planned = staged.filter(pl.col("stage") == "planned")
    months = (
        planned.group_by(pl.col("PLANNED_DATE").dt.month_start().alias("period_start"))
        .agg(pl.len().alias("value"))
        .sort("period_start")
    )
    frame = months.with_columns(
        pl.col("period_start").dt.to_string("%Y-%m").alias("group"),
        pl.col("period_start").dt.month_end().alias("period_end"),
        pl.int_range(pl.len(), dtype=pl.Int32).alias("order"),
    )
    return tidy(frame, measure=Legal.LEGAL_PLANNED_BY_MONTH, unit="count")


def legal_expected_by_horizon(staged: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Applications planned on D whose PLANNED_DATE is on or before the horizon: the cases
    expected to be with legal services by the end of the second month after D's month."""
    until = horizon(as_at)
    expected = staged.filter((pl.col("stage") == "planned") & (pl.col("PLANNED_DATE") <= until)).height
    return single(Legal.LEGAL_EXPECTED_BY_HORIZON, expected, period_end=until, unit="count")


def legal_concluded(legal: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Applications concluded in the 12 months to D, by outcome: granted, refused, withdrawn."""
    start, end = twelve_months_to(as_at)
    counts = (
        legal.filter(pl.col("CONCLUDED_DATE").is_between(start, end))
        .group_by(pl.col("OUTCOME").cast(pl.String).str.to_lowercase().alias("outcome"))
        .agg(pl.len().alias("value"))
    )
    rows = complete_groups(counts, OUTCOME_GROUPS, key="outcome").rename({"outcome": "group"})
    return tidy(
        rows.with_columns(pl.lit(start).alias("period_start"), pl.lit(end).alias("period_end")),
        measure=Legal.LEGAL_CONCLUDED,
        unit="count",
    )


def legal_table(legal: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    staged = with_stage(legal, as_at)
    return pl.concat(
        [
            legal_cases(staged, as_at),
            legal_cases_by_route(staged, as_at),
            legal_planned_by_month(staged),
            legal_expected_by_horizon(staged, as_at),
            legal_concluded(legal, as_at),
        ]
    )
