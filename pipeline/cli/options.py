"""The options the commands share, and the day a run reports on."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Edition(StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"


class Encoding(StrEnum):
    UTF8 = "utf-8"
    CP1252 = "cp1252"


def today() -> dt.date:
    """The day of the run (a function, so tests can pretend it is another day)."""
    return dt.date.today()


def last_day_of_previous_month(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def reporting_day(value: dt.datetime | None, today: dt.date) -> dt.date:
    """The day a run reports on: ``--as-at``, or the last day of the previous month; never after today."""
    as_at = value.date() if value else last_day_of_previous_month(today)
    if as_at > today:
        raise typer.BadParameter(
            f"{as_at.isoformat()} is after today: a report can only look back", param_hint="--as-at"
        )
    return as_at


ExtractsOpt = Annotated[
    Path,
    typer.Option(
        "--extracts",
        help="Folder holding header.csv, episodes.csv and the optional extracts, or annual SSDA903 returns.",
    ),
]
AsAtOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-at",
        formats=["%Y-%m-%d"],
        help="Reporting date, yyyy-mm-dd. Left out: the last day of the previous month.",
        show_default=False,
    ),
]
CONFIG_VARIABLE = "LAC_CONFIG"  # the setting deploy/ uses: a run never falls back on the sample council
ConfigOpt = Annotated[
    Path,
    typer.Option(
        "--config",
        envvar=CONFIG_VARIABLE,
        show_envvar=True,
        help="Folder holding council.toml (and mapping.toml). Required: the sample's is config/.",
        show_default=False,
    ),
]
BeyondOpt = Annotated[
    bool,
    typer.Option(
        "--as-at-beyond-extract",
        help="Go ahead with an as-at date after the extract was taken (a warning, not an error): rarely right.",
    ),
]
EncodingOpt = Annotated[Encoding, typer.Option("--encoding", help="Encoding of the extracts.")]
ErrorsOpt = Annotated[
    Path | None, typer.Option("--errors", help="Also write every problem found to this CSV file.", show_default=False)
]


def utf8_text(path: Path | None, option: str) -> Path | None:
    """A text file option must hold UTF-8 text: say so on the command line, not as a crash later."""
    if path is not None:
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise typer.BadParameter(f"{path.name} is not UTF-8 text: save it as UTF-8", param_hint=option) from None
    return path
