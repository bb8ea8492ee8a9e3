"""The cohorts in care on D: placement (with the kinship trend), legal status, age, sex, flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.measures.ids import Cohorts, Headline, Trend
from pipeline.report import charts
from pipeline.report.charts import Chart
from pipeline.report.figures import (
    OMITTED,
    ReportInputs,
    Row,
    TableRow,
    children,
    clauses,
    count,
    denominator,
    gaps_note,
    month_grid,
    month_to_date_note,
    movement,
    period_text,
    plotted,
    row,
    rows,
    table_rows,
    withheld,
)
from pipeline.report.format import label, long_date


@dataclass(frozen=True)
class CohortsView:
    """The children in care on D: by placement (with the kinship trend), legal status, age and sex, and
    the residential and long-term matching figures of flags.csv."""

    placement_chart: Chart
    kinship_chart: Chart
    legal_status: tuple[TableRow, ...]
    age: tuple[TableRow, ...]
    sex: tuple[TableRow, ...]
    flags_present: bool  # the extracts held flags.csv
    flags_omitted: str
    residential_text: str
    matching_text: str


def cohorts_view(report: ReportInputs) -> CohortsView:
    tables, day = report.tables, report.as_at
    placements = rows(tables, Cohorts.CLA_BY_PLACEMENT)
    total = row(tables, Headline.CLA_COUNT, period_end=day)
    drawing = charts.bar_chart(
        [label(r["group"]) for r in placements], [plotted(r) for r in placements], xlabel="Children", salt="placements"
    )
    parts = "; ".join(f"{label(r['group'])} {count(r)}" for r in placements)
    mix = Chart(
        "Children looked after by placement",
        drawing,
        f"Bar chart of the {count(total)} children looked after on {long_date(day)} by placement: {parts}."
        f"{gaps_note(placements)} The figures are in the table after the chart.",
        ("Placement", "Children"),
        tuple((label(r["group"]), count(r)) for r in placements),
        f"Children looked after on {long_date(day)}, by placement.",
    )
    residential = row(tables, Cohorts.RESIDENTIAL_NO_FOSTER)
    return CohortsView(
        placement_chart=mix,
        kinship_chart=_kinship_chart(report),
        legal_status=table_rows(rows(tables, Cohorts.CLA_BY_LEGAL_STATUS)),
        age=table_rows(rows(tables, Cohorts.CLA_BY_AGE)),
        sex=table_rows(rows(tables, Cohorts.CLA_BY_SEX)),
        flags_present=residential is not None,
        flags_omitted=OMITTED["flags"],
        residential_text=residential_sentence(residential, day) if residential else "",
        matching_text=matching_sentence(row(tables, Cohorts.LT_MATCHES_MADE), row(tables, Cohorts.LT_MATCHED_NOW), day),
    )


def residential_sentence(residential: Row, day: dt.date) -> str:
    """Children in residential care on D, and how many of them for want of a foster placement."""
    if residential["denominator_suppressed"]:
        return withheld([f"in residential care on {long_date(day)}"], of="of children ")
    total = denominator(residential)
    if total == "0":
        return f"On {long_date(day)}, no children were in residential care."
    lead = f"On {long_date(day)}, {children(total)} {'was' if total == '1' else 'were'} in residential care."
    because = "placed there because no suitable foster placement could be found"
    shown, hidden = clauses([(residential, f"Of these, {{}} {{were}} {because}", because)])
    return " ".join([lead, *(f"{clause}." for clause in shown), withheld(hidden, of="of them ")]).strip()


def matching_sentence(made: Row | None, now: Row | None, day: dt.date) -> str:
    """Long-term matches made in the 12 months, and children in a long-term match on D."""
    if made is None or now is None:
        return ""
    period, on = period_text(made), long_date(day)
    shown, hidden = clauses(
        [
            (
                made,
                f"From {period}, {{children}} {{were}} long-term matched with their foster carers",
                f"long-term matched with their foster carers from {period}",
            ),
            (
                now,
                f"On {on}, {{}} of the children looked after {{were}} in a long-term match",
                f"in a long-term match on {on}",
            ),
        ]
    )
    return " ".join([*(f"{clause}." for clause in shown), withheld(hidden, of="of children ")]).strip()


def _kinship_chart(report: ReportInputs) -> Chart:
    kinship = [r for r in rows(report.tables, Trend.CLA_COUNT) if r["group"] == "kinship_fostering"]
    days = [r["period_end"] for r in kinship]
    drawing = charts.line_chart(
        days, {"Kinship fostering": [plotted(r) for r in kinship]}, ylabel="Children", salt="kinship"
    )
    first, last = kinship[0], kinship[-1]
    message = (
        f"The number of children in kinship foster care {movement(first, last)} from {count(first)} on"
        f" {long_date(first['period_end'])} to {count(last)} on {long_date(last['period_end'])}."
    )
    head, body = month_grid(days, {"Kinship fostering": [count(r) for r in kinship]}, report.as_at)
    return Chart(
        "Children in kinship foster care at each month end",
        drawing,
        f"Line chart of the children looked after in kinship foster care at each month end. {message}"
        f"{gaps_note(kinship)} The figures are in the table after the chart.",
        head,
        body,
        "Children looked after in kinship foster care at each month end." + month_to_date_note(report.as_at),
    )
