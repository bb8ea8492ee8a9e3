"""Reading the figures of one run's tidy tables for the report: rows in report order, each shown
formatted, as ``c`` when the public edition suppressed it, or as "not available"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from pipeline.core.dates import month_end
from pipeline.core.problems import Problem
from pipeline.measures import tables
from pipeline.measures.ids import Comparators, MeasureId
from pipeline.measures.tables import Tables
from pipeline.read.config import CouncilConfig
from pipeline.read.extracts import InputFile
from pipeline.read.published.load import Published
from pipeline.read.returns.provenance import Provenance
from pipeline.report.format import joined, label, long_date, money, month_year, one_decimal, rate_whole, whole

NOT_AVAILABLE = "not available"

# The sentence a section shows when the optional extract it needs was not supplied (the same as in run.log).
OMITTED = tables.OMITTED


@dataclass(frozen=True)
class ReportInputs:
    tables: Tables
    config: CouncilConfig
    as_at: dt.date
    edition: str
    inputs: tuple[InputFile, ...]
    warnings: tuple[Problem, ...]
    version: str
    config_digest: str
    commentary_html: str | None = None
    published: Published | None = None  # with [published]: the council and neighbours the files describe
    extract_taken: dt.date | None = None  # the day the extract was taken, when it says
    returns: Provenance | None = None  # the annual returns stitched into the history, when there were any


Row = dict[str, Any]


@dataclass(frozen=True)
class Omitted:
    """A section, or a part of one, that this run leaves out, and the sentence saying why ("" for none).

    A view that may be left out returns its own dataclass (``present`` always True) or this, so a
    template asks ``present`` before it reads anything else."""

    omitted: str = ""
    present: Literal[False] = False


@dataclass(frozen=True)
class TableRow:
    """A row of a table of figures (the ``figures`` macro): its label, its figure as shown, and its group."""

    label: str
    value: str
    group: str


def rows(tables: Tables, measure: MeasureId) -> list[Row]:
    """A measure's rows in report order (none when its table is not in the run); internal-edition rows
    get the public edition's flags (False)."""
    frame = tables.frames.get(measure.table())
    if frame is None:
        return []
    selected = frame.filter(pl.col("measure") == measure).sort("order", "period_end", "group")
    return [{"suppressed": False, "denominator_suppressed": False, **r} for r in selected.to_dicts()]


def row(tables: Tables, measure: MeasureId, group: str = "all", period_end: dt.date | None = None) -> Row | None:
    found = [r for r in rows(tables, measure) if r["group"] == group and period_end in (None, r["period_end"])]
    return found[-1] if found else None


def the_row(tables: Tables, measure: MeasureId, group: str = "all", period_end: dt.date | None = None) -> Row:
    """A row its measure always has (the 12-month starters, a total): its absence is a fault in lac-report."""
    found = row(tables, measure, group, period_end)
    if found is None:
        raise LookupError(f"{measure.table()}.csv has no {measure} row for {group}: a fault in lac-report")
    return found


def shown(figure: Row | None, fmt: Callable[[float], str]) -> str:
    """The figure as the report prints it: formatted, ``c`` when suppressed, or 'not available'."""
    if figure is None:
        return NOT_AVAILABLE
    if figure["suppressed"]:
        return "c"
    return NOT_AVAILABLE if figure["value"] is None else fmt(figure["value"])


def count(figure: Row | None) -> str:
    return shown(figure, whole)


def rate(figure: Row | None) -> str:
    return shown(figure, rate_whole)


def percent(figure: Row | None) -> str:
    return shown(figure, lambda v: f"{one_decimal(v)}%")


def pounds(figure: Row | None) -> str:
    return shown(figure, money)


def denominator(figure: Row) -> str:
    if figure["denominator_suppressed"]:
        return "c"
    return NOT_AVAILABLE if figure["denominator"] is None else whole(figure["denominator"])


def clauses(parts: Sequence[tuple[Row | None, str, str]]) -> tuple[list[str], list[str]]:
    """A sentence's clauses about counts, for both editions: each part is (its figure, the clause
    with ``{}`` for the number, ``{children}`` for "1 child" or "2 children", ``{were}`` and ``{have}``
    for its verbs, the phrase naming the figure when it is hidden). The clauses of the figures shown, with
    their numbers; and the phrases of those the public edition hides, so that a sentence is never
    read aloud as "so far c of these children"."""
    shown_clauses = [
        clause.format(number, children=children(number), **_verbs(number))
        for f, clause, _ in parts
        if not (f and f["suppressed"])
        for number in [count(f)]
    ]
    return shown_clauses, [phrase for f, _, phrase in parts if f and f["suppressed"]]


def _verbs(number: str) -> dict[str, str]:
    one = number == "1"
    return {"were": "was" if one else "were", "have": "has" if one else "have"}


def children(number: str) -> str:
    """'1 child', '2 children'."""
    return f"{number} child" if number == "1" else f"{number} children"


def withheld(phrases: Sequence[str], *, of: str = "") -> str:
    """The sentence naming the figures the public edition hides ('' when it hides none): "The numbers
    {of}{phrase 1} and {phrase 2} are not published, ..."."""
    if not phrases:
        return ""
    subject = f"The number {of}{phrases[0]} is" if len(phrases) == 1 else f"The numbers {of}{joined(phrases)} are"
    return f"{subject} not published, to protect children's privacy."


def plotted(figure: Row | None) -> float | None:
    """The value to draw: None (a gap, or a bar labelled c) when suppressed or missing."""
    if figure is None or figure["suppressed"] or figure["value"] is None:
        return None
    return float(figure["value"])


def known(figure: Row | None) -> bool:
    return plotted(figure) is not None


def gaps_note(*series: Sequence[Row]) -> str:
    """Said in a chart's alternative text when some of its figures are suppressed."""
    if any(r["suppressed"] for figures in series for r in figures):
        return " Figures shown as c in the table are not drawn."
    return ""


def table_rows(figures: Sequence[Row], fmt: Callable[[Row | None], str] = count) -> tuple[TableRow, ...]:
    return tuple(TableRow(label(f["group"]), fmt(f), f["group"]) for f in figures)


def period_text(figure: Row) -> str:
    return f"{long_date(figure['period_start'])} to {long_date(figure['period_end'])}"


def month_grid(
    days: Sequence[dt.date], series: dict[str, Sequence[str]], as_at: dt.date
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Monthly figures as a compact table: a row per year (and per series), a column per month.

    A month outside the range is empty; the as-at date, when it is not a month end, takes its
    month's place (the caller's caption says so)."""
    months = tuple(f"{dt.date(2000, m, 1):%b}" for m in range(1, 13))
    several = len(series) > 1
    head = ("Year", *(("Figure",) if several else ()), *months)
    body = []
    for year in sorted({d.year for d in days}):
        for name, values in series.items():
            cells = [""] * 12
            for day, value in zip(days, values, strict=True):
                if day.year == year:
                    cells[day.month - 1] = value
            body.append((str(year), *((name,) if several else ()), *cells))
    return head, tuple(body)


def month_to_date_note(as_at: dt.date) -> str:
    if month_end(as_at) == as_at:
        return ""
    return f" The {month_year(as_at)} figure is for {long_date(as_at)}, the month to date."


def movement(first: Row, last: Row) -> str:
    if not (known(first) and known(last)):
        return "went"
    a, b = plotted(first) or 0, plotted(last) or 0
    return "rose" if b > a else ("fell" if b < a else "was unchanged")


def implied_levels(report: ReportInputs) -> dict[str, float]:
    return {
        r["group"]: float(r["value"])
        for r in rows(report.tables, Comparators.COMPARATOR_IMPLIED_COUNT)
        if r["value"] is not None
    }
