"""No output depends on the numbers Polars gives categories.

Codes and dates are read as categories (``Column.categorical``), and a category's number follows
the order its text first reached Polars' global mapping of categories: an order that threads and
earlier work can change. So a validation and a run are repeated in a process that first fills the
mapping with every cell of the extract in a shuffled order (every text then has another number),
and must give the same bytes as in a fresh process.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_stopping import started
from tests.messy import SAMPLES, write_messy

AS_AT = "2020-10-31"
SHUFFLED_CATEGORIES = """
    import random
    from pathlib import Path

    import polars as pl

    cells = set()
    for path in sorted(Path({extracts!r}).glob("*.csv")):
        frame = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=True, encoding="utf8-lossy")
        for column in frame.iter_columns():
            for cell in column.drop_nulls():
                cells.update((cell, cell.strip(), cell.strip().upper()))
    shuffled = sorted(cells)
    random.Random(15).shuffle(shuffled)
    numbered_first = pl.Series(shuffled, dtype=pl.Categorical())
"""


def finished(code: str, *args: str) -> tuple[int, str]:
    process = started(code, *args)
    output, _ = process.communicate(timeout=300)
    return process.returncode, output


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_messy_extracts_problems_do_not_depend_on_the_categories_numbers(tmp_path: Path) -> None:
    extracts = write_messy(tmp_path / "extracts", unreadable=True, untidy=True)
    outputs = {}
    for name, code in (("fresh", ""), ("shuffled", SHUFFLED_CATEGORIES.format(extracts=str(extracts)))):
        errors = tmp_path / f"{name}.csv"
        args = ["validate", "--extracts", str(extracts), "--config", str(SAMPLES / "config"), "--as-at", AS_AT]
        status, output = finished(code, *args, "--errors", str(errors))
        assert status == 3, output
        outputs[name] = (output.replace(str(errors), "ERRORS.csv"), errors.read_bytes())
    assert outputs["fresh"][1].count(b"\n") > 500  # the messy extract's many problems, every one compared
    assert outputs["shuffled"] == outputs["fresh"]


def test_a_runs_folder_does_not_depend_on_the_categories_numbers(tmp_path: Path) -> None:
    folders = {}
    for name, code in (("fresh", ""), ("shuffled", SHUFFLED_CATEGORIES.format(extracts=str(SAMPLES)))):
        args = ["run", "--extracts", str(SAMPLES), "--config", str(SAMPLES / "config"), "--as-at", AS_AT]
        status, output = finished(code, *args, "--out", str(tmp_path / name))
        assert status == 0, output
        folders[name] = files(tmp_path / name / AS_AT)
    assert "tables/headline.csv" in folders["fresh"] and "report.pdf" in folders["fresh"]
    assert folders["shuffled"] == folders["fresh"]
