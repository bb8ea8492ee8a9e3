"""Typed parsing of a text frame, with a problem for every cell that breaks a cell rule.

The cell rules (required, date, code, identifier) are a dataframely schema built from the input
contract (``pipeline.read.schema``), each check named after its catalogue rule. The schema judges
a column's distinct values, not its cells: codes and dates are read as categories
(``pipeline.read.csvfile``), and a national episodes file holds 1.8 million DECOM cells but about
ten thousand distinct dates, a code column a few dozen values. The failing values are then joined
back to the cells that hold them, each with its ``_line``, so a bad cell becomes
``FILE:LINE: COLUMN: message [RULE]`` rather than an exception or a silently dropped row.

The typed frame keeps dates as ``Date``, codes as categories (``Categorical``: four bytes a cell,
where text takes sixteen) and identifiers, free text and lists of codes as text.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import dataframely as dy
import polars as pl

from pipeline.core.dates import DMY_FORMAT, dmy
from pipeline.core.problems import PROBLEM_SCHEMA, Problem, problems_from_frame
from pipeline.read.csvfile import LINE, RawFile
from pipeline.read.rules import reading_rule
from pipeline.read.schema import Column, Kind

DMY = r"^\d{2}/\d{2}/\d{4}$"
ISO = r"^\d{4}-\d{2}-\d{2}$"
TWO_DIGIT_YEAR = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$"
WITH_TIME = r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}"
SHORT_DAY_OR_MONTH = r"^\d{1,2}/\d{1,2}/\d{4}$"
SPREADSHEET_DAY = r"^\d{5}(\.0+)?$"  # a spreadsheet's day count (43831 is 1 January 2020)
SCIENTIFIC = r"^\d+(\.\d+)?[eE]\+?\d+$|^\d+\.0+$"  # an identifier a spreadsheet turned into a number
# A cell that trimming changes or empties (``clean_text``): Unicode spaces, as ``str.strip_chars`` trims.
BLANK_OR_PADDED = r"^$|^\s|\s$"
EARLIEST = dt.date(1900, 1, 1)
MAX_CODES_SHOWN = 12
MAX_QUOTED = 40
# Control characters and bidirectional overrides never reach a terminal or a CSV through a message.
UNPRINTABLE = r"[\x00-\x1F\x7F-\x9F\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]"
REQUIRED = "CELL_REQUIRED"
ROW = "_row"  # a distinct value's row in ``column_values``


def parse_date(expr: pl.Expr) -> pl.Expr:
    """A date written dd/mm/yyyy or yyyy-mm-dd; anything else (or 31/02/2020) is null."""
    text = expr.str.strip_chars()
    return (
        pl.when(text.str.contains(DMY))
        .then(text.str.to_date(DMY_FORMAT, strict=False))
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
    problems: list[Problem] = []
    typed = []
    for column in raw.spec.columns:
        values = column_values(raw.frame.get_column(column.name), column, today, recodes.get(column.name))
        problems += _cell_problems(raw, column, values, today)
        typed.append(_typed(column, values))
    # In one piece: the CSV reader leaves a column in dozens of chunks, which every later join or
    # gather would put together again (or copy to match another frame's pieces).
    return raw.frame.select(LINE, *typed).rechunk(), problems


UNREADABLE_SCHEMA = {LINE: pl.Int64, "column": pl.String}


def unreadable_cells(problems: list[Problem]) -> pl.DataFrame:
    """The cells of ``problems`` (one file's cell problems) as a frame of ``_line`` and ``column``:
    the cells whose value is not known, as against the ones left empty."""
    cells = sorted({(p.line, p.column) for p in problems if p.column})
    return pl.DataFrame(cells, schema=UNREADABLE_SCHEMA, orient="row")


def typed_dtype(column: Column) -> pl.DataType:
    """The type of ``column`` in the typed frames: a date, a category (``Column.categorical``), else text."""
    if column.kind is Kind.DATE:
        return pl.Date()
    return pl.Categorical() if column.categorical else pl.String()


def column_values(cells: pl.Series, column: Column, today: dt.date, recode: dict[str, str] | None) -> pl.DataFrame:
    """Each distinct cell of ``cells`` that a cell rule or cleaning could change (``raw``, as read,
    and ``text``), the value it stands for (``value``: trimmed, a code upper-cased and recoded;
    ``date`` for a date), whether it breaks each of the column's cell rules (a Boolean column named
    after the rule, as ``value_schema`` judges it), and the value the typed frame holds (``typed``:
    empty when it breaks one). A cell of text not listed is its own value and breaks no rule."""
    text = pl.col("raw").cast(pl.String)
    value = clean_code(text, recode) if column.kind is Kind.CODE else clean_text(text)
    values = (
        pl.DataFrame({"raw": _could_change(cells, column).unique()})
        .with_row_index(ROW)
        .with_columns(text.alias("text"), value.alias("value"))
    )
    if column.kind is Kind.DATE:
        values = values.with_columns(parse_date(pl.col("value")).alias("date"))
    schema = value_schema(column, today)
    _, failures = schema.filter(values.select(schema.column_names()))
    details: pl.DataFrame = failures.details()
    rules: dict[str, pl.Expr] = {}
    for check in (c for c in details.columns if c.startswith("value|")):  # value|nullability, value|check__RULE
        kind = check.removeprefix("value|")
        failing = details.filter(pl.col(check) == "invalid").get_column(ROW)
        rules[REQUIRED if kind == "nullability" else kind.removeprefix("check__")] = pl.col(ROW).is_in(
            failing.implode()
        )
    wrong = pl.any_horizontal(rules.values()) if rules else pl.lit(False)
    kept = pl.col("date" if column.kind is Kind.DATE else "value")
    return values.with_columns(
        *(broken.alias(rule) for rule, broken in rules.items()),
        pl.when(wrong).then(None).otherwise(kept).alias("typed"),
    )


def _could_change(cells: pl.Series, column: Column) -> pl.Series:
    """The cells of ``cells`` that a cell rule or cleaning could change: all of a category's (a code
    or a date, a few hundred distinct values), and of a column of text (identifiers, postcodes, lists,
    mostly distinct) only those empty, missing or with a space at either end, and an identifier that
    looks like a number. Finding the distinct values of 1.8 million identifiers costs several times
    as much as finding these few."""
    if column.categorical:
        return cells
    pattern = f"{BLANK_OR_PADDED}|{SCIENTIFIC}" if column.kind is Kind.ID else BLANK_OR_PADDED
    return cells.filter(cells.is_null() | cells.str.contains(pattern))


# ---- the cell rules as a dataframely schema of a column's distinct values -------------------------


def _holds(condition: pl.Expr) -> pl.Expr:
    """A check passes on an empty cell: emptiness is the nullability rule's business."""
    return condition.fill_null(True)


def _checks(column: Column, today: dt.date) -> dict[str, Any]:
    """The column's cell checks, keyed by catalogue rule id (dataframely names them value|check__RULE)."""
    match column.kind:
        case Kind.DATE:
            # The checks read the date parsed beside the value, not the text again.
            date = pl.col("date")
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


@functools.lru_cache(maxsize=64)
def value_schema(column: Column, today: dt.date) -> type[Any]:
    """The dataframely schema of ``column``'s distinct values: ``value`` with the column's cell
    rules (required as its nullability, the others as checks named after their rule), ``date``
    the parsed value of a date. Judging each distinct value, not each cell, costs a few thousand
    rows for a national file's 1.8 million."""
    members: dict[str, Any] = {
        "row": dy.UInt32(nullable=False, alias=ROW),
        "value": dy.String(nullable=not column.required, check=_checks(column, today) or None, alias="value"),
    }
    if column.kind is Kind.DATE:
        members["date"] = dy.Date(nullable=True, alias="date")
    name = "".join(part.title() for part in column.name.split("_")) + "Values"
    return type(name, (dy.Schema,), members)


def _cell_problems(raw: RawFile, column: Column, values: pl.DataFrame, today: dt.date) -> list[Problem]:
    """Every cell of ``column`` that breaks a cell rule, as problems of ``raw``'s file."""
    problems: list[Problem] = []
    for rule_id in (c for c in values.columns if c.startswith("CELL_")):
        broken = values.filter(pl.col(rule_id))
        if broken.is_empty():
            continue
        messages = broken.select("raw", _message(rule_id, column, today).alias("message"))
        cells = raw.frame.select(LINE, pl.col(column.name).alias("raw")).join(
            messages, on="raw", how="inner", nulls_equal=True
        )
        frame = cells.select(LINE, pl.lit(column.name).alias("column"), "message").cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]
        problems += problems_from_frame(
            frame, file=raw.spec.name, rule=rule_id, severity=reading_rule(rule_id).severity
        )
    return problems


def _typed(column: Column, values: pl.DataFrame) -> pl.Expr:
    """The column's typed value, looked up from its distinct cells; a cell that broke a cell rule is empty.

    A column whose every cell is already its value (the usual case) is passed on as read, sharing its memory.
    A column of text lists only the cells that could change (``_could_change``): the others stay as read.
    """
    dtype = typed_dtype(column)
    cell = pl.col(column.name)
    found = values.filter(pl.col("raw").is_not_null())
    if column.kind is not Kind.DATE and found.select(pl.col("typed").eq_missing(pl.col("text")).all()).item():
        return cell.cast(dtype)
    typed = found.get_column("typed").cast(dtype)
    if not column.categorical:
        return cell.replace(found.get_column("raw"), typed).alias(column.name)
    return cell.replace_strict(found.get_column("raw"), typed, default=None, return_dtype=dtype).alias(column.name)


def _message(rule_id: str, column: Column, today: dt.date) -> pl.Expr:
    """What is wrong with the cell read as ``text``; personal values are never quoted."""
    value = pl.col("text").str.strip_chars()
    shown = pl.lit("the value") if column.personal else quoted(pl.col("text"))
    match rule_id:
        case "CELL_REQUIRED":
            return pl.lit("a value is required")
        case "CELL_DATE":
            return _date_message(value, shown)
        case "CELL_DATE_TOO_EARLY":
            return pl.format("{} is before 1900: a mistyped year?", shown)
        case "CELL_FUTURE_DATE":
            return pl.format("{} is after today ({}): a keying mistake?", shown, pl.lit(dmy(today)))
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
