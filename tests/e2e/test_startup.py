"""Each command loads only the libraries it uses: the PDF engine, the charts and the templates for
``run`` alone, no data library for ``--help``. Checked on the real entry point with those libraries
made impossible to import (not by timing: ``make bench`` measures how long start-up takes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from tests.builders import write_config, write_extract
from tests.e2e.test_stopping import EPISODES, HEADER, run_args, started

REPORT_LIBRARIES = ("weasyprint", "matplotlib", "jinja2")


def blocked(*modules: str) -> str:
    """Code that makes ``modules`` fail to import, as if they were not installed."""
    return "import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in modules)


def finished(code: str, *args: str) -> tuple[int, list[str]]:
    process = started(code, *args)
    output, _ = process.communicate(timeout=120)
    return process.returncode, output.splitlines()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """An extract, its config and a run folder made from them."""
    root = tmp_path_factory.mktemp("inputs")
    extracts, config = write_extract(root / "extracts", HEADER, EPISODES), write_config(root / "config")
    result = CliRunner().invoke(cli.app, run_args((extracts, config), root / "out"))
    assert result.exit_code == 0, result.output
    return extracts, config, root / "out" / "2020-10-31"


def test_help_loads_no_data_library_and_no_report_library() -> None:
    code, lines = finished(blocked("polars", "numpy", "pydantic", "rich", *REPORT_LIBRARIES), "--help")
    assert code == 0, lines
    assert lines[0] == "Usage: lac-report [OPTIONS] COMMAND [ARGS]..."
    assert "  validate   Check the extracts, config and as-at date, writing nothing." in lines


def test_every_command_but_run_works_without_the_report_libraries(inputs: tuple[Path, Path, Path]) -> None:
    extracts, config, folder = inputs
    commands = {
        "validate": (["validate", "--extracts", str(extracts), "--config", str(config), "--as-at", "2020-10-31"],
                     "lac-report: valid: "),
        "verify": (["verify", str(folder)], "lac-report: verified: "),
        "compare": (["compare", str(folder), str(folder)], "lac-report: compared: "),
        "published": (["published", "--config", str(config)], "lac-report: published: "),
        "run --help": (["run", "--help"], "  --help "),
    }  # fmt: skip
    for name, (args, last) in commands.items():
        code, lines = finished(blocked(*REPORT_LIBRARIES), *args)
        assert code == 0, (name, lines)
        assert lines[-1].startswith(last), (name, lines)


def test_a_run_whose_pdf_engine_cannot_load_says_so_and_writes_nothing(
    inputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    extracts, config, _ = inputs
    code, lines = finished(blocked("weasyprint"), *run_args((extracts, config), tmp_path))
    assert code == 1
    assert lines[-1] == (
        "lac-report: failed (exit 1): could not load a library it needs (ModuleNotFoundError: No module named"
        " 'weasyprint.pdf';"
        " 'weasyprint' is not a package); run make setup in the lac-report folder"
    )
    assert "Traceback" not in "\n".join(lines)
    assert not [p for p in tmp_path.iterdir() if p.name != ".lac-report.lock"]
