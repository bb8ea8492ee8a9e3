"""Starters and leavers: the 12 months to D, and each month in the trend's chart."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.measures.ids import Flows, Trend
from pipeline.measures.tables import Tables
from pipeline.report import charts
from pipeline.report.charts import Chart
from pipeline.report.figures import (
    ReportInputs,
    Row,
    TableRow,
    clauses,
    count,
    gaps_note,
    known,
    month_grid,
    month_to_date_note,
    percent,
    period_text,
    plotted,
    rate,
    row,
    rows,
    table_rows,
    the_row,
    withheld,
)
from pipeline.report.format import month_year


@dataclass(frozen=True)
class FlowsView:
    """Starters and leavers in the 12 months to D, the leavers by route, and the months' chart."""

    sentence: str
    ceased: tuple[TableRow, ...]
    chart: Chart


def flows_view(report: ReportInputs) -> FlowsView:
    started = the_row(report.tables, Flows.STARTED)
    ceased = rows(report.tables, Flows.CEASED)
    return FlowsView(flows_sentence(report.tables, started), table_rows(ceased), _monthly_flows(report))


def flows_sentence(tables: Tables, started: Row) -> str:
    """'From …, 12 children started to be looked after (5 per 10,000 children) and 10 ceased (4 per
    10,000). Those who ceased were …', or without the numbers the public edition hides, named instead."""
    ceased = row(tables, Flows.CEASED)
    started_rate, ceased_rate = row(tables, Flows.STARTED_RATE_PER_10K), row(tables, Flows.CEASED_RATE_PER_10K)
    both = known(started)
    shown, hidden = clauses(
        [
            (started, f"{{children}} started to be looked after{_per_10k(started_rate, ' children')}", "who started"),
            (
                ceased,
                f"{{}} ceased{_per_10k(ceased_rate)}"
                if both
                else f"{{children}} ceased to be looked after{_per_10k(ceased_rate)}",
                "who ceased",
            ),
        ]
    )
    period = period_text(started)
    lead = (
        f"From {period}, {' and '.join(shown)}."
        if shown
        else f"From {period}, children started and ceased to be looked after."
    )
    pct = row(tables, Flows.CEASED_PCT_OF_CLA)
    share = (
        f"Those who ceased were {percent(pct)} of the children looked after when the period began."
        if known(pct)
        else ""
    )
    if pct is not None and pct["suppressed"] and known(ceased):  # the number is shown, its share would reveal
        share = (
            "The percentage of the children looked after when the period began who ceased is not published,"
            " to protect children's privacy."
        )
    return " ".join(part for part in (lead, share, withheld(hidden, of="of children ")) if part)


def _per_10k(figure: Row | None, of: str = "") -> str:
    """' (5 per 10,000 children)', or nothing when the rate is hidden or not known."""
    return f" ({rate(figure)} per 10,000{of})" if known(figure) else ""


def _monthly_flows(report: ReportInputs) -> Chart:
    started, ceased = rows(report.tables, Trend.STARTED), rows(report.tables, Trend.CEASED)
    days = [r["period_end"] for r in started]
    drawing = charts.line_chart(
        days,
        {"Started": [plotted(r) for r in started], "Ceased": [plotted(r) for r in ceased]},
        ylabel="Children in the month",
        salt="flows",
    )
    last_year = [(s, c) for s, c in zip(started[-12:], ceased[-12:], strict=True)]
    more_ceased = sum(1 for s, c in last_year if known(s) and known(c) and (plotted(c) or 0) > (plotted(s) or 0))
    alt = (
        "Line chart of the children who started and who ceased to be looked after in each month from"
        f" {month_year(days[0])} to {month_year(days[-1])}. In {more_ceased} of the last {len(last_year)} months"
        f" more children ceased than started.{gaps_note(started, ceased)} The figures are in the table after the chart."
    )
    head, body = month_grid(
        days, {"Started": [count(r) for r in started], "Ceased": [count(r) for r in ceased]}, report.as_at
    )
    return Chart(
        "Children starting and ceasing to be looked after, by month",
        drawing,
        alt,
        head,
        body,
        "Children who started and who ceased to be looked after in each calendar month."
        + month_to_date_note(report.as_at),
        row_headers=2,
    )
