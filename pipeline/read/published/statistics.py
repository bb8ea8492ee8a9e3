"""The DfE's "children looked after: numbers and rates per 10,000" editions.

One row per year, geography and measure: children looked after on 31 March, starting and
ceasing in the year to 31 March, for England (``National``), every region (``Regional``: the
nine E12 regions and the E13 Inner and Outer London) and every council (``Local authority``).
``time_period`` 2024 is the year ending 31 March 2024. The 2020-24 edition calls its columns
``population_count`` / ``number`` and says "at 31 March"; the 2021-25 edition
``population_type`` / ``children_count`` and "on 31 March". England and regional counts are
rounded to the nearest 10 and every rate to a whole number: they are taken as published,
never recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from pipeline.core.problems import Problem, Severity
from pipeline.read.published.text import (
    LINE,
    bad_codes,
    bad_years,
    check_columns,
    invalid_figures,
    is_old_code,
    parse_figure,
    parse_year,
    quoted,
    read_csv_text,
)

GEOGRAPHY = [
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
    "region_name", "old_la_code", "la_name", "new_la_code", "population_estimate",
]  # fmt: skip
LAYOUTS = {
    "2021-25 edition": [*GEOGRAPHY, "population_type", "children_count", "rate_per_10000"],
    "2020-24 edition": [*GEOGRAPHY, "population_count", "number", "rate_per_10000"],
}
MEASURE_COLUMN = {"2021-25 edition": "population_type", "2020-24 edition": "population_count"}
COUNT_COLUMN = {"2021-25 edition": "children_count", "2020-24 edition": "number"}
MEASURE_LABELS = {
    "cla_31_march": r"(?i)looked after (on|at) 31 march",
    "started": r"(?i)starting to be looked after",
    "ceased": r"(?i)ceasing to be looked after",
}
LEVELS = {"National": "england", "Regional": "region", "Local authority": "council"}
KEY = ["time_period", "level", "geo_code", "measure"]


def read_statistics(path: Path, name: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """One edition as a tidy frame (``parse_statistics``), or the problems that stop it being read."""
    header, rows, problems = read_csv_text(path, name)
    if rows is None:
        return None, problems
    return parse_statistics(header, rows, name)


def parse_statistics(header: list[str], rows: pl.DataFrame, file: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """One row per (time_period, level, geo_code, measure), with the published count and rate.

    ``geo_code`` is E92000001 for England, the region's code for a region (E12, or the E13
    Inner / Outer London codes), and the old three-digit code for a council. ``count`` and
    ``rate_per_10k`` are null where the file has a symbol (``count_status``, ``rate_status``).
    """
    layout, problems = check_columns(file, header, LAYOUTS)
    if layout is None:
        return None, problems
    label, count = MEASURE_COLUMN[layout], COUNT_COLUMN[layout]
    numbers = ["population_estimate", count, "rate_per_10000"]
    frame = rows.with_columns(
        parse_year("time_period").alias("year"),
        _measure_id(label).alias("measure"),
        pl.col("geographic_level").replace_strict(LEVELS, default=None).alias("level"),
        *[e for c in numbers for e in parse_figure(c, integer=c != "rate_per_10000")],
    )
    problems += bad_years(frame, file, "time_period") + _unknown_measures(frame, file, label)
    problems += bad_codes(frame, file, "old_la_code", pl.col("level") == "council")
    usable = (
        pl.col("year").is_not_null()
        & pl.col("measure").is_not_null()
        & pl.col("level").is_not_null()  # other levels (none today) are not needed
        & ((pl.col("level") != "council") | is_old_code("old_la_code"))
    )
    frame = frame.filter(usable)
    problems += invalid_figures(frame, file, numbers)
    tidy, duplicates = _drop_duplicates(_tidy(frame, file, count), file)
    return tidy, problems + duplicates


def _measure_id(column: str) -> pl.Expr:
    expr = pl.lit(None, pl.String)
    for measure, pattern in MEASURE_LABELS.items():
        expr = pl.when(pl.col(column).str.contains(pattern)).then(pl.lit(measure)).otherwise(expr)
    return expr


def _unknown_measures(frame: pl.DataFrame, file: str, column: str) -> list[Problem]:
    bad = frame.filter(pl.col("measure").is_null())
    message = "is not one of the three measures (looked after on 31 March, starting, ceasing)"
    return [
        Problem(file, line, column, f"{quoted(text)} {message}", "PUBLISHED_MEASURE_UNKNOWN")
        for line, text in bad.select(LINE, column).iter_rows()
    ]


def _by_level(england: str, region: str, council: str) -> pl.Expr:
    level = pl.col("level")
    return (
        pl.when(level == "england")
        .then(pl.col(england))
        .when(level == "region")
        .then(pl.col(region))
        .otherwise(pl.col(council))
    )


def _tidy(frame: pl.DataFrame, file: str, count: str) -> pl.DataFrame:
    return frame.select(
        pl.lit(file).alias("file"),
        LINE,
        pl.col("year").alias("time_period"),
        "level",
        _by_level("country_code", "region_code", "old_la_code").alias("geo_code"),
        _by_level("country_name", "region_name", "la_name").alias("geo_name"),
        "region_code",
        "region_name",
        "old_la_code",
        "new_la_code",
        "la_name",
        "measure",
        pl.col("population_estimate_value").alias("population_estimate"),
        "population_estimate_status",
        pl.col(f"{count}_value").alias("count"),
        pl.col(f"{count}_status").alias("count_status"),
        pl.col("rate_per_10000_value").alias("rate_per_10k"),
        pl.col("rate_per_10000_status").alias("rate_status"),
    )


def _drop_duplicates(frame: pl.DataFrame, file: str) -> tuple[pl.DataFrame, list[Problem]]:
    # Two rows for one figure cannot both be right: the first is kept, and the second reported.
    key = pl.struct(KEY)
    repeated = frame.filter(key.is_duplicated() & ~key.is_first_distinct())
    problems = [
        Problem(
            file,
            line,
            "",
            f"a second row for {measure} of {geo} in {year}; the first is used",
            "PUBLISHED_DUPLICATE_ROW",
            Severity.WARNING,
        )
        for line, year, geo, measure in repeated.select(LINE, "time_period", "geo_code", "measure").iter_rows()
    ]
    return frame.filter(key.is_first_distinct()), problems


def combine_editions(editions: Sequence[pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(combined, revisions): for each year and geography the edition listed last that holds it wins.

    ``revisions`` has one row per figure (year, geography, measure) held by the winner and by
    the edition before it that held it, with both versions and ``revised_*`` flags.
    """
    tagged = pl.concat([e.with_columns(pl.lit(i, pl.Int64).alias("edition")) for i, e in enumerate(editions)])
    unit = ["time_period", "level", "geo_code"]
    winner = tagged.group_by(unit).agg(pl.col("edition").max().alias("winner"))
    combined = tagged.join(winner, on=unit).filter(pl.col("edition") == pl.col("winner")).drop("winner")
    return combined.sort(KEY), _revisions(tagged)


_COMPARED = ("population_estimate", "count", "rate_per_10k")
_STATUS = {"population_estimate": "population_estimate_status", "count": "count_status", "rate_per_10k": "rate_status"}


def _revisions(tagged: pl.DataFrame) -> pl.DataFrame:
    ranked = tagged.with_columns(pl.col("edition").rank("ordinal", descending=True).over(KEY).alias("_rank"))
    keep = [*KEY, "geo_name", "edition", "file", LINE, *_COMPARED, *_STATUS.values()]
    new = ranked.filter(pl.col("_rank") == 1).select(keep)
    old = ranked.filter(pl.col("_rank") == 2).select(keep)
    pairs = old.join(new, on=KEY, suffix="_new").rename(
        {c: f"{c}_old" for c in keep if c not in KEY and c != "geo_name"}
    )

    def changed(figure: str) -> pl.Expr:
        status = _STATUS[figure]
        return pl.col(f"{figure}_old").ne_missing(pl.col(f"{figure}_new")) | pl.col(f"{status}_old").ne_missing(
            pl.col(f"{status}_new")
        )

    flags = {"revised_population": "population_estimate", "revised_count": "count", "revised_rate": "rate_per_10k"}
    return (
        pairs.with_columns(changed(figure).alias(flag) for flag, figure in flags.items())
        .with_columns(pl.any_horizontal(*flags).alias("revised"))
        .sort(KEY)
    )


def revision_summary(revisions: pl.DataFrame) -> dict[str, int]:
    """How many shared figures (rows) the later edition revised, in all and by field."""
    return {
        "shared_rows": revisions.height,
        "revised_rows": int(revisions["revised"].sum()),
        "revised_count_or_rate": int((revisions["revised_count"] | revisions["revised_rate"]).sum()),
        "revised_population": int(revisions["revised_population"].sum()),
        "revised_count": int(revisions["revised_count"].sum()),
        "revised_rate": int(revisions["revised_rate"].sum()),
    }
