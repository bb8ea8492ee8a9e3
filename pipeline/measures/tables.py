"""Every table of measures.md built from the validated extracts, as tidy frames."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import polars as pl

from pipeline.care.looked_after import looked_after_on
from pipeline.care.periods import periods_of_care
from pipeline.core.dates import trend_days, twelve_months_to
from pipeline.measures import data_quality
from pipeline.measures.cohorts import cohorts_table
from pipeline.measures.comparators import comparators_table
from pipeline.measures.costs import costs_table
from pipeline.measures.discharges import care_orders_discharged
from pipeline.measures.echo import echo_table
from pipeline.measures.flows import flows_table
from pipeline.measures.headline import cla_counts_on, headline_table
from pipeline.measures.ids import Comparators, Flows, Headline, MeasureId
from pipeline.measures.legal import legal_table
from pipeline.measures.reconciliation import reconciliation_table
from pipeline.measures.tidy import value_of
from pipeline.measures.toxic_trio import toxic_trio_table
from pipeline.measures.trajectory import trajectory_table
from pipeline.measures.trend import trend_table
from pipeline.read.config import CouncilConfig
from pipeline.read.extracts import Extracts

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

    def has(self, ids: type[MeasureId]) -> bool:
        """Whether the run has the table of these measure ids (an optional extract's may be left out)."""
        return ids.table() in self.frames

    def value(self, measure: MeasureId, *, group: str = "all", period_end: dt.date | None = None) -> float:
        """The value of one row of ``measure``'s table."""
        return value_of(
            self.frames[measure.table()].filter(pl.col("measure") == measure), group=group, period_end=period_end
        )


def build_tables(
    extracts: Extracts, config: CouncilConfig, as_at: dt.date, own_published: pl.DataFrame | None = None
) -> Tables:
    """All measures for the as-at date D, as tidy frames. ``own_published`` (with ``[published]``):
    the council's own published figures, for reconciliation.csv."""
    episodes = extracts.episodes
    periods = extracts.periods if extracts.periods is not None else periods_of_care(episodes)
    headline = headline_table(episodes, config, as_at, extracts.uasc)
    cla_on_day = int(value_of(headline.filter(pl.col("measure") == Headline.CLA_COUNT), period_end=as_at))
    before_period = twelve_months_to(as_at)[0] - dt.timedelta(days=1)
    cla_before = int(cla_counts_on(episodes, [before_period])["value"][0])
    cla_on_d = looked_after_on(episodes, [as_at])
    flows = flows_table(periods, config, as_at, cla_before)
    ceased = int(value_of(flows.filter(pl.col("measure") == Flows.CEASED)))
    comparators = comparators_table(config, as_at, cla_on_day, cla_before, ceased)
    frames = {
        "headline": headline,
        "comparators": comparators,
        "trend": trend_table(episodes, periods, config, trend_days(as_at), extracts.uasc),
        "flows": flows,
        "discharges": care_orders_discharged(periods, as_at),
        "data_quality": pl.concat(
            [
                data_quality.input_rows([(i.name, i.rows) for i in extracts.inputs], as_at),
                data_quality.warnings(extracts.warnings, extracts.warning_rules, as_at),
            ]
        ),
        "cohorts": cohorts_table(cla_on_d, extracts.header, extracts.flags, as_at),
        "costs": costs_table(cla_on_d, config, as_at),
        "trajectory": trajectory_table(
            periods, cla_on_day, comparators.filter(pl.col("measure") == Comparators.COMPARATOR_IMPLIED_COUNT), as_at
        ),
    }
    if own_published is not None:
        frames["reconciliation"] = reconciliation_table(episodes, periods, own_published, as_at)
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
