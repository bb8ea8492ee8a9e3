"""The report's view model and HTML: GOV.UK formatting, every section, the public edition, safety."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from html import unescape
from pathlib import Path

import jinja2
import polars as pl
import pytest
from weasyprint.urls import FatalURLFetchingError

from pipeline.measures.tables import Tables, build_tables
from pipeline.measures.tidy import single
from pipeline.report.cohorts import cohorts_view
from pipeline.report.comparators import comparators_view
from pipeline.report.costs import CostRow, CostTotal, costs_view
from pipeline.report.data_quality import RuleWarnings, data_quality_view
from pipeline.report.discharges import discharges_view
from pipeline.report.document import environment, glossary, render_html
from pipeline.report.echo import Sustained, echo_view
from pipeline.report.figures import Omitted, ReportInputs, TableRow, month_grid
from pipeline.report.flows import flows_view
from pipeline.report.format import joined, long_date, money, month_year, one_decimal, rate_whole, signed, whole
from pipeline.report.headline import headline_view, looked_after_on
from pipeline.report.legal import PlannedMonth, legal_view
from pipeline.report.paths import STATIC, TEMPLATES
from pipeline.report.pdf import StaticOnlyFetcher
from pipeline.report.provenance import provenance_view
from pipeline.report.suppression import suppress
from pipeline.report.toxic_trio import Level, toxic_trio_view
from pipeline.report.trajectory import TimeToReach, trajectory_view
from pipeline.report.trend import trend_view
from tests.builders import COUNCIL_TOML, child, council, episode, load, write_extract
from tests.unit.test_suppression import groups

D = dt.date(2020, 10, 31)
YEAR_START = dt.date(2019, 11, 1)
HEADER = [child("0001", "1", "01/02/2008"), child("0002", "2", "05/05/2012"), child("0003", "1", "07/07/2015")]
EPISODES = [
    episode("0001", "01/01/2015", ls="C1", place="U1", dec="01/06/2015", rec="X1"),
    episode("0001", "01/06/2015", rne="L", ls="C2", place="U1", dec="15/03/2020", rec="E45"),
    episode("0002", "01/11/2019", ls="V2", place="U4", provider="PR4"),
    episode("0003", "10/10/2018", place="K2", provider="PR4", dec="31/10/2019", rec="E4A"),
]


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> ReportInputs:
    """The three children of tests/e2e: one looked after on D (0002), one a year before (0001)."""
    extracts = load(write_extract(tmp_path_factory.mktemp("extracts"), HEADER, EPISODES))
    config = council()
    return ReportInputs(
        tables=build_tables(extracts, config, D),
        config=config,
        as_at=D,
        edition="internal",
        inputs=extracts.inputs,
        warnings=extracts.warnings,
        version="9.9.9",
        config_digest="ab" * 32,
    )


def optional_tables() -> dict[str, pl.DataFrame]:
    """The tables built from the optional extracts (and cohorts, costs, trajectory), by hand."""
    legal = pl.concat(
        [
            groups("legal_cases", [("planned", 16), ("with_legal", 3), ("in_proceedings", 17)]),
            groups("legal_cases_by_route", [("sgo", 20), ("reunification", 14), ("cao", 2)]),
            groups("legal_planned_by_month", [("2020-09", 2)], period_end=dt.date(2020, 9, 30)),
            groups("legal_planned_by_month", [("2020-12", 12)], period_end=dt.date(2020, 12, 31)),
            groups("legal_planned_by_month", [("2021-03", 2)], period_end=dt.date(2021, 3, 31)),
            single("legal_expected_by_horizon", 14, period_end=dt.date(2020, 12, 31), unit="count"),
            groups("legal_concluded", [("granted", 30), ("refused", 1), ("withdrawn", 2)], period_start=YEAR_START),
        ]
    )
    echo = pl.concat(
        [
            groups("echo_families", [("prevention", 14), ("reunification", 14)], period_start=dt.date(2020, 4, 1)),
            groups("echo_children", [("prevention", 14), ("reunification", 24)], period_start=dt.date(2020, 4, 1)),
            groups(
                "echo_prevention_outcome",
                [("not_entered_care", 12), ("entered_care_during", 1), ("entered_care_after", 1)],
            ),
            groups(
                "echo_reunification_outcome",
                [("returned_home", 19), ("remain_in_care", 3), ("return_planned", 2), ("open", 0)],
            ),
            groups("echo_sustained_pct", [("6m", 92.3), ("12m", None)], unit="percent", denominators=[13, 0]),
        ]
    )
    toxic_trio = pl.concat(
        [
            groups("toxic_trio_families", [("all", 12), ("cin", 8), ("cp", 5)], period_start=YEAR_START),
            groups("toxic_trio_children", [("all", 21), ("cin", 13), ("cp", 8)], period_start=YEAR_START),
            groups("toxic_trio_risk_count", [("1", 15), ("2", 5), ("3", 1)], period_start=YEAR_START),
        ]
    )
    cohorts = pl.concat(
        [
            groups("cla_by_legal_status", [("care_order", 0), ("section_20", 1)]),
            groups("cla_by_placement", [("agency_fostering", 1), ("residential", 0)]),
            groups("cla_by_age", [("5_to_9", 1)]),
            groups("cla_by_sex", [("male", 0), ("female", 1)]),
            single("residential_no_foster", 0, period_end=D, unit="count", denominator=0),
            single("lt_matches_made", 38, period_start=YEAR_START, period_end=D, unit="count"),
            single("lt_matched_now", 61, period_end=D, unit="count"),
        ]
    )
    costs = pl.concat(
        [
            groups(
                "estimated_annual_cost",
                [("all", 1_234_567), ("agency_fostering", 1_234_567), ("other", 0)],
                unit="pounds",
                denominators=[1, 1, 0],
                notes=[None, None, "no unit cost in council.toml"],
            ),
            single("average_cost_per_child", 51000, period_end=D, unit="pounds"),
        ]
    )
    trajectory = pl.concat(
        [
            single("net_flow_per_month", -0.4, period_start=YEAR_START, period_end=D, unit="per_month"),
            single("projected_cla_count", 354, period_end=dt.date(2021, 10, 31), unit="count"),
            groups("months_to_comparator", [("England", 158), ("Statistical neighbours", None)], unit="months"),
        ]
    )
    return {
        "legal": legal, "echo": echo, "toxic_trio": toxic_trio, "cohorts": cohorts, "costs": costs,
        "trajectory": trajectory,
    }  # fmt: skip


def with_tables(report: ReportInputs, extra: dict[str, pl.DataFrame]) -> ReportInputs:
    return dataclasses.replace(report, tables=Tables(D, {**report.tables.frames, **extra}))


def text_of(html: str) -> str:
    """The visible text of the body, tags removed and spaces collapsed."""
    body = html.split("<body>", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


# ---- formatting -----------------------------------------------------------------------------


def test_numbers_and_dates_are_in_gov_uk_style() -> None:
    assert whole(1234) == "1,234"
    assert whole(1234567.0) == "1,234,567"
    assert whole(2.5) == "3"  # half up, not to even
    assert long_date(dt.date(2020, 11, 2)) == "2 November 2020"
    assert month_year(dt.date(2021, 1, 31)) == "January 2021"
    assert money(51000) == "£51,000"
    assert signed(63) == "+63"
    assert signed(-12) == "\u221212"
    assert signed(0) == "0"
    assert one_decimal(54.44) == "54.4"
    assert joined(["a", "b", "c"]) == "a, b and c"


@pytest.mark.parametrize(("rate", "shown"), [(93.1, "93"), (93.5, "94"), (92.5, "93"), (0.3, "0"), (100.0, "100")])
def test_rates_are_whole_numbers_rounded_half_up(rate: float, shown: str) -> None:
    assert rate_whole(rate) == shown


def test_monthly_figures_are_laid_out_a_year_to_a_row() -> None:
    days = [dt.date(2019, 11, 30), dt.date(2019, 12, 31), dt.date(2020, 1, 31)]
    head, body = month_grid(days, {"Started": ["1", "2", "3"], "Ceased": ["4", "c", "6"]}, D)
    assert head[:3] == ("Year", "Figure", "Jan") and head[-1] == "Dec"
    empty = [""] * 10
    assert body == (
        ("2019", "Started", *empty, "1", "2"),
        ("2019", "Ceased", *empty, "4", "c"),
        ("2020", "Started", "3", *[""] * 11),
        ("2020", "Ceased", "6", *[""] * 11),
    )


# ---- sections -------------------------------------------------------------------------------


def test_the_summary_line_says_the_count_as_its_editions_report_does(core: ReportInputs) -> None:
    assert looked_after_on(core.tables, D) == "1 child looked after on 2020-10-31"  # not "1 children"
    assert looked_after_on(suppress(core.tables, 5), D) == (
        "the number of children looked after on 2020-10-31 is not published"
    )  # the public edition's hides it, as its report does
    assert looked_after_on(suppress(core.tables, 1), D) == "1 child looked after on 2020-10-31"  # nothing hidden
    many = Tables(D, {"headline": groups("cla_count", [("all", 1339)])})
    assert looked_after_on(many, D) == "1,339 children looked after on 2020-10-31"


def test_headline_and_comparators(core: ReportInputs) -> None:
    headline = headline_view(core)
    assert dataclasses.asdict(headline) == {
        "count": "1",
        "rate": "0",  # 1 / 36,090 * 10,000 = 0.3
        "year_ago_count": "1",
        "year_ago_date": "31 October 2019",
        "change": "0",
        "direction": "no change",
        "population": "36,090",
        # no UASC table in the extracts: no sentence on the children excluding UASC
        "summary": "On 31 October 2020 the council looked after 1 child, 0 for every 10,000 children living in its"
        " area (an estimated 36,090 children aged 0 to 17). A year earlier, on 31 October 2019, it looked after"
        " 1 child, 0 per 10,000.",
        "looked_after": "On 31 October 2020 the council looked after 1 child.",
        "ours": "our 1",
    }
    comparators = comparators_view(core)
    # 82.0 x 36,090 / 10,000 = 295.9 -> 296; 65 -> 234.6 -> 235; 54.44 -> 196.5 -> 196 (half up on 196.47)
    assert [(r.group, r.rate, r.implied, r.gap) for r in comparators.rows] == [
        ("West Midlands", "82.0", "296", "\u2212295"),
        ("England", "65.0", "235", "\u2212234"),
        ("Statistical neighbours", "54.4", "196", "\u2212195"),
    ]
    assert comparators.message == (
        "The number looked after is below the number at the West Midlands, England and Statistical neighbours rates."
    )


def test_flows_and_discharges(core: ReportInputs) -> None:
    flows = flows_view(core)
    # 12 months to D: 0002 started 1 Nov 2019; 0001 ceased by SGO in March 2020; 0003 left on 31 Oct 2019
    # the rates: 1 of the 36,090 children in the area is 0.3 per 10,000, shown whole
    assert flows.sentence == (
        "From 1 November 2019 to 31 October 2020, 1 child started to be looked after (0 per 10,000 children) and"
        " 1 ceased (0 per 10,000). Those who ceased were 100.0% of the children looked after when the period began."
    )  # of the 1 child looked after on 31 October 2019
    assert [(r.label, r.value) for r in flows.ceased][:3] == [
        ("All", "1"), ("Adoption", "0"), ("Special guardianship order", "1"),
    ]  # fmt: skip
    discharges = discharges_view(core)
    assert discharges.sentence == (
        "From 1 November 2019 to 31 October 2020, 1 child had their full care order discharged: 1 through a special"
        " guardianship order, 0 by reunification with their parents and 0 through a child arrangements order."
    )
    assert discharges.chart.table_rows == (
        ("Special guardianship order", "1"), ("Reunification (returned home)", "0"),
        ("Child arrangements order", "0"), ("All", "1"),
    )  # fmt: skip
    assert "Special guardianship order 1; Reunification (returned home) 0" in discharges.chart.alt


def test_trend_chart_has_alt_text_with_its_message_and_a_table(core: ReportInputs) -> None:
    chart = trend_view(core).chart
    assert chart.drawing.page.startswith("data:image/svg+xml;base64,")
    assert chart.drawing.phone.startswith("data:image/svg+xml;base64,") and chart.drawing.phone != chart.drawing.page
    assert chart.alt.startswith("Line chart of the number of children looked after at each month end.")
    assert "from 1 on 30 November 2017 to 1 on 31 October 2020" in chart.alt
    assert "West Midlands 296; England 235; Statistical neighbours 196" in chart.alt
    # a row per year and figure (looked after, rate): 2017 to 2020
    assert [row[:2] for row in chart.table_rows][:2] == [("2017", "Looked after"), ("2017", "Rate per 10,000")]
    # January to October 2020: 0001 and 0002 until 0001's SGO on 15 March, then 0002 alone
    assert chart.table_rows[-2][1:12] == ("Looked after", "2", "2", *["1"] * 8)


def test_tables_and_figures_are_numbered_in_the_html_itself(core: ReportInputs) -> None:
    """The numbers are text a screen reader reads, not CSS generated content, counted in document order."""
    html = render_html(core)
    assert "counter(" not in html
    captions = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<(?:fig)?caption[^>]*>(.*?)</(?:fig)?caption>", html)]
    labels = [re.match(r"(Table \d+|Figure \d+|Figures in figure \d+): ", c) for c in captions]
    assert None not in labels
    shown = [m.group(1) for m in labels if m]
    tables = [s for s in shown if s.startswith("Table ")]
    figures = [s for s in shown if s.startswith("Figure ")]
    assert tables == [f"Table {n}" for n in range(1, len(tables) + 1)]
    assert figures == [f"Figure {n}" for n in range(1, len(figures) + 1)]
    assert len(figures) >= 3 and len(tables) >= 3
    # each chart's table of figures names the figure just before it
    for before, label in zip(shown, shown[1:], strict=False):
        if label.startswith("Figures in figure "):
            assert label == f"Figures in {before.lower()}"
    # a second rendering counts afresh
    assert render_html(core) == html


def test_optional_sections_say_which_extract_was_missing(core: ReportInputs) -> None:
    assert legal_view(core) == Omitted(
        "The legal pipeline is left out because legal.csv is not in the extracts folder."
    )
    echo = echo_view(core)
    assert echo.omitted == "The ECHo outcomes are left out because echo.csv is not in the extracts folder."
    assert (
        toxic_trio_view(core).omitted
        == "The toxic trio figures are left out because factors.csv is not in the extracts folder."
    )
    text = text_of(render_html(core))
    for sentence in (
        "The legal pipeline is left out because legal.csv is not in the extracts folder.",
        "The ECHo outcomes are left out because echo.csv is not in the extracts folder.",
        "The residential and long-term matching figures are left out because flags.csv is not in the extracts folder.",
    ):
        assert sentence in text


def test_legal_view(core: ReportInputs) -> None:
    legal = legal_view(with_tables(core, optional_tables()))
    assert legal.stages_sentence == (
        "Of the applications to discharge a care order open on 31 October 2020, 17 were in proceedings at court,"
        " 3 were with legal services and 16 were planned but not yet referred."
    )
    assert legal.expected_sentence == (
        "Of the planned cases, 14 are expected to be with legal services by the end of December 2020."
    )
    assert legal.by_month == (
        PlannedMonth("September 2020", "2", overdue=True),  # planned before D, not yet referred
        PlannedMonth("December 2020", "12", overdue=False),
        PlannedMonth("March 2021", "2", overdue=False),
    )
    assert [(r.label, r.value) for r in legal.routes] == [
        ("Special guardianship order", "20"),
        ("Reunification (returned home)", "14"),
        ("Child arrangements order", "2"),
    ]


def test_echo_toxic_trio_cohorts_costs_and_trajectory_views(core: ReportInputs) -> None:
    report = with_tables(core, optional_tables())
    echo = echo_view(report)
    assert echo.prevention_text == (
        "Since 1 April 2020 the ECHo team have worked with 14 families (14 children) on the edge of care. So far 12"
        " of these children have not come into care; 1 came into care while the team were working with the family"
        " and 1 after the work ended."
    )
    assert echo.reunification_text == (
        "The team have also worked with 14 families (24 children) with a care plan of reunification. Of these, 19"
        " children have returned to their parents' care; for 3 the decision is that they remain in care; 2 are"
        " having more family time with a plan to return home; and the work is continuing for 0 children."
    )
    assert echo.sustained == (
        Sustained("6 months", "92.3%", denominator="13"),
        Sustained("12 months", "not available", denominator="0"),
    )
    assert echo.sustained_yet is True
    assert "Prevention, not entered care: 12" in echo.chart.alt
    assert toxic_trio_view(report).levels[0] == Level("All", families="12", children="21")
    cohorts = cohorts_view(report)
    assert cohorts.legal_status == (
        TableRow("Full care order", "0", group="care_order"),
        TableRow("Accommodated under section 20", "1", group="section_20"),
    )
    assert cohorts.placement_chart.table_rows == (("Agency fostering", "1"), ("Residential", "0"))
    assert cohorts.matching_text == (
        "From 1 November 2019 to 31 October 2020, 38 children were long-term matched with their foster carers."
        " On 31 October 2020, 61 of the children looked after were in a long-term match."
    )
    assert cohorts.residential_text == "On 31 October 2020, no children were in residential care."
    costs = costs_view(report)
    assert costs.rows == (
        CostRow("Agency fostering", children="1", cost="£1,234,567", note=""),
        CostRow("Other", children="0", cost="£0", note="no unit cost set"),
    )
    assert (costs.total, costs.average) == (CostTotal(children="1", cost="£1,234,567"), "£51,000")
    trajectory = trajectory_view(report)
    assert trajectory.projection == "If that continued, the council would look after 354 children on 31 October 2021."
    assert trajectory.change == (
        "Over the last 12 months the number looked after fell by 0.4 a month on average: more children ceased to be"
        " looked after than started."
    )
    assert trajectory.months == (
        TimeToReach("England", implied="235", months="not within ten years at this rate"),  # 158 months
        TimeToReach("Statistical neighbours", implied="196", months="never at this rate: the number is not falling"),
    )


def test_too_soon_to_follow_up_is_said_in_words_not_a_table_of_blanks(core: ReportInputs) -> None:
    tables = optional_tables()
    early = groups("echo_sustained_pct", [("6m", None), ("12m", None)], unit="percent", denominators=[0, 0])
    tables["echo"] = pl.concat([tables["echo"].filter(pl.col("measure") != "echo_sustained_pct"), early])
    text = text_of(render_html(with_tables(core, tables)))
    assert "it is too soon to say how many children stayed out of care" in text
    assert "Children followed up" not in text


def test_sections_come_in_the_order_of_the_output_contract(core: ReportInputs) -> None:
    report = dataclasses.replace(with_tables(core, optional_tables()), commentary_html="<p>Our plan.</p>")
    html = render_html(report)
    ids = re.findall(r'<section id="([a-z_-]+)"', html)
    assert ids == [
        "commentary", "comparators", "trend", "flows", "discharges", "legal", "echo", "cohorts", "costs",
        "provenance", "glossary",
    ]  # fmt: skip
    assert html.index("Headline figures") < html.index("Our plan.") < html.index('id="comparators"')


def test_every_abbreviation_in_the_report_is_in_the_glossary(core: ReportInputs) -> None:
    report = with_tables(core, optional_tables())
    text = text_of(render_html(dataclasses.replace(report, edition="public")))
    terms = {term for term, _ in glossary()}
    used = set(re.findall(r"\b(?:[A-Z][A-Za-z]*[A-Z][A-Za-z0-9-]*|SHA-256)\b", text))
    assert used, "the report uses abbreviations"
    assert sorted(used - terms) == []
    assert {"c", "Toxic trio", "Long-term match", "SGO", "ECHo"} <= terms


def test_glossary_entries_are_sorted_and_complete() -> None:
    entries = tomllib.loads((TEMPLATES / "glossary.toml").read_text(encoding="utf-8"))["term"]
    assert all(e["term"] and e["definition"].endswith(".") for e in entries)
    terms = [term for term, _ in glossary()]
    assert terms == sorted(terms, key=str.lower)


def test_provenance_lists_each_extract_with_its_fingerprint(core: ReportInputs) -> None:
    provenance = provenance_view(core)
    assert [(i.name, i.rows) for i in provenance.inputs] == [("header.csv", "3"), ("episodes.csv", "4")]
    assert all(re.fullmatch(r"[0-9a-f]{64}", i.sha256) for i in provenance.inputs)
    assert (provenance.config_digest, provenance.version) == ("ab" * 32, "9.9.9")
    assert data_quality_view(core).warnings == ()


def test_data_quality_warnings_are_counted_by_rule_with_what_the_rule_checks(core: ReportInputs) -> None:
    quality = groups("warnings", [("EPISODE_NEW_PERIOD_NOT_S", 2), ("OTHER_RULE", 0)])
    warnings = data_quality_view(with_tables(core, {"data_quality": quality})).warnings
    assert warnings == (
        RuleWarnings(
            rule="EPISODE_NEW_PERIOD_NOT_S",
            about="The first episode of a period of care has RNE = S; an L, P, T, B or U episode continues an X1"
            " chain.",
            count="2",
        ),
    )


# ---- the public edition -----------------------------------------------------------------------


def test_the_public_edition_shows_c_in_text_tables_and_charts(core: ReportInputs) -> None:
    report = dataclasses.replace(core, tables=suppress(core.tables, 5), edition="public")
    headline = headline_view(report)
    assert (headline.count, headline.rate, headline.change, headline.population) == (
        "c",
        "c",
        "c",
        "36,090",
    )
    # comparator rates and implied counts are published figures; the gaps would give the count away
    rows = comparators_view(report).rows
    assert [(r.rate, r.implied, r.gap) for r in rows][0] == ("82.0", "296", "c")
    chart = trend_view(report).chart
    assert chart.table_rows[-2][1:12] == ("Looked after", *["c"] * 10)
    assert "Figures shown as c in the table are not drawn." in chart.alt
    html = render_html(report)
    text = unescape(text_of(html))
    assert (
        "On 31 October 2020 the council's area had an estimated 36,090 children aged 0 to 17. The number of children"
        " it looked after is not published, to protect children's privacy. The number of children looked after a"
        " year earlier, on 31 October 2019, is not published, to protect children's privacy."
    ) in text
    assert "The number of children looked after on 31 October 2020 is not published" in text
    # a sentence names the figures it hides rather than reading "c children started"
    assert flows_view(report).sentence == (
        "From 1 November 2019 to 31 October 2020, children started and ceased to be looked after. The numbers of"
        " children who started and who ceased are not published, to protect children's privacy."
    )
    # the projection from a hidden count would give the count away: hidden with it
    hidden = dataclasses.replace(report, tables=suppress(with_tables(core, optional_tables()).tables, 5))
    assert trajectory_view(hidden).projection == (
        "The number the council would look after on 31 October 2021 if that continued is not published,"
        " to protect children's privacy."
    )
    # no sentence reads "c children" (the cover's boxes show the figures themselves, c among them)
    sentences = [text_of(f"<body>{p}") for p in re.findall(r"<p(?! class=\"big\")[^>]*>(.*?)</p>", html, re.S)]
    assert [s for s in sentences if re.search(r"\bc (children|child|ceased|per)\b", s)] == []
    assert "numbers from 1 to 4 are shown as c" in text
    assert "Public edition" in text


# ---- safety and the HTML twin ---------------------------------------------------------------------


def test_text_from_config_is_escaped(core: ReportInputs) -> None:
    config = council(COUNCIL_TOML.replace('name = "Testshire"', 'name = "<img src=x onerror=alert(1)>shire"'))
    html = render_html(dataclasses.replace(core, config=config))
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;shire" in html


def test_templates_are_strict_about_undefined_names() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ missing }}").render()


def test_the_html_twin_is_one_self_contained_file(core: ReportInputs) -> None:
    html = render_html(with_tables(core, optional_tables()))
    references = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert references, "the report has charts and contents links"
    assert all(ref.startswith(("data:image/svg+xml;base64,", "#")) for ref in references)
    assert "<link" not in html and "@import" not in html
    assert html.count("<img ") == 6  # trend, flows, discharges, ECHo, placements, kinship
    assert all(alt for alt in re.findall(r'<img [^>]*alt="([^"]*)"', html))


def test_the_fetcher_serves_only_static_files_and_data() -> None:
    fetcher = StaticOnlyFetcher(allowed_protocols={"data", "file"})
    font = (STATIC / "fonts" / "DejaVuSans.ttf").as_uri()
    assert fetcher.fetch(font).read() == (STATIC / "fonts" / "DejaVuSans.ttf").read_bytes()
    for url in ("file:///etc/passwd", (TEMPLATES / "glossary.toml").as_uri(), "https://example.com/x.png"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    assert Path(STATIC).is_dir()
