"""Where the rows of a typed frame came from, so that every problem names its own file and line.

A frame read from one file has that file's lines as ``_line``. A frame stitched from several
annual returns (``pipeline.read.returns``) numbers its rows instead, and keeps beside it a table of
each row's file, line and, for an XML return, element (``CHILD 12, EPISODE 2``). The cell checks
and the rules find their problems on the frame as they would on any file; ``Origins.place`` then
gives each problem its row's file, line and element, and writes each other row a message speaks of
(``line_ref``) as that row's line, with its file when that is another one. So parsing and the rules
cannot tell a stitched frame from a file, nor XML from CSV.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from pipeline.core.problems import Problem
from pipeline.read.csvfile import LINE

SOURCE_FILE, SOURCE_LINE, SOURCE_LOCATION = "_file", "_source_line", "_location"
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters: a message's reference to another row
_REF = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


def line_ref(row: pl.Expr) -> pl.Expr:
    """Another row of the frame (its ``_line``) as a message names it, once placed: ``12``, or
    ``12 of 2019/episodes.csv`` when the row is in another file than the one the message is about."""
    return pl.format(f"{_OPEN}{{}}{_CLOSE}", row)


@dataclass(frozen=True)
class Origins:
    """Where a frame's rows are: one file (``rows`` is ``None``; ``_line`` is the line), or the table
    ``rows`` of each row's ``_line`` to its ``_file``, ``_source_line`` and ``_location``. ``file``
    names the frame as a whole, for a problem about all of it (line 0)."""

    file: str
    rows: pl.DataFrame | None = None

    def place(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems`` found on the frame, each at its row's file, line and element."""
        found = list(problems)
        if self.rows is None:
            return [self._one_file(p) for p in found]
        keys = {p.line for p in found} | {int(k) for p in found for k in _REF.findall(p.message)}
        rows = self.rows.filter(pl.col(LINE).is_in(sorted(keys)))
        where = {key: (file, line, location or "") for key, file, line, location in rows.iter_rows()}
        return [self._stitched(p, where) for p in found]

    def _one_file(self, problem: Problem) -> Problem:
        message = _REF.sub(lambda m: m[1], problem.message)
        return dataclasses.replace(problem, file=self.file, message=message)

    def _stitched(self, problem: Problem, where: dict[int, tuple[str, int, str]]) -> Problem:
        file, line, location = where.get(problem.line, (self.file, 0, ""))

        def named(match: re.Match[str]) -> str:
            other_file, other_line, other_location = where[int(match[1])]
            text = str(other_line) if other_file == file else f"{other_line} of {other_file}"
            return text + (f" ({other_location})" if other_location else "")

        return dataclasses.replace(
            problem,
            file=file,
            line=line,
            message=_REF.sub(named, problem.message),
            location=problem.location or location,
        )
