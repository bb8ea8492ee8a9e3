"""The ECHo service's families, children and outcomes (with the toxic trio beside them)."""

from __future__ import annotations

from typing import Any

from pipeline.report import charts
from pipeline.report.charts import Chart
from pipeline.report.figures import OMITTED, ReportInputs, count, denominator, gaps_note, percent, plotted, rows
from pipeline.report.format import label, long_date
from pipeline.report.toxic_trio import toxic_trio_view


def echo_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables.frames.get("echo")
    toxic = toxic_trio_view(report)
    if frame is None:
        return {"present": False, "omitted": OMITTED["echo"], "toxic_trio": toxic}
    families = {r["group"]: r for r in rows(frame, "echo_families")}
    children = {r["group"]: r for r in rows(frame, "echo_children")}
    prevention = rows(frame, "echo_prevention_outcome")
    reunification = rows(frame, "echo_reunification_outcome")
    since = report.config.echo.start_date if report.config.echo else None
    sustained = rows(frame, "echo_sustained_pct")
    outcomes = [*prevention, *reunification]
    strands = [("Prevention", r) for r in prevention] + [("Reunification", r) for r in reunification]
    uri = charts.bar_chart(
        [f"{strand}: {label(r['group']).lower()}" for strand, r in strands],
        [plotted(r) for r in outcomes],
        xlabel="Children",
        salt="echo",
        colours=[charts.DARK_BLUE] * len(prevention) + [charts.TURQUOISE] * len(reunification),
    )
    parts = "; ".join(f"{strand}, {label(r['group']).lower()}: {count(r)}" for strand, r in strands)
    alt = (
        f"Bar chart of the outcomes for children the ECHo service worked with. {parts}.{gaps_note(outcomes)}"
        " The figures are in the table after the chart."
    )
    chart = Chart(
        "ECHo outcomes for children, by strand",
        uri,
        alt,
        ("Strand", "Outcome", "Children"),
        tuple((strand, label(r["group"]), count(r)) for strand, r in strands),
        "Outcomes for children the ECHo service has worked with" + (f" since {long_date(since)}." if since else "."),
        row_headers=2,
    )
    outcome = {r["group"]: count(r) for r in outcomes}
    return {
        "present": True,
        "since": long_date(since) if since else "",
        "prevention_families": count(families.get("prevention")),
        "prevention_children": count(children.get("prevention")),
        "reunification_families": count(families.get("reunification")),
        "reunification_children": count(children.get("reunification")),
        "outcome": outcome,
        "chart": chart,
        "sustained": [
            {"label": label(r["group"]), "value": percent(r), "denominator": denominator(r)} for r in sustained
        ],
        "sustained_yet": any(r["denominator_suppressed"] or r["denominator"] for r in sustained),
        "toxic_trio": toxic,
    }
