"""reconciliation.csv: the council's own published figures against what lac-report counts from
the extract for the same day and year (with ``[published]``).

One set of rows for each 31 March of a year the published statistics hold that the extract
covers: on or before D, in a year that began (1 April) on or after the extract's earliest
episode start. Groups: ``cla_31_march`` (looked after on 31 March), ``started`` and ``ceased``
(children starting and ceasing in the year to 31 March, each child once). A published figure
the DfE gives as a symbol (``c``, ``x``, ``z``) has no value, and its note says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from pipeline.care.looked_after import open_counts
from pipeline.care.periods import ceased_between, started_between
from pipeline.measures.ids import Reconciliation
from pipeline.measures.tidy import tidy

GROUPS = ("cla_31_march", "started", "ceased")
FIGURE = {"cla_31_march": "cla_count", "started": "started_count", "ceased": "ceased_count"}


def _year(year: int) -> tuple[dt.date, dt.date]:
    """The year to 31 March ``year``: 1 April of the year before to 31 March."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def reconciled_years(own: pl.DataFrame, as_at: dt.date, earliest_start: dt.date | None) -> list[int]:
    """The years to 31 March the published figures hold that the extract covers (see the table's definition)."""
    years = sorted(set(own["time_period"].to_list()))
    return [y for y in years if _year(y)[1] <= as_at and earliest_start is not None and _year(y)[0] >= earliest_start]


def _rows(years: Sequence[int]) -> pl.DataFrame:
    """One row per year and group, with the period the group's figure covers."""
    rows = [
        {
            "group": group,
            "order": order,
            "year": year,
            "period_start": None if group == "cla_31_march" else _year(year)[0],
            "period_end": _year(year)[1],
        }
        for year in years
        for order, group in enumerate(GROUPS)
    ]
    schema = {"group": pl.String, "order": pl.Int32, "year": pl.Int64, "period_start": pl.Date, "period_end": pl.Date}
    return pl.DataFrame(rows, schema=schema)


def published_count(own: pl.DataFrame, years: Sequence[int]) -> pl.DataFrame:
    """The council's own figure as published for the year to that 31 March (``own``: the published
    files' figures for the council); empty where the DfE gives a symbol or no row, the note saying which."""
    figures = own.select(
        pl.col("time_period").alias("year"),
        pl.col("figure"),
        pl.col("value"),
        pl.when(pl.col("value").is_null()).then(pl.col("reason")).alias("note"),
    )
    rows = _rows(years).with_columns(pl.col("group").replace_strict(FIGURE).alias("figure"))
    return tidy(
        rows.join(figures, on=["year", "figure"], how="left"), measure=Reconciliation.PUBLISHED_COUNT, unit="count"
    )


def own_count(episodes: pl.DataFrame, periods: pl.DataFrame, years: Sequence[int]) -> pl.DataFrame:
    """What lac-report counts from the extract: looked after on 31 March, and the children who
    started and who ceased in the year to it (each child once)."""
    on_day = open_counts(episodes, [_year(y)[1] for y in years])
    looked_after = dict(zip(on_day["day"].to_list(), on_day["value"].to_list(), strict=True))
    values = []
    for row in _rows(years).iter_rows(named=True):
        start, end = _year(row["year"])
        if row["group"] == "cla_31_march":
            values.append(looked_after.get(end, 0))
        elif row["group"] == "started":
            values.append(started_between(periods, start, end).height)
        else:
            values.append(ceased_between(periods, start, end).height)
    counted = _rows(years).with_columns(pl.Series("value", values, dtype=pl.Float64))
    return tidy(counted, measure=Reconciliation.OWN_COUNT, unit="count")


def difference(published: pl.DataFrame, own: pl.DataFrame) -> pl.DataFrame:
    """``own_count`` minus ``published_count``: how many more (or, negative, fewer) the extract counts."""
    key = ["group", "period_end"]
    joined = own.join(published.select(*key, pl.col("value").alias("published")), on=key, how="left")
    differences = joined.with_columns(
        (pl.col("value") - pl.col("published")).alias("value"),
        pl.when(pl.col("published").is_null()).then(pl.lit("no published figure")).alias("note"),
    )
    return tidy(differences, measure=Reconciliation.DIFFERENCE, unit="count")


def reconciliation_table(
    episodes: pl.DataFrame, periods: pl.DataFrame, own: pl.DataFrame, as_at: dt.date
) -> pl.DataFrame:
    """``own``: the council's published figures (``pipeline.read.published``'s ``council_figures``)."""
    earliest = episodes["DECOM"].min()
    years = reconciled_years(own, as_at, earliest if isinstance(earliest, dt.date) else None)
    published = published_count(own, years)
    counted = own_count(episodes, periods, years)
    return pl.concat([published, counted, difference(published, counted)])
