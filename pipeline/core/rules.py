"""The rule type: one named check of the catalogue (``pipeline.checks.catalogue``).

Rules checked while a file or the config is read have no ``check``; the rules across rows
and files each have a small function taking the typed frames and returning the failing rows
as a problem frame (``_line``, ``column``, ``message``).
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

    def ready(self, frames: Frames) -> bool:
        """Whether every frame the check reads was loaded (an absent or unreadable file skips it)."""
        needs = self.needs or (PurePath(self.file).stem,)
        return self.check is not None and all(name in frames for name in needs)
