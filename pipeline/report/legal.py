"""The legal pipeline of discharge applications."""

from __future__ import annotations

from typing import Any

from pipeline.report.figures import OMITTED, ReportInputs, count, row, rows, table_rows
from pipeline.report.format import month_year


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
