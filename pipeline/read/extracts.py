"""Reading an extract folder: every file of the contract read and parsed, all problems at once.

A file that cannot be read is left out of the frames, so that only the rules needing it are
skipped and every other file is still checked (``pipeline.checks.validate``).

The folder is today's single extract (its files at the top), or a folder of annual SSDA903
returns with or without the current extract beside them (``pipeline.read.returns``), stitched
into one history first. Either way the typed frames are the same; ``origins`` says where each
row came from, so every problem names its own file and line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.core.problems import InvalidInput, Problem
from pipeline.read.csvfile import printable, read_raw
from pipeline.read.extract_date import EXTRACT_TOML, ExtractDate
from pipeline.read.mapping import Mapping
from pipeline.read.origins import Origins
from pipeline.read.parse import parse_file, unreadable_cells
from pipeline.read.returns.layout import Layout, discover
from pipeline.read.returns.load import RECODED_BEFORE_STITCH, load_returns
from pipeline.read.returns.provenance import Provenance
from pipeline.read.schema import FILES, FILES_BY_NAME


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
    warning_rules: tuple[str, ...] = field(default=())  # every warning rule the extracts were checked against
    periods: pl.DataFrame | None = None  # the periods of care, when validation worked them out
    uasc: pl.DataFrame | None = None  # the UASC table (uasc.csv, or the returns'), when there is one
    returns: Provenance | None = None  # the annual returns stitched into the history, when there were any
    unused: tuple[str, ...] = ()  # the files in the folder the run did not use


@dataclass(frozen=True)
class ReadFolder:
    """Every file of an extract folder that could be read, as typed frames by file stem."""

    frames: dict[str, pl.DataFrame]
    inputs: tuple[InputFile, ...]
    problems: tuple[Problem, ...]
    unreadable: dict[str, pl.DataFrame] = field(default_factory=dict)  # by stem: the cells that failed to read
    origins: dict[str, Origins] = field(default_factory=dict)  # by stem, where not the file of its name
    closed: pl.Series | None = None  # the episodes (their _line) the stitch of the returns closed
    returns: Provenance | None = None
    unused: tuple[str, ...] = ()


def read_folder(
    directory: Path, mapping: Mapping, *, encoding: str, today: dt.date, taken: ExtractDate | None = None
) -> ReadFolder:
    """Read and parse every file of the contract in ``directory``; the problems of their bytes and cells.

    ``taken`` (the day the extract was taken, when the folder says) places a folder of returns:
    the collection year holding it is the year in progress.
    """
    if not directory.is_dir():
        what = "is a file, not a folder" if directory.exists() else "does not exist"
        raise InvalidInput([Problem(str(directory), 0, "", f"the extracts folder {what}", "FILE_MISSING")])
    layout = discover(directory)
    if not layout.single:
        return _read_returns(layout, mapping, encoding=encoding, today=today, taken=taken)
    problems: list[Problem] = []
    frames: dict[str, pl.DataFrame] = {}
    unreadable: dict[str, pl.DataFrame] = {}
    inputs: list[InputFile] = []
    for spec in FILES:
        raw, found = read_raw(directory / spec.name, spec, encoding=encoding, rename=mapping.renames_for(spec.stem))
        problems += found
        if raw is None:
            continue
        frames[spec.stem], cell_problems = parse_file(raw, today=today, recodes=mapping.recodes_for(spec.stem))
        problems += cell_problems
        unreadable[spec.stem] = unreadable_cells(cell_problems)
        inputs.append(InputFile(spec.name, raw.rows, raw.sha256, raw.size_bytes, raw.extra_columns))
    return ReadFolder(frames, tuple(inputs), tuple(problems), unreadable, unused=files_not_used(directory))


def _read_returns(
    layout: Layout, mapping: Mapping, *, encoding: str, today: dt.date, taken: ExtractDate | None
) -> ReadFolder:
    """A folder of returns, stitched, then parsed like one extract, each problem placed at its own row."""
    returns, problems = load_returns(layout, mapping, encoding=encoding, taken=taken, today=today)
    if returns is None:
        return ReadFolder({}, (), tuple(problems))
    frames: dict[str, pl.DataFrame] = {}
    unreadable: dict[str, pl.DataFrame] = {}
    for stem, raw in returns.raws.items():
        # The stitched tables' local codes were recoded before the stitch compared them (``returns.load.recoded``).
        recodes = {} if stem in RECODED_BEFORE_STITCH else mapping.recodes_for(stem)
        frames[stem], cells = parse_file(raw, today=today, recodes=recodes)
        unreadable[stem] = unreadable_cells(cells)  # by the stitched rows' numbers, as the rules see them
        problems += returns.origins[stem].place(cells)
    inputs = tuple(InputFile(f.name, f.rows, f.sha256, f.size_bytes, f.extra_columns) for f in returns.files)
    provenance = returns.provenance
    return ReadFolder(
        frames, inputs, tuple(problems), unreadable, returns.origins, returns.closed, provenance, provenance.unused
    )


def files_not_used(directory: Path) -> tuple[str, ...]:
    """The files in ``directory`` that are not extracts of the contract (``reviews.csv``, ``README.md``),
    by name (made printable), so that a run can say what it left aside. Hidden files (``.DS_Store``)
    are not listed, nor ``extract.toml``, which says when the extract was taken."""
    if not directory.is_dir():
        return ()
    names = (p.name for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))
    used = {*FILES_BY_NAME, EXTRACT_TOML}
    return tuple(sorted(printable(name, 80) for name in names if name not in used))
