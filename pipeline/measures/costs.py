"""costs.csv: what the children looked after on D cost a year, at the council's unit costs.

``estimated_annual_cost`` is children in a placement group on D times the group's annual
unit cost in ``[costs.placement]``; a group the config leaves out costs nothing (value 0,
with a note saying so). Its ``denominator`` column carries the number of children costed.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.core import codes
from pipeline.measures.ids import Costs
from pipeline.measures.tidy import complete_groups, single, tidy
from pipeline.read.config import CouncilConfig

NO_UNIT_COST = "no unit cost in council.toml"


def estimated_annual_cost(cla_on_d: pl.DataFrame, config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Annual cost of the children in each placement group on D, then all groups together."""
    unit_costs = pl.DataFrame(
        {"group": list(config.costs.placement), "unit_cost": list(config.costs.placement.values())},
        schema={"group": pl.String, "unit_cost": pl.Int64},
    )
    counts = cla_on_d.group_by(pl.col("placement_group").alias("group")).agg(pl.len().alias("value"))
    groups = (
        complete_groups(counts, codes.PLACEMENT_ORDER)
        .join(unit_costs, on="group", how="left")
        .select(
            "group",
            pl.col("order") + 1,
            (pl.col("value") * pl.col("unit_cost").fill_null(0)).alias("value"),
            pl.col("value").alias("denominator"),
            pl.when(pl.col("unit_cost").is_null()).then(pl.lit(NO_UNIT_COST)).alias("note"),
        )
    )
    total = groups.select(
        pl.lit("all").alias("group"),
        pl.lit(0, dtype=pl.Int32).alias("order"),
        pl.col("value").sum(),
        pl.col("denominator").sum(),
        pl.lit(None, dtype=pl.String).alias("note"),
    )
    rows = pl.concat([total, groups], how="vertical_relaxed").with_columns(pl.lit(as_at).alias("period_end"))
    return tidy(rows, measure=Costs.ESTIMATED_ANNUAL_COST, unit="pounds")


def average_cost_per_child(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """The council's average annual cost of a child looked after (empty when the config has none)."""
    average = config.costs.average_per_child
    note = None if average is not None else "no average_per_child in council.toml"
    return single(Costs.AVERAGE_COST_PER_CHILD, average, period_end=as_at, unit="pounds", note=note)


def costs_table(cla_on_d: pl.DataFrame, config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    return pl.concat([estimated_annual_cost(cla_on_d, config, as_at), average_cost_per_child(config, as_at)])
