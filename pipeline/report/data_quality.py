"""The data-quality and provenance appendix: the files read, the config, the warnings raised."""

from __future__ import annotations

from typing import Any

from pipeline.checks.catalogue import catalogue
from pipeline.report.figures import OMITTED, ReportInputs, count, rows
from pipeline.report.format import long_date, whole


# Every catalogue of rules whose warnings the appendix explains (add a new catalogue here).
def rule_descriptions() -> dict[str, str]:
    return {rule.id: rule.summary for rule in catalogue()}


def provenance_view(report: ReportInputs) -> dict[str, Any]:
    quality = report.tables.frames.get("data_quality")
    described = rule_descriptions()
    raised = [r for r in rows(quality, "warnings") if r["value"]]
    return {
        "inputs": [{"name": i.name, "rows": whole(i.rows), "sha256": i.sha256} for i in report.inputs],
        "config_digest": report.config_digest,
        "version": report.version,
        "extract_taken": long_date(report.extract_taken) if report.extract_taken else "",
        "warnings": [{"rule": r["group"], "count": count(r), "about": described.get(r["group"], "")} for r in raised],
        "omitted": [OMITTED[name] for name in ("legal", "echo", "toxic_trio") if name not in report.tables.frames],
    }
