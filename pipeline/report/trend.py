"""The trend chart and its table: children looked after at each month end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.measures.ids import Trend
from pipeline.report import charts
from pipeline.report.charts import Chart
from pipeline.report.figures import (
    ReportInputs,
    count,
    gaps_note,
    implied_levels,
    known,
    month_grid,
    month_to_date_note,
    movement,
    plotted,
    rate,
    rows,
)
from pipeline.report.format import long_date, month_year, whole


@dataclass(frozen=True)
class TrendView:
    """The trend's sentence and its chart."""

    message: str
    chart: Chart


def trend_view(report: ReportInputs) -> TrendView:
    totals = [r for r in rows(report.tables, Trend.CLA_COUNT) if r["group"] == "all"]
    rates = {r["period_end"]: r for r in rows(report.tables, Trend.CLA_RATE_PER_10K)}
    days = [r["period_end"] for r in totals]
    levels = implied_levels(report)
    drawing = charts.line_chart(
        days,
        {"Looked after": [plotted(r) for r in totals]},
        references={f"{g} rate": v for g, v in levels.items()},
        ylabel="Children",
        salt="trend",
    )
    first, last = totals[0], totals[-1]
    went = movement(first, last)
    drawn = [v for v in (plotted(r) for r in totals) if v is not None]
    position = ""
    if drawn and levels:
        if min(drawn) > max(levels.values()):
            position = " It stayed above the numbers at every comparator's rate throughout."
        elif max(drawn) < min(levels.values()):
            position = " It stayed below the numbers at every comparator's rate throughout."
    message = (
        f"The number of children looked after {went} from {count(first)} on {long_date(first['period_end'])}"
        f" to {count(last)} on {long_date(last['period_end'])}.{position}"
    )
    refs = "; ".join(f"{g} {whole(v)}" for g, v in levels.items())
    alt = (
        f"Line chart of the number of children looked after at each month end. {message}"
        + (f" Dashed lines mark the numbers the council would have at each comparator's rate: {refs}." if refs else "")
        + gaps_note(totals)
        + " The figures are in the table after the chart."
    )
    series: dict[str, Sequence[str]] = {
        "Looked after": [count(r) for r in totals],
        "Rate per 10,000": [rate(rates.get(d)) for d in days],
    }
    excluding = {r["period_end"]: r for r in rows(report.tables, Trend.CLA_COUNT_EXCLUDING_UASC)}
    if excluding:  # only when the extracts hold the UASC table
        series["Excluding UASC"] = [count(excluding.get(d)) for d in days]
        before, after = excluding.get(first["period_end"]), excluding.get(last["period_end"])
        if before and after and known(before) and known(after):  # a hidden number is not read out: the table shows c
            message += (
                f" Leaving out unaccompanied asylum-seeking children (UASC), it {movement(before, after)} from"
                f" {count(before)} to {count(after)}."
            )
    head, body = month_grid(days, series, report.as_at)
    chart = Chart(
        f"Children looked after at each month end, {month_year(days[0])} to {month_year(days[-1])}",
        drawing,
        alt,
        head,
        body,
        "Children looked after at each month end, and the rate per 10,000 children"
        + (
            ", and the children looked after excluding unaccompanied asylum-seeking children (UASC)."
            if excluding
            else "."
        )
        + month_to_date_note(report.as_at),
        row_headers=2,
    )
    return TrendView(message, chart)
