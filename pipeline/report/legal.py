"""The legal pipeline of discharge applications."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.measures.ids import Legal
from pipeline.report.figures import (
    OMITTED,
    Omitted,
    ReportInputs,
    Row,
    TableRow,
    clauses,
    count,
    row,
    rows,
    table_rows,
    withheld,
)
from pipeline.report.format import joined, long_date, month_year


@dataclass(frozen=True)
class PlannedMonth:
    """Planned applications due to go to legal services in a month (overdue: the month has begun)."""

    label: str
    value: str
    overdue: bool


@dataclass(frozen=True)
class LegalView:
    """The open applications to discharge a care order by stage and route, the planned ones by month,
    and those concluded in the 12 months to D."""

    stages_sentence: str
    expected_sentence: str
    stages: tuple[TableRow, ...]
    routes: tuple[TableRow, ...]
    by_month: tuple[PlannedMonth, ...]
    concluded: tuple[TableRow, ...]
    present: bool = True


def legal_view(report: ReportInputs) -> LegalView | Omitted:
    tables = report.tables
    if not tables.has(Legal):
        return Omitted(OMITTED["legal"])
    stages = rows(tables, Legal.LEGAL_CASES)
    return LegalView(
        stages_sentence=stages_sentence(report, {r["group"]: r for r in stages}),
        expected_sentence=expected_sentence(row(tables, Legal.LEGAL_EXPECTED_BY_HORIZON)),
        stages=table_rows(stages),
        routes=table_rows(rows(tables, Legal.LEGAL_CASES_BY_ROUTE)),
        by_month=tuple(
            PlannedMonth(month_year(r["period_end"]), count(r), r["period_end"] <= report.as_at)
            for r in rows(tables, Legal.LEGAL_PLANNED_BY_MONTH)
        ),
        concluded=table_rows(rows(tables, Legal.LEGAL_CONCLUDED)),
    )


def stages_sentence(report: ReportInputs, stages: dict[str, Row]) -> str:
    """The open applications by stage, in one sentence (a stage the public edition hides is named apart)."""
    parts = [
        (stages.get("in_proceedings"), "{} {were} in proceedings at court", "in proceedings at court"),
        (stages.get("with_legal"), "{} {were} with legal services", "with legal services"),
        (stages.get("planned"), "{} {were} planned but not yet referred", "planned but not yet referred"),
    ]
    shown, hidden = clauses(parts)
    lead = f"Of the applications to discharge a care order open on {long_date(report.as_at)}"
    listed = f"{lead}, {joined(shown)}." if shown else ""
    return f"{listed} {withheld(hidden, of='of applications ')}".strip()


def expected_sentence(expected: Row | None) -> str:
    """How many planned cases are expected with legal services by the horizon."""
    if expected is None:
        return ""
    horizon = f"by the end of {month_year(expected['period_end'])}"
    if expected["suppressed"]:
        return withheld([f"expected to be with legal services {horizon}"], of="of planned cases ")
    are = "is" if count(expected) == "1" else "are"
    return f"Of the planned cases, {count(expected)} {are} expected to be with legal services {horizon}."
