"""The trajectory: the net flow a month, the count it projects, the time to each comparator.

The CSV keeps the months to each comparator as numbers; the report says them as a committee
would read them: "about 9 years (111 months)", and in words when a comparator is out of reach
within ten years at the current rate, or never reached because the number is not falling.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.rounding import half_up
from pipeline.measures.ids import Comparators, Trajectory
from pipeline.report.figures import (
    ReportInputs,
    Row,
    children,
    count,
    rows,
    the_row,
    withheld,
)
from pipeline.report.format import long_date, one_decimal, whole

WITHIN_REACH = 120  # months: a comparator further away than ten years is said to be out of reach
IN_MONTHS = 24  # months: up to two years, the time is said in months alone


@dataclass(frozen=True)
class TimeToReach:
    """A comparator's number, and how long the count would take to reach it at the current rate."""

    group: str
    implied: str
    months: str


@dataclass(frozen=True)
class TrajectoryView:
    """Where the trend is heading: the average change a month, the count it projects, the time to each comparator."""

    change: str
    projection: str
    months: tuple[TimeToReach, ...]


def trajectory_view(report: ReportInputs) -> TrajectoryView:
    tables = report.tables
    implied = {r["group"]: r for r in rows(tables, Comparators.COMPARATOR_IMPLIED_COUNT)}
    months = tuple(
        TimeToReach(r["group"], count(implied.get(r["group"])), time_to_reach(r))
        for r in rows(tables, Trajectory.MONTHS_TO_COMPARATOR)
    )
    return TrajectoryView(
        change=change_sentence(the_row(tables, Trajectory.NET_FLOW_PER_MONTH)),
        projection=projection_sentence(the_row(tables, Trajectory.PROJECTED_CLA_COUNT)),
        months=months,
    )


def projection_sentence(projected: Row) -> str:
    """'If that continued, the council would look after 330 children on …', or that it is not published."""
    on = long_date(projected["period_end"])
    if projected["suppressed"]:
        return withheld([f"the council would look after on {on} if that continued"], of="")
    return f"If that continued, the council would look after {children(count(projected))} on {on}."


def time_to_reach(figure: Row) -> str:
    """The months to a comparator as the report says them (``c`` when the public edition hides them)."""
    if figure["suppressed"]:
        return "c"
    months = figure["value"]
    if months is None:
        return "never at this rate: the number is not falling"
    if months == 0:
        return "already at or below it"
    if months > WITHIN_REACH:
        return "not within ten years at this rate"
    if months <= IN_MONTHS:
        return f"{whole(months)} month{'s' if months != 1 else ''}"
    return f"about {whole(float(half_up(months / 12)))} years ({whole(months)} months)"


def change_sentence(flow: Row) -> str:
    """The last 12 months' average change a month, in words: which way, by how much, and why."""
    lead = "Over the last 12 months"
    if flow["suppressed"]:
        hidden = "the average change a month in the number looked after is not published"
        return f"{lead} {hidden}, to protect children's privacy."
    value = float(flow["value"])
    size = whole(abs(value)) if value.is_integer() else one_decimal(abs(value))
    if value < 0:
        return (
            f"{lead} the number looked after fell by {size} a month on average:"
            " more children ceased to be looked after than started."
        )
    if value > 0:
        return (
            f"{lead} the number looked after rose by {size} a month on average:"
            " more children started to be looked after than ceased."
        )
    return f"{lead} as many children started to be looked after as ceased, so the number looked after did not change."
