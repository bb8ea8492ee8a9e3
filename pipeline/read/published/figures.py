"""The published figures of a council and of its comparator groups, year by year.

Rates and counts are taken as published. Two figures are worked out from them, each rounded
half up to two decimals, the precision LAIT shows a neighbour average in (the seed report's
"Statistical Neighbours 54.44"):

- ``ceased_pct_of_previous_cla``: children ceasing in the year to 31 March as a percentage
  of those looked after on the previous 31 March (the previous year may come from another
  edition). England's and the regions' counts are rounded to 10, so theirs inherits that.
- the statistical neighbours' average: the unweighted mean of the neighbours' published
  figures, of those that have one (as LAIT does), with how many had one and why the others
  had none. There is no average of counts: neighbours differ in size.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from pipeline.core.rounding import half_up_expr, rounded_ratio
from pipeline.read.published.councils import ENGLAND_CODE, Council
from pipeline.read.published.text import LINE, reason

FIGURES = (
    "cla_rate_per_10k", "started_rate_per_10k", "ceased_rate_per_10k", "cla_count", "started_count", "ceased_count",
    "ceased_pct_of_previous_cla",
)  # fmt: skip
COUNTS = ("cla_count", "started_count", "ceased_count")
GROUP_KINDS = ("council", "england", "region", "london", "neighbours")
NEIGHBOURS = "Statistical neighbours"
_PREFIX = {"cla_31_march": "cla", "started": "started", "ceased": "ceased"}
_SCHEMA = {
    "time_period": pl.Int64, "geo_code": pl.String, "figure": pl.String, "value": pl.Float64, "status": pl.String,
    "file": pl.String, LINE: pl.Int64,
}  # fmt: skip


def figures(statistics: pl.DataFrame) -> pl.DataFrame:
    """Every geography's figures as a long frame (time_period, geo_code, figure, value, status, file, line)."""
    base = ["time_period", "geo_code", "file", LINE]
    prefix = pl.col("measure").replace_strict(_PREFIX)
    rates = statistics.select(
        *base, (prefix + "_rate_per_10k").alias("figure"), pl.col("rate_per_10k").alias("value"),
        pl.col("rate_status").alias("status"),
    )  # fmt: skip
    counts = statistics.select(
        *base, (prefix + "_count").alias("figure"), pl.col("count").cast(pl.Float64).alias("value"),
        pl.col("count_status").alias("status"),
    )  # fmt: skip
    published = pl.concat([rates, counts]).select(list(_SCHEMA))
    return pl.concat([published, _ceased_pct(statistics)]).sort("geo_code", "time_period", "figure")


def _ceased_pct(statistics: pl.DataFrame) -> pl.DataFrame:
    ceased = statistics.filter(pl.col("measure") == "ceased")
    before = statistics.filter(pl.col("measure") == "cla_31_march").select(
        (pl.col("time_period") + 1).alias("time_period"),
        "geo_code",
        pl.col("count").alias("previous"),
        pl.col("count_status").alias("previous_status"),
        pl.lit(True).alias("_held"),
    )
    joined = ceased.join(before, on=["time_period", "geo_code"], how="left")
    status = (
        pl.when(pl.col("count_status").is_not_null())
        .then(pl.col("count_status"))
        .when(pl.col("_held").is_null())
        .then(pl.lit("no_previous"))
        .when(pl.col("previous_status").is_not_null())
        .then(pl.lit("previous_") + pl.col("previous_status"))
        .when(pl.col("previous") == 0)
        .then(pl.lit("zero_denominator"))
    )
    value = pl.when(status.is_null()).then(rounded_ratio(pl.col("count"), pl.col("previous"), 100, places=2))
    return joined.select(
        "time_period", "geo_code", pl.lit("ceased_pct_of_previous_cla").alias("figure"), value.alias("value"),
        status.alias("status"), "file", LINE,
    )  # fmt: skip


def _grid(statistics: pl.DataFrame, geo_codes: Sequence[str]) -> pl.DataFrame:
    years = statistics.select(pl.col("time_period").unique().sort())
    codes = pl.DataFrame({"geo_code": list(geo_codes)}, schema={"geo_code": pl.String})
    return years.join(codes, how="cross").join(pl.DataFrame({"figure": list(FIGURES)}), how="cross")


def _fill_grid(grid: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    # Every year the statistics hold, for every code and figure: a missing row is said, not skipped.
    filled = grid.join(found, on=["time_period", "geo_code", "figure"], how="left")
    status = pl.when(pl.col("file").is_null()).then(pl.lit("no_row")).otherwise(pl.col("status"))
    return filled.with_columns(
        status.alias("status"), pl.date(pl.col("time_period"), 3, 31).alias("period_end")
    ).with_columns(reason(pl.col("status")).alias("reason"))


def council_figures(statistics: pl.DataFrame, council: Council) -> pl.DataFrame:
    """The council's own published figures for every year the statistics hold (``no_row`` where none)."""
    mine = statistics.filter((pl.col("level") == "council") & (pl.col("geo_code") == council.old_la_code))
    return _fill_grid(_grid(statistics, [council.old_la_code]), figures(mine))


def neighbour_figures(statistics: pl.DataFrame, neighbours: pl.DataFrame) -> pl.DataFrame:
    """Each neighbour's published figures per year, with the reason where it has none."""
    codes = neighbours["neighbour_code"].to_list()
    found = figures(statistics.filter((pl.col("level") == "council") & pl.col("geo_code").is_in(codes)))
    names = neighbours.select(
        pl.col("neighbour_code").alias("geo_code"), "rank", pl.col("neighbour_name").alias("geo_name")
    )
    return _fill_grid(_grid(statistics, codes), found).join(names, on="geo_code").sort("time_period", "figure", "rank")


def neighbour_average(per_neighbour: pl.DataFrame) -> pl.DataFrame:
    """The mean of the neighbours' figures that exist, rounded half up to two decimals, with
    ``n_neighbours``, ``n_with_figure``, ``missing`` ("943 Westmorland and Furness: not applicable
    (z)") and the distinct ``reasons`` the others had none."""
    missing = pl.col("geo_code") + " " + pl.col("geo_name") + ": " + pl.col("reason")
    hundredths = (half_up_expr(pl.col("value"), 2) * 100).cast(pl.Int64)
    return (
        per_neighbour.group_by("time_period", "period_end", "figure")
        .agg(
            hundredths.sum().alias("_sum"),
            pl.len().alias("n_neighbours"),
            pl.col("value").is_not_null().sum().alias("n_with_figure"),
            missing.filter(pl.col("value").is_null()).alias("missing"),
            pl.col("reason").filter(pl.col("value").is_null()).unique().sort().alias("reasons"),
        )
        .with_columns(
            pl.when(pl.col("n_with_figure") > 0)
            .then(rounded_ratio(pl.col("_sum"), pl.col("n_with_figure") * 100, places=2))
            .alias("value"),
            pl.when(pl.col("n_with_figure") == 0).then(pl.lit("no_neighbour_figure")).alias("status"),
        )  # fmt: skip
        .drop("_sum")
    )


def comparator_figures(statistics: pl.DataFrame, council: Council, neighbours: pl.DataFrame) -> pl.DataFrame:
    """Per year and figure: the council, England, its region, Inner or Outer London, the neighbours' mean.

    Columns: time_period, period_end, group_kind (``GROUP_KINDS``), group_code, group_name,
    figure, value, status, reason, n_neighbours, n_with_figure, missing, reasons.
    """
    groups: list[tuple[str, str, str | None]] = [
        ("council", council.old_la_code, council.name),
        ("england", ENGLAND_CODE, "England"),
    ]
    if council.region_code:
        groups.append(("region", council.region_code, council.region_name))
    if council.london_code:
        groups.append(("london", council.london_code, council.london_name))
    parts = [_group(statistics, kind, code, name) for kind, code, name in groups]
    if neighbours.height:
        mean = neighbour_average(neighbour_figures(statistics, neighbours)).filter(~pl.col("figure").is_in(COUNTS))
        parts.append(
            mean.with_columns(
                pl.lit("neighbours").alias("group_kind"),
                pl.lit(None, pl.String).alias("group_code"),
                pl.lit(NEIGHBOURS).alias("group_name"),
                reason(pl.col("status")).alias("reason"),
            )
        )
    order = [
        "time_period", "period_end", "group_kind", "group_code", "group_name", "figure", "value", "status", "reason",
        "n_neighbours", "n_with_figure", "missing", "reasons",
    ]  # fmt: skip
    rank = pl.col("group_kind").replace_strict({k: i for i, k in enumerate(GROUP_KINDS)}, return_dtype=pl.Int64)
    return pl.concat([p.select(order) for p in parts]).sort("time_period", "figure", rank)


def _group(statistics: pl.DataFrame, kind: str, code: str, name: str | None) -> pl.DataFrame:
    level = {"council": "council", "england": "england", "region": "region", "london": "region"}[kind]
    found = figures(statistics.filter((pl.col("level") == level) & (pl.col("geo_code") == code)))
    return _fill_grid(_grid(statistics, [code]), found).with_columns(
        pl.lit(kind).alias("group_kind"),
        pl.col("geo_code").alias("group_code"),
        pl.lit(name).alias("group_name"),
        pl.lit(None, pl.UInt32).alias("n_neighbours"),
        pl.lit(None, pl.UInt32).alias("n_with_figure"),
        pl.lit(None, pl.List(pl.String)).alias("missing"),
        pl.lit(None, pl.List(pl.String)).alias("reasons"),
    )


def council_population(population: pl.DataFrame, council: Council) -> pl.DataFrame:
    """The council's ONS population 0-17 per mid-year, matched by old code.

    ``ons_new_la_code`` is the code the ONS used that year; ``code_differs`` marks a year it is
    not the DfE's current code (a county before it became a unitary council).
    """
    mine = population.filter(pl.col("old_la_code") == council.old_la_code)
    return mine.select(
        "mid_year",
        "population",
        "population_status",
        pl.col("new_la_code").alias("ons_new_la_code"),
        pl.col("new_la_code").ne_missing(pl.lit(council.new_la_code)).alias("code_differs"),
        "file",
        LINE,
    ).sort("mid_year")
