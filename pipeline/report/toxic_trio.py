"""Families and children assessed with a toxic-trio factor."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.measures.ids import ToxicTrio
from pipeline.report.figures import OMITTED, Omitted, ReportInputs, TableRow, count, period_text, rows, table_rows
from pipeline.report.format import label


@dataclass(frozen=True)
class Level:
    """The families and children at one level of intervention (the first row: all of them)."""

    label: str
    families: str
    children: str


@dataclass(frozen=True)
class ToxicTrioView:
    """The children assessed in the 12 months to D whose parents or carers face the toxic trio."""

    period: str
    levels: tuple[Level, ...]
    risks: tuple[TableRow, ...]
    present: bool = True


def toxic_trio_view(report: ReportInputs) -> ToxicTrioView | Omitted:
    tables = report.tables
    if not tables.has(ToxicTrio):
        return Omitted(OMITTED["toxic_trio"])
    families = {r["group"]: r for r in rows(tables, ToxicTrio.TOXIC_TRIO_FAMILIES)}
    children = rows(tables, ToxicTrio.TOXIC_TRIO_CHILDREN)
    levels = tuple(Level(label(r["group"]), count(families.get(r["group"])), count(r)) for r in children)
    first = children[0] if children else None
    return ToxicTrioView(
        period=period_text(first) if first and first["period_start"] else "",
        levels=levels,
        risks=table_rows(rows(tables, ToxicTrio.TOXIC_TRIO_RISK_COUNT)),
    )
