"""``lac-report published``, and a run reading its comparators from published files (hand-made files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from tests.builders import child, episode, write_config, write_extract
from tests.unit.test_published_config import config_folder

TAKEN = dt.date(2023, 11, 2)  # the extract the runs as at 31 October 2023 read

EPISODES = [
    episode("0001", "01/06/2021"),  # looked after on every 31 March from 2022
    episode("0002", "15/05/2022", dec="20/02/2023", rec="E45"),  # started and ceased in the year to 31 March 2023
    episode("0003", "01/03/2023"),  # started in the year to 31 March 2023
]


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_published_shows_what_a_run_would_take(tmp_path: Path) -> None:
    code, out, _ = invoke("published", "--config", config_folder(tmp_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Testshire: the published files name it Herefordshire, County of (LA 884, E06000019)"
    assert lines[1] == "Region: West Midlands (E12000005)"
    assert "   1. 943 Westmorland and Furness (Very close)" in lines
    assert "   5. 941 West Northamptonshire (Somewhat close)" in lines
    # 2024: England as published (71, 28, 29) and 33600 / 82000 = 40.98% ceased
    assert any(line.split() == ["2024", "England", "71", "28", "29", "40.98"] for line in lines), out
    assert "  2023: 34,260" in lines  # the ONS population
    assert lines[-1].startswith("lac-report: published: Testshire: ")  # every command ends with one line


def test_published_without_the_section_says_so(tmp_path: Path) -> None:
    code, out, _ = invoke("published", "--config", write_config(tmp_path / "config"))
    assert code == 0
    assert out.splitlines() == [
        "Testshire: council.toml has no [published]; the run uses the figures it lists.",
        "lac-report: published: Testshire: 3 comparator entries and 2 population estimates from council.toml,"
        " 0 warnings",
    ]


def test_an_unknown_code_exits_3_naming_the_line(tmp_path: Path) -> None:
    code, _, err = invoke("published", "--config", config_folder(tmp_path, code="E06999999"))
    assert code == 3
    assert err.startswith("council.toml:3: council.la_code: LA code 'E06999999' is not a council in published/")
    assert "[PUBLISHED_COUNCIL_UNKNOWN]" in err.splitlines()[0]


@pytest.fixture
def run_folder(tmp_path: Path) -> tuple[Path, Path]:
    extracts = write_extract(tmp_path / "extracts", [child(c) for c in ("0001", "0002", "0003")], EPISODES, taken=TAKEN)
    config = config_folder(tmp_path, extra="[echo]\nstart_date = 2020-04-01\n")
    code, out, err = invoke(
        "run", "--extracts", extracts, "--config", config, "--as-at", "2023-10-31", "--out", tmp_path
    )
    assert code == 0, err
    return tmp_path / "2023-10-31", config


def test_a_run_reconciles_the_published_years_the_extract_covers(run_folder: tuple[Path, Path]) -> None:
    folder, _ = run_folder
    rows = (folder / "tables" / "reconciliation.csv").read_text(encoding="utf-8").splitlines()
    # Only the year to 31 March 2023: 2022's began on 1 April 2021, before the first episode, and 2024's
    # ends after D. Looked after on 31 March 2023: 0001 and 0003 (0002 left in February); started 0002 and
    # 0003; ceased 0002. Published (edition B, listed last): 410, 130, 105.
    assert rows[1:] == [
        "2023-10-31,difference,cla_31_march,,2023-03-31,-408,count,,",
        "2023-10-31,difference,started,2022-04-01,2023-03-31,-128,count,,",
        "2023-10-31,difference,ceased,2022-04-01,2023-03-31,-104,count,,",
        "2023-10-31,own_count,cla_31_march,,2023-03-31,2,count,,",
        "2023-10-31,own_count,started,2022-04-01,2023-03-31,2,count,,",
        "2023-10-31,own_count,ceased,2022-04-01,2023-03-31,1,count,,",
        "2023-10-31,published_count,cla_31_march,,2023-03-31,410,count,,",
        "2023-10-31,published_count,started,2022-04-01,2023-03-31,130,count,,",
        "2023-10-31,published_count,ceased,2022-04-01,2023-03-31,105,count,,",
    ]
    comparators = (folder / "tables" / "comparators.csv").read_text(encoding="utf-8")
    assert "2023-10-31,comparator_rate_per_10k,England,,2023-10-31,71.0,rate_per_10k,,DfE 2023" in comparators


def test_verify_sees_a_published_file_changed_since_the_run(run_folder: tuple[Path, Path]) -> None:
    folder, config = run_folder
    assert invoke("verify", folder, "--config", config)[0] == 0
    ons = config / "published" / "ons.csv"
    ons.write_text(ons.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, out, _ = invoke("verify", folder, "--config", config)
    assert code == 3
    assert f"{ons}: changed since the run" in out


def test_a_published_files_warning_is_counted_with_the_extracts(tmp_path: Path) -> None:
    extracts = write_extract(tmp_path / "extracts", [child(c) for c in ("0001", "0002", "0003")], EPISODES, taken=TAKEN)
    config = config_folder(tmp_path, code="943", extra="[echo]\nstart_date = 2020-04-01\n")
    code, out, err = invoke(
        "run", "--extracts", extracts, "--config", config, "--as-at", "2023-10-31", "--out", tmp_path
    )
    assert code == 0, err
    assert out.strip().endswith(", 1 warning)")  # one warning, in the singular
    quality = (tmp_path / "2023-10-31" / "tables" / "data_quality.csv").read_text(encoding="utf-8")
    assert "2023-10-31,warnings,PUBLISHED_NEIGHBOURS_MISSING,,2023-10-31,1,count,," in quality
    assert "PUBLISHED_NEIGHBOURS_MISSING" in (tmp_path / "2023-10-31" / "run.log").read_text(encoding="utf-8")


def test_published_marks_the_comparators_council_toml_gives(tmp_path: Path) -> None:
    extra = '[[comparators]]\ngroup = "England"\ndate = 2024-03-31\nrate_per_10k = 70.5\nsource = "our own"\n'
    code, out, _ = invoke("published", "--config", config_folder(tmp_path, extra=extra))
    assert code == 0
    lines = out.splitlines()
    assert any(line.split() == ["2024", "England", "70.50", "-", "-", "-", "(council.toml)"] for line in lines), out
    assert any(line.split() == ["2023", "England", "71", "28", "27", "38.75"] for line in lines), out
