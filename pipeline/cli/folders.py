"""The commands on run folders: ``verify`` one is as the run left it, ``compare`` two."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.cli.problems import guarded

if TYPE_CHECKING:
    from pipeline.run.compare import Comparison


RunFolderArg = Annotated[
    Path,
    typer.Argument(
        exists=True, file_okay=False, metavar="FOLDER", help="A run folder, e.g. out/2020-10-31.", show_default=False
    ),
]


def verify(
    folder: RunFolderArg,
    extracts: Annotated[
        Path | None,
        typer.Option("--extracts", help="Also check the extracts the run read are unchanged.", show_default=False),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Also check the config the run used is unchanged.", show_default=False),
    ] = None,
) -> None:
    """Check a run folder is exactly as the run wrote it.

    Every file is checked against manifest.json.
    """
    from pipeline.run import verify as verifying

    result = guarded(lambda: verifying.verify(folder, extracts=extracts, config=config), None)
    typer.echo(verifying.describe(folder, result.manifest))
    for difference in result.differences:
        typer.echo(str(difference))
    typer.echo(verifying.summary(folder, result))
    if not result.ok:
        raise typer.Exit(3)


def compare(
    a: Annotated[
        Path,
        typer.Argument(
            exists=True,
            file_okay=False,
            metavar="EARLIER",
            help="The earlier run folder, e.g. out/2020-09-30.",
            show_default=False,
        ),
    ],
    b: Annotated[
        Path,
        typer.Argument(
            exists=True, file_okay=False, metavar="LATER", help="The later (or revised) run folder.", show_default=False
        ),
    ],
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv", dir_okay=False, help="Also write every figure compared to this CSV file.", show_default=False
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show unchanged figures too.")] = False,
) -> None:
    """What changed between two runs, measure by measure.

    Month on month, and the figures revised since.
    """
    from pipeline.measures.definitions import TABLE_ORDER
    from pipeline.run import compare as comparing

    def action() -> Comparison:
        result = comparing.compare_runs(comparing.read_run(a, TABLE_ORDER), comparing.read_run(b, TABLE_ORDER))
        if csv:
            comparing.write_csv(result, csv)
        return result

    result = guarded(action, None)
    for line in comparing.render(result, show_all=show_all):
        typer.echo(line)
    typer.echo(comparing.summary(result, csv))
