"""Every exit ends with exactly one summary line: usage errors, Ctrl-C (SIGINT) and SIGTERM included.

The signals are sent to real processes: the installed ``lac-report`` program, or Python running
the same entry point (``pipeline.__main__.main``) with a hook that sends the signal at an exact
moment (while Polars is being imported, while the run folder is being written).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from tests.builders import child, episode, write_config, write_extract

REPOSITORY = Path(__file__).resolve().parents[2]
PROGRAM = REPOSITORY / ".venv" / "bin" / "lac-report"
SUMMARY = "lac-report: failed (exit {}): stopped by {} before it finished; nothing half-written was left"
HEADER = [child("0001", "1", "01/02/2008"), child("0002", "2", "05/05/2012")]
EPISODES = [episode("0001", "01/01/2015", ls="C2", place="U1"), episode("0002", "01/11/2019", ls="V2", place="U4")]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("inputs")
    return write_extract(root / "extracts", HEADER, EPISODES), write_config(root / "config")


def run_args(inputs: tuple[Path, Path], out: Path) -> list[str]:
    extracts, config = inputs
    return ["run", "--extracts", str(extracts), "--config", str(config), "--as-at", "2020-10-31", "--out", str(out)]


def summaries(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("lac-report: failed")]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--edition", "publc"], "Invalid value for '--edition': 'publc' is not one of 'internal', 'public'."),
        (
            ["--as-at", "2999-01-31"],
            "Invalid value for --as-at: 2999-01-31 is after today: a report can only look back",
        ),
        (["--as-at", "31/10/2020"], "Invalid value for '--as-at': '31/10/2020' does not match the formats '%Y-%m-%d'."),
        (["--bogus"], "No such option: --bogus (Possible options: --out)"),
    ],
)
def test_a_usage_error_ends_with_the_summary_line_not_a_box(
    inputs: tuple[Path, Path], tmp_path: Path, args: list[str], problem: str
) -> None:
    result = CliRunner().invoke(cli.app, [*run_args(inputs, tmp_path), *args])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Usage: lac-report run [OPTIONS]",
        "Try 'lac-report run --help' for help.",
        f"lac-report: failed (exit 2): the command line is wrong: {problem}",
    ]
    assert not any(tmp_path.iterdir())


def test_no_command_or_an_unknown_one_ends_with_the_summary_line_too() -> None:
    for args, problem in (([], "Missing command."), (["frobnicate"], "No such command 'frobnicate'.")):
        result = CliRunner().invoke(cli.app, args)
        assert result.exit_code == 2
        assert result.output.splitlines()[-1] == f"lac-report: failed (exit 2): the command line is wrong: {problem}"


def test_config_is_required_and_never_the_sample(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    extracts, config = inputs
    args = ["run", "--extracts", str(extracts), "--as-at", "2020-10-31", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli.app, args, env={"LAC_CONFIG": None})
    assert result.exit_code == 2
    assert summaries(result.output) == [
        "lac-report: failed (exit 2): the command line is wrong: Missing option '--config' (env var: 'LAC_CONFIG')."
    ]
    assert not any(tmp_path.iterdir())
    # The setting deploy/ uses stands in for --config.
    result = CliRunner().invoke(cli.app, args, env={"LAC_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    assert "Testshire" in (tmp_path / "2020-10-31" / "report.html").read_text()


def test_every_command_that_succeeds_ends_with_its_summary_line(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    extracts, config = inputs
    run_folder = tmp_path / "out" / "2020-10-31"
    commands = {
        "run": (run_args(inputs, tmp_path / "out"), "lac-report: done: "),
        "validate": (["validate", "--extracts", str(extracts), "--config", str(config), "--as-at", "2020-10-31"],
                     "lac-report: valid: "),
        "verify": (["verify", str(run_folder)], "lac-report: verified: "),
        "compare": (["compare", str(run_folder), str(run_folder)], "lac-report: compared: "),
        "published": (["published", "--config", str(config)], "lac-report: published: "),
        "sample": (["sample", "--out", str(tmp_path / "sample"), "--children", "20"], "lac-report: wrote "),
    }  # fmt: skip
    for name, (args, last) in commands.items():
        result = CliRunner().invoke(cli.app, args)
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[-1].startswith(last), name


def started(code: str, *args: str) -> subprocess.Popen[str]:
    """Python running ``code`` and then the program's entry point with ``args``, as the installed script does."""
    script = textwrap.dedent(code) + "\nimport sys\nsys.argv = ['lac-report', *sys.argv[1:]]\n"
    script += "from pipeline.__main__ import main\nmain()\n"
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_libraries_load_ends_with_one_line_and_no_traceback(
    inputs: tuple[Path, Path], tmp_path: Path, signum: int
) -> None:
    """The second of loading Polars, before any of lac-report's commands exists (a traceback before)."""
    hook = f"""
        import os, sys
        class SignalOnPolars:
            def find_spec(self, name, path=None, target=None):
                if name == "polars":
                    sys.meta_path.remove(self)
                    os.kill(os.getpid(), {int(signum)})
                return None
        sys.meta_path.insert(0, SignalOnPolars())
    """
    process = started(hook, *run_args(inputs, tmp_path))
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 128 + signum
    assert output.splitlines() == [SUMMARY.format(128 + signum, "Ctrl-C (SIGINT)" if signum == 2 else "SIGTERM")]
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_run_folder_is_written_leaves_nothing_half_written(
    inputs: tuple[Path, Path], tmp_path: Path, signum: int
) -> None:
    hook = f"""
        import os
        from pipeline.run import runner
        write_table = runner.write_table
        def write_then_signal(frame, path, as_at):
            write_table(frame, path, as_at)
            os.kill(os.getpid(), {int(signum)})  # after the first table: the run folder is half written
        runner.write_table = write_then_signal
    """
    process = started(hook, *run_args(inputs, tmp_path))
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 128 + signum
    assert "Traceback" not in output
    assert summaries(output) == [SUMMARY.format(128 + signum, "Ctrl-C (SIGINT)" if signum == 2 else "SIGTERM")]
    assert output.splitlines()[-1] == summaries(output)[0]
    assert [p.name for p in tmp_path.iterdir()] == [".lac-report.lock"]  # no staging folder, no run folder


def test_the_installed_program_stopped_by_the_scheduler_ends_with_one_line(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    """``lac-report`` itself, sent SIGTERM (systemd's stop) once it says it has read the extracts."""
    assert PROGRAM.is_file(), "run make setup first"
    process = subprocess.Popen(
        [str(PROGRAM), *run_args(inputs, tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("lac-report: INFO: step 1/4"):
            process.send_signal(signal.SIGTERM)
            break
    lines += process.communicate(timeout=120)[0].splitlines()
    assert process.returncode == 143, lines
    assert lines[-1] == SUMMARY.format(143, "SIGTERM")
    assert not [line for line in lines if "Traceback" in line or line.startswith("lac-report: done")]
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], [".lac-report.lock"])


def test_later_signals_are_ignored_so_the_clean_up_finishes() -> None:
    from pipeline.core.stopping import Stopped, stop_on_signals

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        stop_on_signals()
        with pytest.raises(Stopped) as stop:
            os.kill(os.getpid(), signal.SIGTERM)  # the handler raises as soon as os.kill returns
        assert stop.value.exit_status == 143
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def test_python_m_pipeline_is_the_same_program() -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "sample"], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "lac-report: failed (exit 2): the command line is wrong: Missing option '--out'."
    )
