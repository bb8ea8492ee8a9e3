"""The program around the commands: every exit ends with one summary line, an unexpected error is
reported without the values involved, and the log goes to the terminal or, unattended, plain lines."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import typer
from typer.core import TyperGroup

from pipeline.core.stopping import could_not_start, stopped


class Program(TyperGroup):
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
            report_unexpected(error)
            return 1


app = typer.Typer(
    cls=Program,
    name="lac-report",
    help="The monthly looked after children reduction update, from Mosaic extracts to PDF and CSV.",
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    # Plain help text, as Click writes it: no boxes for a screen reader to spell out, and no
    # rich to load (it took longer than the rest of `lac-report --help`).
    rich_markup_mode=None,
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


def report_unexpected(error: BaseException) -> None:
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
