"""The run's tables written as diffable CSV (outputs.md "Tables"): contract columns first, rows in
report order, one decimal for rates and percentages, text a spreadsheet would run made safe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from pipeline.core.rounding import half_up_expr

CSV_COLUMNS = (
    "as_at", "measure", "group", "period_start", "period_end", "value", "unit", "denominator", "note",
)  # fmt: skip
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ONE_DECIMAL_UNITS = ("rate_per_10k", "percent", "per_month")


def neutralise_formula(expr: pl.Expr) -> pl.Expr:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    triggered = pl.any_horizontal([expr.str.starts_with(trigger) for trigger in FORMULA_TRIGGERS])
    return pl.when(triggered).then(pl.lit("'") + expr).otherwise(expr)


def format_value() -> pl.Expr:
    """Whole numbers for counts and money, one decimal for rates and percentages, rounded half up
    (``pipeline.core.rounding``); empty (an empty cell) when unknown."""
    one_decimal = half_up_expr(pl.col("value"), 1).cast(pl.String)
    whole = half_up_expr(pl.col("value"), 0).cast(pl.String)
    return pl.when(pl.col("unit").is_in(ONE_DECIMAL_UNITS)).then(one_decimal).otherwise(whole)


def suppressed_as_c(flag: str, shown: pl.Expr) -> pl.Expr:
    """``c`` where the public edition suppressed the figure (frames from ``pipeline.report.suppression``)."""
    return pl.when(pl.col(flag)).then(pl.lit("c")).otherwise(shown)


def csv_frame(frame: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """The table as written: contract columns first, rows in report order, text made safe."""
    value, denominator = format_value(), pl.col("denominator").cast(pl.String)
    if "suppressed" in frame.columns:  # the public edition
        value = suppressed_as_c("suppressed", value)
        denominator = suppressed_as_c("denominator_suppressed", denominator)
    return frame.sort("measure", "order", "period_end", "group", nulls_last=False).select(
        pl.lit(as_at).alias("as_at"),
        "measure",
        neutralise_formula(pl.col("group")).alias("group"),
        "period_start",
        "period_end",
        value.alias("value"),
        "unit",
        denominator.alias("denominator"),
        neutralise_formula(pl.col("note")).alias("note"),
    )


def write_table(frame: pl.DataFrame, path: Path, as_at: dt.date) -> None:
    csv_frame(frame, as_at).write_csv(
        path, line_terminator="\n", date_format="%Y-%m-%d", null_value="", quote_style="necessary"
    )
