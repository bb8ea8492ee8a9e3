"""The month's commands: ``validate`` the extracts, ``run`` the report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from pipeline.cli import options
from pipeline.cli.options import (
    AsAtOpt,
    BeyondOpt,
    ConfigOpt,
    Edition,
    Encoding,
    EncodingOpt,
    ErrorsOpt,
    ExtractsOpt,
    utf8_text,
)
from pipeline.cli.problems import guarded, print_problems, write_problems_csv
from pipeline.core.words import counted

if TYPE_CHECKING:
    from pipeline.run.progress import Steps

T = TypeVar("T")


def run(
    extracts: ExtractsOpt,
    config: ConfigOpt,
    as_at: AsAtOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Folder the run's folder is written into.")] = Path("out"),
    edition: Annotated[Edition, typer.Option("--edition", help="public suppresses small numbers.")] = Edition.INTERNAL,
    commentary: Annotated[
        Path | None,
        typer.Option(
            "--commentary",
            exists=True,
            dir_okay=False,
            callback=lambda path: utf8_text(path, "--commentary"),
            help="The assistant director's narrative, Markdown (UTF-8 text).",
        ),
    ] = None,
    encoding: EncodingOpt = Encoding.UTF8,
    errors: ErrorsOpt = None,
    as_at_beyond_extract: BeyondOpt = False,
) -> None:
    """Validate the extracts, compute every table, write OUT/<as-at>/.

    The folder holds the report (PDF and HTML), the tables, the manifest and the log.
    """
    from pipeline.run import runner

    today = options.today()
    request = runner.Request(
        extracts=extracts,
        as_at=options.reporting_day(as_at, today),
        config=config,
        today=today,
        encoding=encoding.value,
        out=out,
        edition=edition.value,
        commentary=commentary,
        as_at_beyond_extract=as_at_beyond_extract,
    )
    finished = guarded(lambda: _with_progress(lambda steps: runner.run(request, steps)), errors)
    if errors:
        write_problems_csv(list(finished.warnings), errors)
    print_problems(finished.warnings, f"{finished.folder / 'run.log'}" + (f" and {errors}" if errors else ""))
    from pipeline.report.headline import looked_after_on

    # what the edition's report says: the public edition's line (the one the scheduled job mails) hides what it hides
    looked_after = looked_after_on(finished.tables, request.as_at)
    typer.echo(f"lac-report: done: {finished.folder} ({looked_after}, {counted(len(finished.warnings), 'warning')})")


def validate(
    extracts: ExtractsOpt,
    config: ConfigOpt,
    as_at: AsAtOpt = None,
    encoding: EncodingOpt = Encoding.UTF8,
    errors: ErrorsOpt = None,
    as_at_beyond_extract: BeyondOpt = False,
) -> None:
    """Check the extracts, config and as-at date, writing nothing.

    Every problem is listed, as a run would list it.
    """
    from pipeline.run import runner

    today = options.today()
    request = runner.Request(
        extracts=extracts,
        as_at=options.reporting_day(as_at, today),
        config=config,
        today=today,
        encoding=encoding.value,
        as_at_beyond_extract=as_at_beyond_extract,
    )
    checked = guarded(lambda: runner.validate(request), errors)
    if errors:
        write_problems_csv(list(checked.extracts.warnings), errors)
    print_problems(checked.extracts.warnings, str(errors) if errors else None)
    read = checked.extracts
    rows = ", ".join(f"{i.name} {i.rows}" for i in read.inputs)
    if read.returns:  # dozens of files: the history they make instead
        stitched = f"{read.header.height:,} children, {read.episodes.height:,} episodes"
        rows = f"{read.returns.summary()}, stitched: {stitched}"
    typer.echo(f"lac-report: valid: {rows}; {counted(len(read.warnings), 'warning')}")


def _with_progress(action: Callable[[Steps], T]) -> T:
    """Run ``action`` with a progress bar on a terminal (plain step lines otherwise), closed before any report."""
    from pipeline.run.progress import progress_for
    from pipeline.run.runner import RUN_STEPS

    with progress_for(sys.stderr, RUN_STEPS) as steps:
        return action(steps)
