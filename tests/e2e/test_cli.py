"""The command line end to end: exit codes, the run folder, atomic replacement, determinism."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from tests.builders import child, episode, write_config, write_extract

HEADER = [child("0001", "1", "01/02/2008"), child("0002", "2", "05/05/2012"), child("0003", "1", "07/07/2015")]
EPISODES = [
    episode("0001", "01/01/2015", ls="C1", place="U1", dec="01/06/2015", rec="X1"),
    episode("0001", "01/06/2015", rne="L", ls="C2", place="U1", dec="15/03/2020", rec="E45"),
    episode("0002", "01/11/2019", ls="V2", place="U4", provider="PR4"),
    episode("0003", "10/10/2018", place="K2", provider="PR4", dec="31/10/2019", rec="E4A"),
]
TABLES = ("comparators", "data_quality", "discharges", "flows", "headline", "trend")


def invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    return result.exit_code, result.output


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("inputs")
    return write_extract(root / "extracts", HEADER, EPISODES), write_config(root / "config")


@pytest.fixture(scope="module")
def first_run(inputs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    extracts, config = inputs
    out = tmp_path_factory.mktemp("out")
    code, output = invoke("run", "--extracts", extracts, "--config", config, "--as-at", "2020-10-31", "--out", out)
    assert code == 0, output
    assert output.strip().endswith("(1 child looked after on 2020-10-31, 0 warnings)")
    return out / "2020-10-31"


def test_a_run_writes_the_whole_folder(first_run: Path) -> None:
    names = set(digests(first_run))
    assert {"report.pdf", "report.html", "manifest.json", "run.log"} <= names
    assert {f"tables/{t}.csv" for t in TABLES} <= names
    assert (first_run / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert (first_run / "tables" / "headline.csv").read_text().splitlines()[:3] == [
        "as_at,measure,group,period_start,period_end,value,unit,denominator,note",
        "2020-10-31,cla_count,all,,2019-10-31,1,count,,",  # 0001 (SGO in March 2020); 0003 left on 31 Oct 2019
        "2020-10-31,cla_count,all,,2020-10-31,1,count,,",  # 0002 only
    ]


def test_two_runs_give_byte_identical_folders(inputs: tuple[Path, Path], first_run: Path, tmp_path: Path) -> None:
    extracts, config = inputs
    code, output = invoke("run", "--extracts", extracts, "--config", config, "--as-at", "2020-10-31", "--out", tmp_path)
    assert code == 0, output
    assert digests(tmp_path / "2020-10-31") == digests(first_run)


def test_invalid_extracts_exit_3_and_leave_the_earlier_run_untouched(
    inputs: tuple[Path, Path], first_run: Path, tmp_path: Path
) -> None:
    _, config = inputs
    before = digests(first_run)
    bad = write_extract(tmp_path / "bad", HEADER, [*EPISODES, episode("0009", "01/01/2020", ls="ZZ")])
    code, output = invoke(
        "run", "--extracts", bad, "--config", config, "--as-at", "2020-10-31", "--out", first_run.parent
    )
    assert code == 3
    assert "episodes.csv:6: CHILD: the child is not in header.csv [EPISODE_ORPHAN]" in output
    assert "episodes.csv:6: LS: 'ZZ' is not a known LS code" in output
    assert "0009" not in output
    assert digests(first_run) == before
    assert sorted(p.name for p in first_run.parent.iterdir()) == [".lac-report.lock", "2020-10-31"]


def test_config_and_extract_problems_are_reported_together(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    config = write_config(tmp_path / "config", "[council]\nnam = 'x'\n")
    bad = write_extract(tmp_path / "bad", HEADER[:1], [episode("0001", "31/02/2019")])
    code, output = invoke("validate", "--extracts", bad, "--config", config, "--as-at", "2020-10-31")
    assert code == 3
    assert "council.toml:0: council.nam: unknown key (check its spelling against the documented config)" in output
    assert "council.toml:0: population: a required key is missing [CONFIG_INVALID]" in output
    assert "episodes.csv:2: DECOM: '31/02/2019' is not a real date [CELL_DATE]" in output


@pytest.mark.parametrize(
    "args",
    [
        ("--as-at", "2020-13-01"),
        ("--as-at", "31/10/2020"),
        ("--as-at", "2999-01-31"),
        ("--edition", "secret"),
        ("--encoding", "latin-1"),
    ],
)
def test_a_wrong_command_line_exits_2(inputs: tuple[Path, Path], tmp_path: Path, args: tuple[str, str]) -> None:
    extracts, config = inputs
    code, _ = invoke("run", "--extracts", extracts, "--config", config, "--out", tmp_path, *args)
    assert code == 2
    assert not any(tmp_path.iterdir())


def test_validate_writes_nothing(inputs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extracts, config = inputs
    monkeypatch.chdir(tmp_path)
    code, output = invoke("validate", "--extracts", extracts, "--config", config, "--as-at", "2020-10-31")
    assert code == 0, output
    assert output.strip() == "lac-report: valid: header.csv 3, episodes.csv 4; 0 warnings"
    assert not any(tmp_path.iterdir())


def test_an_unexpected_error_exits_1_without_its_message(
    inputs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extracts, config = inputs

    def explode(*_: object) -> None:
        raise ValueError("child 0002 born 05/05/2012")

    monkeypatch.setattr("pipeline.run.runner.build_tables", explode)
    code, output = invoke("run", "--extracts", extracts, "--config", config, "--as-at", "2020-10-31", "--out", tmp_path)
    assert code == 1
    assert "unexpected error (ValueError)" in output
    assert "0002" not in output and "05/05/2012" not in output
    assert not (tmp_path / "2020-10-31").exists()


def test_errors_file_lists_every_problem(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    _, config = inputs
    bad = write_extract(tmp_path / "bad", HEADER, [episode("0001", "01/01/2019", rne="P", ls="=SUM(A1)")])
    errors = tmp_path / "errors.csv"
    code, _ = invoke("validate", "--extracts", bad, "--config", config, "--as-at", "2020-10-31", "--errors", errors)
    assert code == 3
    assert errors.read_text().splitlines() == [
        "file,line,column,message,rule,severity,location",
        "episodes.csv,2,LS,\"'=SUM(A1)' is not a known LS code (expected C1, C2, D1, E1, J1, J2, J3, L1, L2, L3, V2,"
        ' V3, ...)",CELL_CODE,error,',
        "episodes.csv,2,RNE,\"the episode starts a new period of care but RNE is 'P', not S\",EPISODE_NEW_PERIOD_NOT_S,"
        "warning,",
    ]
