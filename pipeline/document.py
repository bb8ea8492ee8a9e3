"""The report: a view model of preformatted figures, a Jinja2 template, WeasyPrint for the PDF.

Templates only lay out strings that Python has already rounded and formatted (GOV.UK
style: "1,234", "2 November 2020"). WeasyPrint fetches nothing but the project's own
static files, and the PDF's dates come from the as-at date, so the same inputs give the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import polars as pl
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pipeline import charts, codes
from pipeline.care import minus_years
from pipeline.config import CouncilConfig
from pipeline.extracts import InputFile
from pipeline.problems import Problem
from pipeline.tables import Tables

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = TEMPLATES / "static"
TITLE = "Looked after children reduction update"

LABELS = {
    "all": "All",
    "adoption": "Adoption",
    "sgo": "Special guardianship order",
    "reunification": "Reunification (returned home)",
    "cao": "Child arrangements order",
    "independence": "Independent living or staying put",
    "other": "Other reasons",
    "kinship_fostering": "Kinship fostering",
    "in_house_fostering": "In-house fostering",
    "agency_fostering": "Agency fostering",
    "residential": "Residential",
    "placed_with_parents": "Placed with parents",
    "placed_for_adoption": "Placed for adoption",
    "supported_or_independent": "Supported or independent living",
}


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


# ---- formatting -----------------------------------------------------------------------------


def whole(value: float | int) -> str:
    """A whole number with thousands separators: 1,234."""
    return f"{round(value):,}"


def one_decimal(value: float) -> str:
    return f"{value:,.1f}"


def long_date(day: dt.date) -> str:
    """GOV.UK style: 2 November 2020."""
    return f"{day.day} {day:%B %Y}"


def signed(value: float | int) -> str:
    return f"+{whole(value)}" if value > 0 else ("0" if value == 0 else f"\u2212{whole(-value)}")


def charts_text(text: str) -> str:
    """Config text as a chart label: matplotlib would read $...$ as mathematics, so dollars are escaped."""
    return text.replace("$", r"\$")


def rate_whole(rate: float) -> str:
    """Rates in the report are whole numbers, rounded half up (93.1 -> 93)."""
    return whole(int(rate + 0.5))


# ---- the view model ---------------------------------------------------------------------------


def _rows(frame: pl.DataFrame, measure: str) -> list[dict[str, Any]]:
    return frame.filter(pl.col("measure") == measure).sort("order", "period_end").to_dicts()


def headline_view(report: ReportInputs) -> dict[str, Any]:
    t, day = report.tables, report.as_at
    year_ago = minus_years(day, 1)
    now = t.value("headline", "cla_count", period_end=day)
    before = t.value("headline", "cla_count", period_end=year_ago)
    change = now - before
    direction = "down" if change < 0 else ("up" if change > 0 else "unchanged")
    return {
        "count": whole(now),
        "rate": rate_whole(t.value("headline", "cla_rate_per_10k", period_end=day)),
        "year_ago_count": whole(before),
        "year_ago_rate": rate_whole(t.value("headline", "cla_rate_per_10k", period_end=year_ago)),
        "year_ago_date": long_date(year_ago),
        "change": f"{direction} {whole(abs(change))}" if change else "unchanged",
        "change_pct": f"{abs(change) / before * 100:.1f}%" if before else "",
        "population": whole(t.value("headline", "population_0_17")),
    }


def comparators_view(report: ReportInputs) -> list[dict[str, str]]:
    frame = report.tables["comparators"]
    rates = _rows(frame, "comparator_rate_per_10k")
    implied = {r["group"]: r for r in _rows(frame, "comparator_implied_count")}
    gaps = {r["group"]: r for r in _rows(frame, "comparator_gap")}
    return [
        {
            "group": r["group"],
            "rate": f"{r['value']:.2f}",
            "implied": whole(implied[r["group"]]["value"]),
            "gap": signed(gaps[r["group"]]["value"]),
            "source": r["note"] or "",
        }
        for r in rates
    ]


def trend_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables["trend"]
    totals = _rows(frame, "cla_count")
    all_rows = [r for r in totals if r["group"] == "all"]
    days = [r["period_end"] for r in all_rows]
    kinship = [r["value"] for r in totals if r["group"] == "kinship_fostering"]
    started = [r["value"] for r in _rows(frame, "started")]
    ceased = [r["value"] for r in _rows(frame, "ceased")]
    implied = {r["group"]: r["value"] for r in _rows(report.tables["comparators"], "comparator_implied_count")}
    chart = charts.line_chart(
        days,
        {"Children looked after": [r["value"] for r in all_rows]},
        references={f"At the {charts_text(g)} rate": v for g, v in implied.items()},
        ylabel="Children",
    )
    first, last = all_rows[0], all_rows[-1]
    alt = (
        f"Line chart of the number of children looked after at each month end from {long_date(first['period_end'])}"
        f" ({whole(first['value'])}) to {long_date(last['period_end'])} ({whole(last['value'])}), with dashed lines"
        " at the numbers the council would have at each comparator's rate: "
        + "; ".join(f"{g} {whole(v)}" for g, v in implied.items())
        + ". The figures are in the table that follows."
    )
    rows = tuple(
        (
            f"{d:%b %Y}" if d != report.as_at or d.day != 1 else long_date(d),
            whole(a["value"]),
            whole(k),
            whole(s),
            whole(c),
        )
        for d, a, k, s, c in zip(days, all_rows, kinship, started, ceased, strict=True)
    )
    return {
        "chart": charts.Chart(
            "Children looked after at each month end",
            chart,
            alt,
            ("Month end", "Looked after", "Kinship fostering", "Started in month", "Ceased in month"),
            rows,
        )
    }


def flows_view(report: ReportInputs) -> dict[str, Any]:
    frame = report.tables["flows"]
    started = _rows(frame, "started")[0]
    ceased = _rows(frame, "ceased")
    pct = _rows(frame, "ceased_pct_of_cla")[0]
    return {
        "period": f"{long_date(started['period_start'])} to {long_date(started['period_end'])}",
        "started": whole(started["value"]),
        "started_rate": rate_whole(_rows(frame, "started_rate_per_10k")[0]["value"]),
        "ceased": [{"label": LABELS[r["group"]], "value": whole(r["value"])} for r in ceased],
        "ceased_pct": one_decimal(pct["value"]) if pct["value"] is not None else "not available",
    }


def discharges_view(report: ReportInputs) -> dict[str, Any]:
    rows = _rows(report.tables["discharges"], "care_orders_discharged")
    by_route = [r for r in rows if r["group"] != "all"]
    chart = charts.bar_chart(
        [LABELS[r["group"]] for r in by_route],
        {"Care orders discharged": [r["value"] for r in by_route]},
        ylabel="Children",
        horizontal=True,
    )
    total = next(r for r in rows if r["group"] == "all")
    alt = (
        f"Bar chart of the {whole(total['value'])} care orders discharged in the 12 months: "
        + "; ".join(f"{LABELS[r['group']]} {whole(r['value'])}" for r in by_route)
        + "."
    )
    return {
        "period": f"{long_date(total['period_start'])} to {long_date(total['period_end'])}",
        "total": whole(total["value"]),
        "rows": [{"label": LABELS[r["group"]], "value": whole(r["value"])} for r in rows],
        "chart": charts.Chart(
            "Care orders discharged by route",
            chart,
            alt,
            ("Route", "Children"),
            tuple((LABELS[r["group"]], whole(r["value"])) for r in by_route),
        ),
    }


def provenance_view(report: ReportInputs) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for warning in report.warnings:
        counts[warning.rule] = counts.get(warning.rule, 0) + 1
    return {
        "inputs": [{"name": i.name, "rows": whole(i.rows), "sha256": i.sha256} for i in report.inputs],
        "config_digest": report.config_digest,
        "version": report.version,
        "warnings": [{"rule": rule, "count": whole(n)} for rule, n in sorted(counts.items())],
    }


def glossary() -> list[tuple[str, str]]:
    """Terms and definitions from templates/glossary.toml, sorted by term."""
    entries = tomllib.loads((TEMPLATES / "glossary.toml").read_text(encoding="utf-8"))["term"]
    return sorted((e["term"], e["definition"]) for e in entries)


def view_model(report: ReportInputs) -> dict[str, Any]:
    council = report.config.council
    return {
        "title": TITLE,
        "council": council.name,
        "synthetic": council.synthetic,
        "as_at": long_date(report.as_at),
        "as_at_iso": report.as_at.isoformat(),
        "edition": report.edition,
        "headline": headline_view(report),
        "comparators": comparators_view(report),
        "trend": trend_view(report),
        "flows": flows_view(report),
        "discharges": discharges_view(report),
        "provenance": provenance_view(report),
        "glossary": glossary(),
        "commentary_html": report.commentary_html,
        "route_labels": LABELS,
        "placement_order": codes.PLACEMENT_ORDER,
    }


# ---- rendering ----------------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: ReportInputs) -> str:
    """The report as one self-contained HTML file (styles inline, charts as data URIs)."""
    css = (STATIC / "report.css").read_text(encoding="utf-8")
    return environment().get_template("report.html.j2").render(css=css, **view_model(report))


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves ``data:`` URLs and files under templates/static; anything else stops the render."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(STATIC) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        raise FatalURLFetchingError(f"refused to fetch a resource outside the report's static files: {parts.scheme}:")


# WeasyPrint's notice that the system lacks libharfbuzz-subset: fonts are subset by fontTools instead.
HARMLESS_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(HARMLESS_WARNINGS):
            self.messages.append(message)


class RenderError(Exception):
    """WeasyPrint warned about the document (a missing resource, bad CSS): the PDF is not trusted."""


def render_pdf(html: str, as_at: dt.date) -> bytes:
    """A tagged PDF (PDF/UA-1) of ``html``; dates from the as-at date; any WeasyPrint warning is fatal."""
    stamp = f"{as_at.isoformat()}T00:00:00Z"
    html = html.replace(
        "<!--pdf-dates-->",
        f'<meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">',
    )
    fetcher = StaticOnlyFetcher(allowed_protocols={"data", "file"})
    # fontTools stamps subset fonts with the time unless SOURCE_DATE_EPOCH says otherwise.
    epoch = int(dt.datetime(as_at.year, as_at.month, as_at.day, tzinfo=dt.UTC).timestamp())
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
        print_css = CSS(filename=str(STATIC / "print.css"), url_fetcher=fetcher)
        pdf = document.write_pdf(stylesheets=[print_css], pdf_variant="pdf/ua-1", pdf_identifier=True)
    finally:
        logger.removeHandler(collector)
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
    if collector.messages:
        raise RenderError("; ".join(collector.messages[:5]))
    assert isinstance(pdf, bytes)
    return pdf
