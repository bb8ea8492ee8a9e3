"""Rules of header.csv across its rows."""

from __future__ import annotations

import polars as pl

from pipeline.checks.frames import problem_frame
from pipeline.core.problems import Severity
from pipeline.core.rules import Frames, Rule
from pipeline.read.origins import line_ref


def header_child_duplicate(frames: Frames) -> pl.DataFrame:
    header = frames["header"].select("_line", "CHILD").filter(pl.col("CHILD").is_not_null())
    with_first = header.with_columns(pl.col("_line").min().over("CHILD").alias("first"))
    dupes = with_first.filter(pl.col("_line") != pl.col("first"))
    return problem_frame(dupes, "CHILD", pl.format("the child already appears on line {}", line_ref(pl.col("first"))))


_E = Severity.ERROR

HEADER_RULES: tuple[Rule, ...] = (
    Rule(
        "HEADER_CHILD_DUPLICATE",
        _E,
        "header.csv",
        "Each child appears once in header.csv.",
        header_child_duplicate,
        reads=("CHILD",),
    ),
)
