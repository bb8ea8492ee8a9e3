"""Families and children assessed with a toxic-trio factor."""

from __future__ import annotations

from typing import Any

from pipeline.report.figures import OMITTED, ReportInputs, count, period_text, rows, table_rows
from pipeline.report.format import label


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
