"""The comparison page and the appendix's reconciliation, from hand-made published files: the
starters and leavers compared, the ECHo bid's argument, and a sentence for each difference."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from pipeline.measures.tables import Tables, build_tables
from pipeline.read.config import load_config
from pipeline.report.comparators import FlowsRow, comparators_view
from pipeline.report.document import render_html
from pipeline.report.figures import Omitted, ReportInputs
from pipeline.report.reconciliation import ReconciliationRow, reconciliation_view
from pipeline.report.suppression import suppress
from tests.builders import child, council, episode, load, write_extract
from tests.unit.test_published_config import config_folder

D = dt.date(2024, 10, 31)
EPISODES = [
    episode("0001", "01/06/2021"),  # looked after on every 31 March from 2022
    episode("0002", "15/05/2022", dec="20/02/2023", rec="E45"),  # started and ceased in the year to 31 March 2023
    episode("0003", "01/03/2023"),  # started in the year to 31 March 2023
    episode("0004", "01/05/2023", dec="10/01/2024", rec="E4A"),  # started and ceased in the year to 31 March 2024
    episode("0005", "01/12/2023"),  # started in the 12 months to D
]


def report_for(tmp_path: Path, code: str = "884", edition: str = "internal") -> ReportInputs:
    config = load_config(config_folder(tmp_path / "config", code=code))
    extracts = load(write_extract(tmp_path / "extracts", [child(f"000{i}") for i in range(1, 6)], EPISODES))
    assert config.published is not None
    tables = build_tables(extracts, config.council_config, D, config.published.own)
    if edition == "public":
        tables = suppress(tables, 5)
    return ReportInputs(
        tables=tables,
        config=config.council_config,
        as_at=D,
        edition=edition,
        inputs=extracts.inputs,
        warnings=extracts.warnings,
        version="9.9.9",
        config_digest="ab" * 32,
        published=config.published,
    )


def test_the_comparison_page_says_which_year_and_who_had_no_figure(tmp_path: Path) -> None:
    view = comparators_view(report_for(tmp_path))
    assert view.in_force == "the year to 31 March 2024"
    assert view.neighbours == (
        "Westmorland and Furness (very close), North Yorkshire (very close), Staffordshire (close),"
        " Shropshire (close) and West Northamptonshire (somewhat close)"
    )
    # 2024: 941 has no row; for the percentage 893's and 943's 31 March 2023 are c and z
    four = (
        "mean of the 4 of 5 neighbours with a figure; none for 941 West Northamptonshire: no row in the published file"
    )
    none_941 = "941 West Northamptonshire: no row in the published file"
    assert view.notes == (
        f"Statistical neighbours, 2024, rate looked after: {four}.",
        f"Statistical neighbours, 2024, rate starting: {four}.",
        f"Statistical neighbours, 2024, rate ceasing: {four}.",
        "Statistical neighbours, 2024, percentage ceased: mean of the 2 of 5 neighbours with a figure; none for"
        " 943 Westmorland and Furness: previous 31 March not applicable (z), 893 Shropshire: previous 31 March"
        f" suppressed (c), {none_941}.",
    )


def test_starters_and_leavers_against_each_comparator(tmp_path: Path) -> None:
    flows = comparators_view(report_for(tmp_path)).flows
    # The 12 months to D: 1 November 2023 to 31 October 2024; 0005 started (December 2023), 0004 ceased
    # (January 2024). Population on D: the ONS 2023 estimate, 34,260. Looked after on 31 October 2023:
    # 0001, 0003 and 0004.
    assert flows.ours == FlowsRow(
        group="Testshire",
        started_rate="0.3",  # 1 / 34260 * 10,000 = 0.29
        started="1",
        ceased_rate="0.3",
        ceased_pct="33.3%",  # 1 of 3
        ceased="1",
    )
    # England: 28 * 3.426 = 95.9 -> 96 starting; 40.98% of 3 = 1.23 -> 1 ceasing. West Midlands 2024: 3500 /
    # 11200 = 31.25% of 3 = 0.94 -> 1. Neighbours: (18 + 18 + 23 + 30) / 4 = 22.25 -> 76.2 -> 76;
    # (21 + 17 + 8 + 11) / 4 = 14.25; 32.5% of 3 = 0.975 -> 1
    columns = ("group", "started_rate", "started", "ceased_rate", "ceased_pct", "ceased")
    assert [tuple(getattr(r, c) for c in columns) for r in flows.rows] == [
        ("England", "28.0", "96", "29.0", "41.0%", "1"),
        ("West Midlands", "29.0", "99", "27.0", "31.3%", "1"),  # 29 * 3.426 = 99.35
        ("Statistical neighbours", "22.3", "76", "14.3", "32.5%", "1"),
    ]  # fmt: skip
    assert flows.ceased_share == "Those who ceased were 33.3% of the 3 children looked after on 31 October 2023."
    assert flows.leavers == (
        "In line with England (41.0%), 1 would have ceased: as many as did.",
        "In line with West Midlands (31.3%), 1 would have ceased: as many as did.",
        "In line with Statistical neighbours (32.5%), 1 would have ceased: as many as did.",
    )


def test_a_sentence_for_each_difference_and_for_a_missing_published_figure(tmp_path: Path) -> None:
    view = reconciliation_view(report_for(tmp_path))
    # Published for 884: 2023 410, 130, 105 (edition B); 2024 387, 96, 122. This extract: 2023 looked after
    # 0001 and 0003, started 0002 and 0003, ceased 0002; 2024 looked after 0001, 0003, 0005, started 0004
    # and 0005, ceased 0004. The year to 31 March 2022 began before the first episode.
    assert [(r.year, r.figure, r.published, r.own, r.difference) for r in view.rows] == [
        ("2024", "Looked after on 31 March", "387", "3", "\u2212384"),
        ("2024", "Started in the year", "96", "2", "\u221294"),
        ("2024", "Ceased in the year", "122", "1", "\u2212121"),
        ("2023", "Looked after on 31 March", "410", "2", "\u2212408"),
        ("2023", "Started in the year", "130", "2", "\u2212128"),
        ("2023", "Ceased in the year", "105", "1", "\u2212104"),
    ]
    assert (
        view.sentences[0]
        == "This extract counts 3 children looked after on 31 March 2024: 384 fewer than the 387 published."
    )
    assert view.sentences[1] == (
        "This extract counts 2 children who started to be looked after in the year to 31 March 2024:"
        " 94 fewer than the 96 published."
    )
    assert len(view.sentences) == 6 and view.agree == ""
    # Westmorland and Furness did not exist before April 2023: its 2023 figures are z
    missing = reconciliation_view(report_for(tmp_path / "943", code="943"))
    assert missing.rows[3:] == (
        ReconciliationRow("2023", "Looked after on 31 March", published="none", own="2", difference=""),
        ReconciliationRow("2023", "Started in the year", published="none", own="2", difference=""),
        ReconciliationRow("2023", "Ceased in the year", published="none", own="1", difference=""),
    )
    assert missing.sentences[3] == (
        "There is no published figure for the children looked after on 31 March 2023 (not applicable (z)):"
        " this extract counts 2."
    )


def test_the_public_edition_says_nothing_of_hidden_counts(tmp_path: Path) -> None:
    view = reconciliation_view(report_for(tmp_path, edition="public"))
    # every own count here is 1 to 4: shown as c, and the differences with them
    assert {r.own for r in view.rows} == {"c"} and {r.difference for r in view.rows} == {"c"}
    assert [r.published for r in view.rows] == ["387", "96", "122", "410", "130", "105"]
    assert view.sentences == () and view.agree == ""
    flows = comparators_view(report_for(tmp_path / "public", edition="public")).flows
    assert flows.leavers == ()  # our leavers are hidden: no sentence says how many more would cease


def test_without_published_files_the_reconciliation_says_why(tmp_path: Path) -> None:
    report = report_for(tmp_path)
    hand_typed = council()
    frames = {k: v for k, v in report.tables.frames.items() if k != "reconciliation"}
    plain = dataclasses.replace(report, config=hand_typed, published=None, tables=Tables(D, frames))
    assert reconciliation_view(plain) == Omitted(
        "The reconciliation with the published statistics is left out because council.toml names no"
        " published files ([published])."
    )
    html = render_html(plain)
    assert "Reconciliation with the published statistics" in html and "names no published files" in html


def test_the_report_shows_the_new_sections(tmp_path: Path) -> None:
    html = render_html(report_for(tmp_path))
    assert "Children starting and ceasing, compared" in html
    assert "In line with Statistical neighbours (32.5%), 1 would have ceased: as many as did." in html
    assert "This extract counts 3 children looked after on 31 March 2024: 384 fewer than the 387 published." in html
