"""Estimated placement costs."""

from __future__ import annotations

from typing import Any

from pipeline.report.figures import OMITTED, ReportInputs, denominator, pounds, row, rows
from pipeline.report.format import NOTES, label


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
