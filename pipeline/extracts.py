"""Loading an extract folder: every file read, parsed and checked, all problems at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.config import Mapping
from pipeline.csvfile import read_raw
from pipeline.optional_rules import rules_for
from pipeline.parse import parse_file
from pipeline.problems import InvalidInput, Problem, errors, warnings
from pipeline.rules import EPISODE_RULES, check_rules
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


def load_extracts(directory: Path, mapping: Mapping, *, encoding: str, today: dt.date) -> Extracts:
    """Read every file of the contract in ``directory``; raise ``InvalidInput`` listing every error."""
    if not directory.is_dir():
        raise InvalidInput([Problem(str(directory), 0, "", "the extracts folder does not exist", "FILE_MISSING")])
    problems: list[Problem] = []
    frames: dict[str, pl.DataFrame] = {}
    inputs: list[InputFile] = []
    for spec in FILES:
        typed, found = _load_file(directory, spec, mapping, encoding, today)
        problems += found
        if typed is not None:
            frames[spec.stem], info = typed
            inputs.append(info)
    if "header" in frames and "episodes" in frames:
        problems += check_rules(EPISODE_RULES, frames)
    problems += check_rules(rules_for(frames), frames)  # optional files: only those present
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
