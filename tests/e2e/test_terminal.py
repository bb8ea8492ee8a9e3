"""What the terminal and run.log say: the first problems with a count per rule for the rest,
every one of them in ``--errors FILE`` and run.log, and the files a run found and did not use."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from tests.builders import child, episode, write_config, write_extract

PEOPLE = [child(f"{i:04d}", "1", "01/02/2008") for i in range(260)]


def invoke(*args: str | Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    return result.exit_code, result.output.splitlines()


def test_the_terminal_shows_the_first_200_errors_and_counts_the_rest_by_rule(tmp_path: Path) -> None:
    episodes = [episode(f"{i:04d}", "01/01/2019", place="U9") for i in range(250)]  # 250 unknown PLACE codes
    episodes += [episode(f"{i:04d}", "01/01/2019", ls="ZZ") for i in range(250, 253)]  # and 3 unknown LS codes
    extracts = write_extract(tmp_path / "extracts", PEOPLE, episodes)
    errors = tmp_path / "errors.csv"
    config = write_config(tmp_path / "config")
    code, lines = invoke(
        "validate", "--extracts", extracts, "--config", config, "--as-at", "2020-10-31", "--errors", errors
    )
    assert code == 3
    shown = [line for line in lines if line.startswith("episodes.csv:")]
    assert len(shown) == 200
    assert shown[0].startswith("episodes.csv:2: PLACE: 'U9' is not a known PLACE code")
    assert lines[len(shown) : len(shown) + 2] == [
        "... and 53 more CELL_CODE",
        f"(all of them are in {errors})",
    ]
    with errors.open() as file:
        rows = list(csv.DictReader(file))
    assert sum(row["rule"] == "CELL_CODE" for row in rows) == 253
    assert (
        lines[-1]
        == "lac-report: failed (exit 3): invalid input: 253 error(s) to fix (episodes.csv 253); nothing was written"
    )


def test_without_an_errors_file_the_terminal_says_how_to_have_them_all(tmp_path: Path) -> None:
    episodes = [episode(f"{i:04d}", "01/01/2019", place="U9") for i in range(201)]
    extracts = write_extract(tmp_path / "extracts", PEOPLE, episodes)
    code, lines = invoke(
        "validate", "--extracts", extracts, "--config", write_config(tmp_path / "config"), "--as-at", "2020-10-31"
    )
    assert code == 3
    more = lines.index("... and 1 more CELL_CODE")
    assert lines[more + 1] == "(use --errors FILE to have them all in one file)"


def test_warnings_are_folded_on_the_terminal_and_all_written_to_run_log(tmp_path: Path) -> None:
    # 230 children each starting care with RNE P: 230 EPISODE_NEW_PERIOD_NOT_S warnings.
    episodes = [episode(f"{i:04d}", "01/01/2019", rne="P") for i in range(230)]
    extracts = write_extract(tmp_path / "extracts", PEOPLE, episodes)
    config = write_config(tmp_path / "config")
    out = tmp_path / "out"
    code, lines = invoke("run", "--extracts", extracts, "--config", config, "--as-at", "2020-10-31", "--out", out)
    assert code == 0, lines
    warned = [line for line in lines if line.startswith("lac-report: WARNING: episodes.csv:")]
    assert len(warned) == 200
    assert warned[0] == (
        "lac-report: WARNING: episodes.csv:2: RNE: the episode starts a new period of care but RNE is 'P', not S"
        " [EPISODE_NEW_PERIOD_NOT_S]"
    )
    assert "... and 30 more EPISODE_NEW_PERIOD_NOT_S" in lines
    assert f"(all of them are in {out / '2020-10-31' / 'run.log'})" in lines
    log = (out / "2020-10-31" / "run.log").read_text().splitlines()
    assert sum(line.startswith("warning: episodes.csv:") for line in log) == 230
    assert lines[-1].endswith("230 warnings)")


def test_run_log_lists_the_files_in_the_extracts_folder_the_run_did_not_use(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lac_report")  # as the command line sets it (cli.main)
    extracts = write_extract(tmp_path / "extracts", PEOPLE[:1], [episode("0000", "01/01/2019")])
    for name in ("missing.csv", "reviews.csv", ".DS_Store"):  # uasc.csv is read: the UASC table
        (extracts / name).write_text("CHILD\n0000\n")
    (extracts / "old").mkdir()
    out = tmp_path / "out"
    config = write_config(tmp_path / "config")
    code, lines = invoke("run", "--extracts", extracts, "--config", config, "--as-at", "2020-10-31", "--out", out)
    assert code == 0, lines
    log = (out / "2020-10-31" / "run.log").read_text().splitlines()
    assert "info: files in the extracts folder that the run did not use: missing.csv, reviews.csv" in log
