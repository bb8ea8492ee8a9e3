"""The front page's headline: children looked after on D, the rate, the change on a year ago."""

from __future__ import annotations

from typing import Any

from pipeline.core.dates import minus_years
from pipeline.report.figures import ReportInputs, Row, children, count, known, plotted, rate, row, withheld
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
    rate_now = row(frame, "cla_rate_per_10k", period_end=day)
    population = count(row(frame, "population_0_17"))
    return {
        "count": count(now),
        "rate": rate(rate_now),
        "year_ago_count": count(before),
        "year_ago_date": long_date(year_ago),
        "change": change,
        "direction": direction,
        "population": population,
        "summary": " ".join(
            s
            for s in (
                summary_sentence(now, rate_now, population, long_date(day)),
                year_ago_sentence(before, row(frame, "cla_rate_per_10k", period_end=year_ago), long_date(year_ago)),
                _excluding_uasc(frame, day, year_ago),
            )
            if s
        ),
        "looked_after": (
            f"On {long_date(day)} the council looked after {children(count(now))}."
            if known(now)
            else withheld([f"looked after on {long_date(day)}"], of="of children ")
        ),
        "ours": f"our {count(now)}" if known(now) else "our number",
    }


def summary_sentence(now: Row | None, rate_now: Row | None, population: str, on: str) -> str:
    """'On … the council looked after 339 children, 94 for every 10,000 …', or that the number is not published."""
    area = f"(an estimated {population} children aged 0 to 17)"
    if not known(now):
        return f"On {on} the council's area had {area[1:-1]}. {withheld(['it looked after'], of='of children ')}"
    per = f", {rate(rate_now)} for every 10,000 children living in its area {area}" if known(rate_now) else ""
    return f"On {on} the council looked after {children(count(now))}{per}."


def year_ago_sentence(before: Row | None, rate_before: Row | None, on: str) -> str:
    """'A year earlier, on …, it looked after 342 children, 95 per 10,000.', or that the number is not published."""
    if not known(before):
        return withheld([f"looked after a year earlier, on {on},"], of="of children ")
    per = f", {rate(rate_before)} per 10,000" if known(rate_before) else ""
    return f"A year earlier, on {on}, it looked after {children(count(before))}{per}."


def _excluding_uasc(frame: Any, day: Any, year_ago: Any) -> str:
    """The sentence on children looked after excluding UASC, when the extracts hold the UASC table ("" otherwise)."""
    now = row(frame, "cla_count_excluding_uasc", period_end=day)
    if now is None:
        return ""
    before = row(frame, "cla_count_excluding_uasc", period_end=year_ago)
    lead = "Leaving out unaccompanied asylum-seeking children (UASC)"
    if known(now) and known(before):
        return f"{lead}, it looked after {count(now)} on {long_date(day)}, and {count(before)} a year earlier."
    if known(now):
        return f"{lead}, it looked after {count(now)} on {long_date(day)}. {withheld(['a year earlier'])}"
    if known(before):
        return f"{lead}, it looked after {count(before)} a year earlier. {withheld([f'on {long_date(day)}'])}"
    return (
        f"The numbers looked after leaving out unaccompanied asylum-seeking children (UASC), on {long_date(day)} and"
        " a year earlier, are not published, to protect children's privacy."
    )
