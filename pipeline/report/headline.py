"""The front page's headline: children looked after on D, the rate, the change on a year ago."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.core.dates import minus_years
from pipeline.measures.ids import Headline
from pipeline.measures.tables import Tables
from pipeline.report.figures import ReportInputs, Row, children, count, known, plotted, rate, row, the_row, withheld
from pipeline.report.format import long_date, whole


@dataclass(frozen=True)
class HeadlineView:
    """The cover's three figures and its summary, and the opening words of the comparison."""

    count: str  # looked after on D
    rate: str  # per 10,000 children
    year_ago_count: str
    year_ago_date: str
    change: str  # the change on a year ago, unsigned ("c" when either count is hidden)
    direction: str  # down, up, no change or not shown
    population: str
    summary: str  # the cover's sentences
    looked_after: str  # "On … the council looked after 339 children."
    ours: str  # "our 339" (or "our number"), the comparison table's heading


def headline_view(report: ReportInputs) -> HeadlineView:
    tables, day = report.tables, report.as_at
    year_ago = minus_years(day, 1)
    now = row(tables, Headline.CLA_COUNT, period_end=day)
    before = row(tables, Headline.CLA_COUNT, period_end=year_ago)
    change, direction = "c", "not shown"
    if known(now) and known(before):
        difference = (plotted(now) or 0) - (plotted(before) or 0)
        direction = "down" if difference < 0 else ("up" if difference > 0 else "no change")
        change = whole(abs(difference)) if difference else "0"
    rate_now = row(tables, Headline.CLA_RATE_PER_10K, period_end=day)
    population = count(row(tables, Headline.POPULATION_0_17))
    rate_before = row(tables, Headline.CLA_RATE_PER_10K, period_end=year_ago)
    return HeadlineView(
        count=count(now),
        rate=rate(rate_now),
        year_ago_count=count(before),
        year_ago_date=long_date(year_ago),
        change=change,
        direction=direction,
        population=population,
        summary=" ".join(
            s
            for s in (
                summary_sentence(now, rate_now, population, long_date(day)),
                year_ago_sentence(before, rate_before, long_date(year_ago)),
                _excluding_uasc(tables, day, year_ago),
            )
            if s
        ),
        looked_after=(
            f"On {long_date(day)} the council looked after {children(count(now))}."
            if known(now)
            else withheld([f"looked after on {long_date(day)}"], of="of children ")
        ),
        ours=f"our {count(now)}" if known(now) else "our number",
    )


def looked_after_on(tables: Tables, day: dt.date) -> str:
    """The run's summary line's figure, as its edition's report says it: '339 children looked after on
    2020-10-31' ('1 child'), or, when the public edition hides it, that it is not published."""
    figure = the_row(tables, Headline.CLA_COUNT, period_end=day)
    if figure["suppressed"]:
        return f"the number of children looked after on {day.isoformat()} is not published"
    return f"{children(count(figure))} looked after on {day.isoformat()}"


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


def _excluding_uasc(tables: Tables, day: dt.date, year_ago: dt.date) -> str:
    """The sentence on children looked after excluding UASC, when the extracts hold the UASC table ("" otherwise)."""
    now = row(tables, Headline.CLA_COUNT_EXCLUDING_UASC, period_end=day)
    if now is None:
        return ""
    before = row(tables, Headline.CLA_COUNT_EXCLUDING_UASC, period_end=year_ago)
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
