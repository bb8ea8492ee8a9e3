"""The commands for setting a council up: what a run would take from the ``published`` statistics, and
a ``sample`` council's synthetic extracts and config."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.options import ConfigOpt
from pipeline.cli.problems import guarded


class Layout(StrEnum):
    """How ``sample`` lays out the history (``pipeline.sample.returns``)."""

    SINGLE = "single"
    RETURNS_CSV = "returns-csv"
    RETURNS_FLAT = "returns-flat"
    RETURNS_SUFFIXED = "returns-suffixed"
    RETURNS_XML = "returns-xml"


def published(config: ConfigOpt) -> None:
    """Show what a run would take from the published statistics.

    From the files council.toml names: the council, its region and neighbours, the comparators
    and the population by year.
    """
    from pipeline.read.config import load_config
    from pipeline.run.published import describe, summary

    checked = guarded(lambda: load_config(config), None)
    for line in describe(checked):
        typer.echo(line)
    typer.echo(summary(checked))


def sample(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the synthetic extracts and config into.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same files.")] = 2020,
    children: Annotated[int, typer.Option("--children", min=10, help="Children ever looked after.")] = 1300,
    extract_date: Annotated[
        dt.datetime,
        typer.Option("--extract-date", formats=["%Y-%m-%d"], help="The day the synthetic extract was taken."),
    ] = dt.datetime(2020, 11, 2),  # noqa: B008
    layout: Annotated[
        Layout,
        typer.Option(
            "--layout",
            help="single: one extract folder; returns-*: the history as annual SSDA903 returns (year folders,"
            " 2019-header.csv, header_2019.csv or the DfE's XML) and a year-to-date extract.",
        ),
    ] = Layout.SINGLE,
    uasc: Annotated[
        bool, typer.Option("--uasc", help="Also write the UASC table (uasc.csv, or in the returns).")
    ] = False,
) -> None:
    """Write a fictional council's synthetic extracts and config.

    No real children: every record is made up.
    """
    from pipeline.sample import generate

    summary = generate(
        out, seed=seed, children=children, extract_date=extract_date.date(), layout=layout.value, uasc=uasc
    )
    typer.echo(f"lac-report: wrote synthetic extracts to {out}: {summary}")
