"""The ``lac-report`` program (and ``python -m pipeline``): the command line, stoppable at any moment.

The signal handlers are set before anything heavy is imported, so that Ctrl-C or SIGTERM during
the second it takes to load Polars and WeasyPrint also ends with the one summary line, not a
traceback (``pipeline.core.stopping``). Everything else is ``pipeline.cli``'s, whose commands
each load the libraries they use when they run.
"""

from __future__ import annotations

import sys

from pipeline.core.stopping import Stopped, could_not_start, stop_on_signals, stopped


def main() -> None:
    stop_on_signals()
    try:
        from pipeline import cli
    except KeyboardInterrupt as interrupt:
        stop: Stopped = stopped(interrupt)
        print(stop.summary(), file=sys.stderr)
        sys.exit(stop.exit_status)
    except Exception as error:  # a broken installation (the libraries a command needs load with it)
        print(could_not_start(error), file=sys.stderr)
        sys.exit(1)
    cli.main()


if __name__ == "__main__":
    main()
