"""Which council an LA code names, its region, and its statistical neighbours.

A council is known by its old three-digit code (``884``) in every file; its new code
(``E06000019``) is the one the DfE gives it now, and the ONS may have used others before
(``other_new_codes``). London councils are filed under Inner or Outer London (E13); their
E12 region, London, is on no council's row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipeline.core.problems import Problem, Severity
from pipeline.read.published.text import LINE

ENGLAND_CODE = "E92000001"
LONDON_CODE = "E12000007"  # ONS: Inner (E13000001) and Outer (E13000002) London lie within it
LONDON_PARTS = ("E13000001", "E13000002")


@dataclass(frozen=True)
class Council:
    """The council a config's ``la_code`` names, as the published files describe it."""

    old_la_code: str
    new_la_code: str | None
    name: str
    region_code: str | None  # E12
    region_name: str | None
    london_code: str | None = None  # E13000001 Inner / E13000002 Outer London, London councils only
    london_name: str | None = None
    other_new_codes: tuple[str, ...] = ()  # codes the files also use for it (the ONS before a change)


_DIRECTORY = ["old_la_code", "new_la_code", "la_name", "region_code", "region_name"]


def council_directory(
    statistics: pl.DataFrame | None, population: pl.DataFrame | None, neighbours: pl.DataFrame | None
) -> pl.DataFrame:
    """One row per old LA code found in any file: name, codes and region, and every new code seen.

    Name, new code and region come from the latest DfE row (the DfE gives current codes), else
    the latest ONS row, else the neighbour file.
    """
    parts = [
        _directory_rows(frame, source)
        for source, frame in ((2, _dfe(statistics)), (1, _ons(population)), (0, _sn(neighbours)))
        if frame is not None
    ]
    if not parts:
        return pl.DataFrame(schema={**dict.fromkeys(_DIRECTORY, pl.String), "new_codes": pl.List(pl.String)})
    rows = pl.concat(parts).filter(pl.col("old_la_code").is_not_null())
    best = (
        rows.sort("_source", "_year", "_edition", descending=True).group_by("old_la_code", maintain_order=True).first()
    )
    codes = rows.group_by("old_la_code").agg(pl.col("new_la_code").drop_nulls().unique().sort().alias("new_codes"))
    return best.join(codes, on="old_la_code").select(*_DIRECTORY, "new_codes").sort("old_la_code")


def _directory_rows(frame: pl.DataFrame, source: int) -> pl.DataFrame:
    # _source ranks the files: a DfE row beats an ONS row beats a neighbour-file row.
    return frame.select(
        *[pl.col(c).cast(pl.String) for c in _DIRECTORY],
        pl.lit(source).alias("_source"),
        pl.col("_year").cast(pl.Int64),
        pl.col("_edition").cast(pl.Int64),
    )


def _dfe(statistics: pl.DataFrame | None) -> pl.DataFrame | None:
    if statistics is None:
        return None
    edition = pl.col("edition") if "edition" in statistics.columns else pl.lit(0)
    return statistics.filter(pl.col("level") == "council").with_columns(
        pl.col("time_period").alias("_year"), edition.alias("_edition")
    )


def _ons(population: pl.DataFrame | None) -> pl.DataFrame | None:
    if population is None:
        return None
    return population.with_columns(pl.col("mid_year").alias("_year"), pl.lit(0).alias("_edition"))


def _sn(neighbours: pl.DataFrame | None) -> pl.DataFrame | None:
    # The neighbour files have no nine-character code and say only "London" or "London (Inner)".
    if neighbours is None:
        return None
    return (
        neighbours.select("old_la_code", "la_name", pl.col("region_label").alias("region_name"))
        .unique()
        .with_columns(
            pl.lit(None, pl.String).alias("new_la_code"),
            pl.lit(None, pl.String).alias("region_code"),
            pl.lit(0).alias("_year"),
            pl.lit(0).alias("_edition"),
        )
    )


def resolve_council(
    la_code: str,
    directory: pl.DataFrame,
    statistics: pl.DataFrame | None,
    *,
    where: tuple[str, int],
    searched: Sequence[str],
) -> tuple[Council | None, list[Problem]]:
    """The council ``la_code`` names (old ``884`` or new ``E06000019``, any case), or a problem.

    ``where`` is the config file and line of ``la_code``; ``searched`` the files looked in.
    """
    code = la_code.strip().upper()
    if re.fullmatch(r"\d{3}", code):
        found = directory.filter(pl.col("old_la_code") == code)
    else:
        found = directory.filter(pl.col("new_codes").list.contains(code))
    file, line = where
    if found.height > 1:
        olds = ", ".join(found["old_la_code"])
        message = f"LA code {la_code!r} belongs to several councils ({olds}): give the old three-digit code"
        return None, [Problem(file, line, "council.la_code", message, "PUBLISHED_COUNCIL_AMBIGUOUS")]
    if found.is_empty():
        message = (
            f"LA code {la_code!r} is not a council in {', '.join(searched)}"
            " (give the old three-digit code, 884, or the new one, E06000019)"
        )
        return None, [Problem(file, line, "council.la_code", message, "PUBLISHED_COUNCIL_UNKNOWN")]
    return _council(found.row(0, named=True), statistics), []


def _council(row: dict[str, Any], statistics: pl.DataFrame | None) -> Council:
    region_code, region_name = row["region_code"], row["region_name"]
    london_code = london_name = None
    if region_code in LONDON_PARTS:
        london_code, london_name = region_code, region_name
        region_code, region_name = LONDON_CODE, _region_name(statistics, LONDON_CODE) or "London"
    new = row["new_la_code"]
    others = tuple(c for c in row["new_codes"] if c != new)
    return Council(row["old_la_code"], new, row["la_name"], region_code, region_name, london_code, london_name, others)


def _region_name(statistics: pl.DataFrame | None, code: str) -> str | None:
    if statistics is None:
        return None
    names = statistics.filter((pl.col("level") == "region") & (pl.col("geo_code") == code))["geo_name"]
    return names[-1] if names.len() else None


NEIGHBOUR_SCHEMA = {
    "rank": pl.Int64, "neighbour_code": pl.String, "neighbour_name": pl.String, "closeness": pl.String,
    "file": pl.String, LINE: pl.Int64,
}  # fmt: skip


def council_neighbours(
    neighbours: pl.DataFrame, council: Council, directory: pl.DataFrame, file: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """The council's neighbours by rank, named from the directory; a code naming no council is an error.

    The old block of the 2021 file is used only for a council with no current row.
    """
    mine = neighbours.filter(pl.col("old_la_code") == council.old_la_code)
    if mine.filter(pl.col("block") == "current").height:
        mine = mine.filter(pl.col("block") == "current")
    if mine.is_empty():
        message = f"council {council.old_la_code} has no row: the comparators have no statistical neighbours"
        return pl.DataFrame(schema=NEIGHBOUR_SCHEMA), [
            Problem(file, 0, "", message, "PUBLISHED_NEIGHBOURS_MISSING", Severity.WARNING)
        ]
    names = directory.select(pl.col("old_la_code").alias("neighbour_code"), pl.col("la_name").alias("neighbour_name"))
    named = mine.join(names, on="neighbour_code", how="left")
    unknown = named.filter(pl.col("neighbour_name").is_null())
    problems = [
        Problem(
            file,
            line,
            column,
            f"neighbour {code!r} of council {council.old_la_code} is no council in any of the published files",
            "PUBLISHED_NEIGHBOUR_UNKNOWN",
        )
        for line, column, code in unknown.select(LINE, "column", "neighbour_code").iter_rows()
    ]
    known = named.filter(pl.col("neighbour_name").is_not_null())
    return known.select(list(NEIGHBOUR_SCHEMA)).sort("rank"), problems
