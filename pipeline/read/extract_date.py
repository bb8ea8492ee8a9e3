"""When the extract was taken: ``extract.toml`` in the extract folder, or a date in the folder's name.

A run must not report on a day the extract cannot know about (``pipeline.checks.as_at``), so it
needs the day the extract was taken. Two places say it, both optional:

- ``extract.toml`` in the extract folder, one key: ``taken = 2020-11-02``;
- a full date ``yyyy-mm-dd`` in the folder's name, as ``deploy/`` lays extracts out
  (``extracts/2020-11-02/``). A bare year (``2021``) is not a date: it names a collection year.

When both are given they must agree. Neither may be after the day of the run. A name holding
more than one date (a range) says nothing about one day and is not read as a date. When neither
says, the newest episode start or end stands in for it (``newest_event``): the as-at checks
(``pipeline.checks.as_at``) and the annual returns (``pipeline.read.returns``, which need the
year in progress) use that one reading.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import field_validator

from pipeline.core.problems import Problem
from pipeline.read.tomlfile import Strict, read_toml, validated

if TYPE_CHECKING:
    import polars as pl

EXTRACT_TOML = "extract.toml"
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


class ExtractToml(Strict):
    """Everything in ``extract.toml`` (keys may be added, never renamed)."""

    taken: dt.date  # the day the extract was taken from Mosaic

    @field_validator("taken", mode="before")
    @classmethod
    def _a_toml_date(cls, value: Any) -> Any:
        # TOML reads an unquoted yyyy-mm-dd as a date; anything else (a quoted text, a date and time) is refused.
        if type(value) is not dt.date:
            shown = value.isoformat() if isinstance(value, dt.datetime | dt.time) else repr(value)
            raise ValueError(
                f"{shown} is not a date: write the day the extract was taken as taken = yyyy-mm-dd, without quotes"
            )
        return value


@dataclass(frozen=True)
class ExtractDate:
    """The day the extract was taken, where it was read from, and where a problem about it is reported."""

    taken: dt.date
    source: str  # "extract.toml" or "the folder's name"
    place: str  # the FILE of a problem: extract.toml, or the folder as given


@dataclass(frozen=True)
class DatedExtract:
    """What the extract folder says about its date: ``None`` when nothing does, with any problem found."""

    date: ExtractDate | None
    problems: tuple[Problem, ...] = ()


def extract_date(directory: Path, today: dt.date) -> DatedExtract:
    """The day the extract in ``directory`` was taken, from ``extract.toml`` or the folder's name."""
    if not directory.is_dir():
        return DatedExtract(None)  # reported by the reading of the extract files
    problems: list[Problem] = []
    from_toml = _from_toml(directory / EXTRACT_TOML, problems)
    from_name = _from_name(directory, problems)
    for found in (from_toml, from_name):
        if found is not None and found.taken > today:
            problems.append(
                Problem(
                    found.place,
                    0,
                    "taken" if found.source == EXTRACT_TOML else "",
                    f"the extract cannot have been taken on {found.taken.isoformat()} ({found.source}):"
                    f" that is after today, {today.isoformat()}",
                    _rule(found),
                )
            )
    if from_toml and from_name and from_toml.taken != from_name.taken:
        problems.append(
            Problem(
                from_name.place,
                0,
                "",
                f"the folder's name says the extract was taken on {from_name.taken.isoformat()}, extract.toml"
                f" says {from_toml.taken.isoformat()}: correct the one that is wrong",
                "EXTRACT_FOLDER_DATE",
            )
        )
    if problems:
        return DatedExtract(None, tuple(problems))
    return DatedExtract(from_toml or from_name)


def _rule(found: ExtractDate) -> str:
    return "EXTRACT_TOML" if found.source == EXTRACT_TOML else "EXTRACT_FOLDER_DATE"


def _from_toml(path: Path, problems: list[Problem]) -> ExtractDate | None:
    data = read_toml(path, required=False, problems=problems, rule="EXTRACT_TOML", what=EXTRACT_TOML)
    info = validated(ExtractToml, data, EXTRACT_TOML, problems, rule="EXTRACT_TOML", documented="keys (taken)")
    return ExtractDate(info.taken, EXTRACT_TOML, EXTRACT_TOML) if info else None


def _from_name(directory: Path, problems: list[Problem]) -> ExtractDate | None:
    name = directory.resolve().name
    found = {match[0]: match for match in _DATE_IN_NAME.finditer(name)}
    if len(found) != 1:
        return None
    [(text, match)] = found.items()
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        problems.append(
            Problem(
                str(directory),
                0,
                "",
                f"the folder's name holds {text}, which is not a real date: name the folder by the day the"
                " extract was taken (yyyy-mm-dd)",
                "EXTRACT_FOLDER_DATE",
            )
        )
        return None
    return ExtractDate(day, "the folder's name", str(directory))


def newest_event(episodes: pl.DataFrame) -> tuple[dt.date, str] | None:
    """The newest episode start or end (``DECOM``, ``DEC`` as dates), and its column: the
    extract's last recorded event, which stands in for the day it was taken when nothing says."""
    found = [(day, column) for column in ("DECOM", "DEC") if isinstance(day := episodes[column].max(), dt.date)]
    return max(found) if found else None
