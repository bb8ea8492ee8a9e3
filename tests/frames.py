"""Typed frames built in memory, shaped as ``load_extracts`` returns them, for measure tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from pipeline.read.parse import typed_dtype
from pipeline.read.schema import FILES_BY_NAME, Kind

EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "DEC", "REC")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def frame(file: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> pl.DataFrame:
    """A typed frame of ``file`` (e.g. ``legal.csv``): ISO dates become dates, empty cells null,
    every column of the contract present, and ``_line`` numbered from 2 as in the file."""
    spec = FILES_BY_NAME[file]
    data: dict[str, list[object]] = {c.name: [None] * len(rows) for c in spec.columns}
    for index, row in enumerate(rows):
        for name, value in zip(columns, row, strict=True):
            kind = spec.column(name).kind
            data[name][index] = (day(value) if kind is Kind.DATE else value) if value != "" else None
    schema = {c.name: typed_dtype(c) for c in spec.columns}  # as parse_file types them: codes as categories
    typed = pl.DataFrame(data, schema=schema)
    return typed.with_columns(pl.int_range(2, len(rows) + 2, dtype=pl.Int64).alias("_line")).select("_line", *schema)


def episodes(rows: Sequence[Sequence[str]]) -> pl.DataFrame:
    """episodes.csv rows in EPISODE_COLUMNS order (trailing empty cells may be left out)."""
    padded = [tuple(row) + ("",) * (len(EPISODE_COLUMNS) - len(row)) for row in rows]
    return frame("episodes.csv", EPISODE_COLUMNS, padded)


def ep(
    child: str,
    decom: str,
    ls: str = "C2",
    place: str = "U4",
    provider: str = "PR1",
    dec: str = "",
    rec: str = "",
    rne: str = "S",
) -> tuple[str, ...]:
    """One episode row (ISO dates) in EPISODE_COLUMNS order."""
    return (child, decom, rne, ls, place, provider, dec, rec)


def values(tidy: pl.DataFrame, measure: str) -> dict[str, float | None]:
    """A measure's values by group, in report order."""
    rows = tidy.filter(pl.col("measure") == measure).sort("order", "period_end")
    return dict(zip(rows["group"].to_list(), rows["value"].to_list(), strict=True))
