"""Any published CSV file as text, and its cells as numbers, symbols and years.

Real files carry a byte-order mark, quoted names holding commas, repeated or empty column
names (the 2021 neighbour file repeats ``SNP`` ten times and ends every line with a comma),
blank rows, and ``z`` / ``c`` / ``x`` in place of numbers. Everything is read as text with
the physical line of each record (the header is line 1), and parsed afterwards.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

from pipeline.core.problems import Problem, Severity
from pipeline.read.csvfile import printable

LINE = "line"

# GSS symbols the DfE uses in place of a number (reference.md 5.1, 5.2).
SYMBOLS = {"c": "suppressed (c)", "x": "not available (x)", "z": "not applicable (z)"}
REASONS = {
    **SYMBOLS,
    **{f"previous_{k}": f"previous 31 March {v}" for k, v in SYMBOLS.items()},
    "previous_invalid": "previous 31 March unreadable",
    "no_row": "no row in the published file",
    "invalid": "unreadable figure",
    "no_previous": "no figure for the previous 31 March",
    "zero_denominator": "nobody looked after on the previous 31 March",
    "no_neighbour_figure": "no neighbour has a figure",
}


def reason(status: pl.Expr) -> pl.Expr:
    """Words for a status code (``x`` -> "not available (x)"), for the report and its notes."""
    return status.replace_strict(REASONS, default=status)


def quoted(text: str | None) -> str:
    """A cell as a message quotes it: ``empty``, or the text in quotes, made printable."""
    return "empty" if text is None else repr(printable(text))


def read_csv_text(path: Path, name: str) -> tuple[list[str], pl.DataFrame | None, list[Problem]]:
    """``path`` with every cell as text: (header, rows, problems); ``name`` is the file in messages.

    ``rows`` has ``line`` and one String column per header cell, named uniquely (``unique_names``).
    Cells are trimmed, empty cells are null; blank rows and rows repeating the header are dropped.
    """
    try:
        raw = _read_records(path)
    except pl.exceptions.ComputeError as error:
        if "more fields" in str(error):
            return [], None, [_longer_row_problem(path, name)]
        return [], None, [Problem(name, 0, "", "cannot be read as CSV text", "PUBLISHED_UNREADABLE")]
    except (OSError, pl.exceptions.PolarsError, UnicodeDecodeError):
        return [], None, [Problem(name, 0, "", "cannot be read (is it a UTF-8 CSV file?)", "PUBLISHED_UNREADABLE")]
    return _split_header(_clean_cells(_with_physical_lines(raw)), name)


def _read_records(path: Path) -> pl.DataFrame:
    # has_header=False: the header is record 0 and keeps its own line number. Polars drops a
    # UTF-8 byte-order mark itself (any stray one is stripped in _clean_cells).
    return pl.read_csv(path, has_header=False, infer_schema=False, row_index_name="_record", raise_if_empty=True)


def _with_physical_lines(raw: pl.DataFrame) -> pl.DataFrame:
    # Polars keeps blank lines as all-null records, so record k is line k + 1, unless an earlier
    # quoted cell held line breaks: add those up.
    cells = [c for c in raw.columns if c != "_record"]
    breaks = pl.sum_horizontal(pl.col(c).str.count_matches("\n").fill_null(0) for c in cells)
    earlier = breaks.cum_sum() - breaks
    return raw.select((pl.col("_record").cast(pl.Int64) + 1 + earlier).alias(LINE), *cells)


def _clean_cells(records: pl.DataFrame) -> pl.DataFrame:
    # Trim spaces (the 2025 neighbour file has "Close "), drop byte-order marks, "" is missing.
    cells = [c for c in records.columns if c != LINE]
    trimmed = [pl.col(c).str.replace_all("\ufeff", "").str.strip_chars() for c in cells]
    return records.with_columns(
        pl.when(t.str.len_chars() > 0).then(t).otherwise(None).alias(c) for t, c in zip(trimmed, cells, strict=True)
    )


def _split_header(records: pl.DataFrame, name: str) -> tuple[list[str], pl.DataFrame | None, list[Problem]]:
    cells = [c for c in records.columns if c != LINE]
    filled = records.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in cells))
    if filled.is_empty():
        return [], None, [Problem(name, 0, "", "the file is empty: no header row", "PUBLISHED_LAYOUT")]
    header_row = filled.row(0, named=True)
    header = [header_row[c] or "" for c in cells]
    # A row equal to the header is a header repeated mid-file (two downloads pasted together).
    repeats = pl.all_horizontal(pl.col(c).eq_missing(header_row[c]) for c in cells)
    body = filled.slice(1).filter(~repeats).rename(dict(zip(cells, unique_names(header), strict=True)))
    return header, body, []


def unique_names(header: Sequence[str]) -> list[str]:
    """Column names a frame can hold: a blank or repeated name gets its 1-based position (``SNP@7``)."""
    once = {n for n in header if n and list(header).count(n) == 1}
    return [n if n in once else f"{n or 'column'}@{i}" for i, n in enumerate(header, start=1)]


def header_of(unique: str) -> str:
    """The column's name as the file writes it (``SNP@7`` -> ``SNP``)."""
    return unique.split("@")[0]


def _longer_row_problem(path: Path, name: str) -> Problem:
    # Polars only says that some row was too long: find which, so the message names its line.
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    width = None
    for record in reader:
        if width is None and any(cell.strip() for cell in record):
            width = len(record)
        elif width is not None and len(record) > width:
            message = f"this row has {len(record)} fields, the header {width}"
            return Problem(name, reader.line_num, "", message, "PUBLISHED_LAYOUT")
    return Problem(name, 0, "", "a row has more fields than the header", "PUBLISHED_LAYOUT")


def check_columns(
    file: str, header: Sequence[str], layouts: Mapping[str, Sequence[str]]
) -> tuple[str | None, list[Problem]]:
    """The first layout whose columns are all in ``header``, or a PUBLISHED_LAYOUT problem on line 1."""
    found = set(header)
    for layout, expected in layouts.items():
        if set(expected) <= found:
            return layout, []
    wanted = "; or ".join(f"{k}: {', '.join(v)}" for k, v in layouts.items())
    shown = ", ".join(printable(h) for h in header)
    message = f"not a layout this reader knows. Expected columns ({wanted}). Found: {shown}"
    return None, [Problem(file, 1, "", message, "PUBLISHED_LAYOUT")]


_INTEGER = r"^\d+$"
_DECIMAL = r"^\d+(\.\d+)?$"


def parse_figure(column: str, *, integer: bool) -> list[pl.Expr]:
    """``{column}_value`` as a number and ``{column}_status``: null, ``c`` / ``x`` / ``z``, or ``invalid``."""
    text = pl.col(column)
    readable = text.str.contains(_INTEGER if integer else _DECIMAL)
    value = pl.when(readable).then(text).cast(pl.Int64 if integer else pl.Float64)
    status = (
        pl.when(readable)
        .then(None)
        .when(text.str.to_lowercase().is_in(list(SYMBOLS)))
        .then(text.str.to_lowercase())
        .otherwise(pl.lit("invalid"))
    )
    return [value.alias(f"{column}_value"), status.alias(f"{column}_status")]


def invalid_figures(frame: pl.DataFrame, file: str, columns: Sequence[str]) -> list[Problem]:
    """One problem per cell ``parse_figure`` marked ``invalid`` (empty cells included)."""
    problems = []
    for column in columns:
        bad = frame.filter(pl.col(f"{column}_status") == "invalid")
        for line, text in bad.select(LINE, column).iter_rows():
            message = f"{quoted(text)} is not a number nor one of the symbols z, c, x"
            problems.append(Problem(file, line, column, message, "PUBLISHED_NUMBER_UNREADABLE"))
    return problems


def parse_year(column: str) -> pl.Expr:
    """The year ending 31 March (or the mid-year): ``2024`` as it is, ``202324`` as 2024; else null."""
    text = pl.col(column)
    four = text.str.contains(r"^\d{4}$")
    first = text.str.slice(0, 4).cast(pl.Int64, strict=False)
    second = text.str.slice(4, 2).cast(pl.Int64, strict=False)
    six = text.str.contains(r"^\d{6}$") & (second == (first + 1) % 100)
    return pl.when(four).then(text.cast(pl.Int64, strict=False)).when(six).then(first + 1).otherwise(None)


def bad_years(frame: pl.DataFrame, file: str, column: str) -> list[Problem]:
    """A problem for each row whose ``year`` (the parsed ``column``) is null."""
    bad = frame.filter(pl.col("year").is_null())
    return [
        Problem(
            file,
            line,
            column,
            f"{quoted(text)} is not a year (2024) nor a pair of years (202324)",
            "PUBLISHED_YEAR_UNREADABLE",
        )
        for line, text in bad.select(LINE, column).iter_rows()
    ]


def is_old_code(column: str) -> pl.Expr:
    """An old LA code is three digits (``884``); anything else cannot be matched to a council."""
    return pl.col(column).str.contains(r"^\d{3}$").fill_null(False)


def bad_codes(frame: pl.DataFrame, file: str, column: str, rows: pl.Expr) -> list[Problem]:
    """A warning for each of ``rows`` whose ``column`` is not an old LA code (the row is not used)."""
    bad = frame.filter(rows & ~is_old_code(column))
    return [
        Problem(
            file,
            line,
            column,
            f"{quoted(text)} is not a three-digit LA code; the row is not used",
            "PUBLISHED_CODE_UNREADABLE",
            Severity.WARNING,
        )
        for line, text in bad.select(LINE, column).iter_rows()
    ]
