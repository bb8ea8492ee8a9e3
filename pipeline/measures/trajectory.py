"""trajectory.csv: where the number looked after is heading at the last 12 months' net flow.

- Net flow per month = (children who started - children who ceased in the 12 months to D) / 12.
- The projection uses the exact net flow, not its one-decimal rounding: cla on D + started -
  ceased, for D plus 12 months, and never below 0.
- Months to each comparator: 0 when the count on D is already at or below the comparator's
  implied count; else, when the net flow is negative, the whole months (rounded up) that the
  gap takes to close at that flow; else empty (the trend never gets there).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import polars as pl

from pipeline.care.periods import ceased_between, started_between
from pipeline.core.dates import plus_months, twelve_months_to
from pipeline.core.rounding import half_up
from pipeline.measures.ids import Trajectory
from pipeline.measures.tidy import single, tidy


def net_change(periods: pl.DataFrame, as_at: dt.date) -> tuple[int, int]:
    """Children who started and who ceased in the 12 months to D (each child once)."""
    start, end = twelve_months_to(as_at)
    return started_between(periods, start, end).height, ceased_between(periods, start, end).height


def net_flow_per_month(started: int, ceased: int, as_at: dt.date) -> pl.DataFrame:
    """(started - ceased) / 12, one decimal rounded half away from zero."""
    start, end = twelve_months_to(as_at)
    value = float(half_up(Fraction(started - ceased, 12), 1))
    note = f"started {started}, ceased {ceased}"
    return single(Trajectory.NET_FLOW_PER_MONTH, value, period_start=start, period_end=end, unit="per_month", note=note)


def projected_cla_count(cla_on_d: int, started: int, ceased: int, as_at: dt.date) -> pl.DataFrame:
    """Looked after on D plus 12 months of the net flow: cla + started - ceased, at least 0."""
    projected = max(0, cla_on_d + started - ceased)
    return single(Trajectory.PROJECTED_CLA_COUNT, projected, period_end=plus_months(as_at, 12), unit="count")


def months_to_comparator(
    cla_on_d: int, started: int, ceased: int, implied: pl.DataFrame, as_at: dt.date
) -> pl.DataFrame:
    """For each comparator (rows of ``comparator_implied_count``): whole months until the count
    reaches the implied count at the current net flow; 0 if already there; empty if never."""
    gap = pl.lit(cla_on_d) - pl.col("value").cast(pl.Int64)
    outflow = ceased - started  # children a year; the flow per month is -outflow / 12
    months = (
        pl.when(gap <= 0)
        .then(pl.lit(0, dtype=pl.Int64))
        .when(pl.lit(outflow) > 0)
        .then(-((-gap * 12) // max(outflow, 1)))  # ceil(gap / (outflow / 12)) in integers
    )
    rows = implied.select("group", "order", months.alias("value"), pl.lit(as_at).alias("period_end"))
    return tidy(rows, measure=Trajectory.MONTHS_TO_COMPARATOR, unit="months")


def trajectory_table(periods: pl.DataFrame, cla_on_d: int, implied: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """``implied``: the comparators table's ``comparator_implied_count`` rows."""
    started, ceased = net_change(periods, as_at)
    return pl.concat(
        [
            net_flow_per_month(started, ceased, as_at),
            projected_cla_count(cla_on_d, started, ceased, as_at),
            months_to_comparator(cla_on_d, started, ceased, implied, as_at),
        ]
    )
