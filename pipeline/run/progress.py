"""Progress of a run's long steps: a bar on a terminal, plain log lines anywhere else.

On a terminal the analyst sees a live bar (rich, which Typer already brings) that disappears
when the run ends, leaving only the one-line summary. Under cron, systemd or CI (no terminal)
each finished step is one plain line with how long it took, so a scheduler's log stays short
and greppable. Nothing here is written into the run folder: the times would break the
guarantee that the same inputs give a byte-identical folder.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress


class Steps(Protocol):
    """What a long job reports its steps to: ``start`` each one in turn, ``finish`` at the end.

    Starting a step finishes the one before; a job that fails never calls ``finish``, so the
    step it failed in is never reported as done.
    """

    def start(self, description: str) -> None: ...

    def finish(self) -> None: ...


class Silent:
    """Reports nothing (library use and tests)."""

    def start(self, description: str) -> None:
        pass

    def finish(self) -> None:
        pass


class PlainLines:
    """One line per finished step, like the log lines: ``lac-report: INFO: step 2/4: computing the tables (0.4 s)``."""

    def __init__(self, write: Callable[[str], None], total: int, clock: Callable[[], float] = time.perf_counter):
        self._write = write
        self._total = total
        self._clock = clock
        self._done = 0
        self._current: tuple[str, float] | None = None

    def start(self, description: str) -> None:
        self.finish()
        self._current = (description, self._clock())

    def finish(self) -> None:
        if self._current is None:
            return
        description, started = self._current
        self._current = None
        self._done += 1
        self._write(
            f"lac-report: INFO: step {self._done}/{self._total}: {description} ({self._clock() - started:.1f} s)"
        )


class TerminalBar:
    """A live bar on the terminal: the step running, how many are done, the time elapsed."""

    def __init__(self, bar: Progress, total: int) -> None:
        self._bar = bar
        self._task = bar.add_task("starting", total=total)
        self._running = False

    def start(self, description: str) -> None:
        self.finish()
        self._bar.update(self._task, description=description)
        self._running = True

    def finish(self) -> None:
        if self._running:
            self._bar.advance(self._task)
            self._running = False


@contextlib.contextmanager
def progress_for(stream: TextIO, total: int) -> Iterator[Steps]:
    """A bar when ``stream`` is a terminal, else plain lines written to it."""
    if not stream.isatty():
        yield PlainLines(lambda line: print(line, file=stream, flush=True), total)
        return
    # Loaded only for a terminal: under cron the bar's library would be start-up time for nothing.
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(file=stream), transient=True) as bar:
        yield TerminalBar(bar, total)
