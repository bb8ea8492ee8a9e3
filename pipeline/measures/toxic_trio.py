"""toxic_trio.csv: the funnel of the ECHo business case, families and children with a
"toxic trio" risk by level of intervention, and children by how many of the three risks.

Which assessment: each child's latest assessment completed in the 12 months to D (latest
ASSESSMENT_DATE, then the later row). Its LEVEL places the child in the funnel.

Which factors: the "strict" reading of shared/domain §4, where every risk is about the
child's parent(s) or carer(s), as the business case describes the trio ("a toxic trio risk
had been identified for the child's parent/s"): domestic abuse 3B, substance or alcohol
misuse 1B or 2B, mental health 4B. The broad reading (3A, 3C, 1C, 2C, 4C) would count the
child's own or another household member's difficulties, which is not the parental risk
the service works on.

A family is counted at each level where one of its children is; the ``all`` rows (an
extension of measures.md) count each family and child once, so they are less than the sum
of the levels when a family's children are at different levels.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.events import factor_codes
from pipeline.core import codes
from pipeline.core.dates import twelve_months_to
from pipeline.measures.ids import MeasureId, ToxicTrio
from pipeline.measures.tidy import complete_groups, tidy

LEVEL_GROUPS = ("all", *(level.lower() for level in codes.ASSESSMENT_LEVELS))
RISK_COUNT_GROUPS = ("1", "2", "3")


def risk_count() -> pl.Expr:
    """How many of the three risks the factors name (0 to 3)."""
    found = [pl.col("_codes").list.eval(pl.element().is_in(risk)).list.any() for risk in codes.TOXIC_TRIO.values()]
    return pl.sum_horizontal([flag.cast(pl.Int32) for flag in found])


def assessed_with_risk(factors: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Each child's latest assessment in the 12 months to D, where it names at least one risk
    (``CHILD``, ``FAMILY``, ``level``, ``risks``)."""
    start, end = twelve_months_to(as_at)
    latest = (
        factors.filter(pl.col("ASSESSMENT_DATE").is_between(start, end))
        .sort("CHILD", "ASSESSMENT_DATE", "_line")
        .unique("CHILD", keep="last", maintain_order=True)
    )
    return (
        latest.with_columns(factor_codes().alias("_codes"))
        .select(
            "CHILD",
            "FAMILY",
            pl.col("LEVEL").cast(pl.String).str.to_lowercase().alias("level"),
            risk_count().alias("risks"),
        )
        .filter(pl.col("risks") > 0)
    )


def _by_level(at_risk: pl.DataFrame, column: str, measure: MeasureId, as_at: dt.date) -> pl.DataFrame:
    start, end = twelve_months_to(as_at)
    by_level = at_risk.group_by("level").agg(pl.col(column).n_unique().alias("value"))
    total = pl.DataFrame({"level": ["all"], "value": [at_risk[column].n_unique()]}, schema=by_level.schema)
    rows = complete_groups(pl.concat([total, by_level]), LEVEL_GROUPS, key="level").rename({"level": "group"})
    dated = rows.with_columns(pl.lit(start).alias("period_start"), pl.lit(end).alias("period_end"))
    return tidy(dated, measure=measure, unit="count")


def toxic_trio_families(at_risk: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Families with at least one child assessed with a toxic-trio risk, by the child's level."""
    return _by_level(at_risk, "FAMILY", ToxicTrio.TOXIC_TRIO_FAMILIES, as_at)


def toxic_trio_children(at_risk: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Children assessed with at least one toxic-trio risk, by level."""
    return _by_level(at_risk, "CHILD", ToxicTrio.TOXIC_TRIO_CHILDREN, as_at)


def toxic_trio_risk_count(at_risk: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Children by how many of the three risks were identified (1, 2 or all 3)."""
    start, end = twelve_months_to(as_at)
    counts = at_risk.group_by(pl.col("risks").cast(pl.String).alias("group")).agg(pl.len().alias("value"))
    rows = complete_groups(counts, RISK_COUNT_GROUPS).with_columns(
        pl.lit(start).alias("period_start"), pl.lit(end).alias("period_end")
    )
    return tidy(rows, measure=ToxicTrio.TOXIC_TRIO_RISK_COUNT, unit="count")


def toxic_trio_table(factors: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    at_risk = assessed_with_risk(factors, as_at)
    return pl.concat(
        [
            toxic_trio_families(at_risk, as_at),
            toxic_trio_children(at_risk, as_at),
            toxic_trio_risk_count(at_risk, as_at),
        ]
    )
