"""Care orders discharged, by route."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.measures.ids import Discharges
from pipeline.report import charts
from pipeline.report.charts import Chart
from pipeline.report.figures import (
    ReportInputs,
    Row,
    children,
    clauses,
    count,
    gaps_note,
    period_text,
    plotted,
    rows,
    the_row,
    withheld,
)
from pipeline.report.format import joined, label

DISCHARGE_PHRASES = {
    "sgo": "through a special guardianship order",
    "reunification": "by reunification with their parents",
    "cao": "through a child arrangements order",
}


@dataclass(frozen=True)
class DischargesView:
    """The care orders discharged in the 12 months to D, in a sentence and a chart by route."""

    sentence: str
    chart: Chart


def discharges_view(report: ReportInputs) -> DischargesView:
    figures = rows(report.tables, Discharges.CARE_ORDERS_DISCHARGED)
    by_route = [r for r in figures if r["group"] != "all"]
    total = the_row(report.tables, Discharges.CARE_ORDERS_DISCHARGED)
    drawing = charts.bar_chart(
        [label(r["group"]) for r in by_route], [plotted(r) for r in by_route], xlabel="Children", salt="discharges"
    )
    parts = "; ".join(f"{label(r['group'])} {count(r)}" for r in by_route)
    alt = (
        f"Bar chart of the care orders discharged from {period_text(total)}, by route: {count(total)} in all;"
        f" {parts}.{gaps_note(by_route)} The figures are in the table after the chart."
    )
    chart = Chart(
        "Care orders discharged, by route",
        drawing,
        alt,
        ("Route", "Children"),
        tuple((label(r["group"]), count(r)) for r in [*by_route, total]),
        f"Children whose full care order was discharged, {period_text(total)}.",
    )
    return DischargesView(discharges_sentence(total, by_route), chart)


def discharges_sentence(total: Row, by_route: list[Row]) -> str:
    """How many care orders were discharged, and by which routes (a route whose number the public
    edition hides is named in a sentence of its own)."""
    phrases = [DISCHARGE_PHRASES.get(r["group"], label(r["group"])) for r in by_route]
    shown_routes, hidden = clauses([(r, f"{{}} {phrase}", phrase) for r, phrase in zip(by_route, phrases, strict=True)])
    listed = f": {joined(shown_routes)}" if shown_routes else ""
    if total["suppressed"]:
        lead = f"From {period_text(total)}, full care orders were discharged{listed}."
        hidden = ["in all", *hidden]
    else:
        lead = f"From {period_text(total)}, {children(count(total))} had their full care order discharged{listed}."
    return f"{lead} {withheld(hidden, of='discharged ')}".rstrip()
