"""The data-quality warnings raised, by rule, for the appendix (data_quality.csv's ``warnings``)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.checks.catalogue import catalogue
from pipeline.measures.ids import DataQuality
from pipeline.report.figures import ReportInputs, count, rows


@dataclass(frozen=True)
class RuleWarnings:
    """A rule that raised warnings: its id, what it checks, and how many it raised."""

    rule: str
    about: str
    count: str


@dataclass(frozen=True)
class DataQualityView:
    """The rules that raised warnings in this run (none: the run raised none)."""

    warnings: tuple[RuleWarnings, ...]


# Every catalogue of rules whose warnings the appendix explains (add a new catalogue here).
def rule_descriptions() -> dict[str, str]:
    return {rule.id: rule.summary for rule in catalogue()}


def data_quality_view(report: ReportInputs) -> DataQualityView:
    described = rule_descriptions()
    raised = [r for r in rows(report.tables, DataQuality.WARNINGS) if r["value"]]
    return DataQualityView(tuple(RuleWarnings(r["group"], described.get(r["group"], ""), count(r)) for r in raised))
