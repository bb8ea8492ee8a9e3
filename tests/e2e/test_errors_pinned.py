"""The ``--errors`` file of three messy extracts, pinned byte for byte: speed work on the reading and
the rules must leave every message as it was.

The expected files are the output of the program before the speed work of issue 15 (committed
first, then the work). A change to a message on purpose, or to the sample the messy extracts are
made from (``make sample``), rewrites them with ``python -m tests.e2e.test_errors_pinned``; the
diff then shows exactly which messages changed, for review.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.cli import options
from tests.builders import TODAY
from tests.messy import SAMPLES, write_messy

EXPECTED = Path(__file__).resolve().parent / "expected"
AS_AT = "2020-10-31"
# The messy extracts of tests.messy, by (unreadable, untidy): with cells that fail to read some
# rules leave children out, without them none does; untidy messes up every file's cells.
VARIANTS = {"messy": (True, False), "shuffled": (False, False), "untidy": (True, True)}


def validate_errors(extracts: Path, errors: Path) -> tuple[int, list[str]]:
    """``lac-report validate --errors`` on ``extracts`` (on the day ``TODAY``): the exit status, and
    the terminal's lines that are not one problem each (the counts of the rest, the notes, the summary)."""
    args = ["validate", "--extracts", str(extracts), "--config", str(SAMPLES / "config"), "--as-at", AS_AT]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(options, "today", lambda: TODAY)
        result = CliRunner().invoke(cli.app, [*args, "--errors", str(errors)])
    lines = [line.replace(str(errors), "ERRORS.csv") for line in result.output.splitlines()]
    summary = [line for line in lines if line.startswith(("lac-report: ", "... and ", "("))]
    return result.exit_code, [line for line in summary if not line.startswith("lac-report: WARNING: ")]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_errors_file_of_a_messy_extract_is_unchanged(name: str, tmp_path: Path) -> None:
    unreadable, untidy = VARIANTS[name]
    extracts = write_messy(tmp_path / "extracts", unreadable=unreadable, untidy=untidy)
    code, summary = validate_errors(extracts, tmp_path / "errors.csv")
    assert code == 3
    assert (tmp_path / "errors.csv").read_text(encoding="utf-8") == (EXPECTED / f"{name}-errors.csv").read_text(
        encoding="utf-8"
    )
    assert summary == (EXPECTED / f"{name}-summary.txt").read_text(encoding="utf-8").splitlines()


def write_expected(folder: Path) -> None:
    """Rewrite the expected files from the program as it is (review the diff before committing)."""
    for name, (unreadable, untidy) in VARIANTS.items():
        extracts = write_messy(folder / name, unreadable=unreadable, untidy=untidy)
        _, summary = validate_errors(extracts, EXPECTED / f"{name}-errors.csv")
        (EXPECTED / f"{name}-summary.txt").write_text("".join(f"{line}\n" for line in summary), encoding="utf-8")
        print(f"wrote {EXPECTED / name}-errors.csv and -summary.txt")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        write_expected(Path(scratch))
    sys.exit(0)
