"""The ECHo service's families, children and outcomes."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.measures.ids import Echo
from pipeline.report import charts
from pipeline.report.charts import Chart
from pipeline.report.figures import (
    OMITTED,
    Omitted,
    ReportInputs,
    Row,
    clauses,
    count,
    denominator,
    gaps_note,
    percent,
    plotted,
    rows,
    withheld,
)
from pipeline.report.format import joined, label, long_date


@dataclass(frozen=True)
class Sustained:
    """Of the children whose involvement ended successfully some time ago, the share still out of care."""

    label: str
    value: str
    denominator: str


@dataclass(frozen=True)
class EchoView:
    """What the two strands of the service did and what became of the children, and whether it lasted."""

    prevention_text: str
    reunification_text: str
    chart: Chart
    sustained: tuple[Sustained, ...]
    sustained_yet: bool  # any involvement ended long enough ago to follow up
    present: bool = True


def echo_view(report: ReportInputs) -> EchoView | Omitted:
    tables = report.tables
    if not tables.has(Echo):
        return Omitted(OMITTED["echo"])
    families = {r["group"]: r for r in rows(tables, Echo.ECHO_FAMILIES)}
    children = {r["group"]: r for r in rows(tables, Echo.ECHO_CHILDREN)}
    prevention = rows(tables, Echo.ECHO_PREVENTION_OUTCOME)
    reunification = rows(tables, Echo.ECHO_REUNIFICATION_OUTCOME)
    since = report.config.echo.start_date if report.config.echo else None
    sustained = rows(tables, Echo.ECHO_SUSTAINED_PCT)
    outcomes = [*prevention, *reunification]
    strands = [("Prevention", r) for r in prevention] + [("Reunification", r) for r in reunification]
    drawing = charts.bar_chart(
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
        drawing,
        alt,
        ("Strand", "Outcome", "Children"),
        tuple((strand, label(r["group"]), count(r)) for strand, r in strands),
        "Outcomes for children the ECHo service has worked with" + (f" since {long_date(since)}." if since else "."),
        row_headers=2,
    )
    outcome = {r["group"]: r for r in outcomes}
    started = f"Since {long_date(since)} the ECHo team have" if since else "Since it began the ECHo team have"
    on_the_edge = worked_with(started, families.get("prevention"), children.get("prevention"), "on the edge of care")
    going_home = worked_with(
        "The team have also",
        families.get("reunification"),
        children.get("reunification"),
        "with a care plan of reunification",
    )
    return EchoView(
        prevention_text=f"{on_the_edge} {prevention_outcomes(outcome)}",
        reunification_text=f"{going_home} {reunification_outcomes(outcome)}",
        chart=chart,
        sustained=tuple(Sustained(label(r["group"]), percent(r), denominator(r)) for r in sustained),
        sustained_yet=any(r["denominator_suppressed"] or r["denominator"] for r in sustained),
    )


def worked_with(start: str, families: Row | None, children: Row | None, strand: str) -> str:
    """'{start} worked with 15 families (15 children) {strand}.', or without the numbers the public edition hides."""
    shown, hidden = clauses([(families, "{}", "families"), (children, "{children}", "children")])
    if not hidden:
        return f"{start} worked with {shown[0]} {'family' if shown[0] == '1' else 'families'} ({shown[1]}) {strand}."
    return f"{start} worked with families {strand}. {withheld(hidden, of='of ')}"


def prevention_outcomes(outcome: dict[str, Row]) -> str:
    """What became of the children on the edge of care."""
    parts = [
        (
            outcome.get("not_entered_care"),
            "{} of these children have not come into care",
            "who have not come into care",
        ),
        (
            outcome.get("entered_care_during"),
            "{} of these children came into care while the team were working with the family",
            "who came into care while the team were working with the family",
        ),
        (
            outcome.get("entered_care_after"),
            "{} of these children came into care after the work ended",
            "who came into care after the work ended",
        ),
    ]
    shown, hidden = clauses(parts)
    if not hidden:
        numbers = [count(figure) for figure, _, _ in parts]
        return (
            f"So far {numbers[0]} of these children have not come into care; {numbers[1]} came into care while the"
            f" team were working with the family and {numbers[2]} after the work ended."
        )
    listed = f"So far {joined(shown)}. " if shown else ""
    return listed + withheld(hidden, of="of children ")


def reunification_outcomes(outcome: dict[str, Row]) -> str:
    """What became of the children with a plan of reunification."""
    parts = [
        (
            outcome.get("returned_home"),
            "{children} {have} returned to their parents' care",
            "who have returned to their parents' care",
        ),
        (outcome.get("remain_in_care"), "for {} the decision is that they remain in care", "who are to remain in care"),
        (
            outcome.get("return_planned"),
            "{} are having more family time with a plan to return home",
            "who are having more family time with a plan to return home",
        ),
        (outcome.get("open"), "the work is continuing for {children}", "for whom the work is continuing"),
    ]
    shown, hidden = clauses(parts)
    listed = ""
    if shown:  # clauses holding commas of their own are parted by semicolons once there are three
        listed = (
            "Of these, " + (joined(shown) if len(shown) < 3 else "; ".join(shown[:-1]) + "; and " + shown[-1]) + "."
        )
    return f"{listed} {withheld(hidden, of='of children ')}".strip()
