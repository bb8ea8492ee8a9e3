"""The rule type: one named check of the catalogue (``pipeline.checks.catalogue``).

Rules checked while a file or the config is read have no ``check``; the rules across rows
and files each have a small function taking the typed frames and returning the failing rows
as a problem frame (``_line``, ``column``, ``message``).

A rule never reasons from a cell that failed to read: it says which cells it reads, and
``pipeline.checks.readable`` hands it only the rows it may reason from. A cell is named
``COLUMN`` (of the rule's own file) or ``stem.COLUMN`` (``header.DOB``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

import polars as pl

from pipeline.core.problems import Severity

Frames = dict[str, pl.DataFrame]  # the typed frames of a run, by file stem, and what rules derive from them


@dataclass(frozen=True)
class Rule:
    """One named check; ``check`` is ``None`` for the rules applied while reading a file or the config."""

    id: str
    severity: Severity
    file: str
    summary: str
    check: Callable[[Frames], pl.DataFrame] | None = None
    reference: str = ""  # the SSDA903 validator rule it follows, when there is one
    needs: tuple[str, ...] = ()  # the frames ``check`` reads; empty means the rule's own file
    # The cells of the row a message is about (and of the child's row in another file): a row
    # whose cell failed to read is left out.
    reads: tuple[str, ...] = ()
    # For a rule that reasons over every row of a child (the child's episodes as a set): the
    # cells of each of those rows. A child with one such cell unreadable is left out whole, since
    # leaving out just the row would make a false fact (a chain "broken" where a link is missing).
    across: tuple[str, ...] = ()
    # The frames ``check`` reads that the rules derive and share (``pipeline.checks.frames``: the
    # episodes in order, with dates of birth, ...): each is let go once the last rule sharing it
    # has run. Leaving one out never changes a message, only the memory a run holds (a frame let go
    # is worked out again when a rule asks for it).
    shares: tuple[str, ...] = ()

    def ready(self, frames: Frames) -> bool:
        """Whether every frame the check reads was loaded (an absent or unreadable file skips it)."""
        needs = self.needs or (PurePath(self.file).stem,)
        return self.check is not None and all(name in frames for name in needs)
