"""The legal pipeline of discharge applications."""

from __future__ import annotations

from typing import Any

from pipeline.report.figures import OMITTED, ReportInputs, Row, clauses, count, row, rows, table_rows, withheld
from pipeline.report.format import joined, long_date, month_year


def legal_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables.frames.get("legal")
    if frame is None:
        return {"present": False, "omitted": OMITTED["legal"]}
    stages = {r["group"]: r for r in rows(frame, "legal_cases")}
    expected = row(frame, "legal_expected_by_horizon")
    concluded = rows(frame, "legal_concluded")
    return {
        "present": True,
        "stages_sentence": stages_sentence(report, stages),
        "expected_sentence": expected_sentence(expected),
        "stages": table_rows(rows(frame, "legal_cases")),
        "routes": table_rows(rows(frame, "legal_cases_by_route")),
        "by_month": [
            {"label": month_year(r["period_end"]), "value": count(r), "overdue": r["period_end"] <= report.as_at}
            for r in rows(frame, "legal_planned_by_month")
        ],
        "concluded": table_rows(concluded),
    }


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
