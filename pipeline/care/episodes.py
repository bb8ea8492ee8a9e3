"""A child's episodes in order, with the previous episode's fields: what the periods of care
are built on. (The rules on a child's episodes reason about the whole set instead, in
``pipeline.checks.episode_chains``: neighbours in one order say nothing of episodes that
overlap or are listed twice.)"""

from __future__ import annotations

import polars as pl

CHAIN = ("_line", "CHILD", "DECOM", "DEC", "RNE", "REC", "LS")  # what the periods of care are made of


def episodes_in_order(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each child's episodes in date order (their ``CHAIN`` fields), with the previous episode's fields.

    The order depends only on what the episodes say, never on the order of the file's rows:
    episodes starting and ending on the same day (zero-length changes) are put in chain order,
    the one starting the period (RNE S) first and an X1 before the one that ends the period;
    any remaining tie is broken by the other fields.
    """
    content = [c for c in episodes.columns if c not in ("_line", "CHILD", "DECOM", "DEC")]
    chain_order = [(pl.col("RNE") != "S").fill_null(True), (pl.col("REC") != "X1").fill_null(True)]
    keys = [pl.col("CHILD"), pl.col("DECOM"), pl.col("DEC"), *chain_order]
    dated = pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null()
    ordered = sorted_by(episodes, [*keys, pl.col("_line")], CHAIN, where=dated)
    # The other fields only break ties, and most extracts have none: sorting by them every time
    # would cost three times as much for the same order.
    tied = ordered.select(pl.all_horizontal(k.eq_missing(k.shift(1)) for k in keys).any()).item()
    if tied:
        ordered = sorted_by(episodes, [*keys, *map(pl.col, content), pl.col("_line")], CHAIN, where=dated)
    # Sorted by child, the row before is the same child's previous episode when the CHILD matches:
    # cheaper than a window over every child.
    after = pl.col("CHILD") == pl.col("CHILD").shift(1)

    def previous(name: str) -> pl.Expr:
        return pl.when(after).then(pl.col(name).shift(1))

    return ordered.with_columns(
        previous("DEC").alias("prev_DEC"),
        previous("REC").alias("prev_REC"),
        after.fill_null(False).alias("has_prev"),
    )


def sorted_by(
    frame: pl.DataFrame, keys: list[pl.Expr], columns: tuple[str, ...] | None = None, where: pl.Expr | None = None
) -> pl.DataFrame:
    """``frame`` (its ``columns``, when given; its rows ``where`` holds, when given) sorted by ``keys``
    (missing values last).

    The order is found on the keys alone, then every column is gathered once: sorting the whole
    frame moves every column at each step and costs several times as much, and choosing the rows
    first would copy every column of the frame for nothing.
    """
    key_names = [f"_key{i}" for i in range(len(keys))]
    rows = frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
        *(k.alias(n) for k, n in zip(keys, key_names, strict=True)),
        *([where.alias("_where")] if where is not None else []),
    )
    if where is not None:
        rows = rows.filter(pl.col("_where"))
    order = rows.sort(key_names, nulls_last=True).get_column("_row")
    return (frame.select(columns) if columns else frame)[order]


def starts_new_period() -> pl.Expr:
    """True where an episode begins a period of care (no X1 episode ends on its DECOM)."""
    return (
        ~pl.col("has_prev")
        | (pl.col("prev_REC") != "X1").fill_null(True)
        | (pl.col("prev_DEC") != pl.col("DECOM")).fill_null(True)
    )
