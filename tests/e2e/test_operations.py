"""Running it every month: the scheduled run, a regenerated past month, verify and compare."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.cli import options
from tests.builders import child, episode, write_config, write_extract

# An extract taken on 2 November 2020. Looked after on 31 October: 0002 (section 20 since
# November 2019) and 0004 (since 15 October) = 2. On 31 March:
# 0002 = 1 (0001 left on 15 March on an SGO, 0003 went home in October 2019).
HEADER = [child("0001", "1", "01/02/2008"), child("0002", "2", "05/05/2012"), child("0003", "1", "07/07/2015")]
HEADER += [child("0004", "2", "01/01/2016")]
EPISODES = [
    episode("0001", "01/01/2015", ls="C1", place="U1", dec="01/06/2015", rec="X1"),
    episode("0001", "01/06/2015", rne="L", ls="C2", place="U1", dec="15/03/2020", rec="E45"),
    episode("0002", "01/11/2019", ls="V2", place="U4", provider="PR4"),
    episode("0003", "10/10/2018", place="K2", provider="PR4", dec="31/10/2019", rec="E4A"),
    episode("0004", "15/10/2020", ls="C1", place="U4"),
]
RUN_DAY = dt.date(2020, 11, 3)  # the scheduled run, on the 3rd of the month


def invoke(*args: str | Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    return result.exit_code, result.output.splitlines()


@pytest.fixture(scope="module")
def on_run_day() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(options, "today", lambda: RUN_DAY)
        yield


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("inputs")
    return write_extract(root / "extract-2020-11-02", HEADER, EPISODES), write_config(root / "config")


@dataclass(frozen=True)
class Runs:
    out: Path
    scheduled: list[str]  # what the scheduled run printed
    regenerated: list[str]  # what regenerating March printed


@pytest.fixture(scope="module")
def runs(inputs: tuple[Path, Path], on_run_day: None, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """The scheduled run (no --as-at) on 3 November, and March regenerated from the same November extract."""
    extracts, config = inputs
    out = tmp_path_factory.mktemp("out")
    code, scheduled = invoke("run", "--extracts", extracts, "--config", config, "--out", out)
    assert code == 0, scheduled
    code, regenerated = invoke("run", "--extracts", extracts, "--config", config, "--out", out, "--as-at", "2020-03-31")
    assert code == 0, regenerated
    return Runs(out, scheduled, regenerated)


def test_the_scheduled_run_reports_on_the_previous_month_with_plain_step_lines(runs: Runs) -> None:
    assert sorted(p.name for p in runs.out.iterdir()) == [".lac-report.lock", "2020-03-31", "2020-10-31"]
    steps = [line.rsplit(" (", 1)[0] for line in runs.scheduled if line.startswith("lac-report: INFO: step")]
    assert steps == [
        "lac-report: INFO: step 1/4: reading and checking the extracts",
        "lac-report: INFO: step 2/4: computing the tables",
        "lac-report: INFO: step 3/4: rendering the report",
        "lac-report: INFO: step 4/4: writing the run folder",
    ]
    assert runs.scheduled[-1] == (
        f"lac-report: done: {runs.out}/2020-10-31 (2 children looked after on 2020-10-31, 0 warnings)"
    )
    assert "step" not in (runs.out / "2020-10-31" / "run.log").read_text()  # timings never enter the folder


def test_a_past_month_regenerated_from_a_later_extract_records_what_it_used(
    runs: Runs, inputs: tuple[Path, Path]
) -> None:
    extracts, config = inputs
    folder = runs.out / "2020-03-31"
    assert runs.regenerated[-1] == f"lac-report: done: {folder} (1 child looked after on 2020-03-31, 0 warnings)"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["as_at"] == "2020-03-31"
    assert manifest["extract"] == {
        "folder": "extract-2020-11-02",
        "latest_date": "2020-10-15",  # 0004's start
        "taken": "2020-11-02",
        "taken_from": "extract.toml",  # the folder's name says the same day
    }
    assert [(i["file"], i["rows"]) for i in manifest["inputs"]] == [("header.csv", 4), ("episodes.csv", 5)]
    code, lines = invoke("verify", folder, "--extracts", extracts, "--config", config)
    assert code == 0, lines
    outputs = sum(1 for path in folder.rglob("*") if path.is_file() and path.name != "manifest.json")
    assert outputs >= 9  # report.pdf, report.html, run.log and a table for each of six or more tables
    assert lines == [
        f"lac-report: verify {folder}: as at 2020-03-31, internal edition, lac-report"
        f" {manifest['program']['version']}, from extract folder extract-2020-11-02 (taken 2020-11-02, latest date in"
        " it 2020-10-15)",
        f"lac-report: verified: {folder} is as the run left it ({outputs} outputs, 2 inputs, 1 config file unchanged)",
    ]


def test_a_scheduled_run_on_an_old_extract_is_refused_naming_both_days(
    inputs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today, not on the run day: last month is long after the extract of 2 November 2020 was taken."""
    extracts, config = inputs
    monkeypatch.setattr(options, "today", dt.date.today)  # whatever the module's run-day fixture did
    as_at = options.last_day_of_previous_month(dt.date.today())
    code, lines = invoke("run", "--extracts", extracts, "--config", config, "--out", tmp_path)
    assert code == 3
    assert lines == [
        f"extract.toml:0: taken: the as-at date {as_at.isoformat()} is after the day the extract was taken,"
        " 2020-11-02 (extract.toml): report on an earlier day (--as-at), or use a newer extract [AS_AT_AFTER_EXTRACT]",
        # and, with it, the test council's population estimates stop at mid-2019
        f"lac-report: WARNING: council.toml:0: population: the as-at date {as_at.isoformat()} is more than 2 years"
        " after the latest population estimate in council.toml (mid-2019): the rates per 10,000 use the mid-2019"
        " population (add the newer ONS estimates) [AS_AT_OUTSIDE_POPULATION]",
        "lac-report: failed (exit 3): invalid input: 1 error(s) to fix (extract.toml 1); nothing was written",
    ]
    assert not any(tmp_path.iterdir())


def test_an_as_at_before_the_extract_s_coverage_is_reported_in_the_run(
    inputs: tuple[Path, Path], on_run_day: None, tmp_path: Path
) -> None:
    extracts, config = inputs
    code, lines = invoke("run", "--extracts", extracts, "--config", config, "--out", tmp_path, "--as-at", "2005-03-31")
    assert code == 0, lines
    assert lines[-1] == f"lac-report: done: {tmp_path}/2005-03-31 (0 children looked after on 2005-03-31, 2 warnings)"
    log = (tmp_path / "2005-03-31" / "run.log").read_text()
    assert (
        "warning: episodes.csv:0: DECOM: the as-at date 2005-03-31 is before the extract's first episode starts"
        " (2015-01-01): the extract records nothing on that day [AS_AT_BEFORE_EPISODES]"
    ) in log
    assert (
        "warning: council.toml:0: population: the as-at date 2005-03-31 is before the first population estimate in"
        " council.toml (mid-2018): the rates per 10,000 use the mid-2018 population [AS_AT_OUTSIDE_POPULATION]"
    ) in log
    quality = (tmp_path / "2005-03-31" / "tables" / "data_quality.csv").read_text()
    assert "2005-03-31,warnings,AS_AT_BEFORE_EPISODES,,2005-03-31,1,count" in quality
    assert "2005-03-31,warnings,AS_AT_AFTER_EVENTS" not in quality  # an error rule: never a warning count
    assert "AS_AT_BEFORE_EPISODES" in (tmp_path / "2005-03-31" / "report.html").read_text()


def test_verify_names_every_file_changed_since_the_run(runs: Runs, tmp_path: Path) -> None:
    folder = shutil.copytree(runs.out / "2020-10-31", tmp_path / "2020-10-31")
    with open(folder / "tables" / "headline.csv", "a") as table:
        table.write("2020-10-31,cla_count,all,,2020-10-31,99,count,,\n")
    (folder / "report.pdf").unlink()
    code, lines = invoke("verify", folder)
    assert code == 3
    assert lines[1:] == [
        f"{folder}/report.pdf: missing",
        # header 72 bytes; two cla_count rows of 47, two rate rows of 68, population 57 = 359; the line added is 48
        f"{folder}/tables/headline.csv: changed since the run (359 bytes then, 407 now)",
        f"lac-report: failed (exit 3): 2 difference(s) between {folder} and its manifest",
    ]


def test_verify_finds_a_corrected_extract(runs: Runs, tmp_path: Path) -> None:
    corrected = write_extract(tmp_path / "corrected", HEADER, EPISODES[:-1])
    code, lines = invoke("verify", runs.out / "2020-10-31", "--extracts", corrected)
    assert code == 3
    assert lines[1:] == [
        f"{corrected}/episodes.csv: changed since the run (5 rows then, 4 now)",
        f"lac-report: failed (exit 3): 1 difference(s) between {runs.out}/2020-10-31 and its manifest",
    ]


def test_verify_against_last_month_s_extract_says_it_is_another_extract(runs: Runs, tmp_path: Path) -> None:
    october = write_extract(tmp_path / "2020-10-02", HEADER, EPISODES[:-1], taken=dt.date(2020, 10, 2))
    code, lines = invoke("verify", runs.out / "2020-10-31", "--extracts", october)
    assert code == 3
    assert lines[1:] == [
        f"{october}: a different extract from the one the run read (this one was taken 2020-10-02, the run's on"
        " 2020-11-02 (extract folder extract-2020-11-02))",
        f"lac-report: failed (exit 3): 1 difference(s) between {runs.out}/2020-10-31 and its manifest",
    ]


def test_compare_shows_the_change_between_two_months_and_writes_csv(runs: Runs, tmp_path: Path) -> None:
    csv = tmp_path / "march-october.csv"
    code, lines = invoke("compare", runs.out / "2020-03-31", runs.out / "2020-10-31", "--csv", csv)
    assert code == 0
    # 1 and 2 children: per 10,000 of 36,090 that is 0.277 and 0.554, written 0.3 and 0.6
    assert [line.split() for line in lines if line.startswith("  headline")] == [
        ["headline", "cla_count", "all", "1", "2", "+1"],
        ["headline", "cla_rate_per_10k", "all", "0.3", "0.6", "+0.3"],
    ]
    assert "month_on_month,headline,cla_count,all,,2020-03-31,1,,2020-10-31,2,1,count,changed" in csv.read_text()
    assert lines[-1].startswith("lac-report: compared: ")
    assert lines[-1].endswith(f"figures changed month on month, 0 earlier figures revised; written to {csv}")


def test_a_failed_run_ends_with_one_line_saying_what_failed(
    inputs: tuple[Path, Path], on_run_day: None, tmp_path: Path
) -> None:
    _, config = inputs
    bad = write_extract(tmp_path / "bad", HEADER, [*EPISODES, episode("0009", "01/01/2020", ls="ZZ")])
    code, lines = invoke("run", "--extracts", bad, "--config", config, "--out", tmp_path / "out")
    assert code == 3
    assert (
        lines[-1]
        == "lac-report: failed (exit 3): invalid input: 2 error(s) to fix (episodes.csv 2); nothing was written"
    )
    assert not (tmp_path / "out" / "2020-10-31").exists()


def test_an_unexpected_failure_also_ends_with_one_line(
    inputs: tuple[Path, Path], on_run_day: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extracts, config = inputs

    def explode(*_: object) -> None:
        raise ValueError("child 0002")

    monkeypatch.setattr("pipeline.run.runner.build_tables", explode)
    code, lines = invoke("run", "--extracts", extracts, "--config", config, "--out", tmp_path)
    assert code == 1
    assert lines[-1] == "lac-report: failed (exit 1): unexpected error (ValueError), a fault in lac-report"
    assert "0002" not in "\n".join(lines)


@pytest.mark.parametrize("command", ["verify", "compare"])
def test_a_folder_that_is_not_a_run_exits_3(command: str, runs: Runs, tmp_path: Path) -> None:
    folders = [tmp_path] if command == "verify" else [runs.out / "2020-10-31", tmp_path]
    code, lines = invoke(command, *folders)
    assert code == 3
    assert lines[-1].startswith(f"lac-report: failed (exit 3): {tmp_path} has no ")


REPOSITORY = Path(__file__).resolve().parents[2]
JOB = REPOSITORY / "deploy" / "lac-report-monthly.sh"


def scheduled_job(*args: str, **settings: Path) -> subprocess.CompletedProcess[str]:
    """Run the job as cron would: a bare environment holding only PATH and the job's settings.
    The job runs LAC_REPORT_HOME/.venv/bin/lac-report, which ``make setup`` (and ``make test``) creates."""
    assert (REPOSITORY / ".venv" / "bin" / "lac-report").is_file(), "run make setup first"
    environment = {"PATH": os.environ["PATH"], "LAC_REPORT_HOME": str(REPOSITORY)}
    environment |= {name: str(value) for name, value in settings.items()}
    return subprocess.run([str(JOB), *args], env=environment, capture_output=True, text=True, check=False)


def test_the_scheduled_job_uses_the_newest_extract_and_prints_one_line(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    extracts, config = inputs
    dated = tmp_path / "extracts"
    write_extract(dated / "2020-10-02", HEADER, [episode("0009", "31/02/2020")])  # older and broken: not used
    shutil.copytree(extracts, dated / "2020-11-02")
    out = tmp_path / "reports"
    job = scheduled_job("--as-at", "2020-10-31", LAC_EXTRACTS=dated, LAC_CONFIG=config, LAC_OUT=out)
    assert job.returncode == 0, job.stdout + job.stderr
    assert job.stdout.splitlines() == [
        f"lac-report: done: {out}/2020-10-31 (2 children looked after on 2020-10-31, 0 warnings)"
    ]
    assert json.loads((out / "2020-10-31" / "manifest.json").read_text())["extract"]["folder"] == "2020-11-02"
    [log] = (out / "logs").iterdir()
    assert "lac-report: INFO: step 4/4: writing the run folder" in log.read_text()


def test_the_scheduled_job_passes_on_a_failure_and_says_where_the_log_is(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    _, config = inputs
    # This month's extract (taken today), with two errors.
    bad = write_extract(tmp_path / "bad", HEADER, [episode("0009", "31/02/2020")], taken=dt.date.today())
    out = tmp_path / "reports"
    job = scheduled_job(LAC_EXTRACTS=bad, LAC_CONFIG=config, LAC_OUT=out)
    assert job.returncode == 3
    [log] = (out / "logs").iterdir()
    assert job.stdout.splitlines() == [
        # the child is not in header.csv, and 31 February is not a date
        "lac-report: failed (exit 3): invalid input: 2 error(s) to fix (episodes.csv 2); nothing was written",
        f"lac-report-monthly: everything lac-report said is in {log}",
    ]
    assert "episodes.csv:2: DECOM: '31/02/2020' is not a real date [CELL_DATE]" in log.read_text()


def test_the_scheduled_job_names_a_missing_setting(tmp_path: Path) -> None:
    job = scheduled_job(LAC_EXTRACTS=tmp_path, LAC_OUT=tmp_path)
    assert job.returncode == 2
    assert (
        job.stdout == "lac-report-monthly: failed (exit 2): LAC_CONFIG is not set (the folder holding council.toml)\n"
    )
