"""The command line: thin commands that parse options and call ``pipeline.run``, in modules by how
they group: ``monthly`` (``run``, ``validate``: the month's extracts), ``folders`` (``verify``,
``compare``: run folders), ``council`` (``published``, ``sample``: a council's set-up); ``program``
is the program around them (its exits, its summary line, its log), ``options`` the options they
share, ``problems`` how invalid input is reported.

Exit status: 0 done (warnings allowed), 3 the extracts or config are invalid (for
``verify``: the folder differs from its manifest), 2 the command line is wrong, 1 anything
unexpected, 130 and 143 stopped by Ctrl-C (SIGINT) or SIGTERM. An unexpected error prints where
it happened but never the values involved (they may be children's data). The last line always
sums up: ``lac-report: done: ...`` or ``lac-report: failed (exit N): ...``, so a scheduler's
email can quote just that line; ``program.Program`` makes that true of Click's own usage errors too.

Each command imports what it uses when it runs (``--help`` loads no data library, ``validate``
no PDF engine): start-up is most of what a user waits for on one council's extract.
"""

from __future__ import annotations

from pipeline.cli import council, folders, monthly
from pipeline.cli.program import app, main

# The commands, in the order --help lists them.
for command in (monthly.run, monthly.validate, folders.verify, folders.compare, council.published, council.sample):
    app.command()(command)

__all__ = ["app", "main"]
