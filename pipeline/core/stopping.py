"""Stopping cleanly on Ctrl-C (SIGINT) or SIGTERM (a scheduler's time limit, a shutdown), and
the line that says the program could not start at all.

Both signals raise ``Stopped`` wherever the program is, so every ``finally`` and ``with`` on the
way out runs: a staged run folder is removed, the output lock released, a half-written file
deleted. Further signals are then ignored, so that a second Ctrl-C cannot cut that clean-up
short. The program ends with one line, ``Stopped.summary``, and the exit status shells give a
process stopped by that signal (128 + its number: 130 and 143).
"""

from __future__ import annotations

import signal
from types import FrameType

SIGNALS: dict[int, str] = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}


class Stopped(KeyboardInterrupt):
    """The run was told to stop by a signal (a ``KeyboardInterrupt``: what lets Ctrl-C through lets it through)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum

    def summary(self) -> str:
        """The last line: which signal stopped the run, and that it left nothing half-written."""
        return (
            f"lac-report: failed (exit {self.exit_status}): stopped by {SIGNALS.get(self.signum, self.signum)}"
            " before it finished; nothing half-written was left"
        )


def stopped(interrupt: KeyboardInterrupt) -> Stopped:
    """``interrupt`` as a ``Stopped`` (Python's own ``KeyboardInterrupt`` is a Ctrl-C)."""
    return interrupt if isinstance(interrupt, Stopped) else Stopped(signal.SIGINT)


def stop_on_signals() -> None:
    """From now on, SIGINT and SIGTERM raise ``Stopped`` (the first one; later ones are ignored)."""
    for signum in SIGNALS:
        signal.signal(signum, _stop)


def _stop(signum: int, _frame: FrameType | None) -> None:
    for each in SIGNALS:
        signal.signal(each, signal.SIG_IGN)
    raise Stopped(signum)


def could_not_start(error: BaseException, *, what: str = "could not start") -> str:
    """The last line when a library failed to load (a broken installation). Only an ImportError or
    OSError raised by the import machinery comes here, so the error's own words name the missing
    module or system library, never a cell of the extracts (a command may have read them already)."""
    return (
        f"lac-report: failed (exit 1): {what} ({type(error).__name__}: {error});"
        " run make setup in the lac-report folder"
    )
