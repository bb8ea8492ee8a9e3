"""The front page's headline: children looked after on D, the rate, the change on a year ago."""

from __future__ import annotations

from typing import Any

from pipeline.core.dates import minus_years
from pipeline.report.figures import ReportInputs, count, known, plotted, rate, row
from pipeline.report.format import long_date, whole


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
        "excluding_uasc": _excluding_uasc(frame, day, year_ago),
    }


def _excluding_uasc(frame: Any, day: Any, year_ago: Any) -> str:
    """The sentence on children looked after excluding UASC, when the extracts hold the UASC table ("" otherwise)."""
    now = row(frame, "cla_count_excluding_uasc", period_end=day)
    if now is None:
        return ""
    before = row(frame, "cla_count_excluding_uasc", period_end=year_ago)
    return (
        f"Leaving out unaccompanied asylum-seeking children (UASC), it looked after {count(now)} on"
        f" {long_date(day)}, and {count(before)} a year earlier."
    )
