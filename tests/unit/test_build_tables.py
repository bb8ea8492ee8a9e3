"""build_tables with and without the optional extracts: which tables and measures a run has."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from pipeline.checks.catalogue import catalogue
from pipeline.core.problems import Severity
from pipeline.measures.ids import Cohorts, Echo, Legal, ToxicTrio, Trajectory
from pipeline.measures.tables import OMITTED, build_tables
from pipeline.read.returns.rules import RETURNS_RULES
from tests.builders import child, council, episode, load, write_csv, write_extract

D = dt.date(2020, 10, 31)
MEASURES = {
    "legal": {
        "legal_cases", "legal_cases_by_route", "legal_planned_by_month", "legal_expected_by_horizon",
        "legal_concluded",
    },
    "echo": {
        "echo_families", "echo_children", "echo_prevention_outcome", "echo_reunification_outcome",
        "echo_sustained_pct",
    },
    "cohorts": {
        "cla_by_legal_status", "cla_by_placement", "cla_by_age", "cla_by_sex", "residential_no_foster",
        "lt_matches_made", "lt_matched_now",
    },
    "costs": {"estimated_annual_cost", "average_cost_per_child"},
    "toxic_trio": {"toxic_trio_families", "toxic_trio_children", "toxic_trio_risk_count"},
    "trajectory": {"net_flow_per_month", "projected_cla_count", "months_to_comparator"},
}  # fmt: skip


def core(folder: Path) -> Path:
    return write_extract(
        folder,
        [child("0001"), child("0002")],
        [episode("0001", "01/01/2020"), episode("0002", "01/01/2019", dec="01/06/2020", rec="E4A")],
    )


def test_every_measure_of_the_new_tables_is_there_when_every_file_is(tmp_path: Path) -> None:
    folder = core(tmp_path)
    write_csv(
        folder / "legal.csv",
        ("CHILD", "ROUTE", "PLANNED_DATE", "REFERRED_DATE", "ISSUED_DATE", "CONCLUDED_DATE", "OUTCOME"),
        [("0001", "SGO", "01/11/2020", "", "", "", "")],
    )
    write_csv(
        folder / "echo.csv",
        ("FAMILY", "CHILD", "STRAND", "REFERRAL_DATE", "START_DATE", "END_DATE", "OUTCOME"),
        [("F1", "0002", "REUNIFICATION", "01/04/2020", "01/04/2020", "01/07/2020", "RETURNED_HOME")],
    )
    write_csv(
        folder / "flags.csv",
        ("CHILD", "FLAG", "START_DATE", "END_DATE", "NOTE"),
        [("0001", "LT_MATCH", "01/05/2020", "", "x")],
    )
    write_csv(
        folder / "factors.csv",
        ("CHILD", "FAMILY", "ASSESSMENT_DATE", "FACTORS", "LEVEL"),
        [("0009", "F9", "01/05/2020", "3B", "CIN")],
    )
    tables = build_tables(load(folder), council(), D)
    assert tables.omitted == {}
    for name, measures in MEASURES.items():
        assert set(tables[name]["measure"]) == measures, name
    assert tables.value(Echo.ECHO_REUNIFICATION_OUTCOME, group="returned_home") == 1
    assert tables.value(Legal.LEGAL_CASES, group="planned") == 1
    assert tables.value(Cohorts.LT_MATCHED_NOW) == 1
    assert tables.value(ToxicTrio.TOXIC_TRIO_CHILDREN, group="cin") == 1
    # England 65.0 per 10,000 of 36,090 -> 235 implied; 1 looked after on D: already below
    assert tables.value(Trajectory.MONTHS_TO_COMPARATOR, group="England") == 0


def test_missing_optional_files_drop_their_tables_with_a_sentence(tmp_path: Path) -> None:
    tables = build_tables(load(core(tmp_path)), council(), D)
    assert {"legal", "echo", "toxic_trio"}.isdisjoint(tables.frames)
    assert {"cohorts", "costs", "trajectory"} <= set(tables.frames)
    assert tables.omitted == OMITTED
    assert tables.omitted["legal"] == "The legal pipeline is left out because legal.csv is not in the extracts folder."
    assert set(tables["cohorts"]["measure"]).isdisjoint({"residential_no_foster", "lt_matches_made", "lt_matched_now"})


def test_data_quality_lists_the_optional_files_warning_rules(tmp_path: Path) -> None:
    tables = build_tables(load(core(tmp_path)), council(), D)
    warnings = tables["data_quality"].filter(pl.col("measure") == "warnings")
    counts = dict(zip(warnings["group"], warnings["value"], strict=True))
    assert {"ECHO_OUTCOME_CONTRADICTED", "EPISODE_NEW_PERIOD_NOT_S", "FACTORS_UNKNOWN", "FLAG_UNKNOWN"} <= set(counts)
    # every warning rule the extract was checked against: a folder of returns' rules only for returns
    returns = set(RETURNS_RULES)
    assert set(counts) == {r.id for r in catalogue() if r.severity is Severity.WARNING and r not in returns}
    assert set(counts.values()) == {0}
