"""The reconciliation in the data-quality appendix: the council's own published figures against
what this extract counts for the same day or year, with a plain sentence for each difference."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.measures.ids import Reconciliation
from pipeline.report.figures import Omitted, ReportInputs, Row, count, known, plotted, rows, shown
from pipeline.report.format import long_date, signed, whole

FIGURES = {
    "cla_31_march": "Looked after on 31 March",
    "started": "Started in the year",
    "ceased": "Ceased in the year",
}
LEFT_OUT = (
    "The reconciliation with the published statistics is left out because council.toml names no published"
    " files ([published])."
)


@dataclass(frozen=True)
class ReconciliationRow:
    """A published figure of the council's, this extract's count of it, and the difference."""

    year: str
    figure: str
    published: str
    own: str
    difference: str


@dataclass(frozen=True)
class ReconciliationView:
    rows: tuple[ReconciliationRow, ...]
    sentences: tuple[str, ...]  # one for each difference, or published figure missing
    agree: str  # how many of the figures agree
    files: tuple[str, ...]  # the published statistics files read
    present: bool = True


def reconciliation_view(report: ReportInputs) -> ReconciliationView | Omitted:
    tables = report.tables
    if not tables.has(Reconciliation):
        return Omitted(LEFT_OUT)
    published, own, difference = (
        {(r["group"], r["period_end"]): r for r in rows(tables, m)}
        for m in (Reconciliation.PUBLISHED_COUNT, Reconciliation.OWN_COUNT, Reconciliation.DIFFERENCE)
    )
    keys = sorted(own, key=lambda k: (-k[1].toordinal(), list(FIGURES).index(k[0])))  # the latest year first
    table: list[ReconciliationRow] = []
    sentences: list[str] = []
    agree = 0
    for key in keys:
        group, day = key
        stated = published[key]
        table.append(
            ReconciliationRow(
                year=f"{day.year}",
                figure=FIGURES[group],
                published=count(stated) if stated["value"] is not None or stated["suppressed"] else "none",
                own=count(own[key]),
                difference=shown(difference[key], signed) if stated["value"] is not None else "",
            )
        )
        said = _sentence(group, day, stated, own[key], difference[key])
        if said:
            sentences.append(said)
        elif known(difference[key]):
            agree += 1
    return ReconciliationView(
        rows=tuple(table),
        sentences=tuple(sentences),
        agree=_agreeing(agree, len(keys)),
        files=tuple(report.config.published.statistics) if report.config.published else (),
    )


def _sentence(group: str, day: dt.date, published: Row, own: Row, difference: Row) -> str:
    """What a difference, or a missing published figure, says; empty when the two agree or are hidden."""
    when = f"on {long_date(day)}" if group == "cla_31_march" else f"in the year to {long_date(day)}"
    what = {
        "cla_31_march": "children looked after",
        "started": "children who started to be looked after",
        "ceased": "children who ceased to be looked after",
    }[group]
    if published["value"] is None and not published["suppressed"]:
        reason = published["note"] or "no figure"
        return f"There is no published figure for the {what} {when} ({reason}): this extract counts {count(own)}."
    if not known(difference) or plotted(difference) == 0:
        return ""
    gap = plotted(difference) or 0
    more = f"{whole(abs(gap))} {'more' if gap > 0 else 'fewer'}"
    return f"This extract counts {count(own)} {what} {when}: {more} than the {count(published)} published."


def _agreeing(agree: int, total: int) -> str:
    if total == 0:
        return "No published year is covered by this extract and report date."
    if agree == total:
        return f"All {total} figures agree."
    return f"The other {agree} figures agree." if agree else ""
