"""``lac-report compare OUT/<a> OUT/<b>``: what changed between two runs, measure by measure.

Two kinds of change are shown, read from the runs' ``tables/*.csv`` (whatever tables they hold):

- **Month on month** (the runs have different as-at dates): each figure taken on, ending on
  or looking ahead from its run's as-at date (``period_end`` on or after it: a projection, the
  legal cases planned for coming months), matched by table, measure and group. This is "how
  many children are looked after now, against last month".
- **Same period**: figures for exactly the same period in both runs (table, measure, group,
  period_start, period_end). Between months these are revisions: last month's trend point
  recounted from a later extract, because a late or corrected record changed it. For two
  runs of the same as-at date (a re-run after extract corrections, or internal against
  public) every figure is compared this way.

Values are compared as written in the CSVs; ``change`` is b minus a, with as many decimals
as the figures have, and empty when either is not a number (a suppressed ``c``, or missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.run.outputs import replaced_file
from pipeline.run.verify import NotARunFolder

KEY = ("table", "measure", "group", "period_start", "period_end")
TABLE_COLUMNS = ("as_at", "measure", "group", "period_start", "period_end", "value", "unit")
CSV_COLUMNS = (
    "comparison", "table", "measure", "group", "period_start_a", "period_end_a", "value_a",
    "period_start_b", "period_end_b", "value_b", "change", "unit", "status",
)  # fmt: skip
MONTH_ON_MONTH = "month_on_month"
SAME_PERIOD = "same_period"


@dataclass(frozen=True)
class Run:
    """One run folder's tables as text, one row per figure, in the order the tables list them."""

    folder: Path
    as_at: str
    rows: pl.DataFrame  # KEY, value, unit, _rank (the table's place), _row (the row's place in its table)


@dataclass(frozen=True)
class Comparison:
    a: Run
    b: Run
    rows: pl.DataFrame  # CSV_COLUMNS

    @property
    def month_on_month(self) -> bool:
        return self.a.as_at != self.b.as_at

    def section(self, comparison: str) -> pl.DataFrame:
        return self.rows.filter(pl.col("comparison") == comparison)


def read_run(folder: Path, table_order: tuple[str, ...] = ()) -> Run:
    """Every ``tables/*.csv`` of a run folder; tables named in ``table_order`` come first, in that order."""
    files = sorted((folder / "tables").glob("*.csv"))
    if not files:
        raise NotARunFolder(f"{folder} has no tables/*.csv: it is not a folder written by lac-report run")
    rank = {name: i for i, name in enumerate(table_order)}
    rows = pl.concat([_read_table(f).with_columns(pl.lit(rank.get(f.stem, len(rank))).alias("_rank")) for f in files])
    dates = rows["as_at"].unique().drop_nulls().to_list()
    if len(dates) != 1:
        raise NotARunFolder(f"{folder}'s tables do not agree on one as-at date ({', '.join(sorted(dates)) or 'none'})")
    return Run(folder, dates[0], rows.drop("as_at"))


def _read_table(path: Path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    missing = [c for c in TABLE_COLUMNS if c not in frame.columns]
    if missing:
        raise NotARunFolder(f"{path} is not a lac-report table: it has no column {', '.join(missing)}")
    return frame.select(
        pl.lit(path.stem).alias("table"),
        *(pl.col(c).fill_null("") for c in TABLE_COLUMNS if c != "unit"),
        "unit",
        pl.int_range(pl.len()).alias("_row"),
    )


def compare_runs(a: Run, b: Run) -> Comparison:
    """Both kinds of comparison, as one frame: month on month first, then each in the tables' order
    (a row of b where it has one, else of a; b's row first where the two share a place)."""
    parts = [same_period(a, b)]
    if a.as_at != b.as_at:
        parts.insert(0, month_on_month(a, b))
    rows = pl.concat(parts).sort("_section", "_rank", "table", "_row", "_side").select(CSV_COLUMNS)
    return Comparison(a, b, rows)


def same_period(a: Run, b: Run) -> pl.DataFrame:
    """Figures matched on the whole key; between months only those in both runs (the trend window
    slides, so a month that dropped off or came in is not a change)."""
    joined = _join(a.rows, b.rows, list(KEY))
    if a.as_at != b.as_at:
        joined = joined.filter(pl.col("_in_a") & pl.col("_in_b"))
    return _finish(joined, SAME_PERIOD, section=1)


def month_on_month(a: Run, b: Run) -> pl.DataFrame:
    """Figures on, ending on or projected from each run's as-at date, matched by table, measure and group."""
    current_a = a.rows.filter(pl.col("period_end") >= a.as_at)  # ISO dates sort as text
    current_b = b.rows.filter(pl.col("period_end") >= b.as_at)
    return _finish(_join(current_a, current_b, ["table", "measure", "group"]), MONTH_ON_MONTH, section=0)


def _join(a: pl.DataFrame, b: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """Full join of two runs' rows on ``on`` (a key repeated within a run is matched in order)."""

    def side(rows: pl.DataFrame, suffix: str) -> pl.DataFrame:
        return rows.with_columns(
            pl.int_range(pl.len()).over(on).alias("_occurrence"), pl.lit(True).alias("_in")
        ).rename({c: f"{c}_{suffix}" for c in rows.columns + ["_in"] if c not in on})

    joined = side(a, "a").join(side(b, "b"), on=[*on, "_occurrence"], how="full", coalesce=True)
    return joined.with_columns(pl.col("_in_a", "_in_b").fill_null(False))


def _finish(joined: pl.DataFrame, comparison: str, section: int) -> pl.DataFrame:
    """The comparison's rows in CSV_COLUMNS, with status, change and the order to show them in."""
    for side in ("a", "b"):
        for column in ("period_start", "period_end"):
            if column in joined.columns:  # matched on it: each side has it when present on that side
                joined = joined.with_columns(
                    pl.when(pl.col(f"_in_{side}")).then(pl.col(column)).alias(f"{column}_{side}")
                )
    status = (
        pl.when(~pl.col("_in_b"))
        .then(pl.lit("only_in_a"))
        .when(~pl.col("_in_a"))
        .then(pl.lit("only_in_b"))
        .when(pl.col("value_a") == pl.col("value_b"))
        .then(pl.lit("same"))
        .otherwise(pl.lit("changed"))
    )
    return joined.select(
        pl.lit(comparison).alias("comparison"),
        "table",
        "measure",
        "group",
        "period_start_a",
        "period_end_a",
        "value_a",
        "period_start_b",
        "period_end_b",
        "value_b",
        change().alias("change"),
        pl.coalesce("unit_b", "unit_a").alias("unit"),
        status.alias("status"),
        pl.lit(section).alias("_section"),
        pl.coalesce("_rank_b", "_rank_a").alias("_rank"),
        pl.coalesce("_row_b", "_row_a").alias("_row"),
        pl.when(pl.col("_in_b")).then(0).otherwise(1).alias("_side"),
    )


def change() -> pl.Expr:
    """b minus a on exact tenths or units (as the figures are written), as text; empty unless both are numbers."""
    a, b = pl.col("value_a"), pl.col("value_b")
    tenths = a.str.contains(".", literal=True) | b.str.contains(".", literal=True)
    scale = pl.when(tenths).then(10).otherwise(1)

    def scaled(value: pl.Expr) -> pl.Expr:  # the figure as written, exactly: no rounding ("c" and "" are empty)
        return (value.cast(pl.Decimal(38, 1), strict=False) * scale).cast(pl.Int64)

    diff = scaled(b) - scaled(a)
    sign = pl.when(diff < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    one_decimal = pl.format("{}{}.{}", sign, diff.abs() // 10, diff.abs() % 10)
    return pl.when(tenths).then(one_decimal).otherwise(diff.cast(pl.String))


def write_csv(comparison: Comparison, path: Path) -> None:
    """The comparison as CSV: every matched figure, changed or not, in the order of the tables."""
    empty_as_missing = [pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in CSV_COLUMNS]
    with replaced_file(path) as partial:
        comparison.rows.select(empty_as_missing).write_csv(
            partial, line_terminator="\n", null_value="", quote_style="necessary"
        )


def render(comparison: Comparison, *, show_all: bool = False) -> list[str]:
    """The comparison as plain-text tables for the terminal (changed figures only unless ``show_all``)."""
    a, b = comparison.a, comparison.b
    lines = [f"a: {a.folder} (as at {a.as_at})", f"b: {b.folder} (as at {b.as_at})"]
    labels = (a.as_at, b.as_at) if comparison.month_on_month else ("a", "b")
    if comparison.month_on_month:
        rows = comparison.section(MONTH_ON_MONTH)
        lines += ["", f"Month on month: each figure on its run's as-at date ({_counts(rows)})"]
        lines += _text_table(_shown(rows, show_all), labels, with_period=False)
        title = "Revised: the same period in both runs"
    else:
        title = "The same as-at date: every figure of both runs"
    rows = comparison.section(SAME_PERIOD)
    lines += ["", f"{title} ({_counts(rows)})"]
    lines += _text_table(_shown(rows, show_all), labels, with_period=True)
    return lines


def summary(comparison: Comparison, csv: Path | None) -> str:
    """The last line: how much changed, and where the CSV went."""

    def changed(section: str) -> int:
        return comparison.section(section).filter(pl.col("status") != "same").height

    written = f"; written to {csv}" if csv else ""
    if comparison.month_on_month:
        total = comparison.section(MONTH_ON_MONTH).height
        return (
            f"lac-report: compared: {changed(MONTH_ON_MONTH)} of {total} figures changed month on month,"
            f" {changed(SAME_PERIOD)} earlier figures revised{written}"
        )
    total = comparison.section(SAME_PERIOD).height
    return f"lac-report: compared: {changed(SAME_PERIOD)} of {total} figures differ{written}"


def _counts(rows: pl.DataFrame) -> str:
    differ = rows.filter(pl.col("status") != "same").height
    return f"{differ} changed, {rows.height - differ} unchanged"


def _shown(rows: pl.DataFrame, show_all: bool) -> pl.DataFrame:
    return rows if show_all else rows.filter(pl.col("status") != "same")


def _text_table(rows: pl.DataFrame, labels: tuple[str, str], *, with_period: bool) -> list[str]:
    """Aligned columns: text to the left, figures to the right; "-" for a figure missing from one run."""
    if rows.is_empty():
        return ["  no figure differs"]
    headers = ["table", "measure", "group", *(["period"] if with_period else []), *labels, "change"]
    body = [_text_row(row, with_period) for row in rows.iter_rows(named=True)]
    widths = [max(len(cell) for cell in column) for column in zip(headers, *body, strict=True)]
    first_figure = len(headers) - 3  # a, b and change are figures
    return [
        "  "
        + "  ".join(
            _align(cell, width, i >= first_figure) for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in [headers, *body]
    ]


def _text_row(row: dict[str, str | None], with_period: bool) -> list[str]:
    start = row["period_start_b"] or row["period_start_a"] or ""
    end = row["period_end_b"] or row["period_end_a"] or ""
    period = [f"{start} to {end}" if start else f"on {end}"] if with_period else []
    return [
        row["table"] or "",
        row["measure"] or "",
        row["group"] or "",
        *period,
        _figure(row["value_a"]),
        _figure(row["value_b"]),
        _signed(row["change"]),
    ]


def _figure(value: str | None) -> str:
    """A figure as shown: "-" when the run has no such row, "(empty)" when its value is empty."""
    if value is None:
        return "-"
    return value or "(empty)"


def _align(cell: str, width: int, right: bool) -> str:
    return cell.rjust(width) if right else cell.ljust(width)


def _signed(change: str | None) -> str:
    if change is None:
        return ""
    return change if change.startswith("-") or change.strip("0.") == "" else f"+{change}"
