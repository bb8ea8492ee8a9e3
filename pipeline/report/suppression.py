"""The public edition: small numbers suppressed as ``c``, in the tables, the charts and the text.

The rule (also printed in the report's "Public edition" note):

1. Primary suppression. A count of children (or of families or cases) from 1 to the config's
   ``[disclosure] threshold`` minus 1 (default 5, so 1 to 4) is shown as ``c``. Zero is shown:
   it describes no child. The same applies to a count hidden inside another figure: the number
   of children behind a rate or a percentage (rate x denominator), and a denominator that is
   itself a count of children (the children costed, the children a percentage is of). The
   children looked after excluding unaccompanied asylum-seeking children are hidden when the
   UASC they leave out (their difference with the children looked after that day) number from 1
   to the threshold minus 1: that difference is a count of children too.
2. Secondary suppression. Where figures add up to a total shown in the report (the groups of
   a breakdown and its ``all`` row, or two breakdowns of the same children), a single ``c`` in
   the sum could be worked out by subtraction. So while any such sum has exactly one ``c``, one
   more of its figures is suppressed: the smallest non-zero figure that is not the total, else
   the total. Repeated until no sum has a lone ``c``.
3. Derived figures follow. A figure worked out from a suppressed one is suppressed too: a rate
   or percentage from its count, the same count shown in two tables, the cost of a placement
   group from its children, the gap to a comparator from the count, the trajectory from the
   flows.
4. Never suppressed: the population, comparator rates and percentages and the counts implied
   by them (they come from published statistics, not from children's records), the council's own
   published counts in the reconciliation (published statistics, already disclosure-controlled by
   the DfE), the council's unit costs, and the data-quality table (rows read and warnings raised
   describe the files, not children). The reconciliation's own counts are children's records:
   they are suppressed like any count, and the difference with them.

A suppressed figure's note is cleared too (a note may quote the counts behind it).

Monthly starters and leavers are not treated as adding up to the 12-month counts: a child who
starts twice is counted in each month but once in the year, so the months are not a breakdown
of the year.

Figures are identified as (table, measure, group, period_end, column), where column is
``value``, ``denominator`` or ``numerator`` (the count behind a rate or percentage, never
written). Every rule below is a small table of selectors resolved against the run's tables, so
a table that is absent (an optional extract not supplied) simply takes no part.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from pipeline.core.dates import month_end, plus_months
from pipeline.measures.ids import (
    Cohorts,
    Comparators,
    Costs,
    DataQuality,
    Discharges,
    Echo,
    Flows,
    Headline,
    Legal,
    MeasureId,
    Reconciliation,
    ToxicTrio,
    Trajectory,
    Trend,
    measure_in,
)
from pipeline.measures.tables import Tables

KEY = ("table", "measure", "group", "period_end", "column")
NEVER_SUPPRESSED_TABLES = (DataQuality.table(),)
# Counts that do not count children's records: published statistics, projections and config figures.
NOT_CHILDREN: tuple[MeasureId, ...] = (
    Headline.POPULATION_0_17,
    Comparators.COMPARATOR_IMPLIED_COUNT,
    Comparators.COMPARATOR_GAP,
    Comparators.COMPARATOR_IMPLIED_STARTED,
    # its denominator (looked after before the period) counts children: see derivations
    Comparators.COMPARATOR_IMPLIED_CEASED,
    Reconciliation.PUBLISHED_COUNT,
    Reconciliation.DIFFERENCE,
    Trajectory.PROJECTED_CLA_COUNT,
    Costs.AVERAGE_COST_PER_CHILD,
)
COUNT_UNITS = ("count",)
SCALE = {"rate_per_10k": 10_000.0, "percent": 100.0}  # units whose value is a count over a denominator
DERIVED_FROM_DENOMINATOR = ("pounds", "percent")  # the value reveals its denominator


@dataclass(frozen=True, eq=False)
class Sel:
    """Figures of one measure (its table the measure id's): ``group``/``on_day`` narrow it; ``where`` is any
    further condition."""

    measure: MeasureId
    group: str | None = None
    column: str = "value"
    on_day: bool = False
    where: pl.Expr | None = None
    total: bool = False  # the sum's total: suppressed only when no other figure will do

    @property
    def table(self) -> str:
        return self.measure.table()

    def select(self, cells: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
        rows = cells.filter(
            (pl.col("table") == self.table) & (pl.col("measure") == self.measure) & (pl.col("column") == self.column)
        )
        if self.group is not None:
            rows = rows.filter(pl.col("group") == self.group)
        if self.on_day:
            rows = rows.filter(pl.col("period_end") == as_at)
        if self.where is not None:
            rows = rows.filter(self.where)
        return rows.select(*KEY, pl.lit(self.total).alias("total"))


@dataclass(frozen=True, eq=False)
class Sum:
    """Figures that add up (each part's figures, with ``per`` columns equal): one ``c`` alone is revealed."""

    name: str
    parts: tuple[Sel, ...]
    per: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Follows:
    """``target`` is suppressed whenever ``source`` is (matched on the ``on`` columns); both ways if asked."""

    source: Sel
    target: Sel
    on: tuple[str, ...] = ("group", "period_end")
    both_ways: bool = False


def horizon(as_at: dt.date) -> dt.date:
    """legal_expected_by_horizon's horizon: the last day of the second month after D's month."""
    return month_end(plus_months(as_at.replace(day=1), 2))


def sums(as_at: dt.date) -> tuple[Sum, ...]:
    """Every set of figures in the report that adds up to a total the reader can see."""
    cla_on_day = Sel(Headline.CLA_COUNT, group="all", on_day=True, total=True)
    cohort = tuple(
        Sum(f"cohorts {m}", (cla_on_day, Sel(m)))
        for m in (Cohorts.CLA_BY_LEGAL_STATUS, Cohorts.CLA_BY_PLACEMENT, Cohorts.CLA_BY_AGE, Cohorts.CLA_BY_SEX)
    )
    echo = tuple(
        Sum(f"echo {strand}", (Sel(Echo.ECHO_CHILDREN, group=strand, total=True), Sel(outcome)))
        for strand, outcome in (
            ("prevention", Echo.ECHO_PREVENTION_OUTCOME),
            ("reunification", Echo.ECHO_REUNIFICATION_OUTCOME),
        )
    )
    not_all = pl.col("group") != "all"
    return (
        Sum("trend placements", (Sel(Trend.CLA_COUNT, group="all", total=True), Sel(Trend.CLA_COUNT, where=not_all)), per=("period_end",)),  # noqa: E501
        Sum("flows routes", (Sel(Flows.CEASED, group="all", total=True), Sel(Flows.CEASED, where=not_all))),
        Sum("discharges routes", (Sel(Discharges.CARE_ORDERS_DISCHARGED, group="all", total=True), Sel(Discharges.CARE_ORDERS_DISCHARGED, where=not_all))),  # noqa: E501
        *cohort,
        Sum("costs children", (Sel(Costs.ESTIMATED_ANNUAL_COST, group="all", column="denominator", total=True), Sel(Costs.ESTIMATED_ANNUAL_COST, column="denominator", where=not_all))),  # noqa: E501
        Sum("costs", (Sel(Costs.ESTIMATED_ANNUAL_COST, group="all", total=True), Sel(Costs.ESTIMATED_ANNUAL_COST, where=not_all))),  # noqa: E501
        Sum("legal stages and routes", (Sel(Legal.LEGAL_CASES), Sel(Legal.LEGAL_CASES_BY_ROUTE))),
        Sum("legal planned", (Sel(Legal.LEGAL_CASES, group="planned", total=True), Sel(Legal.LEGAL_PLANNED_BY_MONTH))),  # noqa: E501
        Sum(
            "legal horizon",
            (
                Sel(Legal.LEGAL_EXPECTED_BY_HORIZON, total=True),
                Sel(Legal.LEGAL_PLANNED_BY_MONTH, where=pl.col("period_end") <= horizon(as_at)),
            ),
        ),
        *echo,
        Sum("toxic trio levels", (Sel(ToxicTrio.TOXIC_TRIO_CHILDREN, group="all", total=True), Sel(ToxicTrio.TOXIC_TRIO_CHILDREN, where=not_all))),  # noqa: E501
        Sum("toxic trio risks", (Sel(ToxicTrio.TOXIC_TRIO_CHILDREN, group="all", total=True), Sel(ToxicTrio.TOXIC_TRIO_RISK_COUNT))),  # noqa: E501
    )  # fmt: skip


def derivations() -> tuple[Follows, ...]:
    """Figures worked out from other figures, and the same figure shown in two tables."""
    cla_on_day = Sel(Headline.CLA_COUNT, group="all", on_day=True)
    net_flow = Sel(Trajectory.NET_FLOW_PER_MONTH)
    return (
        Follows(Sel(Headline.CLA_COUNT), Sel(Trend.CLA_COUNT, group="all"), both_ways=True),
        Follows(Sel(Headline.CLA_COUNT), Sel(Headline.CLA_COUNT_EXCLUDING_UASC)),
        Follows(Sel(Trend.CLA_COUNT, group="all"), Sel(Trend.CLA_COUNT_EXCLUDING_UASC)),
        Follows(Sel(Headline.CLA_COUNT_EXCLUDING_UASC), Sel(Trend.CLA_COUNT_EXCLUDING_UASC), both_ways=True),
        Follows(Sel(Headline.CLA_COUNT), Sel(Headline.CLA_RATE_PER_10K)),
        Follows(Sel(Trend.CLA_COUNT, group="all"), Sel(Trend.CLA_RATE_PER_10K)),
        Follows(cla_on_day, Sel(Comparators.COMPARATOR_GAP), on=()),
        Follows(Sel(Flows.STARTED), Sel(Flows.STARTED_RATE_PER_10K)),
        Follows(Sel(Flows.CEASED, group="all"), Sel(Flows.CEASED_PCT_OF_CLA)),
        Follows(Sel(Trend.CLA_COUNT, on_day=True), Sel(Cohorts.CLA_BY_PLACEMENT), both_ways=True),
        Follows(Sel(Cohorts.CLA_BY_PLACEMENT, group="residential"), Sel(Cohorts.RESIDENTIAL_NO_FOSTER, column="denominator"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel(Cohorts.CLA_BY_PLACEMENT), Sel(Costs.ESTIMATED_ANNUAL_COST, column="denominator"), both_ways=True),  # noqa: E501
        Follows(cla_on_day, Sel(Costs.ESTIMATED_ANNUAL_COST, group="all", column="denominator"), both_ways=True),
        Follows(Sel(Flows.STARTED), net_flow),
        Follows(Sel(Flows.CEASED, group="all"), net_flow),
        Follows(net_flow, Sel(Trajectory.PROJECTED_CLA_COUNT), on=()),
        Follows(cla_on_day, Sel(Trajectory.PROJECTED_CLA_COUNT), on=()),
        Follows(net_flow, Sel(Trajectory.MONTHS_TO_COMPARATOR), on=()),
        Follows(Sel(Flows.CEASED, group="all"), Sel(Flows.CEASED_RATE_PER_10K)),
        # our number at a comparator's percentage reveals the children it is of, and its note the leavers
        Follows(Sel(Flows.CEASED_PCT_OF_CLA, column="denominator"), Sel(Comparators.COMPARATOR_IMPLIED_CEASED, column="denominator"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel(Comparators.COMPARATOR_IMPLIED_CEASED, column="denominator"), Sel(Comparators.COMPARATOR_IMPLIED_CEASED)),  # noqa: E501
        Follows(Sel(Flows.CEASED, group="all"), Sel(Comparators.COMPARATOR_IMPLIED_CEASED), on=("period_end",)),  # noqa: E501
        # the reconciliation's own counts are figures shown elsewhere when the day or year matches
        Follows(Sel(Trend.CLA_COUNT, group="all"), Sel(Reconciliation.OWN_COUNT, group="cla_31_march"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel(Flows.STARTED), Sel(Reconciliation.OWN_COUNT, group="started"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel(Flows.CEASED, group="all"), Sel(Reconciliation.OWN_COUNT, group="ceased"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel(Reconciliation.OWN_COUNT), Sel(Reconciliation.DIFFERENCE)),
    )  # fmt: skip


# ---- the figures --------------------------------------------------------------------------------


def cells(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every figure that could be suppressed: values, denominators that count children, and the
    count behind each rate or percentage (``numerator``)."""
    value, denominator = pl.col("value").cast(pl.Float64), pl.col("denominator").cast(pl.Float64)
    scale = pl.col("unit").replace_strict(SCALE, default=1.0, return_dtype=pl.Float64)
    parts = []
    for name, frame in sorted(frames.items()):
        if name in NEVER_SUPPRESSED_TABLES:
            continue
        key = (pl.lit(name).alias("table"), "measure", "group", "period_end", "order")
        has_denominator = pl.col("denominator").is_not_null()
        parts += [
            frame.select(*key, "unit", pl.lit("value").alias("column"), value.alias("amount")),
            frame.filter(has_denominator & (pl.col("unit") != "rate_per_10k")).select(
                *key, pl.lit("count").alias("unit"), pl.lit("denominator").alias("column"), denominator.alias("amount")
            ),
            frame.filter(has_denominator & pl.col("unit").is_in(list(SCALE))).select(
                *key,
                pl.lit("count").alias("unit"),
                pl.lit("numerator").alias("column"),
                (value * denominator / scale).round(0).alias("amount"),  # the nearest whole count: not a figure shown
            ),
        ]
    schema = {"table": pl.String, "measure": pl.String, "group": pl.String, "period_end": pl.Date, "order": pl.Int32,
              "unit": pl.String, "column": pl.String, "amount": pl.Float64}  # fmt: skip
    return pl.concat([pl.DataFrame(schema=schema), *parts], how="vertical_relaxed")


def primary(threshold: int) -> pl.Expr:
    """Counts of children from 1 to threshold - 1."""
    counts_children = pl.col("unit").is_in(COUNT_UNITS) & ~measure_in(NOT_CHILDREN)
    return counts_children & pl.col("amount").is_between(1, threshold - 1)


def uasc_left_out(found: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """The counts excluding UASC (headline, trend) that would reveal 1 to threshold - 1 UASC by subtraction
    from the children looked after on the same day."""
    on = ["table", "group", "period_end"]
    values = found.filter(pl.col("column") == "value")
    # headline.csv's and trend.csv's (the same ids), each against its own table's count on the same day
    excluding = values.filter(pl.col("measure") == Headline.CLA_COUNT_EXCLUDING_UASC)
    every = values.filter(pl.col("measure") == Headline.CLA_COUNT).select(*on, pl.col("amount").alias("_all"))
    return (
        excluding.join(every, on=on)
        .filter((pl.col("_all") - pl.col("amount")).is_between(1, threshold - 1))
        .select(*KEY)
    )


def sum_members(found: pl.DataFrame, rules: Sequence[Sum], as_at: dt.date) -> pl.DataFrame:
    """One row per (sum, figure); a sum with ``per`` columns is one sum per value of them.
    ``rank`` is the rule's place in ``rules``: earlier sums are settled first."""
    members = []
    for rank, rule in enumerate(rules):
        rows = pl.concat([part.select(found, as_at) for part in rule.parts])
        sum_id = pl.concat_str([pl.lit(rule.name), *(pl.col(c).cast(pl.String) for c in rule.per)], separator=" ")
        members.append(rows.with_columns(sum_id.alias("sum"), pl.lit(rank).alias("rank")))
    return pl.concat(members).unique([*KEY, "sum"], keep="first", maintain_order=True)


def within_rows(found: pl.DataFrame) -> pl.DataFrame:
    """(source, target) pairs inside one row: a rate or percentage follows the count behind it, and
    a cost or percentage follows the children it is of (its denominator)."""
    row_key = ("table", "measure", "group", "period_end")
    values = found.filter(pl.col("column") == "value").select(*row_key, pl.col("unit").alias("value_unit"))
    sources = found.filter(pl.col("column").is_in(["numerator", "denominator"])).join(values, on=list(row_key))
    sources = sources.filter(
        (pl.col("column") == "numerator") | pl.col("value_unit").is_in(list(DERIVED_FROM_DENOMINATOR))
    )
    return sources.select(*KEY, *(pl.col(c).alias(f"t_{c}") for c in row_key), pl.lit("value").alias("t_column"))


def follow_pairs(found: pl.DataFrame, rules: Sequence[Follows], as_at: dt.date) -> pl.DataFrame:
    """(source figure, target figure) pairs: the target is suppressed whenever the source is."""
    pairs = [within_rows(found)]
    for rule in rules:
        source = rule.source.select(found, as_at).drop("total")
        target = rule.target.select(found, as_at).drop("total")
        joined = (
            source.join(target, on=list(rule.on), suffix="_t")
            if rule.on
            else source.join(target, how="cross", suffix="_t")
        )
        for column in rule.on:
            joined = joined.with_columns(pl.col(column).alias(f"{column}_t"))
        forward = joined.select(*KEY, *(pl.col(f"{c}_t").alias(f"t_{c}") for c in KEY))
        backward = joined.select(*(pl.col(f"{c}_t").alias(c) for c in KEY), *(pl.col(c).alias(f"t_{c}") for c in KEY))
        pairs += [forward, backward] if rule.both_ways else [forward]
    return pl.concat(pairs).unique()


# ---- the fixpoint -------------------------------------------------------------------------------


def spread(suppressed: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """``suppressed`` with everything that follows from it, however many steps away."""
    while True:
        targets = suppressed.join(pairs, on=list(KEY)).select(*(pl.col(f"t_{c}").alias(c) for c in KEY))
        grown = pl.concat([suppressed, targets]).unique(maintain_order=True)
        if grown.height == suppressed.height:
            return suppressed
        suppressed = grown


def next_suppression(suppressed: pl.DataFrame, members: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """The figure to suppress next (one row, or none when every sum is safe).

    Takes the first sum (by rank) with exactly one suppressed figure, and from it the smallest
    non-zero figure that is not the total, else the total, else a zero. One at a time, so that
    each choice can settle other sums too and no more is hidden than needed."""
    flagged = members.join(suppressed.with_columns(pl.lit(True).alias("hidden")), on=list(KEY), how="left")
    flagged = flagged.with_columns(pl.col("hidden").fill_null(False))
    lone = (
        flagged.group_by("sum", "rank")
        .agg(pl.col("hidden").sum().alias("n"))
        .filter(pl.col("n") == 1)
        .sort("rank", "sum")
        .head(1)
        .select("sum")
    )
    candidates = (
        flagged.join(lone, on="sum")
        .filter(~pl.col("hidden") & (pl.col("column") != "numerator"))
        .join(found.select(*KEY, "amount", "order"), on=list(KEY))
    )
    preference = [pl.col("amount") == 0, pl.col("total"), pl.col("amount"), *KEY, "order"]
    return candidates.sort(preference, nulls_last=True).head(1).select(*KEY)


def suppressed_figures(frames: dict[str, pl.DataFrame], threshold: int, as_at: dt.date) -> pl.DataFrame:
    """The key of every figure the public edition shows as ``c``."""
    found = cells(frames)
    members = sum_members(found, sums(as_at), as_at)
    pairs = follow_pairs(found, derivations(), as_at)
    first = pl.concat([found.filter(primary(threshold)).select(*KEY), uasc_left_out(found, threshold)])
    suppressed = spread(first.unique(maintain_order=True), pairs)
    while not (chosen := next_suppression(suppressed, members, found)).is_empty():
        suppressed = spread(pl.concat([suppressed, chosen]), pairs)
    return suppressed.sort(list(KEY))


def _marks(hidden: pl.DataFrame, name: str, column: str, alias: str) -> pl.DataFrame:
    return hidden.filter((pl.col("table") == name) & (pl.col("column") == column)).select(
        "measure", "group", "period_end", pl.lit(True).alias(alias)
    )


def apply(frame: pl.DataFrame, name: str, hidden: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``suppressed`` and ``denominator_suppressed`` flags; suppressed figures and
    their notes emptied."""
    on = ["measure", "group", "period_end"]
    marked = (
        frame.join(_marks(hidden, name, "value", "suppressed"), on=on, how="left", maintain_order="left")
        .join(_marks(hidden, name, "denominator", "denominator_suppressed"), on=on, how="left", maintain_order="left")
        .with_columns(pl.col("suppressed", "denominator_suppressed").fill_null(False))
    )
    return marked.with_columns(
        pl.when(pl.col("suppressed")).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(pl.col("denominator_suppressed")).then(None).otherwise(pl.col("denominator")).alias("denominator"),
        pl.when(pl.col("suppressed")).then(None).otherwise(pl.col("note")).alias("note"),
    )


def suppress(tables: Tables, threshold: int) -> Tables:
    """The public edition of ``tables``: every frame gains the two flags, hidden figures are null."""
    hidden = suppressed_figures(tables.frames, threshold, tables.as_at)
    frames = {name: apply(frame, name, hidden) for name, frame in tables.frames.items()}
    return dataclasses.replace(tables, frames=frames)


def suppressed_count(tables: Tables) -> int:
    """How many figures (values and denominators) a suppressed ``tables`` shows as ``c``."""
    return sum(
        int(frame["suppressed"].sum()) + int(frame["denominator_suppressed"].sum())
        for frame in tables.frames.values()
        if "suppressed" in frame.columns
    )
