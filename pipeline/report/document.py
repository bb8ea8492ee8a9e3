"""The report as HTML: a view model of preformatted figures, one view per section (the modules
beside this one, mirroring ``pipeline.measures``), laid out by the Jinja2 templates.

Templates only lay out strings that Python has already rounded and formatted; a figure the
public edition suppresses is already "c" here. Sections follow outputs.md "The report". A
section built on an optional extract takes its table when the run has it, and otherwise says
in one sentence which file was missing.
"""

from __future__ import annotations

import tomllib
from typing import Any

import jinja2

from pipeline.report.cohorts import cohorts_view
from pipeline.report.comparators import comparators_view
from pipeline.report.costs import costs_view
from pipeline.report.data_quality import provenance_view
from pipeline.report.discharges import discharges_view
from pipeline.report.echo import echo_view
from pipeline.report.figures import ReportInputs
from pipeline.report.flows import flows_view
from pipeline.report.format import long_date, month_year, whole
from pipeline.report.headline import headline_view
from pipeline.report.legal import legal_view
from pipeline.report.paths import STATIC, TEMPLATES
from pipeline.report.reconciliation import reconciliation_view
from pipeline.report.trend import trend_view

TITLE = "Looked after children reduction update"


def glossary() -> list[tuple[str, str]]:
    """Terms and definitions from templates/glossary.toml, sorted by term."""
    entries = tomllib.loads((TEMPLATES / "glossary.toml").read_text(encoding="utf-8"))["term"]
    return sorted(((e["term"], e["definition"]) for e in entries), key=lambda e: e[0].lower())


def view_model(report: ReportInputs) -> dict[str, Any]:
    council = report.config.council
    return {
        "title": TITLE,
        "council": council.name,
        "synthetic": council.synthetic,
        "as_at": long_date(report.as_at),
        "month": month_year(report.as_at),
        "edition": report.edition,
        "threshold": whole(report.config.disclosure.threshold),
        "below_threshold": whole(report.config.disclosure.threshold - 1),
        "headline": headline_view(report),
        "comparators": comparators_view(report),
        "trend": trend_view(report),
        "flows": flows_view(report),
        "discharges": discharges_view(report),
        "legal": legal_view(report),
        "echo": echo_view(report),
        "cohorts": cohorts_view(report),
        "costs": costs_view(report),
        "provenance": provenance_view(report),
        "reconciliation": reconciliation_view(report),
        "glossary": glossary(),
        "commentary_html": report.commentary_html,
    }


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Numbering:
    """The tables and figures numbered in the order the document shows them.

    The numbers are written into the HTML rather than drawn by CSS counters: a screen reader reads
    a caption's generated content inconsistently (a chart's table was named "Figures in figure :").
    """

    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0

    def table(self) -> str:
        self.tables += 1
        return f"Table {self.tables}: "

    def figure(self) -> str:
        self.figures += 1
        return f"Figure {self.figures}: "

    def figure_data(self) -> str:
        """The label of the table of figures drawn in the figure just numbered."""
        return f"Figures in figure {self.figures}: "


def render_html(report: ReportInputs) -> str:
    """The report as one self-contained HTML file (styles inline, charts as data URIs)."""
    css = (STATIC / "report.css").read_text(encoding="utf-8")
    env = environment()
    env.globals["number"] = Numbering()  # one count per document
    return env.get_template("report.html.j2").render(css=css, **view_model(report))
