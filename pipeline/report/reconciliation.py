"""The reconciliation in the data-quality appendix: the council's own published figures against
what this extract counts for the same day or year, with a plain sentence for each difference."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.report.figures import ReportInputs, Row, count, known, plotted, rows, shown
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


def reconciliation_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables.frames.get("reconciliation")
    if frame is None:
        return {"present": False, "omitted": LEFT_OUT}
    published, own, difference = (
        {(r["group"], r["period_end"]): r for r in rows(frame, m)}
        for m in ("published_count", "own_count", "difference")
    )
    keys = sorted(own, key=lambda k: (-k[1].toordinal(), list(FIGURES).index(k[0])))  # the latest year first
    table, sentences, agree = [], [], 0
    for key in keys:
        group, day = key
        stated = published[key]
        table.append(
            {
                "year": f"{day.year}",
                "figure": FIGURES[group],
                "published": count(stated) if stated["value"] is not None or stated["suppressed"] else "none",
                "own": count(own[key]),
                "difference": shown(difference[key], signed) if stated["value"] is not None else "",
            }
        )
        said = _sentence(group, day, stated, own[key], difference[key])
        if said:
            sentences.append(said)
        elif known(difference[key]):
            agree += 1
    return {
        "present": True,
        "rows": table,
        "sentences": sentences,
        "agree": _agreeing(agree, len(keys)),
        "files": list(report.config.published.statistics) if report.config.published else [],
    }


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
