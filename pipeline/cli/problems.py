"""Problems on the terminal and in an ``--errors`` file, and each command's guard: invalid input is
reported and exits 3, anything unexpected exits 1 without the values involved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from pipeline.cli.program import report_unexpected

if TYPE_CHECKING:
    from pipeline.core.problems import InvalidInput, Problem

MAX_PRINTED = 200  # errors, then warnings, shown on the terminal; the rest counted by rule
T = TypeVar("T")


def guarded(action: Callable[[], T], errors_file: Path | None) -> T:
    """Run ``action``; turn invalid input into its report and exit 3, the unexpected into exit 1."""
    from pipeline.core.problems import InvalidInput
    from pipeline.run.outputs import OutputBusy
    from pipeline.run.verify import NotARunFolder

    try:
        return action()
    except InvalidInput as invalid:
        _report_problems(invalid, errors_file)
        raise typer.Exit(3) from None
    except NotARunFolder as not_run:
        typer.echo(f"lac-report: failed (exit 3): {not_run}", err=True)
        raise typer.Exit(3) from None
    except OutputBusy as busy:
        typer.echo(f"lac-report: failed (exit 1): {busy}", err=True)
        raise typer.Exit(1) from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - the last line of defence must not leak data
        # BaseException, not Exception: a panic inside Polars reaches Python as one.
        report_unexpected(error)
        raise typer.Exit(1) from None


def _report_problems(invalid: InvalidInput, errors_file: Path | None) -> None:
    from pipeline.core.problems import Severity

    problems = invalid.problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    print_problems(problems, str(errors_file) if errors_file else None)
    for note in invalid.notes:
        typer.echo(f"lac-report: {note}", err=True)
    if errors_file:
        write_problems_csv(problems, errors_file)
    by_file = ", ".join(f"{name} {count}" for name, count in Counter(p.file for p in errors).items())
    typer.echo(
        f"lac-report: failed (exit 3): invalid input: {len(errors)} error(s) to fix ({by_file}); nothing was written",
        err=True,
    )


def print_problems(problems: Sequence[Problem], kept_in: str | None) -> None:
    """The first ``MAX_PRINTED`` errors, then the first ``MAX_PRINTED`` warnings, then a count
    per rule of the rest, and where every one of them is (``kept_in``)."""
    from pipeline.core.problems import Severity, folded

    folded_any = False
    for severity in Severity:
        shown, more = folded([p for p in problems if p.severity is severity], MAX_PRINTED)
        for problem in shown:  # warnings marked as the log marked them before
            typer.echo(str(problem) if severity is Severity.ERROR else f"lac-report: WARNING: {problem}", err=True)
        for rule, count in more:
            typer.echo(f"... and {count:,} more {rule}", err=True)
        folded_any = folded_any or bool(more)
    if folded_any:
        where = f"all of them are in {kept_in}" if kept_in else "use --errors FILE to have them all in one file"
        typer.echo(f"({where})", err=True)


def write_problems_csv(problems: list[Problem], path: Path) -> None:
    """Every problem as CSV (file, line, column, message, rule, severity, location), formula-safe, written
    whole or not at all. The message is as printed; ``location`` is the element of an XML return it is
    about (``CHILD 12, EPISODE 2``), empty for a CSV row."""
    import polars as pl

    from pipeline.run.outputs import replaced_file
    from pipeline.run.tablefiles import neutralise_formula

    frame = pl.DataFrame(
        [(p.file, p.line, p.column, p.text, p.rule, p.severity.value, p.location or None) for p in problems],
        schema={
            "file": pl.String,
            "line": pl.Int64,
            "column": pl.String,
            "message": pl.String,
            "rule": pl.String,
            "severity": pl.String,
            "location": pl.String,
        },  # fmt: skip
        orient="row",
    )
    text_columns = ("file", "column", "message", "location")
    with replaced_file(path) as partial:  # never a half-written errors file, even on Ctrl-C
        frame.with_columns(neutralise_formula(pl.col(c)).alias(c) for c in text_columns).write_csv(
            partial, line_terminator="\n"
        )
