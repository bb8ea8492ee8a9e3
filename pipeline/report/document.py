"""The report as HTML: a view model of preformatted figures (``ReportView``), one view per table (the
modules beside this one, mirroring ``pipeline.measures``), laid out by the Jinja2 templates.

Each view is a frozen dataclass, so mypy checks what a view gives, and
``tests/unit/test_templates.py`` checks that the templates read only the fields the views declare.

Templates only lay out strings that Python has already rounded and formatted; a figure the
public edition suppresses is already "c" here. Sections follow outputs.md "The report". A
section built on an optional extract takes its table when the run has it, and otherwise says
in one sentence which file was missing.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass

import jinja2

from pipeline.report.cohorts import CohortsView, cohorts_view
from pipeline.report.comparators import ComparatorsView, comparators_view
from pipeline.report.costs import CostsView, costs_view
from pipeline.report.data_quality import DataQualityView, data_quality_view
from pipeline.report.discharges import DischargesView, discharges_view
from pipeline.report.echo import EchoView, echo_view
from pipeline.report.figures import Omitted, ReportInputs
from pipeline.report.flows import FlowsView, flows_view
from pipeline.report.format import long_date, month_year, whole
from pipeline.report.headline import HeadlineView, headline_view
from pipeline.report.legal import LegalView, legal_view
from pipeline.report.paths import STATIC, TEMPLATES
from pipeline.report.provenance import ProvenanceView, provenance_view
from pipeline.report.reconciliation import ReconciliationView, reconciliation_view
from pipeline.report.toxic_trio import ToxicTrioView, toxic_trio_view
from pipeline.report.trajectory import TrajectoryView, trajectory_view
from pipeline.report.trend import TrendView, trend_view

TITLE = "Looked after children reduction update"


def glossary() -> tuple[tuple[str, str], ...]:
    """Terms and definitions from templates/glossary.toml, sorted by term."""
    entries = tomllib.loads((TEMPLATES / "glossary.toml").read_text(encoding="utf-8"))["term"]
    return tuple(sorted(((e["term"], e["definition"]) for e in entries), key=lambda e: e[0].lower()))


@dataclass(frozen=True)
class ReportView:
    """Everything the templates lay out: each field is a template variable, each view a table's section."""

    title: str
    council: str
    synthetic: bool
    as_at: str
    month: str
    edition: str
    below_threshold: str  # the largest number the public edition hides
    headline: HeadlineView
    comparators: ComparatorsView
    trend: TrendView
    trajectory: TrajectoryView | Omitted
    flows: FlowsView
    discharges: DischargesView
    legal: LegalView | Omitted
    echo: EchoView | Omitted
    toxic_trio: ToxicTrioView | Omitted
    cohorts: CohortsView
    costs: CostsView | Omitted
    provenance: ProvenanceView
    data_quality: DataQualityView
    reconciliation: ReconciliationView | Omitted
    glossary: tuple[tuple[str, str], ...]
    commentary_html: str | None


def view_model(report: ReportInputs) -> ReportView:
    council = report.config.council
    return ReportView(
        title=TITLE,
        council=council.name,
        synthetic=council.synthetic,
        as_at=long_date(report.as_at),
        month=month_year(report.as_at),
        edition=report.edition,
        below_threshold=whole(report.config.disclosure.threshold - 1),
        headline=headline_view(report),
        comparators=comparators_view(report),
        trend=trend_view(report),
        trajectory=trajectory_view(report),
        flows=flows_view(report),
        discharges=discharges_view(report),
        legal=legal_view(report),
        echo=echo_view(report),
        toxic_trio=toxic_trio_view(report),
        cohorts=cohorts_view(report),
        costs=costs_view(report),
        provenance=provenance_view(report),
        data_quality=data_quality_view(report),
        reconciliation=reconciliation_view(report),
        glossary=glossary(),
        commentary_html=report.commentary_html,
    )


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
    view = view_model(report)
    fields = {field.name: getattr(view, field.name) for field in dataclasses.fields(view)}  # one level: views stay
    return env.get_template("report.html.j2").render(css=css, **fields)
