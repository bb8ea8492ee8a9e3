"""Estimated placement costs."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.measures.ids import Costs
from pipeline.report.figures import OMITTED, Omitted, ReportInputs, denominator, pounds, row, rows
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
    total: CostTotal | None
    average: str
    present: bool = True


def costs_view(report: ReportInputs) -> CostsView | Omitted:
    tables = report.tables
    if not tables.has(Costs):
        return Omitted(OMITTED["costs"])
    estimated = rows(tables, Costs.ESTIMATED_ANNUAL_COST)
    groups = [r for r in estimated if r["group"] != "all"]
    total = next((r for r in estimated if r["group"] == "all"), None)
    average = row(tables, Costs.AVERAGE_COST_PER_CHILD)
    return CostsView(
        rows=tuple(
            CostRow(label(r["group"]), denominator(r), pounds(r), NOTES.get(r["note"], r["note"] or "")) for r in groups
        ),
        total=CostTotal(denominator(total), pounds(total)) if total else None,
        average=pounds(average) if average and average["value"] is not None else "",
    )
