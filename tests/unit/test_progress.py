"""Progress: plain step lines when not on a terminal, a live bar when on one."""

from __future__ import annotations

import io
from collections.abc import Iterator

from pipeline.run.progress import PlainLines, TerminalBar, progress_for


def ticking(times: list[float]) -> Iterator[float]:
    yield from times


def test_plain_lines_report_each_finished_step_with_its_time() -> None:
    lines: list[str] = []
    clock = ticking([0.0, 0.4, 0.4, 2.15])
    steps = PlainLines(lines.append, 2, clock=lambda: next(clock))
    steps.start("reading")
    steps.start("rendering")  # finishes "reading" at 0.4 s
    steps.finish()
    steps.finish()  # nothing running: nothing more to say
    assert lines == ["lac-report: INFO: step 1/2: reading (0.4 s)", "lac-report: INFO: step 2/2: rendering (1.8 s)"]


def test_a_step_that_fails_is_never_reported_done() -> None:
    lines: list[str] = []
    steps = PlainLines(lines.append, 3, clock=lambda: 0.0)
    steps.start("reading")
    steps.start("computing")  # and then the job raises: finish is never called
    assert lines == ["lac-report: INFO: step 1/3: reading (0.0 s)"]


def test_not_a_terminal_gives_plain_lines_on_the_stream() -> None:
    stream = io.StringIO()
    with progress_for(stream, 1) as steps:
        assert isinstance(steps, PlainLines)
        steps.start("writing")
        steps.finish()
    assert stream.getvalue().startswith("lac-report: INFO: step 1/1: writing (")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_that_clears_itself() -> None:
    stream = Terminal()
    with progress_for(stream, 2) as steps:
        assert isinstance(steps, TerminalBar)
        steps.start("reading")
        steps.start("rendering")
        steps.finish()
    assert "rendering" in stream.getvalue()  # drawn while running
    assert "lac-report: INFO" not in stream.getvalue()
