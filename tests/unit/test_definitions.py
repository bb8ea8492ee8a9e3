"""docs/measures.md is generated from the code, and the registry covers every measure the tables hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipeline.measures import definitions, headline, trend
from pipeline.measures.definitions import DOC, TABLES, TableSource, generate, prose
from pipeline.measures.ids import Headline, MeasureId, Trend
from pipeline.measures.tables import Tables, build_tables
from tests.builders import COUNCIL_TOML, child, council, episode, load, write_csv, write_extract


def test_the_committed_guide_is_what_the_code_generates() -> None:
    # If this fails after changing a measure's docstring or TABLES: python -m pipeline.measures.definitions
    assert DOC.read_text(encoding="utf-8") == generate()


def tables_with_every_measure(tmp_path: Path) -> Tables:
    """A run's tables from a tiny extract with every optional file, a comparator with every optional
    figure and published figures to reconcile: every measure a run can write, written."""
    extract = write_extract(
        tmp_path,
        [child("0001"), child("0002")],
        [
            episode("0001", "01/01/2019", dec="01/03/2020", rec="E45"),
            episode("0002", "01/02/2020", ls="V2", place="U1"),
        ],
    )
    # Every optional file too, so that each table a run can write is checked.
    write_csv(extract / "legal.csv", ("CHILD", "ROUTE", "PLANNED_DATE"), [("0001", "SGO", "01/09/2020")])
    echo = ("FAMILY", "CHILD", "STRAND", "REFERRAL_DATE", "START_DATE")
    write_csv(extract / "echo.csv", echo, [("F1", "0009", "PREVENTION", "01/05/2020", "01/06/2020")])
    write_csv(extract / "flags.csv", ("CHILD", "FLAG", "START_DATE"), [("0002", "LT_MATCH", "01/06/2020")])
    factors = ("CHILD", "FAMILY", "ASSESSMENT_DATE", "FACTORS", "LEVEL")
    write_csv(extract / "factors.csv", factors, [("0009", "F1", "01/04/2020", "3A", "CIN")])
    write_csv(extract / "uasc.csv", ("CHILD", "SEX", "DOB", "DUC"), [("0002", "1", "01/01/2005", "")])
    # A comparator with every optional figure, and published figures to reconcile, so that every
    # measure a run can write is written.
    every_figure = (
        "rate_per_10k = 65.0\nstarted_rate_per_10k = 26.0\nceased_rate_per_10k = 25.0\nceased_pct_of_cla = 38.5\n"
    )
    config = council(COUNCIL_TOML.replace("rate_per_10k = 65.0\n", every_figure))
    own = pl.DataFrame(
        {"time_period": [2020] * 3, "figure": ["cla_count", "started_count", "ceased_count"], "value": [2.0, 1.0, 1.0]}
    ).with_columns(pl.lit(None, pl.String).alias("reason"))
    return build_tables(load(extract), config, dt.date(2020, 10, 31), own)


def test_every_measure_a_run_writes_is_defined_and_every_definition_is_written(tmp_path: Path) -> None:
    tables = tables_with_every_measure(tmp_path)
    assert "reconciliation" in tables.frames
    written = {(name, m) for name, frame in tables.frames.items() for m in frame["measure"].unique().to_list()}
    registered = {(s.table, m) for s in TABLES for m in s.measures}
    assert written - registered == set(), "add the measure to its table in pipeline.measures.definitions.TABLES"
    assert {(t, m) for t, m in registered if t in tables.frames} - written == set()


def test_a_measure_reused_in_another_table_is_found_by_its_prefixed_name() -> None:
    assert TableSource(Trend, trend).function(Trend.CLA_COUNT) is trend.trend_cla_count
    assert TableSource(Headline, headline).function(Headline.CLA_COUNT) is headline.cla_count


def test_a_registered_measure_without_a_function_or_docstring_is_a_fault(monkeypatch: pytest.MonkeyPatch) -> None:
    class Misnamed(MeasureId):
        CLA_COUNTED = "cla_counted"

    with pytest.raises(LookupError, match="pipeline.measures.headline has no function cla_counted"):
        TableSource(Misnamed, headline).function(Misnamed.CLA_COUNTED)

    def undocumented() -> None:
        pass

    with pytest.raises(LookupError, match="undocumented has no docstring to define it"):
        definitions.definition(undocumented)


def test_docstrings_become_one_markdown_paragraph() -> None:
    assert prose("Children on ``D``\n    by route | sgo.\n") == "Children on `D` by route \\| sgo."
    assert prose(None) == ""


def test_the_check_mode_says_whether_the_guide_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert definitions.main(["--check"]) == 0
    assert capsys.readouterr().out == "measures.md is up to date\n"
