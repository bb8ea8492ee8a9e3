"""Events in a child's records that both the checks and the measures read: the days a period of
care started, the days the episodes show a return home, and the factor codes of an assessment."""

from __future__ import annotations

import polars as pl

from pipeline.care.groups import not_short_break
from pipeline.core import codes


def care_starts(periods: pl.DataFrame) -> pl.DataFrame:
    """Each day a child started a period of care (``CHILD``, ``_event``); ``periods``: ``periods_of_care``."""
    return periods.select("CHILD", pl.col("period_start").alias("_event"))


def returns_home(episodes: pl.DataFrame, periods: pl.DataFrame) -> pl.DataFrame:
    """Each day the episodes show a child going home (``CHILD``, ``_event``): a period of care
    ceasing by reunification (REC E4A/E4B), or an episode placed with parents (P1) starting."""
    ceased_home = periods.filter(pl.col("route") == "reunification").select("CHILD", pl.col("period_end"))
    placed_home = episodes.filter(not_short_break() & (pl.col("PLACE") == codes.HOME_PLACEMENT)).select(
        "CHILD", pl.col("DECOM")
    )
    return pl.concat(
        [ceased_home.rename({"period_end": "_event"}), placed_home.rename({"DECOM": "_event"})]
    ).drop_nulls()


def with_event_between(
    involvements: pl.DataFrame, events: pl.DataFrame, low: pl.Expr, high: pl.Expr, name: str
) -> pl.DataFrame:
    """Add a boolean column ``name``: the row's child has an event on a day from ``low`` to
    ``high`` (both inclusive; a null bound means no such window, so False)."""
    rows = involvements.with_row_index("_row").with_columns(low.alias("_low"), high.alias("_high"))
    hits = (
        rows.select("_row", "CHILD", "_low", "_high")
        .join(events.select("CHILD", "_event"), on="CHILD", how="inner")
        .filter(pl.col("_event").is_between(pl.col("_low"), pl.col("_high")).fill_null(False))
        .select("_row")
        .unique()
        .with_columns(pl.lit(True).alias(name))
    )
    return (
        rows.join(hits, on="_row", how="left")
        .sort("_row")
        .with_columns(pl.col(name).fill_null(False))
        .drop("_row", "_low", "_high")
    )


def factor_codes() -> pl.Expr:
    """The FACTORS cell as a list of upper-case codes (separated by ';' or ',', blanks dropped)."""
    return (
        pl.col("FACTORS")
        .str.to_uppercase()
        .str.replace_all(",", ";", literal=True)
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
