"""Loading an extract folder: every file read, parsed and checked, all problems at once.

A file that cannot be read skips only the rules that need it: every other file is still
checked, so one run lists everything there is to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.care import periods_of_care
from pipeline.config import Mapping
from pipeline.csvfile import read_raw
from pipeline.parse import parse_file
from pipeline.problems import InvalidInput, Problem, errors, warnings
from pipeline.rules import PERIODS, catalogue, check_rules
from pipeline.schema import FILES, FileSpec


@dataclass(frozen=True)
class InputFile:
    """What the manifest and the provenance appendix say about one extract file."""

    name: str
    rows: int
    sha256: str
    size_bytes: int
    extra_columns: tuple[str, ...]


@dataclass(frozen=True)
class Extracts:
    """The validated extracts as typed frames (an absent optional file is ``None``)."""

    header: pl.DataFrame
    episodes: pl.DataFrame
    echo: pl.DataFrame | None
    legal: pl.DataFrame | None
    flags: pl.DataFrame | None
    factors: pl.DataFrame | None
    inputs: tuple[InputFile, ...]
    warnings: tuple[Problem, ...]
    periods: pl.DataFrame | None = None  # ``care.periods_of_care(episodes)``, kept from validation

    def periods_of_care(self) -> pl.DataFrame:
        """The children's periods of care: those validation worked out, or worked out now."""
        return self.periods if self.periods is not None else periods_of_care(self.episodes)


def load_extracts(directory: Path, mapping: Mapping, *, encoding: str, today: dt.date) -> Extracts:
    """Read every file of the contract in ``directory``; raise ``InvalidInput`` listing every error."""
    if not directory.is_dir():
        what = "is a file, not a folder" if directory.exists() else "does not exist"
        raise InvalidInput([Problem(str(directory), 0, "", f"the extracts folder {what}", "FILE_MISSING")])
    problems: list[Problem] = []
    frames: dict[str, pl.DataFrame] = {}
    inputs: list[InputFile] = []
    for spec in FILES:
        typed, found = _load_file(directory, spec, mapping, encoding, today)
        problems += found
        if typed is not None:
            frames[spec.stem], info = typed
            inputs.append(info)
    # Every rule whose files loaded runs, so one run reports as much as can be found; a cell that
    # is itself wrong gets one message, not a second one from a rule that read it as empty.
    cells = {(p.file, p.line, p.column) for p in problems}
    problems += [p for p in check_rules(catalogue(), frames) if (p.file, p.line, p.column) not in cells]
    problems = sorted(set(problems))  # a rule registered twice reports once
    if errors(problems):
        raise InvalidInput(problems)
    return Extracts(
        header=frames["header"],
        episodes=frames["episodes"],
        echo=frames.get("echo"),
        legal=frames.get("legal"),
        flags=frames.get("flags"),
        factors=frames.get("factors"),
        inputs=tuple(inputs),
        warnings=tuple(sorted(warnings(problems))),
        periods=frames.get(PERIODS),  # when a rule needed them: `validate` alone never does
    )


def _load_file(
    directory: Path, spec: FileSpec, mapping: Mapping, encoding: str, today: dt.date
) -> tuple[tuple[pl.DataFrame, InputFile] | None, list[Problem]]:
    raw, problems = read_raw(directory / spec.name, spec, encoding=encoding, rename=mapping.renames_for(spec.stem))
    if raw is None:
        return None, problems
    typed, cell_problems = parse_file(raw, today=today, recodes=mapping.recodes_for(spec.stem))
    info = InputFile(spec.name, raw.rows, raw.sha256, raw.size_bytes, raw.extra_columns)
    return (typed, info), problems + cell_problems
