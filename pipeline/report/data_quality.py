"""The data-quality and provenance appendix: the files read, the config, the warnings raised, and
for a folder of annual returns what each return gave to the stitched history."""

from __future__ import annotations

from typing import Any

from pipeline.checks.catalogue import catalogue
from pipeline.read.returns.provenance import Provenance
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
        "returns": returns_view(report.returns),
    }


def returns_view(provenance: Provenance | None) -> dict[str, Any]:
    """Each source stitched into the history: its year, format and what became of its rows."""
    if provenance is None:
        return {"present": False}
    sources = provenance.sources
    others = sorted({table.replace("_", " ") for s in sources for table, _ in s.other_tables})
    return {
        "present": True,
        "summary": (
            f"The extracts folder held {provenance.summary()}, stitched into one history up to"
            f" {long_date(provenance.taken)}, {provenance.until}. Each source is the truth for its own collection"
            " year, a newer one over an older one: what a newer one replaced, dropped or closed is counted below,"
            " and each disagreement is a warning."
            + (" An XML return's episodes are its EPISODE elements." if any(s.format == "xml" for s in sources) else "")
        ),
        "rows": [
            {
                "year": s.year_label,
                "source": s.label,
                "current": s.current,
                "episodes": whole(s.episode_rows),
                "kept": whole(s.counts.episodes_kept),
                "replaced": whole(s.counts.replaced),
                "dropped": whole(s.counts.dropped),
                "changed": whole(s.counts.closed + s.counts.trimmed + s.counts.rejoined),
            }
            for s in sources
        ],
        "others": (
            f"The returns also hold SSDA903 tables the report does not use: {', '.join(others)}." if others else ""
        ),
    }
