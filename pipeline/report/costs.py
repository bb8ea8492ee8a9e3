"""Estimated placement costs."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.measures.ids import Costs
from pipeline.report.figures import ReportInputs, denominator, known, pounds, rows, the_row
from pipeline.report.format import NOTES, label


@dataclass(frozen=True)
class CostRow:
    """A placement group's children on D and their estimated annual cost (the note: why it has none)."""

    label: str
    children: str
    cost: str
    note: str


@dataclass(frozen=True)
class CostTotal:
    children: str
    cost: str


@dataclass(frozen=True)
class CostsView:
    """The estimated annual cost of the placements on D, by placement group, and the average a child."""

    rows: tuple[CostRow, ...]
    total: CostTotal
    average: str  # "" when council.toml gives none


def costs_view(report: ReportInputs) -> CostsView:
    tables = report.tables
    groups = [r for r in rows(tables, Costs.ESTIMATED_ANNUAL_COST) if r["group"] != "all"]
    total = the_row(tables, Costs.ESTIMATED_ANNUAL_COST)
    average = the_row(tables, Costs.AVERAGE_COST_PER_CHILD)  # never suppressed: the council's own figure
    return CostsView(
        rows=tuple(
            CostRow(label(r["group"]), denominator(r), pounds(r), NOTES.get(r["note"], r["note"] or "")) for r in groups
        ),
        total=CostTotal(denominator(total), pounds(total)),
        average=pounds(average) if known(average) else "",
    )
