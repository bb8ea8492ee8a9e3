"""comparators.csv: the published figures in force on D and what they would mean here.

Each comparator group's figures are those of its latest 31 March on or before D (the same year
for all of a group's measures). A starting or ceasing measure has a row for every group once
any group in force has that figure; a group without it shows an empty value and says why in
``note``. The note also carries the source and, for the statistical neighbours' average, how
many neighbours had the figure.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.rates import comparators_in_force, population_on
from pipeline.core.rounding import exactly, half_up_expr
from pipeline.measures.ids import Comparators
from pipeline.measures.tidy import tidy
from pipeline.read.config import Comparator, ComparatorFigure, CouncilConfig

# Each comparator figure: its attribute on Comparator, and how a missing one is named.
FIGURES: dict[str, tuple[ComparatorFigure, str]] = {
    "rate": ("rate_per_10k", "rate looked after"),
    "started": ("started_rate_per_10k", "rate starting"),
    "ceased": ("ceased_rate_per_10k", "rate ceasing"),
    "pct": ("ceased_pct_of_cla", "percentage ceased"),
}


def _note(comparator: Comparator, figure: str) -> str | None:
    """The source, the comparator's note on the figure, or "no ... given" when it is missing unexplained."""
    attribute, name = FIGURES[figure]
    note = comparator.notes.get(attribute)
    missing = getattr(comparator, attribute) is None and not note
    parts = [comparator.source, note, f"no {name} given" if missing else None]
    return "; ".join(p for p in parts if p) or None


def _in_force(config: CouncilConfig, as_at: dt.date, figure: str) -> pl.DataFrame:
    """One row per comparator group in force on D (a handful): ``value`` is its ``figure``, with the
    population on D; empty when no group has that figure."""
    comparators = comparators_in_force(config, as_at)
    attribute = FIGURES[figure][0]
    if figure != "rate" and all(getattr(c, attribute) is None for c in comparators):
        comparators = []
    rows = [
        {"group": c.group, "order": i, "value": getattr(c, attribute), "note": _note(c, figure)}
        for i, c in enumerate(comparators)
    ]
    schema = {"group": pl.String, "order": pl.Int32, "value": pl.Float64, "note": pl.String}
    return pl.DataFrame(rows, schema=schema).with_columns(
        pl.lit(population_on(config, as_at), pl.Int64).alias("population"), pl.lit(as_at).alias("period_end")
    )


def _implied(frame: pl.DataFrame, base: pl.Expr, scale: int) -> pl.DataFrame:
    """Each row's figure applied to ``base``: value x base / scale, rounded half up, worked exactly."""
    with_base = frame.with_columns(base.cast(pl.Int64).alias("base"))
    implied = half_up_expr(exactly(pl.col("value")) * pl.col("base") / scale, 0).cast(pl.Float64)
    return with_base.with_columns(implied.alias("value"), pl.col("base").alias("denominator"))


def comparator_rate_per_10k(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Each comparator group's published rate looked after per 10,000 in force on D (its latest
    31 March on or before D)."""
    return tidy(_in_force(config, as_at, "rate"), measure=Comparators.COMPARATOR_RATE_PER_10K, unit="rate_per_10k")


def comparator_implied_count(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """The number looked after we would have at the comparator's rate: rate * population / 10,000."""
    implied = _implied(_in_force(config, as_at, "rate"), pl.col("population"), 10_000)
    return tidy(implied, measure=Comparators.COMPARATOR_IMPLIED_COUNT, unit="count")


def comparator_gap(cla_on_day: int, implied: pl.DataFrame) -> pl.DataFrame:
    """Children looked after on D minus the implied count: how far above (or below) the comparator."""
    gap = implied.with_columns((pl.lit(cla_on_day) - pl.col("value")).alias("value"), pl.lit(None).alias("denominator"))
    return tidy(gap, measure=Comparators.COMPARATOR_GAP, unit="count")


def comparator_started_rate_per_10k(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Each comparator group's published rate of children starting to be looked after in the year,
    per 10,000 children, in force on D."""
    return tidy(
        _in_force(config, as_at, "started"), measure=Comparators.COMPARATOR_STARTED_RATE_PER_10K, unit="rate_per_10k"
    )


def comparator_ceased_rate_per_10k(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Each comparator group's published rate of children ceasing to be looked after in the year,
    per 10,000 children, in force on D."""
    return tidy(
        _in_force(config, as_at, "ceased"), measure=Comparators.COMPARATOR_CEASED_RATE_PER_10K, unit="rate_per_10k"
    )


def comparator_ceased_pct_of_cla(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Each comparator group's children ceasing in the year to its 31 March as a percentage of those
    looked after on the 31 March before, from the published numbers (the statistical neighbours:
    the mean of the neighbours' percentages), in force on D."""
    return tidy(_in_force(config, as_at, "pct"), measure=Comparators.COMPARATOR_CEASED_PCT_OF_CLA, unit="percent")


def comparator_implied_started(config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """The children who would have started in the 12 months to D at the comparator's starting rate:
    round half up (rate * population on D / 10,000), the population as ``started_rate_per_10k``'s."""
    implied = _implied(_in_force(config, as_at, "started"), pl.col("population"), 10_000)
    return tidy(implied, measure=Comparators.COMPARATOR_IMPLIED_STARTED, unit="count")


def comparator_implied_ceased(config: CouncilConfig, as_at: dt.date, cla_before: int, ceased: int) -> pl.DataFrame:
    """The children who would have ceased in the 12 months to D at the comparator's percentage:
    round half up (percentage * looked after the day before the period / 100), the denominator of
    ``ceased_pct_of_cla``. The note says how many more (or fewer) that is than ceased."""
    implied = _implied(_in_force(config, as_at, "pct"), pl.lit(cla_before), 100)
    notes = [note if value is None else f"{note}; {_more(int(value), ceased)}" for value, note in
             implied.select("value", "note").iter_rows()]  # fmt: skip
    return tidy(
        implied.with_columns(pl.Series("note", notes, pl.String)),
        measure=Comparators.COMPARATOR_IMPLIED_CEASED,
        unit="count",
    )


def _more(implied: int, ceased: int) -> str:
    if implied == ceased:
        return f"as many as the {ceased} who ceased"
    return f"{abs(implied - ceased)} {'more' if implied > ceased else 'fewer'} than the {ceased} who ceased"


def comparators_table(
    config: CouncilConfig, as_at: dt.date, cla_on_day: int, cla_before: int, ceased: int
) -> pl.DataFrame:
    """``cla_before``: looked after the day before the 12 months to D; ``ceased``: children who ceased in them."""
    implied = comparator_implied_count(config, as_at)
    return pl.concat(
        [
            comparator_rate_per_10k(config, as_at),
            implied,
            comparator_gap(cla_on_day, implied),
            comparator_started_rate_per_10k(config, as_at),
            comparator_ceased_rate_per_10k(config, as_at),
            comparator_ceased_pct_of_cla(config, as_at),
            comparator_implied_started(config, as_at),
            comparator_implied_ceased(config, as_at, cla_before, ceased),
        ]
    )
