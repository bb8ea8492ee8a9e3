"""discharges.csv: care orders discharged in the 12 months to D, by route."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.periods import ceased_between
from pipeline.core import codes
from pipeline.core.dates import twelve_months_to
from pipeline.measures.ids import Discharges
from pipeline.measures.tidy import complete_groups, tidy


def care_orders_discharged(periods: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Children who ceased (last occasion) on a full care order (LS C2) through SGO, reunification
    or a child arrangements order; ``all`` is the three routes together."""
    start, end = twelve_months_to(as_at)
    discharged = ceased_between(periods, start, end).filter(
        (pl.col("final_ls") == codes.CARE_ORDER_LS) & pl.col("route").is_in(codes.DISCHARGE_ROUTES)
    )
    by_route = complete_groups(
        discharged.group_by("route").agg(pl.len().alias("value")), codes.DISCHARGE_ROUTES, key="route"
    ).select(pl.col("route").alias("group"), pl.col("order") + 1, "value")
    rows = pl.concat(
        [pl.DataFrame({"group": ["all"], "order": [0], "value": [discharged.height]}), by_route],
        how="vertical_relaxed",
    ).with_columns(pl.lit(start).alias("period_start"), pl.lit(end).alias("period_end"))
    return tidy(rows, measure=Discharges.CARE_ORDERS_DISCHARGED, unit="count")
