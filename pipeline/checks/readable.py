"""What a rule may reason from: only rows whose cells it reads all read, and for a rule across a
child's rows, only children none of whose rows has such a cell unreadable.

A cell that failed to read (``pipeline.read.parse.unreadable_cells``) is empty in the typed frame,
and an empty cell means something: an empty DEC is an open episode. So each rule says which cells
it reads (``Rule.reads``, ``Rule.across``) and runs on a view of the frames without the rows it
may not reason from:

- ``reads``: a row with one of those cells unreadable is left out (and a header row so left out
  leaves its child's rows unchecked, as they no longer find it).
- ``across``: a child with one of those cells unreadable on any of its rows is left out whole.
  A row whose CHILD failed to read could be any child's, so then no child is checked.

The children left out are counted (``Skipped``) for the run's summary. A run whose cells all read
(every run that gets as far as its tables) gives every rule the frames themselves, untouched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import PurePath

import polars as pl

from pipeline.checks.frames import CLOSED_BY_STITCH, FILE_STEMS, no_longer_shared
from pipeline.core.rules import Frames, Rule
from pipeline.read.schema import FILES

NAMES = {spec.stem: spec.name for spec in FILES}
Cells = dict[str, frozenset[str]]  # columns by file stem


@dataclass(frozen=True)
class Skipped:
    """Children a rule across rows left out: ``children`` (``None``: all of them) and why, as the
    unreadable cells found on their rows, by (file, column)."""

    rule: str
    children: int | None
    cells: tuple[tuple[str, str, int], ...]  # (file name, column, rows)

    def reason(self) -> str:
        """Why the children were left out, e.g. ``episodes.csv: DEC on 42 rows, PLACE on 21 rows``."""
        by_file: dict[str, list[str]] = {}
        for file, column, rows in self.cells:
            by_file.setdefault(file, []).append(f"{column} on {rows:,} {'row' if rows == 1 else 'rows'}")
        return "; ".join(f"{file}: {', '.join(columns)}" for file, columns in by_file.items())


def cells_of(refs: tuple[str, ...], own: str) -> Cells:
    """``COLUMN`` and ``stem.COLUMN`` references as columns by stem (``own``: the rule's own file)."""
    found: dict[str, set[str]] = {}
    for ref in refs:
        stem, _, column = ref.rpartition(".")
        found.setdefault(stem or own, set()).add(column)
    return {stem: frozenset(columns) for stem, columns in found.items()}


class Readable:
    """The frames each rule may reason from, worked out once for each set of cells left out."""

    def __init__(self, frames: Frames, unreadable: dict[str, pl.DataFrame] | None = None) -> None:
        self.frames = frames
        self.unreadable = {stem: cells for stem, cells in (unreadable or {}).items() if not cells.is_empty()}
        self.failed = {
            stem: frozenset(cells.get_column("column").unique().to_list()) for stem, cells in self.unreadable.items()
        }
        self.skipped: list[Skipped] = []
        self._views: dict[tuple[object, ...], Frames] = {}

    def frames_for(self, rule: Rule) -> Frames:
        """The frames ``rule`` runs on: ``frames`` itself when none of the cells it reads failed."""
        own = PurePath(rule.file).stem
        rows = self._failing(cells_of(rule.reads, own))
        children = self._failing(cells_of(rule.across, own), always="CHILD")
        if not rows and not children:
            return self.frames
        needs = rule.needs or (own,)
        left_out = self._children(children) if children else pl.Series("CHILD", [], dtype=pl.String)
        if children:
            self.skipped.append(self._skipped(rule.id, children, left_out))
        key = (tuple(sorted(rows.items())), tuple(sorted(children.items())), needs)
        if key not in self._views:
            self._views[key] = self._view(rows, left_out, needs)
        return self._views[key]

    def let_go(self, to_come: Sequence[Rule], keep: Collection[str] = ()) -> None:
        """Drop from the frames, and every view of them, the shared frames no rule ``to_come`` reads
        (``frames.no_longer_shared``)."""
        for frames in (self.frames, *self._views.values()):
            for name in no_longer_shared(frames, to_come, keep):
                del frames[name]

    def _failing(self, cells: Cells, always: str | None = None) -> Cells:
        """The columns of ``cells`` (and ``always``, for every file named) with an unreadable cell."""
        found = {}
        for stem, columns in cells.items():
            failing = (columns | {always} if always else columns) & self.failed.get(stem, frozenset())
            if failing:
                found[stem] = failing
        return found

    def _lines(self, stem: str, columns: frozenset[str]) -> pl.Series:
        cells = self.unreadable[stem].filter(pl.col("column").is_in(sorted(columns)))
        return cells.get_column("_line").unique()

    def _children(self, children: Cells) -> pl.Series | None:
        """The children whose rows have a cell of ``children`` unreadable; ``None`` when any could be."""
        found = []
        for stem, columns in children.items():
            if "CHILD" in columns:
                return None
            rows = self.frames[stem].filter(pl.col("_line").is_in(self._lines(stem, columns).implode()))
            found.append(rows.get_column("CHILD"))
        return pl.concat(found).unique()

    def _skipped(self, rule: str, children: Cells, left_out: pl.Series | None) -> Skipped:
        counts: Counter[tuple[str, str]] = Counter()
        for stem, columns in children.items():
            cells = self.unreadable[stem].filter(pl.col("column").is_in(sorted(columns)))
            counts.update((NAMES[stem], column) for column in cells.get_column("column").to_list())
        return Skipped(
            rule, None if left_out is None else left_out.len(), tuple((f, c, n) for (f, c), n in sorted(counts.items()))
        )

    def _view(self, rows: Cells, left_out: pl.Series | None, needs: tuple[str, ...]) -> Frames:
        view = {stem: frame for stem, frame in self.frames.items() if stem in (*FILE_STEMS, CLOSED_BY_STITCH)}
        for stem, columns in rows.items():
            view[stem] = view[stem].filter(~pl.col("_line").is_in(self._lines(stem, columns).implode()))
        for stem in (s for s in needs if s in view):
            if left_out is None:
                view[stem] = view[stem].clear()
            elif not left_out.is_empty():
                view[stem] = view[stem].filter(~pl.col("CHILD").is_in(left_out.implode()).fill_null(True))
        return view


def notes(skipped: list[Skipped]) -> list[str]:
    """One line for each set of rules that left out the same children for the same reason."""
    by_cause: dict[tuple[int | None, str], list[str]] = {}
    for each in skipped:
        rules = by_cause.setdefault((each.children, each.reason()), [])
        if each.rule not in rules:
            rules.append(each.rule)
    lines = []
    for (children, reason), rules in by_cause.items():
        named = ", ".join(rules)
        if children is None:
            why = f"no child was checked by {named}, as a CHILD failed to read and its row could be any child's"
        else:
            who = "1 child was" if children == 1 else f"{children:,} children were"
            why = f"{who} not checked by {named}, as a cell of their rows failed to read"
        lines.append(f"{why} ({reason}): fix those cells and run again to check them")
    return lines
