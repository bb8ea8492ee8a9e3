"""The comparison page: the number the council would have at each comparator's rate, and its
starters and leavers against theirs (the ECHo bid's argument: how many more would cease in line
with the neighbours), with what the published files say of a missing figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.care.rates import comparators_in_force
from pipeline.core.dates import twelve_months_to
from pipeline.measures.comparators import FIGURES
from pipeline.measures.ids import Comparators, Flows
from pipeline.report.figures import (
    NOT_AVAILABLE,
    Omitted,
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


@dataclass(frozen=True)
class ComparatorRow:
    """A comparator's rate, the number the council would have at it, and the difference from ours."""

    group: str
    rate: str
    implied: str
    gap: str
    source: str


@dataclass(frozen=True)
class FlowsRow:
    """Starters and leavers, as rates and numbers: the council's own, or at a comparator's rates."""

    group: str
    started_rate: str
    started: str
    ceased_rate: str
    ceased_pct: str
    ceased: str


@dataclass(frozen=True)
class FlowsComparison:
    """The council's starters and leavers in the 12 months to D against each comparator's."""

    ours: FlowsRow
    rows: tuple[FlowsRow, ...]
    ceased_share: str
    leavers: tuple[str, ...]  # a sentence per comparator
    present: bool = True


@dataclass(frozen=True)
class ComparatorsView:
    """How we compare: the table of comparators, what it says, and where the figures come from."""

    rows: tuple[ComparatorRow, ...]
    message: str
    flows: FlowsComparison | Omitted
    notes: tuple[str, ...]  # what the published files say of a missing figure or a partial mean
    neighbours: str
    in_force: str  # the years the comparator figures are for


def comparators_view(report: ReportInputs) -> ComparatorsView:
    tables = report.tables
    implied = {r["group"]: r for r in rows(tables, Comparators.COMPARATOR_IMPLIED_COUNT)}
    gaps = {r["group"]: r for r in rows(tables, Comparators.COMPARATOR_GAP)}
    table = tuple(
        ComparatorRow(
            group=r["group"],
            rate=shown(r, one_decimal),
            implied=count(implied.get(r["group"])),
            gap=shown(gaps.get(r["group"]), signed),
            source=r["note"] or "",
        )
        for r in rows(tables, Comparators.COMPARATOR_RATE_PER_10K)
    )
    above = [g for g, r in gaps.items() if known(r) and (plotted(r) or 0) > 0]
    below = [g for g, r in gaps.items() if known(r) and (plotted(r) or 0) < 0]
    message = ""
    if above and not below:
        message = f"The number looked after is above the number at the {joined(above)} rates."
    elif below and not above:
        message = f"The number looked after is below the number at the {joined(below)} rates."
    elif above and below:
        message = f"The number looked after is above the number at the {joined(above)} rates and below {joined(below)}."
    about = _about(report)
    return ComparatorsView(table, message, flows_comparison(report), *about)


def flows_comparison(report: ReportInputs) -> FlowsComparison | Omitted:
    """Our starters and leavers in the 12 months to D against each comparator's, when any has the figures."""
    tables = report.tables
    by_group = {
        measure: {r["group"]: r for r in rows(tables, measure)}
        for measure in (
            Comparators.COMPARATOR_STARTED_RATE_PER_10K, Comparators.COMPARATOR_IMPLIED_STARTED,
            Comparators.COMPARATOR_CEASED_RATE_PER_10K, Comparators.COMPARATOR_CEASED_PCT_OF_CLA,
            Comparators.COMPARATOR_IMPLIED_CEASED,
        )
    }  # fmt: skip
    groups = list(dict.fromkeys(g for figures in by_group.values() for g in figures))
    if not groups:
        return Omitted()
    started, ceased = row(tables, Flows.STARTED), row(tables, Flows.CEASED)
    pct = row(tables, Flows.CEASED_PCT_OF_CLA)
    ours = FlowsRow(
        group=report.config.council.name,
        started_rate=shown(row(tables, Flows.STARTED_RATE_PER_10K), one_decimal),
        started=count(started),
        ceased_rate=shown(row(tables, Flows.CEASED_RATE_PER_10K), one_decimal),
        ceased_pct=percent(pct),
        ceased=count(ceased),
    )
    table = tuple(
        FlowsRow(
            group=group,
            started_rate=shown(by_group[Comparators.COMPARATOR_STARTED_RATE_PER_10K].get(group), one_decimal),
            started=count(by_group[Comparators.COMPARATOR_IMPLIED_STARTED].get(group)),
            ceased_rate=shown(by_group[Comparators.COMPARATOR_CEASED_RATE_PER_10K].get(group), one_decimal),
            ceased_pct=percent(by_group[Comparators.COMPARATOR_CEASED_PCT_OF_CLA].get(group)),
            ceased=count(by_group[Comparators.COMPARATOR_IMPLIED_CEASED].get(group)),
        )
        for group in groups
    )
    before = twelve_months_to(report.as_at)[0] - dt.timedelta(days=1)
    leavers = _leavers(
        by_group[Comparators.COMPARATOR_CEASED_PCT_OF_CLA], by_group[Comparators.COMPARATOR_IMPLIED_CEASED], ceased
    )
    return FlowsComparison(ours, table, _ceased_share(pct, long_date(before)), tuple(leavers))


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


def _about(report: ReportInputs) -> tuple[tuple[str, ...], str, str]:
    """The year each comparator is for, what is said of a missing figure or a partial mean, and the neighbours."""
    in_force = comparators_in_force(report.config, report.as_at)
    notes = [f"{c.group}, {c.date.year}, {name}: {c.notes[key]}." for c in in_force for key, name in NAMES.items()
             if key in c.notes]  # fmt: skip
    neighbours = []
    if report.published is not None:
        named = report.published.neighbours.select("neighbour_name", "closeness").iter_rows()
        neighbours = [f"{name} ({closeness.lower()})" if closeness else name for name, closeness in named]
    years = sorted({c.date for c in in_force})
    return (
        tuple(notes),
        joined(neighbours) if neighbours else "",
        joined([f"the year to {long_date(day)}" for day in years]) if years else "",
    )
