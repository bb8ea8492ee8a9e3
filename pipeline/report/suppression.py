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
from pipeline.measures.tables import Tables

KEY = ("table", "measure", "group", "period_end", "column")
NEVER_SUPPRESSED_TABLES = ("data_quality",)
# Counts that do not count children's records: published statistics, projections and config figures.
NOT_CHILDREN = (
    "population_0_17",
    "comparator_implied_count",
    "comparator_gap",
    "comparator_implied_started",
    "comparator_implied_ceased",  # its denominator (looked after before the period) counts children: see derivations
    "published_count",
    "difference",
    "projected_cla_count",
    "average_cost_per_child",
)
COUNT_UNITS = ("count",)
SCALE = {"rate_per_10k": 10_000.0, "percent": 100.0}  # units whose value is a count over a denominator
DERIVED_FROM_DENOMINATOR = ("pounds", "percent")  # the value reveals its denominator


@dataclass(frozen=True, eq=False)
class Sel:
    """Figures of one measure: ``group``/``on_day`` narrow it; ``where`` is any further condition."""

    table: str
    measure: str
    group: str | None = None
    column: str = "value"
    on_day: bool = False
    where: pl.Expr | None = None
    total: bool = False  # the sum's total: suppressed only when no other figure will do

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
    cla_on_day = Sel("headline", "cla_count", group="all", on_day=True, total=True)
    cohort = tuple(
        Sum(f"cohorts {m}", (cla_on_day, Sel("cohorts", m)))
        for m in ("cla_by_legal_status", "cla_by_placement", "cla_by_age", "cla_by_sex")
    )
    echo = tuple(
        Sum(f"echo {strand}", (Sel("echo", "echo_children", group=strand, total=True), Sel("echo", outcome)))
        for strand, outcome in (
            ("prevention", "echo_prevention_outcome"),
            ("reunification", "echo_reunification_outcome"),
        )
    )
    not_all = pl.col("group") != "all"
    return (
        Sum("trend placements", (Sel("trend", "cla_count", group="all", total=True), Sel("trend", "cla_count", where=not_all)), per=("period_end",)),  # noqa: E501
        Sum("flows routes", (Sel("flows", "ceased", group="all", total=True), Sel("flows", "ceased", where=not_all))),
        Sum("discharges routes", (Sel("discharges", "care_orders_discharged", group="all", total=True), Sel("discharges", "care_orders_discharged", where=not_all))),  # noqa: E501
        *cohort,
        Sum("costs children", (Sel("costs", "estimated_annual_cost", group="all", column="denominator", total=True), Sel("costs", "estimated_annual_cost", column="denominator", where=not_all))),  # noqa: E501
        Sum("costs", (Sel("costs", "estimated_annual_cost", group="all", total=True), Sel("costs", "estimated_annual_cost", where=not_all))),  # noqa: E501
        Sum("legal stages and routes", (Sel("legal", "legal_cases"), Sel("legal", "legal_cases_by_route"))),
        Sum("legal planned", (Sel("legal", "legal_cases", group="planned", total=True), Sel("legal", "legal_planned_by_month"))),  # noqa: E501
        Sum(
            "legal horizon",
            (
                Sel("legal", "legal_expected_by_horizon", total=True),
                Sel("legal", "legal_planned_by_month", where=pl.col("period_end") <= horizon(as_at)),
            ),
        ),
        *echo,
        Sum("toxic trio levels", (Sel("toxic_trio", "toxic_trio_children", group="all", total=True), Sel("toxic_trio", "toxic_trio_children", where=not_all))),  # noqa: E501
        Sum("toxic trio risks", (Sel("toxic_trio", "toxic_trio_children", group="all", total=True), Sel("toxic_trio", "toxic_trio_risk_count"))),  # noqa: E501
    )  # fmt: skip


def derivations() -> tuple[Follows, ...]:
    """Figures worked out from other figures, and the same figure shown in two tables."""
    cla_on_day = Sel("headline", "cla_count", group="all", on_day=True)
    net_flow = Sel("trajectory", "net_flow_per_month")
    return (
        Follows(Sel("headline", "cla_count"), Sel("trend", "cla_count", group="all"), both_ways=True),
        Follows(Sel("headline", "cla_count"), Sel("headline", "cla_count_excluding_uasc")),
        Follows(Sel("trend", "cla_count", group="all"), Sel("trend", "cla_count_excluding_uasc")),
        Follows(Sel("headline", "cla_count_excluding_uasc"), Sel("trend", "cla_count_excluding_uasc"), both_ways=True),
        Follows(Sel("headline", "cla_count"), Sel("headline", "cla_rate_per_10k")),
        Follows(Sel("trend", "cla_count", group="all"), Sel("trend", "cla_rate_per_10k")),
        Follows(cla_on_day, Sel("comparators", "comparator_gap"), on=()),
        Follows(Sel("flows", "started"), Sel("flows", "started_rate_per_10k")),
        Follows(Sel("flows", "ceased", group="all"), Sel("flows", "ceased_pct_of_cla")),
        Follows(Sel("trend", "cla_count", on_day=True), Sel("cohorts", "cla_by_placement"), both_ways=True),
        Follows(Sel("cohorts", "cla_by_placement", group="residential"), Sel("cohorts", "residential_no_foster", column="denominator"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel("cohorts", "cla_by_placement"), Sel("costs", "estimated_annual_cost", column="denominator"), both_ways=True),  # noqa: E501
        Follows(cla_on_day, Sel("costs", "estimated_annual_cost", group="all", column="denominator"), both_ways=True),
        Follows(Sel("flows", "started"), net_flow),
        Follows(Sel("flows", "ceased", group="all"), net_flow),
        Follows(net_flow, Sel("trajectory", "projected_cla_count"), on=()),
        Follows(cla_on_day, Sel("trajectory", "projected_cla_count"), on=()),
        Follows(net_flow, Sel("trajectory", "months_to_comparator"), on=()),
        Follows(Sel("flows", "ceased", group="all"), Sel("flows", "ceased_rate_per_10k")),
        # our number at a comparator's percentage reveals the children it is of, and its note the leavers
        Follows(Sel("flows", "ceased_pct_of_cla", column="denominator"), Sel("comparators", "comparator_implied_ceased", column="denominator"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel("comparators", "comparator_implied_ceased", column="denominator"), Sel("comparators", "comparator_implied_ceased")),  # noqa: E501
        Follows(Sel("flows", "ceased", group="all"), Sel("comparators", "comparator_implied_ceased"), on=("period_end",)),  # noqa: E501
        # the reconciliation's own counts are figures shown elsewhere when the day or year matches
        Follows(Sel("trend", "cla_count", group="all"), Sel("reconciliation", "own_count", group="cla_31_march"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel("flows", "started"), Sel("reconciliation", "own_count", group="started"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel("flows", "ceased", group="all"), Sel("reconciliation", "own_count", group="ceased"), on=("period_end",), both_ways=True),  # noqa: E501
        Follows(Sel("reconciliation", "own_count"), Sel("reconciliation", "difference")),
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
                (value * denominator / scale).round(0).alias("amount"),
            ),
        ]
    schema = {"table": pl.String, "measure": pl.String, "group": pl.String, "period_end": pl.Date, "order": pl.Int32,
              "unit": pl.String, "column": pl.String, "amount": pl.Float64}  # fmt: skip
    return pl.concat([pl.DataFrame(schema=schema), *parts], how="vertical_relaxed")


def primary(threshold: int) -> pl.Expr:
    """Counts of children from 1 to threshold - 1."""
    counts_children = pl.col("unit").is_in(COUNT_UNITS) & ~pl.col("measure").is_in(NOT_CHILDREN)
    return counts_children & pl.col("amount").is_between(1, threshold - 1)


def uasc_left_out(found: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """The counts excluding UASC (headline, trend) that would reveal 1 to threshold - 1 UASC by subtraction
    from the children looked after on the same day."""
    on = ["table", "group", "period_end"]
    values = found.filter(pl.col("column") == "value")
    excluding = values.filter(pl.col("measure") == "cla_count_excluding_uasc")
    every = values.filter(pl.col("measure") == "cla_count").select(*on, pl.col("amount").alias("_all"))
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
