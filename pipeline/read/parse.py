"""Typed parsing of a text frame, with a problem for every cell that breaks a cell rule.

The cell rules (required, date, code, identifier) are a dataframely schema built from the
input contract (``pipeline.read.schema``): one column per contract column, each check named after
its catalogue rule. dataframely reports every failing cell of every row at once, and each
failing row keeps its ``_line``, so a bad cell becomes ``FILE:LINE: COLUMN: message [RULE]``
rather than an exception or a silently dropped row.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import dataframely as dy
import polars as pl

from pipeline.core.problems import PROBLEM_SCHEMA, Problem, problems_from_frame
from pipeline.read.csvfile import LINE, RawFile
from pipeline.read.rules import reading_rule
from pipeline.read.schema import Column, FileSpec, Kind

DMY = r"^\d{2}/\d{2}/\d{4}$"
ISO = r"^\d{4}-\d{2}-\d{2}$"
TWO_DIGIT_YEAR = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$"
WITH_TIME = r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}"
SHORT_DAY_OR_MONTH = r"^\d{1,2}/\d{1,2}/\d{4}$"
SPREADSHEET_DAY = r"^\d{5}(\.0+)?$"  # a spreadsheet's day count (43831 is 1 January 2020)
SCIENTIFIC = r"^\d+(\.\d+)?[eE]\+?\d+$|^\d+\.0+$"  # an identifier a spreadsheet turned into a number
EARLIEST = dt.date(1900, 1, 1)
MAX_CODES_SHOWN = 12
MAX_QUOTED = 40
# Control characters and bidirectional overrides never reach a terminal or a CSV through a message.
UNPRINTABLE = r"[\x00-\x1F\x7F-\x9F\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]"
REQUIRED = "CELL_REQUIRED"


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


def quoted(expr: pl.Expr) -> pl.Expr:
    """A cell's value fit to quote in a message: trimmed, unprintable characters as '?', cut short."""
    text = expr.str.strip_chars().str.replace_all(UNPRINTABLE, "?")
    short = (
        pl.when(text.str.len_chars() > MAX_QUOTED).then(text.str.slice(0, MAX_QUOTED) + pl.lit("...")).otherwise(text)
    )
    return pl.format("'{}'", short)


def parse_file(
    raw: RawFile, *, today: dt.date, recodes: dict[str, dict[str, str]] | None = None
) -> tuple[pl.DataFrame, list[Problem]]:
    """Typed frame of ``raw`` (dates as Date, codes upper-cased) and the problems of its cells.

    A cell that breaks a cell rule is empty in the typed frame, and ``unreadable_cells`` of the
    problems says which: the rules across rows leave such rows out (``pipeline.checks.readable``)
    rather than take an unreadable cell for an empty one (a bad DEC for an open episode).
    """
    recodes = recodes or {}
    untidy = _untidy_columns(raw, recodes)
    # Each date is parsed once, beside its text: the cell checks and the typed frame both read it.
    text = (
        raw.frame.lazy()
        .select(
            LINE,
            *[
                (_cleaned(c, recodes.get(c.name)) if c.name in untidy else pl.col(c.name)).alias(c.name)
                for c in raw.spec.columns
            ],
        )
        .with_columns(parse_date(pl.col(c.name)).alias(parsed(c.name)) for c in raw.spec.columns if c.kind is Kind.DATE)
        .collect()
    )
    problems = cell_problems(raw, text, today)
    wrong: dict[str, set[int]] = {}
    for problem in problems:
        wrong.setdefault(problem.column, set()).add(problem.line)
    typed = text.select(LINE, *[_typed(c, sorted(wrong.get(c.name, ()))).alias(c.name) for c in raw.spec.columns])
    return typed, problems


UNREADABLE_SCHEMA = {LINE: pl.Int64, "column": pl.String}


def unreadable_cells(problems: list[Problem]) -> pl.DataFrame:
    """The cells of ``problems`` (one file's cell problems) as a frame of ``_line`` and ``column``:
    the cells whose value is not known, as against the ones left empty."""
    cells = sorted({(p.line, p.column) for p in problems if p.column})
    return pl.DataFrame(cells, schema=UNREADABLE_SCHEMA, orient="row")


def parsed(name: str) -> str:
    """The name of the column holding a date column's parsed value while its cells are checked."""
    return f"_date_{name}"


def _untidy_columns(raw: RawFile, recodes: dict[str, dict[str, str]]) -> set[str]:
    """The columns with a cell to clean: spaces around it, empty, or (a code) not upper case or recoded.

    The other columns are passed on as they were read, sharing their memory: cleaning every cell
    of a national extract would copy it and double the memory a run needs. What counts as untidy
    mirrors ``clean_text`` and ``clean_code``: a change to one needs the same change here.
    """
    checks = []
    for column in raw.spec.columns:
        cell = pl.col(column.name)
        untidy = cell.str.contains(r"^\s|\s$") | (cell == "")
        if column.kind is Kind.CODE:
            untidy = untidy | cell.str.contains(r"[a-z]|[^\x00-\x7F]") | pl.lit(bool(recodes.get(column.name)))
        checks.append(untidy.any().alias(column.name))
    found = raw.frame.select(checks).row(0, named=True)
    return {name for name, needed in found.items() if needed}


def _cleaned(column: Column, recode: dict[str, str] | None) -> pl.Expr:
    source = pl.col(column.name)
    return clean_code(source, recode) if column.kind is Kind.CODE else clean_text(source)


def _typed(column: Column, wrong_lines: list[int]) -> pl.Expr:
    """The column's typed value; a cell that broke a cell rule is empty."""
    value = pl.col(parsed(column.name)) if column.kind is Kind.DATE else pl.col(column.name)
    return pl.when(pl.col(LINE).is_in(wrong_lines)).then(None).otherwise(value) if wrong_lines else value


# ---- the cell rules as a dataframely schema -----------------------------------------------------


def _holds(condition: pl.Expr) -> pl.Expr:
    """A check passes on an empty cell: emptiness is the nullability rule's business."""
    return condition.fill_null(True)


def _checks(column: Column, today: dt.date) -> dict[str, Any]:
    """The column's cell checks, keyed by catalogue rule id (dataframely names them COLUMN|check__RULE)."""
    match column.kind:
        case Kind.DATE:
            # The checks read the date parsed beside the text (``parsed``), not the text again.
            date = pl.col(parsed(column.name))
            checks = {
                "CELL_DATE": lambda c: _holds(c.is_null() | date.is_not_null()),
                "CELL_DATE_TOO_EARLY": lambda c: _holds(date >= pl.lit(EARLIEST)),
                "CELL_FUTURE_DATE": lambda c: _holds(date <= pl.lit(today)),
            }
            if column.may_be_future:
                del checks["CELL_FUTURE_DATE"]
            return checks
        case Kind.CODE if column.codes:
            allowed = list(column.codes)
            return {"CELL_CODE": lambda c: _holds(c.is_in(allowed))}
        case Kind.ID:
            return {"CELL_ID_NUMBER": lambda c: _holds(~c.str.contains(SCIENTIFIC))}
        case _:
            return {}


@functools.lru_cache(maxsize=32)
def cell_schema(spec: FileSpec, today: dt.date) -> type[Any]:
    """The dataframely schema of ``spec``'s cleaned text frame (every column a String)."""
    columns = {
        c.name: dy.String(nullable=not c.required, check=_checks(c, today) or None, alias=c.name) for c in spec.columns
    }
    dates = {parsed(c.name): dy.Date(nullable=True, alias=parsed(c.name)) for c in spec.columns if c.kind is Kind.DATE}
    name = "".join(part.title() for part in spec.stem.split("_")) + "Cells"
    return type(name, (dy.Schema,), {"line": dy.Int64(nullable=False, alias=LINE), **columns, **dates})


def cell_problems(raw: RawFile, text: pl.DataFrame, today: dt.date) -> list[Problem]:
    """Every cell of ``text`` that breaks a cell rule, as problems of ``raw``'s file."""
    _, failures = cell_schema(raw.spec, today).filter(text)
    details: pl.DataFrame = failures.details()
    problems: list[Problem] = []
    for check in (c for c in details.columns if "|" in c):
        name, kind = check.split("|", 1)
        if name == LINE:
            continue
        rule_id = REQUIRED if kind == "nullability" else kind.removeprefix("check__")
        failing = details.filter(pl.col(check) == "invalid").select(LINE)
        if failing.is_empty():
            continue
        column = raw.spec.column(name)
        cells = failing.join(raw.frame.select(LINE, pl.col(name).alias("raw")), on=LINE, how="left").rechunk()
        message = _message(rule_id, column, today)
        frame = cells.select(LINE, pl.lit(name).alias("column"), message.alias("message")).cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]
        problems += problems_from_frame(
            frame, file=raw.spec.name, rule=rule_id, severity=reading_rule(rule_id).severity
        )
    return problems


def _message(rule_id: str, column: Column, today: dt.date) -> pl.Expr:
    """What is wrong with the cell in ``raw``; personal values are never quoted."""
    value = pl.col("raw").str.strip_chars()
    shown = pl.lit("the value") if column.personal else quoted(pl.col("raw"))
    match rule_id:
        case "CELL_REQUIRED":
            return pl.lit("a value is required")
        case "CELL_DATE":
            return _date_message(value, shown)
        case "CELL_DATE_TOO_EARLY":
            return pl.format("{} is before 1900: a mistyped year?", shown)
        case "CELL_FUTURE_DATE":
            return pl.format("{} is after today ({}): a keying mistake?", shown, pl.lit(today.strftime("%d/%m/%Y")))
        case "CELL_CODE":
            codes = column.codes or ()
            expected = ", ".join(codes[:MAX_CODES_SHOWN]) + (", ..." if len(codes) > MAX_CODES_SHOWN else "")
            return pl.format("{} is not a known {} code (expected {})", shown, pl.lit(column.name), pl.lit(expected))
        case "CELL_ID_NUMBER":
            return pl.lit(
                "the identifier looks like a number a spreadsheet rewrote (such as 1.2E+05 or 123.0):"
                " export the column as text"
            )
    raise ValueError(f"no message for the cell rule {rule_id}")


def _date_message(value: pl.Expr, shown: pl.Expr) -> pl.Expr:
    """Why a date did not parse, with the fix: the usual ways a spreadsheet mangles dates first."""
    day, month = value.str.slice(0, 2).cast(pl.Int32, strict=False), value.str.slice(3, 2).cast(pl.Int32, strict=False)
    return (
        pl.when(value.str.contains(DMY) & (month > 12) & (day <= 12))
        .then(pl.format("{} is not a real date: is it written month first? Dates must be dd/mm/yyyy", shown))
        .when(value.str.contains(f"{DMY}|{ISO}"))
        .then(pl.format("{} is not a real date", shown))
        .when(value.str.contains(TWO_DIGIT_YEAR))
        .then(pl.format("{} has a two-digit year: write dates as dd/mm/yyyy", shown))
        .when(value.str.contains(WITH_TIME))
        .then(pl.format("{} has a time of day: write the date only, as dd/mm/yyyy", shown))
        .when(value.str.contains(SHORT_DAY_OR_MONTH))
        .then(
            pl.format(
                "{} is ambiguous: write the day and month with two digits, dd/mm/yyyy"
                " (a spreadsheet may have rewritten it month first)",
                shown,
            )
        )
        .when(value.str.contains(SPREADSHEET_DAY))
        .then(pl.format("{} looks like a spreadsheet's day number: format the column as dates (dd/mm/yyyy)", shown))
        .otherwise(pl.format("{} is not a date in the form dd/mm/yyyy or yyyy-mm-dd", shown))
    )
