"""How each figure is defined, taken from the code that computes it: the source of docs/measures.md.

Every measure is a function named after the measure id it returns (``cla_count``), or after
its table and id where one module computes it again for another table (``trend_cla_count``).
Its docstring is its definition, the module's docstring introduces the table, and the
building blocks and code groups come from ``pipeline.care``, ``pipeline.core.dates`` and
``pipeline.core.codes``. So the guide cannot drift from the code: ``tests/unit/test_definitions.py``
fails when docs/measures.md is not what this module generates, or when a table holds a
measure that is not registered here.

A new table is one line in ``TABLES``: its name (tables/<name>.csv), its module and its
measure ids in report order. Regenerate the guide with ``python -m pipeline.measures.definitions``.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pipeline.care import groups as code_groups
from pipeline.care import looked_after, periods, rates, uasc
from pipeline.core import codes, dates
from pipeline.measures import (
    cohorts,
    comparators,
    costs,
    data_quality,
    discharges,
    echo,
    flows,
    headline,
    legal,
    reconciliation,
    toxic_trio,
    trajectory,
    trend,
)
from pipeline.read.returns import stitch

DOC = Path(__file__).resolve().parents[2] / "docs" / "measures.md"


@dataclass(frozen=True)
class TableSource:
    """One table of the run folder and the module whose functions compute its measures."""

    table: str
    module: ModuleType
    measures: tuple[str, ...]

    def function(self, measure: str) -> Callable[..., Any]:
        """``<table>_<measure>`` when the module has one (a measure reused in another table), else ``<measure>``."""
        for name in (f"{self.table}_{measure}", measure):
            found = getattr(self.module, name, None)
            if inspect.isfunction(found):
                return found
        raise LookupError(f"{self.module.__name__} has no function {measure} (nor {self.table}_{measure})")


TABLES: tuple[TableSource, ...] = (
    TableSource("headline", headline, ("cla_count", "cla_rate_per_10k", "population_0_17", "cla_count_excluding_uasc")),
    TableSource(
        "comparators",
        comparators,
        (
            "comparator_rate_per_10k",
            "comparator_implied_count",
            "comparator_gap",
            "comparator_started_rate_per_10k",
            "comparator_ceased_rate_per_10k",
            "comparator_ceased_pct_of_cla",
            "comparator_implied_started",
            "comparator_implied_ceased",
        ),
    ),
    TableSource("trend", trend, ("cla_count", "cla_rate_per_10k", "started", "ceased", "cla_count_excluding_uasc")),
    TableSource(
        "flows", flows, ("started", "started_rate_per_10k", "ceased", "ceased_rate_per_10k", "ceased_pct_of_cla")
    ),
    TableSource("discharges", discharges, ("care_orders_discharged",)),
    TableSource(
        "legal",
        legal,
        (
            "legal_cases",
            "legal_cases_by_route",
            "legal_planned_by_month",
            "legal_expected_by_horizon",
            "legal_concluded",
        ),
    ),
    TableSource(
        "echo",
        echo,
        (
            "echo_families",
            "echo_children",
            "echo_prevention_outcome",
            "echo_reunification_outcome",
            "echo_sustained_pct",
        ),
    ),
    TableSource(
        "cohorts",
        cohorts,
        (
            "cla_by_legal_status",
            "cla_by_placement",
            "cla_by_age",
            "cla_by_sex",
            "residential_no_foster",
            "lt_matches_made",
            "lt_matched_now",
        ),
    ),
    TableSource("costs", costs, ("estimated_annual_cost", "average_cost_per_child")),
    TableSource("toxic_trio", toxic_trio, ("toxic_trio_families", "toxic_trio_children", "toxic_trio_risk_count")),
    TableSource("trajectory", trajectory, ("net_flow_per_month", "projected_cla_count", "months_to_comparator")),
    TableSource("data_quality", data_quality, ("input_rows", "warnings")),
    TableSource("reconciliation", reconciliation, ("published_count", "own_count", "difference")),
)
TABLE_ORDER = tuple(source.table for source in TABLES)

BUILDING_BLOCKS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("Looked after on a day", looked_after.looked_after_on),
    ("Period of care", periods.periods_of_care),
    ("Started in a period", periods.started_between),
    ("Ceased in a period", periods.ceased_between),
    ("The 12 months to D", dates.twelve_months_to),
    ("Trend days", dates.trend_days),
    ("A year before", dates.minus_years),
    ("Population on a day", rates.with_population),
    ("Comparator rate in force", rates.comparators_in_force),
    ("Rounding", rates.round_half_up),
    ("Placement group", code_groups.placement_group),
    ("Route out of care", code_groups.route),
    ("Unaccompanied asylum-seeking child (UASC) on a day", uasc.uasc_on),
)


def prose(docstring: str | None) -> str:
    """A docstring as one Markdown paragraph: lines joined, ``code`` as `code`, pipes escaped for tables."""
    if not docstring:
        return ""
    text = " ".join(line.strip() for line in docstring.strip().splitlines() if line.strip())
    return re.sub(r"``([^`]+)``", r"`\1`", text).replace("|", "\\|")


def definition(function: Callable[..., Any]) -> str:
    """The function's docstring as prose; a measure without one is a fault in the code, not the doc."""
    text = prose(inspect.getdoc(function))
    if not text:
        raise LookupError(f"{function.__module__}.{function.__qualname__} has no docstring to define it")
    return text


def generate() -> str:
    """The whole of docs/measures.md."""
    lines = [
        "# How each figure is defined",
        "",
        "<!-- Generated by `python -m pipeline.measures.definitions` from the code's own definitions; do not edit."
        " tests/unit/test_definitions.py fails when this file and the code disagree. -->",
        "",
        "Every figure in the report is one row of a table in the run folder's `tables/` (see"
        " [the monthly routine](monthly-routine.md)). A row names its `measure` (the ids below), its `group`"
        " (`all`, or the breakdown), and its period: `period_end` is the day a figure is taken on, or the last"
        " day of the period it counts; `period_start` is empty for a figure taken on one day. **D** is the"
        " run's as-at date (`--as-at`). Each definition below is the docstring of the function that computes"
        " the figure, named in the last column.",
        "",
        "## Building blocks",
        "",
        *_paragraphs(inspect.getdoc(looked_after)),
        "",
        *_paragraphs(inspect.getdoc(periods)),
        "",
        *_paragraphs(inspect.getdoc(rates)),
        "",
        "| term | definition | computed by |",
        "| --- | --- | --- |",
        *(f"| {term} | {definition(function)} | `{_name(function)}` |" for term, function in BUILDING_BLOCKS),
        "",
        *_code_groups(),
        "",
        "## Annual returns stitched into one history",
        "",
        *_paragraphs((inspect.getdoc(stitch) or "").split("\n\n", 1)[-1]),  # its first line is the heading
    ]
    for source in TABLES:
        lines += ["", f"## {source.table}.csv", "", *_paragraphs(inspect.getdoc(source.module)), ""]
        lines += ["| measure | definition | computed by |", "| --- | --- | --- |"]
        lines += [
            f"| `{measure}` | {definition(source.function(measure))} | `{_name(source.function(measure))}` |"
            for measure in source.measures
        ]
    return "\n".join(lines) + "\n"


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _paragraphs(docstring: str | None) -> list[str]:
    """A module docstring as Markdown: its paragraphs, and its ``- `` items as a list."""
    blocks: list[list[str]] = [[]]
    for line in (docstring or "").splitlines():
        text = line.strip()
        if not text:
            blocks.append([])
        elif text.startswith("- ") or not blocks[-1]:
            blocks[-1].append(text)
        else:
            blocks[-1][-1] += f" {text}"
    out: list[str] = []
    for block in filter(None, blocks):
        out += [f"- {prose(item[2:])}" if item.startswith("- ") else prose(item) for item in block] + [""]
    return out[:-1]


def _code_groups() -> list[str]:
    """The SSDA903 code groups, from pipeline.core.codes."""
    fostering = ("in_house_fostering", "agency_fostering")
    providers = ", ".join(codes.IN_HOUSE_PROVIDERS)
    placement = {
        group: ", ".join(place)
        + (
            f" with PLACE_PROVIDER {providers}"
            if group == "in_house_fostering"
            else " with any other or no PLACE_PROVIDER"
            if group in fostering
            else ""
        )
        for group, place in codes.PLACEMENT_GROUPS.items()
    }
    sections = (
        ("Routes out of care (REC of the episode that ended the period of care)", _joined(codes.ROUTES)),
        ("Placement groups (PLACE of the episode open on the day)", placement),
        ("Legal status groups (LS of the episode open on the day)", _joined(codes.LEGAL_GROUPS)),
    )
    lines = ["## Groups of codes", ""]
    for title, groups in sections:
        lines += [f"### {title}", "", "| group | codes |", "| --- | --- |"]
        lines += [f"| `{group}` | {values} |" for group, values in groups.items()]
        lines += ["| `other` | every other code |", ""]
    lines.append(
        f"Agreed series of short breaks (LS {', '.join(codes.SHORT_BREAK_LS)}) are never counted as looked after."
    )
    return lines


def _joined(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {group: ", ".join(values) for group, values in groups.items()}


def main(argv: list[str]) -> int:
    """``python -m pipeline.measures.definitions`` writes docs/measures.md; ``--check`` says whether it is current."""
    text = generate()
    if "--check" in argv:
        current = DOC.is_file() and DOC.read_text(encoding="utf-8") == text
        print(
            f"{DOC.name} is {'up to date' if current else 'out of date: run python -m pipeline.measures.definitions'}"
        )
        return 0 if current else 1
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
