"""Nothing partial: interrupted, failed and concurrent runs never corrupt the output folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import multiprocessing.synchronize
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.run import outputs, runner
from pipeline.run.outputs import OutputBusy, output_lock, recover, staged_folder
from tests.builders import TODAY, write_config
from tests.unit.test_bad_inputs import files, write

AS_AT = "2020-10-31"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def earlier_month(out: Path) -> Path:
    """A finished folder for another month, which no run for 2020-10-31 may touch."""
    folder = out / "2020-09-30"
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "headline.csv").write_text("as_at,measure\n2020-09-30,cla_count\n")
    (folder / "report.pdf").write_bytes(b"%PDF-1.7 September")
    return folder


def test_a_staged_folder_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / AS_AT
    with staged_folder(target) as stage:
        (stage / "report.pdf").write_bytes(b"new")
        assert not target.exists()
    assert tree(target) == {"report.pdf": b"new"}
    assert [p.name for p in tmp_path.iterdir()] == [AS_AT]


@pytest.mark.parametrize("interruption", [RuntimeError("disk full"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_a_failed_or_interrupted_write_leaves_the_earlier_folder_as_it_was(
    tmp_path: Path, interruption: BaseException
) -> None:
    target = tmp_path / AS_AT
    with staged_folder(target) as stage:
        (stage / "report.pdf").write_bytes(b"first")
    september = tree(earlier_month(tmp_path))
    with pytest.raises(type(interruption)), staged_folder(target) as stage:
        (stage / "report.pdf").write_bytes(b"half of the sec")
        raise interruption
    assert tree(target) == {"report.pdf": b"first"}
    assert tree(tmp_path / "2020-09-30") == september
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2020-09-30", AS_AT]


def test_a_second_run_replaces_the_first_only_when_it_succeeds(tmp_path: Path) -> None:
    target = tmp_path / AS_AT
    for content in (b"first", b"second"):
        with staged_folder(target) as stage:
            (stage / "report.pdf").write_bytes(content)
    assert tree(target) == {"report.pdf": b"second"}
    assert [p.name for p in tmp_path.iterdir()] == [AS_AT]


def test_a_failed_final_rename_puts_the_earlier_folder_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / AS_AT
    with staged_folder(target) as stage:
        (stage / "report.pdf").write_bytes(b"first")
    real_rename = os.rename

    def failing_rename(source: Path, destination: Path) -> None:
        if Path(source).name.startswith(f".{AS_AT}.staging-"):
            raise OSError("the disk went away")
        real_rename(source, destination)

    monkeypatch.setattr(outputs.os, "rename", failing_rename)
    with pytest.raises(OSError, match="disk went away"), staged_folder(target) as stage:
        (stage / "report.pdf").write_bytes(b"second")
    assert tree(target) == {"report.pdf": b"first"}
    assert [p.name for p in tmp_path.iterdir()] == [AS_AT]


def test_the_next_run_tidies_what_a_killed_run_left(tmp_path: Path) -> None:
    # Killed between moving October's folder aside and renaming the new one in, and with a
    # half-written staging folder for the public edition.
    retired = tmp_path / f".{AS_AT}.retired-x1y2" / AS_AT
    retired.mkdir(parents=True)
    (retired / "report.pdf").write_bytes(b"october")
    staging = tmp_path / f".{AS_AT}-public.staging-z3"
    staging.mkdir()
    (staging / "report.pdf").write_bytes(b"half")
    september = tree(earlier_month(tmp_path))
    with output_lock(tmp_path):
        pass
    assert tree(tmp_path / AS_AT) == {"report.pdf": b"october"}
    assert tree(tmp_path / "2020-09-30") == september
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lac-report.lock", "2020-09-30", AS_AT]


def test_recovery_drops_a_retired_folder_once_its_replacement_is_in_place(tmp_path: Path) -> None:
    (tmp_path / AS_AT).mkdir()
    (tmp_path / AS_AT / "report.pdf").write_bytes(b"new")
    (tmp_path / f".{AS_AT}.retired-a" / AS_AT).mkdir(parents=True)
    assert recover(tmp_path) == []
    assert tree(tmp_path) == {f"{AS_AT}/report.pdf": b"new"}


def test_a_second_run_waits_for_the_lock_and_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    with (
        output_lock(tmp_path),
        pytest.raises(OutputBusy, match="another lac-report run is writing to"),
        output_lock(tmp_path, wait=0),
    ):
        pass
    with output_lock(tmp_path, wait=0):  # free again
        pass


def _hold_lock(
    out: str, holding: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event
) -> None:
    with output_lock(Path(out)), staged_folder(Path(out) / AS_AT) as stage:
        (stage / "report.pdf").write_bytes(b"from the first run")
        holding.set()
        release.wait(30)


class _ReleaseWhenWaiting(logging.Handler):
    """Lets the first process finish as soon as the second says it is waiting for the lock."""

    def __init__(self, release: multiprocessing.synchronize.Event) -> None:
        super().__init__(logging.WARNING)
        self.event = release
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.event.set()


def test_two_processes_writing_the_same_folder_take_turns(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")  # the child only locks and writes: no threads needed
    holding, release = context.Event(), context.Event()
    first = context.Process(target=_hold_lock, args=(str(tmp_path), holding, release))
    first.start()
    handler = _ReleaseWhenWaiting(release)
    logging.getLogger("lac_report").addHandler(handler)
    try:
        assert holding.wait(30)
        with pytest.raises(OutputBusy), output_lock(tmp_path, wait=0):
            pass
        assert not (tmp_path / AS_AT).exists()  # the first run's folder is not in place until it finishes
        with output_lock(tmp_path, wait=30, poll=0.01):
            assert tree(tmp_path / AS_AT) == {"report.pdf": b"from the first run"}
            with staged_folder(tmp_path / AS_AT) as stage:
                (stage / "report.pdf").write_bytes(b"from the second run")
    finally:
        logging.getLogger("lac_report").removeHandler(handler)
        release.set()
        first.join(30)
    assert first.exitcode == 0
    assert handler.messages == [f"another lac-report run is writing to {tmp_path}: waiting for it (up to 30 s)"]
    assert tree(tmp_path / AS_AT) == {"report.pdf": b"from the second run"}


# ---- whole runs --------------------------------------------------------------------------------------


def run(extracts: Path, config: Path, out: Path) -> tuple[int, str]:
    args = ["run", "--extracts", str(extracts), "--config", str(config), "--as-at", AS_AT, "--out", str(out)]
    result = CliRunner().invoke(cli.app, args)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Extracts, config and an output folder holding a finished October run and a September folder."""
    root = tmp_path_factory.mktemp("finished")
    extracts, config, out = write(root / "extracts", files()), write_config(root / "config"), root / "out"
    code, output = run(extracts, config, out)
    assert code == 0, output
    earlier_month(out)
    return root


@pytest.fixture
def first_run(finished: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    shutil.copytree(finished, tmp_path, dirs_exist_ok=True)
    return tmp_path / "extracts", tmp_path / "config", tmp_path / "out"


def test_a_run_that_fails_while_writing_leaves_every_folder_untouched(
    first_run: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    extracts, config, out = first_run
    before = tree(out)
    written: list[str] = []

    def write_then_fail(frame: object, path: Path, as_at: object) -> None:
        written.append(path.name)
        path.write_text("half a table")
        if len(written) == 3:
            raise OSError("no space left on device")

    monkeypatch.setattr("pipeline.run.runner.write_table", write_then_fail)
    code, output = run(extracts, config, out)
    assert code == 1 and "unexpected error (OSError)" in output
    assert len(written) == 3
    assert tree(out) == before


def test_an_interrupted_run_leaves_every_folder_untouched(
    first_run: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    extracts, config, out = first_run
    before = tree(out)

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the manifest is written, the last step

    monkeypatch.setattr("pipeline.run.runner.write_manifest", interrupted)
    request = runner.Request(extracts, dt.date(2020, 10, 31), config, TODAY, out=out)
    with pytest.raises(KeyboardInterrupt):
        runner.run(request)
    assert tree(out) == before


def test_a_successful_second_run_replaces_the_month_and_nothing_else(first_run: tuple[Path, Path, Path]) -> None:
    extracts, config, out = first_run
    september = tree(out / "2020-09-30")
    episodes = extracts / "episodes.csv"
    episodes.write_bytes(episodes.read_bytes().replace(b"31/10/2019,E45", b"30/10/2019,E45"))
    code, output = run(extracts, config, out)
    assert code == 0, output
    assert tree(out / "2020-09-30") == september
    assert sorted(p.name for p in out.iterdir()) == [".lac-report.lock", "2020-09-30", AS_AT]
    manifest = json.loads((out / AS_AT / "manifest.json").read_text())
    recorded = {i["file"]: i["sha256"] for i in manifest["inputs"]}
    assert recorded["episodes.csv"] == hashlib.sha256(episodes.read_bytes()).hexdigest()


def modes(folder: Path) -> set[tuple[str, str]]:
    """The permission bits of the folder and everything in it, by kind: ('folder', '750'), ('file', '640')."""
    paths = [folder, *folder.rglob("*")]
    return {("folder" if p.is_dir() else "file", f"{p.stat().st_mode & 0o777:o}") for p in paths}


@pytest.mark.parametrize(
    ("umask", "folder", "file"), [(0o022, "755", "644"), (0o027, "750", "640"), (0o077, "700", "600")]
)
def test_the_run_folder_honours_the_umask(finished: Path, tmp_path: Path, umask: int, folder: str, file: str) -> None:
    """A service account with UMask=0027 must let its group read the reports (tempfile made them 0700)."""
    previous = os.umask(umask)
    try:
        code, output = run(finished / "extracts", finished / "config", tmp_path)
    finally:
        os.umask(previous)
    assert code == 0, output
    assert modes(tmp_path / AS_AT) == {("folder", folder), ("file", file)}


def test_a_replaced_file_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "errors.csv"
    target.write_text("the earlier file\n")
    with pytest.raises(KeyboardInterrupt), outputs.replaced_file(target) as partial:
        partial.write_text("half of the ne")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["errors.csv"] and target.read_text() == "the earlier file\n"
    previous = os.umask(0o027)
    try:
        with outputs.replaced_file(target) as partial:
            partial.write_text("the new file\n")
    finally:
        os.umask(previous)
    assert [p.name for p in tmp_path.iterdir()] == ["errors.csv"] and target.read_text() == "the new file\n"
    assert f"{target.stat().st_mode & 0o777:o}" == "640"


def test_an_interrupted_errors_file_is_not_left_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import polars as pl

    bad = write(tmp_path / "bad", files(episodes_bytes=b"CHILD,DECOM\n"))
    errors = tmp_path / "errors.csv"
    real_write_csv = pl.DataFrame.write_csv

    def write_half_then_stop(frame: pl.DataFrame, path: Path, **options: object) -> None:
        real_write_csv(frame.head(1), path)
        raise KeyboardInterrupt  # Ctrl-C halfway through the errors file

    monkeypatch.setattr(pl.DataFrame, "write_csv", write_half_then_stop)
    args = ["validate", "--extracts", str(bad), "--config", str(write_config(tmp_path / "c")), "--as-at", AS_AT]
    result = CliRunner().invoke(cli.app, [*args, "--errors", str(errors)])
    assert result.exit_code == 130
    assert result.output.splitlines()[-1] == (
        "lac-report: failed (exit 130): stopped by Ctrl-C (SIGINT) before it finished; nothing half-written was left"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "c"]


def test_run_log_holds_the_runs_info_lines_whoever_calls_the_runner(tmp_path: Path) -> None:
    """The CLI sets the logger to INFO; a script or test calling the runner directly may not, and
    run.log must be the same either way (and the logger is left as it was)."""
    extracts, config, out = tmp_path / "extracts", tmp_path / "config", tmp_path / "out"
    write(extracts, files())
    write_config(config)
    logger = logging.getLogger("lac_report")
    saved = logger.level
    logger.setLevel(logging.WARNING)
    try:
        finished = runner.run(runner.Request(extracts, dt.date(2020, 10, 31), config, TODAY, out=out))
        assert logger.level == logging.WARNING
    finally:
        logger.setLevel(saved)
    lines = (finished.folder / "run.log").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("info: lac-report ") and lines[0].endswith("as at 2020-10-31, internal edition")
    assert any(line.startswith("info: computed ") for line in lines)
