"""The command line: thin commands that parse options and call ``pipeline.run.runner``.

Exit status: 0 done (warnings allowed), 3 the extracts or config are invalid (for
``verify``: the folder differs from its manifest), 2 the command line is wrong, 1 anything
unexpected, 130 and 143 stopped by Ctrl-C (SIGINT) or SIGTERM. An unexpected error prints where
it happened but never the values involved (they may be children's data). The last line always
sums up: ``lac-report: done: ...`` or ``lac-report: failed (exit N): ...``, so a scheduler's
email can quote just that line; ``_Program`` makes that true of Click's own usage errors too.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer
from typer.core import TyperGroup

from pipeline.core.stopping import could_not_start, stopped
from pipeline.core.words import counted

# Each command imports what it uses when it runs (``--help`` loads no data library, ``validate``
# no PDF engine): start-up is most of what a user waits for on one council's extract.
if TYPE_CHECKING:
    from pipeline.core.problems import InvalidInput, Problem
    from pipeline.run.compare import Comparison
    from pipeline.run.progress import Steps

MAX_PRINTED = 200  # errors, then warnings, shown on the terminal; the rest counted by rule
T = TypeVar("T")


class _Program(TyperGroup):
    """The command group, run so that every exit ends with exactly one summary line.

    Click would end a usage error (``--edition publc``, a missing ``--config``) with its own
    boxed message and Ctrl-C with none; here each ends with ``lac-report: failed (exit N): ...``.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        status = self._run([*(sys.argv[1:] if args is None else args)], prog_name or "lac-report", extra)
        if standalone_mode:
            sys.exit(status)
        return status

    def _run(self, args: list[str], prog_name: str, extra: dict[str, Any]) -> int:
        try:
            with self.make_context(prog_name, args, **extra) as context:
                self.invoke(context)
            return 0
        except typer.Exit as done:  # --help, or a command's own exit after its summary line
            return done.exit_code
        except typer.TyperException as wrong:  # Click's usage errors: a mistyped option, a bad or missing value
            _report_usage_error(wrong)
            return wrong.exit_code
        except KeyboardInterrupt as interrupt:
            stop = stopped(interrupt)
            typer.echo(stop.summary(), err=True)
            return stop.exit_status
        except SystemExit:
            raise
        except BaseException as error:  # noqa: BLE001 - outside a command's own guard: still no data leaks
            _report_unexpected(error)
            return 1


app = typer.Typer(
    cls=_Program,
    name="lac-report",
    help="The monthly looked after children reduction update, from Mosaic extracts to PDF and CSV.",
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    # Plain help text, as Click writes it: no boxes for a screen reader to spell out, and no
    # rich to load (it took longer than the rest of `lac-report --help`).
    rich_markup_mode=None,
)


class Edition(StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"


class Encoding(StrEnum):
    UTF8 = "utf-8"
    CP1252 = "cp1252"


class Layout(StrEnum):
    """How ``sample`` lays out the history (``pipeline.sample.returns``)."""

    SINGLE = "single"
    RETURNS_CSV = "returns-csv"
    RETURNS_FLAT = "returns-flat"
    RETURNS_SUFFIXED = "returns-suffixed"
    RETURNS_XML = "returns-xml"


def _today() -> dt.date:
    """The day of the run (a function, so tests can pretend it is another day)."""
    return dt.date.today()


def last_day_of_previous_month(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def _as_at(value: dt.datetime | None, today: dt.date) -> dt.date:
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


@app.command()
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
            callback=lambda path: _utf8_text(path, "--commentary"),
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

    today = _today()
    request = runner.Request(
        extracts=extracts,
        as_at=_as_at(as_at, today),
        config=config,
        today=today,
        encoding=encoding.value,
        out=out,
        edition=edition.value,
        commentary=commentary,
        as_at_beyond_extract=as_at_beyond_extract,
    )
    finished = _guarded(lambda: _with_progress(lambda steps: runner.run(request, steps)), errors)
    if errors:
        write_problems_csv(list(finished.warnings), errors)
    _print_problems(finished.warnings, f"{finished.folder / 'run.log'}" + (f" and {errors}" if errors else ""))
    from pipeline.report.headline import looked_after_on

    # what the edition's report says: the public edition's line (the one the scheduled job mails) hides what it hides
    looked_after = looked_after_on(finished.tables, request.as_at)
    typer.echo(f"lac-report: done: {finished.folder} ({looked_after}, {counted(len(finished.warnings), 'warning')})")


@app.command()
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

    today = _today()
    request = runner.Request(
        extracts=extracts,
        as_at=_as_at(as_at, today),
        config=config,
        today=today,
        encoding=encoding.value,
        as_at_beyond_extract=as_at_beyond_extract,
    )
    checked = _guarded(lambda: runner.validate(request), errors)
    if errors:
        write_problems_csv(list(checked.extracts.warnings), errors)
    _print_problems(checked.extracts.warnings, str(errors) if errors else None)
    read = checked.extracts
    rows = ", ".join(f"{i.name} {i.rows}" for i in read.inputs)
    if read.returns:  # dozens of files: the history they make instead
        stitched = f"{read.header.height:,} children, {read.episodes.height:,} episodes"
        rows = f"{read.returns.summary()}, stitched: {stitched}"
    typer.echo(f"lac-report: valid: {rows}; {counted(len(read.warnings), 'warning')}")


RunFolderArg = Annotated[
    Path,
    typer.Argument(
        exists=True, file_okay=False, metavar="FOLDER", help="A run folder, e.g. out/2020-10-31.", show_default=False
    ),
]


@app.command()
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

    result = _guarded(lambda: verifying.verify(folder, extracts=extracts, config=config), None)
    typer.echo(verifying.describe(folder, result.manifest))
    for difference in result.differences:
        typer.echo(str(difference))
    typer.echo(verifying.summary(folder, result))
    if not result.ok:
        raise typer.Exit(3)


@app.command()
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

    result = _guarded(action, None)
    for line in comparing.render(result, show_all=show_all):
        typer.echo(line)
    typer.echo(comparing.summary(result, csv))


@app.command()
def published(config: ConfigOpt) -> None:
    """Show what a run would take from the published statistics.

    From the files council.toml names: the council, its region and neighbours, the comparators
    and the population by year.
    """
    from pipeline.read.config import load_config
    from pipeline.run.published import describe, summary

    checked = _guarded(lambda: load_config(config), None)
    for line in describe(checked):
        typer.echo(line)
    typer.echo(summary(checked))


@app.command()
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


def _utf8_text(path: Path | None, option: str) -> Path | None:
    """A text file option must hold UTF-8 text: say so on the command line, not as a crash later."""
    if path is not None:
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise typer.BadParameter(f"{path.name} is not UTF-8 text: save it as UTF-8", param_hint=option) from None
    return path


def _with_progress(action: Callable[[Steps], T]) -> T:
    """Run ``action`` with a progress bar on a terminal (plain step lines otherwise), closed before any report."""
    from pipeline.run.progress import progress_for
    from pipeline.run.runner import RUN_STEPS

    with progress_for(sys.stderr, RUN_STEPS) as steps:
        return action(steps)


def _guarded(action: Callable[[], T], errors_file: Path | None) -> T:
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
        _report_unexpected(error)
        raise typer.Exit(1) from None


def _report_problems(invalid: InvalidInput, errors_file: Path | None) -> None:
    from pipeline.core.problems import Severity

    problems = invalid.problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    _print_problems(problems, str(errors_file) if errors_file else None)
    for note in invalid.notes:
        typer.echo(f"lac-report: {note}", err=True)
    if errors_file:
        write_problems_csv(problems, errors_file)
    by_file = ", ".join(f"{name} {count}" for name, count in Counter(p.file for p in errors).items())
    typer.echo(
        f"lac-report: failed (exit 3): invalid input: {len(errors)} error(s) to fix ({by_file}); nothing was written",
        err=True,
    )


def _print_problems(problems: Sequence[Problem], kept_in: str | None) -> None:
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


def _report_usage_error(wrong: typer.TyperException) -> None:
    """Click's usage hint, then the summary line saying what is wrong (instead of Click's boxed message)."""
    context = getattr(wrong, "ctx", None)  # the command's context (Typer's own copy of Click has no public type)
    if context is not None:
        typer.echo(context.get_usage(), err=True)
        typer.echo(f"Try '{context.command_path} --help' for help.", err=True)
    what = "the command line is wrong: " if wrong.exit_code == 2 else ""
    # Typer words a bad choice or date "Value error, ...": the rest of the sentence says it.
    message = wrong.format_message().replace("Value error, ", "")
    typer.echo(f"lac-report: failed (exit {wrong.exit_code}): {what}{message}", err=True)


def _report_unexpected(error: BaseException) -> None:
    """Where it failed (files, lines, functions) and the kind of error, never the values or message;
    a library that failed to load is a broken installation, said as ``pipeline.__main__`` says it."""
    if _while_importing(error):
        typer.echo(could_not_start(error, what="could not load a library it needs"), err=True)
        return
    if os.environ.get("LAC_REPORT_DEBUG") == "1":
        traceback.print_exception(error)
    else:
        frames = traceback.extract_tb(error.__traceback__)
        typer.echo(f"lac-report: unexpected error ({type(error).__name__}); this is a fault in lac-report.", err=True)
        for frame in frames[-6:]:
            typer.echo(f"  at {Path(frame.filename).name}:{frame.lineno} in {frame.name}", err=True)
        typer.echo(
            "  (the error's message is hidden as it may quote children's data; set LAC_REPORT_DEBUG=1"
            " to see it on a secure machine)",
            err=True,
        )
    typer.echo(
        f"lac-report: failed (exit 1): unexpected error ({type(error).__name__}), a fault in lac-report", err=True
    )


def _while_importing(error: BaseException) -> bool:
    """Whether ``error`` is a library that failed to load: an ImportError, or an OSError (a missing system
    library) raised while a module was being imported. Any other error keeps its message hidden."""
    frames = traceback.extract_tb(error.__traceback__)
    importing = any(f.filename.startswith("<frozen importlib") for f in frames)
    return isinstance(error, ImportError) or (isinstance(error, OSError) and importing)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time, so a live progress bar can print log lines above itself."""

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(sys.stderr)
        super().emit(record)


def _configure_logging() -> None:
    """Plain log lines on stderr when not on a terminal (cron, CI); on a terminal, warnings only."""
    handler = _StderrHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("lac-report: %(levelname)s: %(message)s"))
    logger = logging.getLogger("lac_report")
    logger.setLevel(logging.INFO)
    handler.setLevel(logging.WARNING if sys.stderr.isatty() else logging.INFO)
    logger.handlers = [handler]
    logger.propagate = False


def main() -> None:
    _configure_logging()
    app()
