"""The comparator table: the number the council would have at each comparator's rate."""

from __future__ import annotations

from typing import Any

from pipeline.report.figures import ReportInputs, count, known, plotted, rows, shown
from pipeline.report.format import joined, one_decimal, signed


def comparators_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables["comparators"]
    implied = {r["group"]: r for r in rows(frame, "comparator_implied_count")}
    gaps = {r["group"]: r for r in rows(frame, "comparator_gap")}
    table = [
        {
            "group": r["group"],
            "rate": shown(r, one_decimal),
            "implied": count(implied.get(r["group"])),
            "gap": shown(gaps.get(r["group"]), signed),
            "source": r["note"] or "",
        }
        for r in rows(frame, "comparator_rate_per_10k")
    ]
    above = [g for g, r in gaps.items() if known(r) and (plotted(r) or 0) > 0]
    below = [g for g, r in gaps.items() if known(r) and (plotted(r) or 0) < 0]
    message = ""
    if above and not below:
        message = f"The number looked after is above the number at the {joined(above)} rates."
    elif below and not above:
        message = f"The number looked after is below the number at the {joined(below)} rates."
    elif above and below:
        message = f"The number looked after is above the number at the {joined(above)} rates and below {joined(below)}."
    return {"rows": table, "message": message}
