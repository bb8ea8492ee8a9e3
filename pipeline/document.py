"""The report: a view model of preformatted figures, Jinja2 templates, WeasyPrint for the PDF.

Templates only lay out strings that Python has already rounded and formatted (GOV.UK
style: "1,234", "2 November 2020", "£51,000"); a figure the public edition suppresses is
already "c" here. WeasyPrint fetches nothing but the project's own static files, and the
PDF's dates come from the as-at date, so the same inputs give the same bytes.

Sections follow outputs.md "The report". A section built on an optional extract takes its
table when the run has it, and otherwise says in one sentence which file was missing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import polars as pl
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pipeline import charts, rules, tables
from pipeline.care import minus_years, month_end
from pipeline.charts import Chart
from pipeline.config import CouncilConfig
from pipeline.extracts import InputFile
from pipeline.problems import Problem
from pipeline.tables import Tables

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = TEMPLATES / "static"
TITLE = "Looked after children reduction update"
NOT_AVAILABLE = "not available"

LABELS = {
    "all": "All",
    # routes out of care
    "adoption": "Adoption",
    "sgo": "Special guardianship order",
    "reunification": "Reunification (returned home)",
    "cao": "Child arrangements order",
    "independence": "Independent living or staying put",
    "other": "Other",
    # placements
    "kinship_fostering": "Kinship fostering",
    "in_house_fostering": "In-house fostering",
    "agency_fostering": "Agency fostering",
    "residential": "Residential",
    "placed_with_parents": "Placed with parents",
    "placed_for_adoption": "Placed for adoption",
    "supported_or_independent": "Supported or independent living",
    # legal status
    "care_order": "Full care order",
    "interim_care_order": "Interim care order",
    "placement_order": "Placement order",
    "section_20": "Accommodated under section 20",
    "youth_justice": "Youth justice",
    "emergency": "Police protection or emergency order",
    # age and sex
    "under_1": "Under 1",
    "1_to_4": "1 to 4",
    "5_to_9": "5 to 9",
    "10_to_15": "10 to 15",
    "16_plus": "16 and over",
    "male": "Boys",
    "female": "Girls",
    "unknown": "Not recorded",
    # legal pipeline
    "planned": "Planned, not yet referred",
    "with_legal": "With legal services",
    "in_proceedings": "In proceedings at court",
    "granted": "Granted",
    "refused": "Refused",
    "withdrawn": "Withdrawn",
    # ECHo
    "prevention": "Edge of care (prevention)",
    "not_entered_care": "Not entered care",
    "entered_care_during": "Entered care during the work",
    "entered_care_after": "Entered care after the work ended",
    "returned_home": "Returned home",
    "remain_in_care": "To remain in care",
    "return_planned": "More family time, return planned",
    "open": "Work continuing",
    "6m": "6 months",
    "12m": "12 months",
    "18m": "18 months",
    "24m": "24 months",
    # toxic trio
    "below_threshold": "Below the social care threshold",
    "cin": "Child in need",
    "cp": "Child protection plan",
    "cla": "Looked after",
    "1": "One of the three risks",
    "2": "Two of the three risks",
    "3": "All three risks",
}

NOTES = {"no unit cost in council.toml": "no unit cost set"}  # table notes said for a committee reader

DISCHARGE_PHRASES = {
    "sgo": "through a special guardianship order",
    "reunification": "by reunification with their parents",
    "cao": "through a child arrangements order",
}

# The sentence a section shows when the optional extract it needs was not supplied.
OMITTED = {
    **tables.OMITTED,  # a missing optional file: the same sentence in the report as in run.log
    "cohorts": "The cohort breakdowns by legal status, age and sex were not produced for this run.",
    "costs": "The placement costs were not produced for this run.",
    "trajectory": "The trajectory was not produced for this run.",
}


@dataclass(frozen=True)
class ReportInputs:
    tables: Tables
    config: CouncilConfig
    as_at: dt.date
    edition: str
    inputs: tuple[InputFile, ...]
    warnings: tuple[Problem, ...]
    version: str
    config_digest: str
    commentary_html: str | None = None


# ---- formatting (GOV.UK style) ----------------------------------------------------------------


def half_up(value: float, places: int = 0) -> Decimal:
    """Round half up on the decimal the CSV shows (93.05 -> 93.1, 92.5 -> 93), not on binary floats."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def whole(value: float | int) -> str:
    """A whole number with thousands separators: 1,234."""
    return f"{half_up(float(value)):,}"


def one_decimal(value: float) -> str:
    return f"{half_up(value, 1):,}"


def money(value: float) -> str:
    """Whole pounds: £51,000."""
    return f"£{half_up(value):,}"


def long_date(day: dt.date) -> str:
    """GOV.UK style: 2 November 2020."""
    return f"{day.day} {day:%B %Y}"


def month_year(day: dt.date) -> str:
    return f"{day:%B %Y}"


def signed(value: float) -> str:
    """+63, 0 or −12 (a true minus sign)."""
    if value > 0:
        return f"+{whole(value)}"
    return "0" if value == 0 else f"\u2212{whole(-value)}"


def rate_whole(rate: float) -> str:
    """Rates in the report are whole numbers, rounded half up from the CSV's one decimal (93.5 -> 94)."""
    return whole(float(half_up(rate, 1)))


def joined(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def label(group: str) -> str:
    return LABELS.get(group, group.replace("_", " ").capitalize())


# ---- reading figures from the tidy tables --------------------------------------------------------

Row = dict[str, Any]


def rows(frame: pl.DataFrame | None, measure: str) -> list[Row]:
    """A measure's rows in report order; internal-edition rows get the public edition's flags (False)."""
    if frame is None:
        return []
    selected = frame.filter(pl.col("measure") == measure).sort("order", "period_end", "group")
    return [{"suppressed": False, "denominator_suppressed": False, **r} for r in selected.to_dicts()]


def row(frame: pl.DataFrame | None, measure: str, group: str = "all", period_end: dt.date | None = None) -> Row | None:
    found = [r for r in rows(frame, measure) if r["group"] == group and period_end in (None, r["period_end"])]
    return found[-1] if found else None


def shown(figure: Row | None, fmt: Callable[[float], str]) -> str:
    """The figure as the report prints it: formatted, ``c`` when suppressed, or 'not available'."""
    if figure is None:
        return NOT_AVAILABLE
    if figure["suppressed"]:
        return "c"
    return NOT_AVAILABLE if figure["value"] is None else fmt(figure["value"])


def count(figure: Row | None) -> str:
    return shown(figure, whole)


def rate(figure: Row | None) -> str:
    return shown(figure, rate_whole)


def percent(figure: Row | None) -> str:
    return shown(figure, lambda v: f"{one_decimal(v)}%")


def pounds(figure: Row | None) -> str:
    return shown(figure, money)


def denominator(figure: Row) -> str:
    if figure["denominator_suppressed"]:
        return "c"
    return NOT_AVAILABLE if figure["denominator"] is None else whole(figure["denominator"])


def plotted(figure: Row | None) -> float | None:
    """The value to draw: None (a gap, or a bar labelled c) when suppressed or missing."""
    if figure is None or figure["suppressed"] or figure["value"] is None:
        return None
    return float(figure["value"])


def known(figure: Row | None) -> bool:
    return plotted(figure) is not None


def gaps_note(*series: Sequence[Row]) -> str:
    """Said in a chart's alternative text when some of its figures are suppressed."""
    if any(r["suppressed"] for figures in series for r in figures):
        return " Figures shown as c in the table are not drawn."
    return ""


def table_rows(figures: Sequence[Row], fmt: Callable[[Row | None], str] = count) -> list[dict[str, str]]:
    return [{"label": label(f["group"]), "value": fmt(f), "group": f["group"]} for f in figures]


def period_text(figure: Row) -> str:
    return f"{long_date(figure['period_start'])} to {long_date(figure['period_end'])}"


# ---- monthly figures as a year-by-month grid ----------------------------------------------------


def month_grid(
    days: Sequence[dt.date], series: dict[str, Sequence[str]], as_at: dt.date
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Monthly figures as a compact table: a row per year (and per series), a column per month.

    A month outside the range is empty; the as-at date, when it is not a month end, takes its
    month's place (the caller's caption says so)."""
    months = tuple(f"{dt.date(2000, m, 1):%b}" for m in range(1, 13))
    several = len(series) > 1
    head = ("Year", *(("Figure",) if several else ()), *months)
    body = []
    for year in sorted({d.year for d in days}):
        for name, values in series.items():
            cells = [""] * 12
            for day, value in zip(days, values, strict=True):
                if day.year == year:
                    cells[day.month - 1] = value
            body.append((str(year), *((name,) if several else ()), *cells))
    return head, tuple(body)


def _month_to_date_note(as_at: dt.date) -> str:
    if month_end(as_at) == as_at:
        return ""
    return f" The {month_year(as_at)} figure is for {long_date(as_at)}, the month to date."


# ---- sections -----------------------------------------------------------------------------------


def headline_view(report: ReportInputs) -> dict[str, Any]:
    frame, day = report.tables["headline"], report.as_at
    year_ago = minus_years(day, 1)
    now, before = row(frame, "cla_count", period_end=day), row(frame, "cla_count", period_end=year_ago)
    change, direction = "c", "not shown"
    if known(now) and known(before):
        difference = (plotted(now) or 0) - (plotted(before) or 0)
        direction = "down" if difference < 0 else ("up" if difference > 0 else "no change")
        change = whole(abs(difference)) if difference else "0"
    return {
        "count": count(now),
        "rate": rate(row(frame, "cla_rate_per_10k", period_end=day)),
        "year_ago_count": count(before),
        "year_ago_rate": rate(row(frame, "cla_rate_per_10k", period_end=year_ago)),
        "year_ago_date": long_date(year_ago),
        "change": change,
        "direction": direction,
        "population": count(row(frame, "population_0_17")),
    }


def comparators_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables["comparators"]
    implied = {r["group"]: r for r in rows(frame, "comparator_implied_count")}
    gaps = {r["group"]: r for r in rows(frame, "comparator_gap")}
    table = [
        {
            "group": r["group"],
            "rate": shown(r, one_decimal),
            "implied": count(implied.get(r["group"])),
            "gap": shown(gaps.get(r["group"]), signed),
            "source": r["note"] or "",
        }
        for r in rows(frame, "comparator_rate_per_10k")
    ]
    above = [g for g, r in gaps.items() if known(r) and (plotted(r) or 0) > 0]
    below = [g for g, r in gaps.items() if known(r) and (plotted(r) or 0) < 0]
    message = ""
    if above and not below:
        message = f"The number looked after is above the number at the {joined(above)} rates."
    elif below and not above:
        message = f"The number looked after is below the number at the {joined(below)} rates."
    elif above and below:
        message = f"The number looked after is above the number at the {joined(above)} rates and below {joined(below)}."
    return {"rows": table, "message": message}


def _implied_levels(report: ReportInputs) -> dict[str, float]:
    return {
        r["group"]: float(r["value"])
        for r in rows(report.tables["comparators"], "comparator_implied_count")
        if r["value"] is not None
    }


def trend_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables["trend"]
    totals = [r for r in rows(frame, "cla_count") if r["group"] == "all"]
    rates = {r["period_end"]: r for r in rows(frame, "cla_rate_per_10k")}
    days = [r["period_end"] for r in totals]
    levels = _implied_levels(report)
    chart_uri = charts.line_chart(
        days,
        {"Looked after": [plotted(r) for r in totals]},
        references={f"{g} rate": v for g, v in levels.items()},
        ylabel="Children",
        salt="trend",
    )
    first, last = totals[0], totals[-1]
    movement = _movement(first, last)
    drawn = [v for v in (plotted(r) for r in totals) if v is not None]
    position = ""
    if drawn and levels:
        if min(drawn) > max(levels.values()):
            position = " It stayed above the numbers at every comparator's rate throughout."
        elif max(drawn) < min(levels.values()):
            position = " It stayed below the numbers at every comparator's rate throughout."
    message = (
        f"The number of children looked after {movement} from {count(first)} on {long_date(first['period_end'])}"
        f" to {count(last)} on {long_date(last['period_end'])}.{position}"
    )
    refs = "; ".join(f"{g} {whole(v)}" for g, v in levels.items())
    alt = (
        f"Line chart of the number of children looked after at each month end. {message}"
        + (f" Dashed lines mark the numbers the council would have at each comparator's rate: {refs}." if refs else "")
        + gaps_note(totals)
        + " The figures are in the table after the chart."
    )
    head, body = month_grid(
        days,
        {"Looked after": [count(r) for r in totals], "Rate per 10,000": [rate(rates.get(d)) for d in days]},
        report.as_at,
    )
    chart = Chart(
        f"Children looked after at each month end, {month_year(days[0])} to {month_year(days[-1])}",
        chart_uri,
        alt,
        head,
        body,
        "Children looked after at each month end, and the rate per 10,000 children."
        + _month_to_date_note(report.as_at),
        row_headers=2,
    )
    return {"chart": chart, "message": message, "trajectory": trajectory_view(report)}


def _movement(first: Row, last: Row) -> str:
    if not (known(first) and known(last)):
        return "went"
    a, b = plotted(first) or 0, plotted(last) or 0
    return "rose" if b > a else ("fell" if b < a else "was unchanged")


def trajectory_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables.frames.get("trajectory")
    if frame is None:
        return {"present": False, "omitted": OMITTED["trajectory"]}
    flow = row(frame, "net_flow_per_month")
    projected = rows(frame, "projected_cla_count")
    implied = {r["group"]: r for r in rows(report.tables["comparators"], "comparator_implied_count")}
    months = [
        {
            "group": r["group"],
            "implied": count(implied.get(r["group"])),
            "months": "never at this flow" if not r["suppressed"] and r["value"] is None else count(r),
        }
        for r in rows(frame, "months_to_comparator")
    ]
    flow_text = shown(
        flow, lambda v: signed(v) if v.is_integer() else ("+" if v > 0 else "\u2212") + one_decimal(abs(v))
    )
    return {
        "present": True,
        "net_flow": flow_text,
        "projected": count(projected[0]) if projected else NOT_AVAILABLE,
        "projected_date": long_date(projected[0]["period_end"]) if projected else "",
        "months": months,
    }


def flows_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables["flows"]
    started = row(frame, "started")
    assert started is not None, "flows.csv always has the 12-month starters"
    ceased = rows(frame, "ceased")
    monthly = _monthly_flows(report)
    return {
        "period": period_text(started),
        "started": count(started),
        "started_rate": rate(row(frame, "started_rate_per_10k")),
        "ceased_total": count(row(frame, "ceased")),
        "ceased": table_rows(ceased),
        "ceased_pct": percent(row(frame, "ceased_pct_of_cla")),
        "chart": monthly,
    }


def _monthly_flows(report: ReportInputs) -> Chart:
    frame = report.tables["trend"]
    started, ceased = rows(frame, "started"), rows(frame, "ceased")
    days = [r["period_end"] for r in started]
    uri = charts.line_chart(
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
        uri,
        alt,
        head,
        body,
        "Children who started and who ceased to be looked after in each calendar month."
        + _month_to_date_note(report.as_at),
        row_headers=2,
    )


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


def legal_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables.frames.get("legal")
    if frame is None:
        return {"present": False, "omitted": OMITTED["legal"]}
    stages = {r["group"]: r for r in rows(frame, "legal_cases")}
    expected = row(frame, "legal_expected_by_horizon")
    concluded = rows(frame, "legal_concluded")
    return {
        "present": True,
        "in_proceedings": count(stages.get("in_proceedings")),
        "with_legal": count(stages.get("with_legal")),
        "planned": count(stages.get("planned")),
        "expected": count(expected),
        "horizon": month_year(expected["period_end"]) if expected else "",
        "stages": table_rows(rows(frame, "legal_cases")),
        "routes": table_rows(rows(frame, "legal_cases_by_route")),
        "by_month": [
            {"label": month_year(r["period_end"]), "value": count(r), "overdue": r["period_end"] <= report.as_at}
            for r in rows(frame, "legal_planned_by_month")
        ],
        "concluded": table_rows(concluded),
    }


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


def toxic_trio_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables.frames.get("toxic_trio")
    if frame is None:
        return {"present": False, "omitted": OMITTED["toxic_trio"]}
    families = {r["group"]: r for r in rows(frame, "toxic_trio_families")}
    children = rows(frame, "toxic_trio_children")
    levels = [
        {"label": label(r["group"]), "families": count(families.get(r["group"])), "children": count(r)}
        for r in children
    ]
    first = children[0] if children else None
    return {
        "present": True,
        "period": period_text(first) if first and first["period_start"] else "",
        "levels": levels,
        "risks": table_rows(rows(frame, "toxic_trio_risk_count")),
    }


def cohorts_view(report: ReportInputs) -> dict[str, Any]:
    trend, day = report.tables["trend"], report.as_at
    placements = [r for r in rows(trend, "cla_count") if r["group"] != "all" and r["period_end"] == day]
    cohorts = report.tables.frames.get("cohorts")
    if cohorts is not None and rows(cohorts, "cla_by_placement"):
        placements = rows(cohorts, "cla_by_placement")
    total = row(report.tables["headline"], "cla_count", period_end=day)
    uri = charts.bar_chart(
        [label(r["group"]) for r in placements], [plotted(r) for r in placements], xlabel="Children", salt="placements"
    )
    parts = "; ".join(f"{label(r['group'])} {count(r)}" for r in placements)
    mix = Chart(
        "Children looked after by placement",
        uri,
        f"Bar chart of the {count(total)} children looked after on {long_date(day)} by placement: {parts}."
        f"{gaps_note(placements)} The figures are in the table after the chart.",
        ("Placement", "Children"),
        tuple((label(r["group"]), count(r)) for r in placements),
        f"Children looked after on {long_date(day)}, by placement.",
    )
    flagged = {m: row(cohorts, m) for m in ("residential_no_foster", "lt_matches_made", "lt_matched_now")}
    residential = flagged["residential_no_foster"]
    return {
        "placement_chart": mix,
        "kinship_chart": _kinship_chart(report),
        "present": cohorts is not None,
        "omitted": OMITTED["cohorts"],
        "legal_status": table_rows(rows(cohorts, "cla_by_legal_status")),
        "age": table_rows(rows(cohorts, "cla_by_age")),
        "sex": table_rows(rows(cohorts, "cla_by_sex")),
        "flags_present": residential is not None,
        "flags_omitted": OMITTED["flags"],
        "residential": denominator(residential) if residential else "",
        "residential_no_foster": count(residential),
        "lt_matches_made": count(flagged["lt_matches_made"]),
        "lt_matched_now": count(flagged["lt_matched_now"]),
        "lt_period": period_text(flagged["lt_matches_made"]) if flagged["lt_matches_made"] else "",
    }


def _kinship_chart(report: ReportInputs) -> Chart:
    kinship = [r for r in rows(report.tables["trend"], "cla_count") if r["group"] == "kinship_fostering"]
    days = [r["period_end"] for r in kinship]
    uri = charts.line_chart(
        days, {"Kinship fostering": [plotted(r) for r in kinship]}, ylabel="Children", salt="kinship"
    )
    first, last = kinship[0], kinship[-1]
    message = (
        f"The number of children in kinship foster care {_movement(first, last)} from {count(first)} on"
        f" {long_date(first['period_end'])} to {count(last)} on {long_date(last['period_end'])}."
    )
    head, body = month_grid(days, {"Kinship fostering": [count(r) for r in kinship]}, report.as_at)
    return Chart(
        "Children in kinship foster care at each month end",
        uri,
        f"Line chart of the children looked after in kinship foster care at each month end. {message}"
        f"{gaps_note(kinship)} The figures are in the table after the chart.",
        head,
        body,
        "Children looked after in kinship foster care at each month end." + _month_to_date_note(report.as_at),
    )


def costs_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables.frames.get("costs")
    if frame is None:
        return {"present": False, "omitted": OMITTED["costs"]}
    estimated = rows(frame, "estimated_annual_cost")
    groups = [r for r in estimated if r["group"] != "all"]
    total = next((r for r in estimated if r["group"] == "all"), None)
    average = row(frame, "average_cost_per_child")
    return {
        "present": True,
        "rows": [
            {
                "label": label(r["group"]),
                "children": denominator(r),
                "cost": pounds(r),
                "note": NOTES.get(r["note"], r["note"] or ""),
            }
            for r in groups
        ],
        "total": {"children": denominator(total), "cost": pounds(total)} if total else None,
        "average": pounds(average) if average and average["value"] is not None else "",
    }


# Every catalogue of rules whose warnings the appendix explains (add a new catalogue here).
def rule_descriptions() -> dict[str, str]:
    return {rule.id: rule.summary for rule in rules.catalogue()}


def provenance_view(report: ReportInputs) -> dict[str, Any]:
    quality = report.tables.frames.get("data_quality")
    described = rule_descriptions()
    raised = [r for r in rows(quality, "warnings") if r["value"]]
    return {
        "inputs": [{"name": i.name, "rows": whole(i.rows), "sha256": i.sha256} for i in report.inputs],
        "config_digest": report.config_digest,
        "version": report.version,
        "warnings": [{"rule": r["group"], "count": count(r), "about": described.get(r["group"], "")} for r in raised],
        "omitted": [OMITTED[name] for name in ("legal", "echo", "toxic_trio") if name not in report.tables.frames],
    }


def glossary() -> list[tuple[str, str]]:
    """Terms and definitions from templates/glossary.toml, sorted by term."""
    entries = tomllib.loads((TEMPLATES / "glossary.toml").read_text(encoding="utf-8"))["term"]
    return sorted(((e["term"], e["definition"]) for e in entries), key=lambda e: e[0].lower())


def view_model(report: ReportInputs) -> dict[str, Any]:
    council = report.config.council
    return {
        "title": TITLE,
        "council": council.name,
        "synthetic": council.synthetic,
        "as_at": long_date(report.as_at),
        "month": month_year(report.as_at),
        "edition": report.edition,
        "threshold": whole(report.config.disclosure.threshold),
        "below_threshold": whole(report.config.disclosure.threshold - 1),
        "headline": headline_view(report),
        "comparators": comparators_view(report),
        "trend": trend_view(report),
        "flows": flows_view(report),
        "discharges": discharges_view(report),
        "legal": legal_view(report),
        "echo": echo_view(report),
        "cohorts": cohorts_view(report),
        "costs": costs_view(report),
        "provenance": provenance_view(report),
        "glossary": glossary(),
        "commentary_html": report.commentary_html,
    }


# ---- rendering ----------------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: ReportInputs) -> str:
    """The report as one self-contained HTML file (styles inline, charts as data URIs)."""
    css = (STATIC / "report.css").read_text(encoding="utf-8")
    return environment().get_template("report.html.j2").render(css=css, **view_model(report))


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves ``data:`` URLs and files under templates/static; anything else stops the render."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(STATIC) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        raise FatalURLFetchingError(f"refused to fetch a resource outside the report's static files: {parts.scheme}:")


# WeasyPrint's notice that the system lacks libharfbuzz-subset: fonts are subset by fontTools instead.
HARMLESS_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(HARMLESS_WARNINGS):
            self.messages.append(message)


def scope_header_cells(_document: Any, pdf: Any) -> None:
    """Give every table header cell in the PDF's structure tree its /Scope (WeasyPrint 70 links
    data cells to headers with /Headers but leaves /Scope out): a header in the table's head
    is a column header, one in its body a row header, as the templates' ``scope`` says."""
    elements = {obj.reference: obj for obj in pdf.objects if hasattr(obj, "keys") and obj.get("Type") == "/StructElem"}
    for element in elements.values():
        if element.get("S") != "/TH" or "A" not in element:
            continue
        row = elements.get(element["P"])
        section = elements.get(row["P"]) if row is not None else None
        element["A"]["Scope"] = "/Column" if section is not None and section.get("S") == "/THead" else "/Row"


class RenderError(Exception):
    """WeasyPrint warned about the document (a missing resource, bad CSS): the PDF is not trusted."""


def render_pdf(html: str, as_at: dt.date) -> bytes:
    """A tagged PDF (PDF/UA-1) of ``html``; dates from the as-at date; any WeasyPrint warning is fatal."""
    stamp = f"{as_at.isoformat()}T00:00:00Z"
    html = html.replace(
        "<!--pdf-dates-->",
        f'<meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">',
    )
    fetcher = StaticOnlyFetcher(allowed_protocols={"data", "file"})
    # fontTools stamps subset fonts with the time unless SOURCE_DATE_EPOCH says otherwise.
    epoch = int(dt.datetime(as_at.year, as_at.month, as_at.day, tzinfo=dt.UTC).timestamp())
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
        print_css = CSS(filename=str(STATIC / "print.css"), url_fetcher=fetcher)
        pdf = document.write_pdf(
            stylesheets=[print_css], pdf_variant="pdf/ua-1", pdf_identifier=True, finisher=scope_header_cells
        )
    finally:
        logger.removeHandler(collector)
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
    if collector.messages:
        raise RenderError("; ".join(collector.messages[:5]))
    assert isinstance(pdf, bytes)
    return pdf
