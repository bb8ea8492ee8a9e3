"""data_quality.csv: rows read from each file and warnings raised by each rule."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

import polars as pl

from pipeline.core.problems import Problem
from pipeline.measures.ids import DataQuality
from pipeline.measures.tidy import tidy


def input_rows(inputs: Sequence[tuple[str, int]], as_at: dt.date) -> pl.DataFrame:
    """Rows read from each extract file (file name, rows), in the contract's file order."""
    frame = pl.DataFrame(
        {
            "group": [name for name, _ in inputs],
            "value": [rows for _, rows in inputs],
            "order": list(range(len(inputs))),
        },
        schema={"group": pl.String, "value": pl.Int64, "order": pl.Int32},
    ).with_columns(pl.lit(as_at).alias("period_end"))
    return tidy(frame, measure=DataQuality.INPUT_ROWS, unit="count")


def warnings(problems: Sequence[Problem], warning_rules: Sequence[str], as_at: dt.date) -> pl.DataFrame:
    """Warnings by rule id, every warning rule of the catalogue listed (0 where none)."""
    counts = Counter(p.rule for p in problems)
    rules = sorted(set(warning_rules) | set(counts))
    frame = pl.DataFrame(
        {"group": rules, "value": [counts.get(r, 0) for r in rules], "order": list(range(len(rules)))},
        schema={"group": pl.String, "value": pl.Int64, "order": pl.Int32},
    ).with_columns(pl.lit(as_at).alias("period_end"))
    return tidy(frame, measure=DataQuality.WARNINGS, unit="count")
