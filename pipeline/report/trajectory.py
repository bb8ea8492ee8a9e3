"""The trajectory: the net flow a month, the count it projects, the months to each comparator."""

from __future__ import annotations

from typing import Any

from pipeline.report.figures import NOT_AVAILABLE, OMITTED, ReportInputs, count, row, rows, shown
from pipeline.report.format import long_date, one_decimal, signed


def trajectory_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables.frames.get("trajectory")
    if frame is None:
        return {"present": False, "omitted": OMITTED["trajectory"]}
    flow = row(frame, "net_flow_per_month")
    projected = rows(frame, "projected_cla_count")
    implied = {r["group"]: r for r in rows(report.tables["comparators"], "comparator_implied_count")}
    months = [
        {
            "group": r["group"],
            "implied": count(implied.get(r["group"])),
            "months": "never at this flow" if not r["suppressed"] and r["value"] is None else count(r),
        }
        for r in rows(frame, "months_to_comparator")
    ]
    flow_text = shown(
        flow, lambda v: signed(v) if v.is_integer() else ("+" if v > 0 else "\u2212") + one_decimal(abs(v))
    )
    return {
        "present": True,
        "net_flow": flow_text,
        "projected": count(projected[0]) if projected else NOT_AVAILABLE,
        "projected_date": long_date(projected[0]["period_end"]) if projected else "",
        "months": months,
    }
