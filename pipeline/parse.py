"""Typed parsing of a text frame, with a problem for every cell that does not parse.

Every rule here is a Polars expression over the whole column; a failing cell becomes a
row of a problem frame (line, column, message) rather than an exception.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.csvfile import LINE, RawFile
from pipeline.problems import PROBLEM_SCHEMA, Problem, problems_from_frame
from pipeline.schema import Column, Kind

DMY = r"^\d{2}/\d{2}/\d{4}$"
ISO = r"^\d{4}-\d{2}-\d{2}$"
MAX_CODES_SHOWN = 12


def parse_date(expr: pl.Expr) -> pl.Expr:
    """A date written dd/mm/yyyy or yyyy-mm-dd; anything else (or 31/02/2020) is null."""
    text = expr.str.strip_chars()
    return (
        pl.when(text.str.contains(DMY))
        .then(text.str.to_date("%d/%m/%Y", strict=False))
        .when(text.str.contains(ISO))
        .then(text.str.to_date("%Y-%m-%d", strict=False))
    )


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trimmed text, with an empty cell as missing."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def clean_code(expr: pl.Expr, recode: dict[str, str] | None = None) -> pl.Expr:
    """A code trimmed and upper-cased, then mapped from the council's local value if asked."""
    code = clean_text(expr).str.to_uppercase()
    if recode:
        upper = {k.strip().upper(): v.strip().upper() for k, v in recode.items()}
        code = code.replace(upper)
    return code


def parse_file(
    raw: RawFile, *, today: dt.date, recodes: dict[str, dict[str, str]] | None = None
) -> tuple[pl.DataFrame, list[Problem]]:
    """Typed frame of ``raw`` (dates as Date, codes upper-cased) and the problems of its cells."""
    recodes = recodes or {}
    typed = raw.frame.select(LINE, *[_typed(c, recodes.get(c.name)).alias(c.name) for c in raw.spec.columns])
    checks = [frame for column in raw.spec.columns for frame in _cell_failures(raw.frame, typed, column, today)]
    problems: list[Problem] = []
    for rule, failures in checks:
        problems += problems_from_frame(failures, file=raw.spec.name, rule=rule)
    return typed, problems


def _typed(column: Column, recode: dict[str, str] | None) -> pl.Expr:
    source = pl.col(column.name)
    match column.kind:
        case Kind.DATE:
            return parse_date(source)
        case Kind.CODE:
            return clean_code(source, recode)
        case _:
            return clean_text(source)


def _cell_failures(
    raw: pl.DataFrame, typed: pl.DataFrame, column: Column, today: dt.date
) -> list[tuple[str, pl.DataFrame]]:
    name = column.name
    both = raw.select(LINE, pl.col(name).alias("raw")).with_columns(typed[name].alias("value"))
    present = clean_text(pl.col("raw")).is_not_null()
    shown = pl.lit("the value") if column.personal else pl.format("'{}'", pl.col("raw").str.strip_chars())
    failures: list[tuple[str, pl.Expr, pl.Expr]] = []
    if column.required:
        failures.append(("CELL_REQUIRED", ~present, pl.lit("a value is required")))
    if column.kind is Kind.DATE:
        form = pl.col("raw").str.strip_chars().str.contains(f"{DMY}|{ISO}")
        failures.append(
            (
                "CELL_DATE",
                present & pl.col("value").is_null(),
                pl.when(form)
                .then(pl.format("{} is not a real date", shown))
                .otherwise(pl.format("{} is not a date in the form dd/mm/yyyy or yyyy-mm-dd", shown)),
            )
        )
        failures.append(
            (
                "CELL_FUTURE_DATE",
                pl.col("value") > pl.lit(today),
                pl.format("{} is after today ({}): a keying mistake?", shown, pl.lit(today.strftime("%d/%m/%Y"))),
            )
        )
    if column.kind is Kind.CODE and column.codes:
        expected = ", ".join(column.codes[:MAX_CODES_SHOWN]) + (", ..." if len(column.codes) > MAX_CODES_SHOWN else "")
        failures.append(
            (
                "CELL_CODE",
                pl.col("value").is_not_null() & ~pl.col("value").is_in(column.codes),
                pl.format("{} is not a known {} code (expected {})", shown, pl.lit(name), pl.lit(expected)),
            )
        )
    return [
        (
            rule,
            both.filter(condition.fill_null(False))
            .select(pl.col(LINE).alias("_line"), pl.lit(name).alias("column"), message.alias("message"))
            .cast(PROBLEM_SCHEMA),  # type: ignore[arg-type]
        )
        for rule, condition, message in failures
    ]
