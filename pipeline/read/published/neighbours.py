"""The children's services statistical neighbours: ten per council, in either DfE layout.

- 2025 model (``sn_model_2025_wide.csv``): ``old_la_code, la_name, region_ind, region_name,
  SN_1, SN_1P, ..., SN_10, SN_10P``.
- April 2021 (``statistical_neighbour_groupings_april_2021.csv``): ``LA num, LA Name, LA number,
  GOInd, GOReg, SN1, SNP, SN2, SNP, ...``: the closeness column is called ``SNP`` ten times and
  a trailing comma adds an empty last column; after the current councils come blank rows, a
  row saying "Old SNs:" and the councils abolished since (Dorset, Poole, Bournemouth,
  Northamptonshire).

Neighbours are given by old three-digit code; closeness bands are put in sentence case
("Very Close" and "Very close" are one band).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.core.problems import Problem, Severity
from pipeline.read.published.text import (
    LINE,
    check_columns,
    header_of,
    is_old_code,
    quoted,
    read_csv_text,
    unique_names,
)

RANKS = range(1, 11)
WIDE_2025 = [
    "old_la_code",
    "la_name",
    "region_ind",
    "region_name",
    *[c for r in RANKS for c in (f"SN_{r}", f"SN_{r}P")],
]
APRIL_2021 = ["LA num", "LA Name", "LA number", "GOInd", "GOReg", *[c for r in RANKS for c in (f"SN{r}", "SNP")]]
LAYOUTS = {"sn_model_2025_wide": WIDE_2025, "statistical_neighbour_groupings_april_2021": APRIL_2021}
OLD_BLOCK = r"(?i)^old sns"


def read_neighbours(path: Path, name: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The file as one row per council and rank (``parse_neighbours``), or the problems."""
    header, rows, problems = read_csv_text(path, name)
    if rows is None:
        return None, problems
    return parse_neighbours(header, rows, name)


def parse_neighbours(header: list[str], rows: pl.DataFrame, file: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """One row per (council, rank): the neighbour's code and closeness, with the council's line.

    ``block`` is ``current``, or ``old`` for the rows after the 2021 file's "Old SNs:" marker.
    """
    layout, problems = check_columns(file, header, LAYOUTS)
    if layout is None:
        return None, problems
    columns = _columns(header, layout)
    frame = rows.with_columns(_old_block().alias("block"))
    # Blank rows are gone already; the marker row and any row without a code are not councils.
    frame = frame.filter(is_old_code(columns.code))
    problems += _code_problems(rows, file, columns)
    if layout == "statistical_neighbour_groupings_april_2021":
        problems += _mismatched_numbers(frame, file)
    return _long(frame, file, columns), problems


@dataclass(frozen=True)
class _Columns:
    code: str
    name: str
    region: str
    ranks: list[tuple[int, str, str]]  # (rank, neighbour code column, closeness column)


def _columns(header: list[str], layout: str) -> _Columns:
    # By position, not name: the 2021 file calls all ten closeness columns "SNP".
    names = unique_names(header)
    first = header.index("SN_1" if layout == "sn_model_2025_wide" else "SN1")
    ranks = [(r, names[first + 2 * (r - 1)], names[first + 2 * (r - 1) + 1]) for r in RANKS]
    if layout == "sn_model_2025_wide":
        return _Columns("old_la_code", "la_name", "region_name", ranks)
    return _Columns("LA num", "LA Name", "GOReg", ranks)


def _old_block() -> pl.Expr:
    # The marker sits in the name column (",Old SNs:,,,"); every row after it is the old block.
    marker = pl.any_horizontal(pl.all().exclude(LINE).cast(pl.String).str.contains(OLD_BLOCK).fill_null(False))
    return pl.when(marker.cum_max()).then(pl.lit("old")).otherwise(pl.lit("current"))


def _long(frame: pl.DataFrame, file: str, columns: _Columns) -> pl.DataFrame:
    parts = [
        frame.select(
            pl.lit(file).alias("file"),
            LINE,
            "block",
            pl.col(columns.code).alias("old_la_code"),
            pl.col(columns.name).alias("la_name"),
            pl.col(columns.region).alias("region_label"),
            pl.lit(rank, pl.Int64).alias("rank"),
            pl.lit(header_of(code)).alias("column"),
            pl.col(code).alias("neighbour_code"),
            _sentence_case(pl.col(closeness)).alias("closeness"),
        )
        for rank, code, closeness in columns.ranks
    ]
    return pl.concat(parts).filter(pl.col("neighbour_code").is_not_null()).sort(LINE, "rank")


def _sentence_case(text: pl.Expr) -> pl.Expr:
    return text.str.slice(0, 1).str.to_uppercase() + text.str.slice(1).str.to_lowercase()


def _code_problems(rows: pl.DataFrame, file: str, columns: _Columns) -> list[Problem]:
    # A row with a name but no usable code (other than the marker) is not used: a warning.
    named_only = rows.filter(
        pl.col(columns.name).is_not_null() & ~pl.col(columns.name).str.contains(OLD_BLOCK) & ~is_old_code(columns.code)
    )
    problems = [
        Problem(
            file,
            line,
            columns.code,
            f"{quoted(text)} is not a three-digit LA code; the row is not used",
            "PUBLISHED_CODE_UNREADABLE",
            Severity.WARNING,
        )
        for line, text in named_only.select(LINE, columns.code).iter_rows()
    ]
    for _rank, neighbour, _closeness in columns.ranks:
        bad = rows.filter(pl.col(neighbour).is_not_null() & ~is_old_code(neighbour))
        problems += [
            Problem(
                file,
                line,
                header_of(neighbour),
                f"{quoted(text)} is not a three-digit LA code",
                "PUBLISHED_NEIGHBOUR_UNKNOWN",
            )
            for line, text in bad.select(LINE, neighbour).iter_rows()
        ]
    return problems


def _mismatched_numbers(frame: pl.DataFrame, file: str) -> list[Problem]:
    # The 2021 file gives the LA number twice ("LA num", "LA number"); they should agree.
    bad = frame.filter(pl.col("LA num").ne_missing(pl.col("LA number")))
    return [
        Problem(
            file,
            line,
            "LA number",
            f"{quoted(b)} differs from LA num {quoted(a)}; LA num is used",
            "PUBLISHED_CODE_UNREADABLE",
            Severity.WARNING,
        )
        for line, a, b in bad.select(LINE, "LA num", "LA number").iter_rows()
    ]
