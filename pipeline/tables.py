"""Every table of measures.md built from the validated extracts, and written as diffable CSV."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.care import looked_after_on, trend_days, twelve_months_to
from pipeline.config import CouncilConfig
from pipeline.extracts import Extracts
from pipeline.measures import data_quality
from pipeline.measures.cohorts import cohorts_table
from pipeline.measures.comparators import comparators_table
from pipeline.measures.costs import costs_table
from pipeline.measures.discharges import care_orders_discharged
from pipeline.measures.echo import echo_table
from pipeline.measures.flows import flows_table
from pipeline.measures.headline import cla_counts_on, headline_table
from pipeline.measures.legal import legal_table
from pipeline.measures.tidy import value_of
from pipeline.measures.toxic_trio import toxic_trio_table
from pipeline.measures.trajectory import trajectory_table
from pipeline.measures.trend import trend_table
from pipeline.problems import Severity
from pipeline.rules import catalogue

CSV_COLUMNS = (
    "as_at", "measure", "group", "period_start", "period_end", "value", "unit", "denominator", "note",
)  # fmt: skip
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ONE_DECIMAL_UNITS = ("rate_per_10k", "percent", "per_month")

# The sentence said when an optional extract is absent and its table is left out.
OMITTED = {
    "legal": "The legal pipeline is left out because legal.csv is not in the extracts folder.",
    "echo": "The ECHo outcomes are left out because echo.csv is not in the extracts folder.",
    "toxic_trio": "The toxic trio figures are left out because factors.csv is not in the extracts folder.",
    "flags": (
        "The residential and long-term matching figures are left out because flags.csv is not in the extracts folder."
    ),
}

log = logging.getLogger("lac_report")


@dataclass(frozen=True)
class Tables:
    """The tidy tables of one run, keyed by file stem (``headline`` is tables/headline.csv)."""

    as_at: dt.date
    frames: dict[str, pl.DataFrame]
    omitted: dict[str, str] = field(default_factory=dict)  # section -> why it is left out (OMITTED)

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.frames[name]

    def value(self, table: str, measure: str, *, group: str = "all", period_end: dt.date | None = None) -> float:
        return value_of(self.frames[table].filter(pl.col("measure") == measure), group=group, period_end=period_end)


def build_tables(extracts: Extracts, config: CouncilConfig, as_at: dt.date) -> Tables:
    """All measures for the as-at date D, as tidy frames."""
    episodes = extracts.episodes
    periods = extracts.periods_of_care()
    headline = headline_table(episodes, config, as_at)
    cla_on_day = int(value_of(headline.filter(pl.col("measure") == "cla_count"), period_end=as_at))
    before_period = twelve_months_to(as_at)[0] - dt.timedelta(days=1)
    cla_before = int(cla_counts_on(episodes, [before_period])["value"][0])
    warning_rules = [r.id for r in catalogue() if r.severity is Severity.WARNING]
    cla_on_d = looked_after_on(episodes, [as_at])
    comparators = comparators_table(config, as_at, cla_on_day)
    frames = {
        "headline": headline,
        "comparators": comparators,
        "trend": trend_table(episodes, periods, config, trend_days(as_at)),
        "flows": flows_table(periods, config, as_at, cla_before),
        "discharges": care_orders_discharged(periods, as_at),
        "data_quality": pl.concat(
            [
                data_quality.input_rows([(i.name, i.rows) for i in extracts.inputs], as_at),
                data_quality.warnings(extracts.warnings, warning_rules, as_at),
            ]
        ),
        "cohorts": cohorts_table(cla_on_d, extracts.header, extracts.flags, as_at),
        "costs": costs_table(cla_on_d, config, as_at),
        "trajectory": trajectory_table(
            periods, cla_on_day, comparators.filter(pl.col("measure") == "comparator_implied_count"), as_at
        ),
    }
    if extracts.legal is not None:
        frames["legal"] = legal_table(extracts.legal, as_at)
    if extracts.echo is not None:
        frames["echo"] = echo_table(extracts.echo, episodes, periods, config, as_at)
    if extracts.factors is not None:
        frames["toxic_trio"] = toxic_trio_table(extracts.factors, as_at)
    present = {"legal": extracts.legal, "echo": extracts.echo, "toxic_trio": extracts.factors, "flags": extracts.flags}
    omitted = {name: OMITTED[name] for name, frame in present.items() if frame is None}
    for sentence in omitted.values():
        log.info("%s", sentence)
    return Tables(as_at, frames, omitted)


def neutralise_formula(expr: pl.Expr) -> pl.Expr:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    triggered = pl.any_horizontal([expr.str.starts_with(trigger) for trigger in FORMULA_TRIGGERS])
    return pl.when(triggered).then(pl.lit("'") + expr).otherwise(expr)


def format_value() -> pl.Expr:
    """Whole numbers for counts and money, one decimal for rates and percentages; empty when unknown."""
    tenths = (pl.col("value") * 10).round(0, mode="half_away_from_zero").cast(pl.Int64)
    one_decimal = pl.format(
        "{}{}.{}", pl.when(tenths < 0).then(pl.lit("-")).otherwise(pl.lit("")), tenths.abs() // 10, tenths.abs() % 10
    )
    whole = pl.col("value").round(0, mode="half_away_from_zero").cast(pl.Int64).cast(pl.String)
    return (
        pl.when(pl.col("value").is_null())
        .then(pl.lit(None, pl.String))  # written as an empty cell, not ""
        .when(pl.col("unit").is_in(ONE_DECIMAL_UNITS))
        .then(one_decimal)
        .otherwise(whole)
    )


def suppressed_as_c(flag: str, shown: pl.Expr) -> pl.Expr:
    """``c`` where the public edition suppressed the figure (frames from ``pipeline.suppression``)."""
    return pl.when(pl.col(flag)).then(pl.lit("c")).otherwise(shown)


def csv_frame(frame: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """The table as written: contract columns first, rows in report order, text made safe."""
    value, denominator = format_value(), pl.col("denominator").cast(pl.String)
    if "suppressed" in frame.columns:  # the public edition
        value = suppressed_as_c("suppressed", value)
        denominator = suppressed_as_c("denominator_suppressed", denominator)
    return frame.sort("measure", "order", "period_end", "group", nulls_last=False).select(
        pl.lit(as_at).alias("as_at"),
        "measure",
        neutralise_formula(pl.col("group")).alias("group"),
        "period_start",
        "period_end",
        value.alias("value"),
        "unit",
        denominator.alias("denominator"),
        neutralise_formula(pl.col("note")).alias("note"),
    )


def write_table(frame: pl.DataFrame, path: Path, as_at: dt.date) -> None:
    csv_frame(frame, as_at).write_csv(
        path, line_terminator="\n", date_format="%Y-%m-%d", null_value="", quote_style="necessary"
    )
