"""The tidy shape every measure returns, before it is written as a table."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.measures.ids import MeasureId

TIDY_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "measure": pl.String,
    "group": pl.String,
    "order": pl.Int32,  # the group's place in the report, for sorting
    "period_start": pl.Date,
    "period_end": pl.Date,
    "value": pl.Float64,
    "unit": pl.String,  # count, rate_per_10k, percent, pounds, months
    "denominator": pl.Int64,
    "note": pl.String,
}


def tidy(frame: pl.DataFrame, *, measure: MeasureId, unit: str) -> pl.DataFrame:
    """Select and type a measure's rows; columns it lacks (period_start, order, ...) are empty."""
    columns = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in TIDY_SCHEMA.items()
        if name not in ("measure", "unit")
    ]
    return frame.select(pl.lit(measure).alias("measure"), *columns, pl.lit(unit).alias("unit")).select(
        list(TIDY_SCHEMA)
    )


def single(
    measure: MeasureId,
    value: float | int | None,
    *,
    period_end: dt.date,
    unit: str,
    group: str = "all",
    order: int = 0,
    period_start: dt.date | None = None,
    denominator: int | None = None,
    note: str | None = None,
) -> pl.DataFrame:
    """A measure with one row."""
    row = {
        "group": [group], "order": [order], "period_start": [period_start], "period_end": [period_end],
        "value": [None if value is None else float(value)], "denominator": [denominator], "note": [note],
    }  # fmt: skip
    return tidy(pl.DataFrame(row, schema_overrides={"period_start": pl.Date}), measure=measure, unit=unit)


def complete_groups(counts: pl.DataFrame, groups: tuple[str, ...], key: str = "group") -> pl.DataFrame:
    """Every group in report order, with 0 where no child falls in it."""
    order = pl.DataFrame({key: list(groups), "order": list(range(len(groups)))}, schema_overrides={"order": pl.Int32})
    return order.join(counts, on=key, how="left").with_columns(pl.col("value").fill_null(0))


def value_of(frame: pl.DataFrame, *, group: str = "all", period_end: dt.date | None = None) -> float:
    """The value of one row of a tidy frame (for measures built on other measures)."""
    rows = frame.filter(pl.col("group") == group)
    if period_end is not None:
        rows = rows.filter(pl.col("period_end") == period_end)
    if rows.height != 1:
        raise ValueError(f"expected one row for group {group!r}, found {rows.height}")
    return float(rows["value"][0])
