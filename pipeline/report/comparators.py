"""The comparison page: the number the council would have at each comparator's rate, and its
starters and leavers against theirs (the ECHo bid's argument: how many more would cease in line
with the neighbours), with what the published files say of a missing figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.care.rates import comparators_in_force
from pipeline.core.dates import twelve_months_to
from pipeline.measures.comparators import FIGURES
from pipeline.report.figures import (
    NOT_AVAILABLE,
    ReportInputs,
    Row,
    count,
    denominator,
    known,
    percent,
    plotted,
    row,
    rows,
    shown,
)
from pipeline.report.format import joined, long_date, one_decimal, signed, whole

NAMES = dict(FIGURES.values())  # a comparator figure's name, by its council.toml key


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
    return {"rows": table, "message": message, "flows": flows_comparison(report), **_about(report)}


def flows_comparison(report: ReportInputs) -> dict[str, Any]:
    """Our starters and leavers in the 12 months to D against each comparator's, when any has the figures."""
    frame, flows = report.tables["comparators"], report.tables["flows"]
    by_group = {
        measure: {r["group"]: r for r in rows(frame, measure)}
        for measure in (
            "comparator_started_rate_per_10k", "comparator_implied_started", "comparator_ceased_rate_per_10k",
            "comparator_ceased_pct_of_cla", "comparator_implied_ceased",
        )
    }  # fmt: skip
    groups = list(dict.fromkeys(g for figures in by_group.values() for g in figures))
    if not groups:
        return {"present": False}
    started, ceased, pct = row(flows, "started"), row(flows, "ceased"), row(flows, "ceased_pct_of_cla")
    ours = {
        "group": report.config.council.name,
        "started_rate": shown(row(flows, "started_rate_per_10k"), one_decimal),
        "started": count(started),
        "ceased_rate": shown(row(flows, "ceased_rate_per_10k"), one_decimal),
        "ceased_pct": percent(pct),
        "ceased": count(ceased),
    }
    table = [
        {
            "group": group,
            "started_rate": shown(by_group["comparator_started_rate_per_10k"].get(group), one_decimal),
            "started": count(by_group["comparator_implied_started"].get(group)),
            "ceased_rate": shown(by_group["comparator_ceased_rate_per_10k"].get(group), one_decimal),
            "ceased_pct": percent(by_group["comparator_ceased_pct_of_cla"].get(group)),
            "ceased": count(by_group["comparator_implied_ceased"].get(group)),
        }
        for group in groups
    ]
    before = twelve_months_to(report.as_at)[0] - dt.timedelta(days=1)
    return {
        "present": True,
        "ours": ours,
        "rows": table,
        "ceased_share": _ceased_share(pct, long_date(before)),
        "leavers": _leavers(by_group["comparator_ceased_pct_of_cla"], by_group["comparator_implied_ceased"], ceased),
    }


def _ceased_share(pct: Row | None, before: str) -> str:
    """'Those who ceased were 9.1% of the 340 children looked after on …', or that it is not published."""
    if pct is not None and (pct["suppressed"] or pct["denominator_suppressed"]):
        return (
            f"The percentage of the children looked after on {before} who ceased is not published,"
            " to protect children's privacy."
        )
    base = f"the {denominator(pct) if pct else NOT_AVAILABLE} children looked after on {before}"
    return f"Those who ceased were {percent(pct)} of {base}."


def _leavers(pcts: dict[str, Row], implied: dict[str, Row], ceased: Row | None) -> list[str]:
    """One sentence per comparator: how many would have ceased at its percentage, and how many more that is."""
    if not known(ceased):
        return []
    actual = plotted(ceased) or 0
    sentences = []
    for group, figure in implied.items():
        if not known(figure):
            continue
        more = (plotted(figure) or 0) - actual
        difference = "as many as did" if more == 0 else f"{whole(abs(more))} {'more' if more > 0 else 'fewer'}"
        at = f"{group} ({percent(pcts.get(group))})"
        sentences.append(f"In line with {at}, {count(figure)} would have ceased: {difference}.")
    return sentences


def _about(report: ReportInputs) -> dict[str, Any]:
    """The year each comparator is for, what is said of a missing figure or a partial mean, and the neighbours."""
    in_force = comparators_in_force(report.config, report.as_at)
    notes = [f"{c.group}, {c.date.year}, {name}: {c.notes[key]}." for c in in_force for key, name in NAMES.items()
             if key in c.notes]  # fmt: skip
    neighbours = []
    if report.published is not None:
        named = report.published.neighbours.select("neighbour_name", "closeness").iter_rows()
        neighbours = [f"{name} ({closeness.lower()})" if closeness else name for name, closeness in named]
    years = sorted({c.date for c in in_force})
    return {
        "notes": notes,
        "neighbours": joined(neighbours) if neighbours else "",
        "in_force": joined([f"the year to {long_date(day)}" for day in years]) if years else "",
    }
