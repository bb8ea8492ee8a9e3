"""Care orders discharged, by route."""

from __future__ import annotations

from typing import Any

from pipeline.report import charts
from pipeline.report.charts import Chart
from pipeline.report.figures import ReportInputs, count, gaps_note, period_text, plotted, rows
from pipeline.report.format import label

DISCHARGE_PHRASES = {
    "sgo": "through a special guardianship order",
    "reunification": "by reunification with their parents",
    "cao": "through a child arrangements order",
}


def discharges_view(report: ReportInputs) -> dict[str, Any]:
    figures = rows(report.tables["discharges"], "care_orders_discharged")
    by_route = [r for r in figures if r["group"] != "all"]
    total = next(r for r in figures if r["group"] == "all")
    uri = charts.bar_chart(
        [label(r["group"]) for r in by_route], [plotted(r) for r in by_route], xlabel="Children", salt="discharges"
    )
    parts = "; ".join(f"{label(r['group'])} {count(r)}" for r in by_route)
    alt = (
        f"Bar chart of the care orders discharged from {period_text(total)}, by route: {count(total)} in all;"
        f" {parts}.{gaps_note(by_route)} The figures are in the table after the chart."
    )
    chart = Chart(
        "Care orders discharged, by route",
        uri,
        alt,
        ("Route", "Children"),
        tuple((label(r["group"]), count(r)) for r in [*by_route, total]),
        f"Children whose full care order was discharged, {period_text(total)}.",
    )
    phrases = [{"value": count(r), "phrase": DISCHARGE_PHRASES.get(r["group"], label(r["group"]))} for r in by_route]
    return {"period": period_text(total), "total": count(total), "rows": phrases, "chart": chart}
