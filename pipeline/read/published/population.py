"""The ONS mid-year estimates of children aged 0-17, by council.

``time_period`` is the mid-year (30 June). The ONS gives each council the code in force that
mid-year (North Yorkshire E10000023 to 2022, E06000065 from 2023), so rows are matched to a
council by the old three-digit code. Its columns come in another order than the DfE files';
they are read by name.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipeline.core.problems import Problem
from pipeline.read.published.text import (
    LINE,
    bad_codes,
    bad_years,
    check_columns,
    invalid_figures,
    parse_figure,
    parse_year,
    read_csv_text,
)

LAYOUTS = {
    "ONS mid-year estimates 0-17": [
        "time_period", "geographic_level", "region_code", "region_name", "old_la_code", "new_la_code", "la_name",
        "population_estimate",
    ]
}  # fmt: skip
AGE_0_17 = r"(?i)0 to 17"


def read_population(path: Path, name: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The file's council rows (``parse_population``), or the problems that stop it being read."""
    header, rows, problems = read_csv_text(path, name)
    if rows is None:
        return None, problems
    return parse_population(header, rows, name)


def parse_population(header: list[str], rows: pl.DataFrame, file: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Council rows: mid_year, the codes and names as the ONS gives them, the population 0-17."""
    layout, problems = check_columns(file, header, LAYOUTS)
    if layout is None:
        return None, problems
    if "age_group" in header:  # the file holds only 0-17 today; should others appear, they are not it
        rows = rows.filter(pl.col("age_group").str.contains(AGE_0_17).fill_null(False))
    frame = rows.with_columns(
        parse_year("time_period").alias("year"), *parse_figure("population_estimate", integer=True)
    )
    problems += bad_years(frame, file, "time_period")
    councils = frame.filter((pl.col("geographic_level") == "Local authority") & pl.col("year").is_not_null())
    problems += invalid_figures(councils, file, ["population_estimate"])
    problems += bad_codes(councils, file, "old_la_code", pl.lit(True))
    return councils.select(
        pl.lit(file).alias("file"),
        LINE,
        pl.col("year").alias("mid_year"),
        "old_la_code",
        "new_la_code",
        "la_name",
        "region_code",
        "region_name",
        pl.col("population_estimate_value").alias("population"),
        pl.col("population_estimate_status").alias("population_status"),
    ), problems
