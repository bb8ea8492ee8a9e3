"""Validating an extract folder: every file read, every rule whose files loaded run, all problems
at once; the validated ``Extracts`` when no error was found. A rule's problems are placed at the
rows they are about (``pipeline.read.origins``): in a folder of annual returns, each in its own
return's file and line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping as Lookup
from pathlib import Path, PurePath
from typing import Any

import polars as pl

from pipeline.checks.catalogue import catalogue
from pipeline.checks.frames import CLOSED_BY_STITCH, FILE_STEMS, PERIODS
from pipeline.checks.readable import Readable, notes
from pipeline.core.problems import (
    InvalidInput,
    Problem,
    Severity,
    distinct_in_order,
    errors,
    problems_from_frame,
    warnings,
)
from pipeline.core.rules import Frames, Rule
from pipeline.read.extract_date import ExtractDate
from pipeline.read.extracts import Extracts, read_folder
from pipeline.read.mapping import Mapping
from pipeline.read.origins import Origins
from pipeline.read.returns.rules import RETURNS_RULES


def load_extracts(
    directory: Path, mapping: Mapping, *, encoding: str, today: dt.date, taken: ExtractDate | None = None
) -> Extracts:
    """Read every file of the contract in ``directory`` and check it; raise ``InvalidInput`` listing every error.

    ``taken`` is the day the extract was taken, when the folder says (``pipeline.read.extract_date``):
    it places a folder of annual returns."""
    read = read_folder(directory, mapping, encoding=encoding, today=today, taken=taken)
    frames = dict(read.frames)
    if read.closed is not None:
        frames[CLOSED_BY_STITCH] = read.closed.to_frame("_line")
    # Every rule whose files loaded runs, so one run reports as much as can be found; a rule
    # never reads a cell that failed to read (it has its own message), nor a child's rows
    # together when one of them has such a cell: ``readable`` counts what it left out.
    readable = Readable(frames, read.unreadable)
    problems = distinct_in_order([*read.problems, *check_rules(catalogue(), frames, readable, read.origins)])
    if errors(problems):
        raise InvalidInput(problems, notes(readable.skipped))
    return Extracts(
        header=frames["header"],
        episodes=frames["episodes"],
        echo=frames.get("echo"),
        legal=frames.get("legal"),
        flags=frames.get("flags"),
        factors=frames.get("factors"),
        inputs=read.inputs,
        warnings=tuple(warnings(problems)),  # in order
        warning_rules=_warning_rules(stitched=read.returns is not None),
        periods=frames.get(PERIODS),  # when a rule needed them: `validate` alone never does
        uasc=frames.get("uasc"),
        returns=read.returns,
        unused=read.unused,
    )


class UndeclaredFile(LookupError):
    """A rule read a file its ``needs`` do not name: a fault in the rule's declaration, not in the extract."""


class Declared(dict[str, pl.DataFrame]):
    """The frames one rule runs on, where reading a file its ``needs`` do not name fails, whether or not
    the file is there: an incomplete declaration would otherwise run the rule on a file that failed
    to read, or (the file absent) stop it with a KeyError. What the rule derives (``checks.frames``)
    is added here like any frame, and the caller keeps it for the rules after."""

    def __init__(self, frames: Frames, rule: Rule) -> None:
        super().__init__(frames)
        self.rule = rule
        self.files = set(rule.needs or (PurePath(rule.file).stem,))

    def _declared(self, name: object) -> None:
        if name in FILE_STEMS and name not in self.files:
            raise UndeclaredFile(
                f"rule {self.rule.id} reads {name} but its needs name only {', '.join(sorted(self.files))}"
            )

    def __getitem__(self, name: str) -> pl.DataFrame:
        self._declared(name)
        return super().__getitem__(name)

    def __contains__(self, name: object) -> bool:
        self._declared(name)
        return super().__contains__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self._declared(name)
        return super().get(name, default)


def check_rules(
    rules: tuple[Rule, ...],
    frames: Frames,
    readable: Readable | None = None,
    origins: Lookup[str, Origins] | None = None,
) -> list[Problem]:
    """Run every rule whose frames are loaded; all problems, errors and warnings together.

    Each rule runs on the rows ``readable`` lets it reason from (all of ``frames`` when no cell
    failed to read). The rules share the frames they derive (the episodes as sets, the periods of
    care) by adding them to the frames they were given, so the caller can use them afterwards.
    Each problem is placed by the ``origins`` of its rule's file (by default, that file itself).
    """
    readable = readable or Readable(frames)
    origins = origins or {}
    problems: list[Problem] = []
    for index, each in enumerate(rules):
        if each.check is None or not each.ready(frames):
            continue
        view = readable.frames_for(each)
        declared = Declared(view, each)
        failing = each.check(declared)
        view.update((name, frame) for name, frame in declared.items() if name not in view)  # what it derived
        found = problems_from_frame(failing, file=each.file, rule=each.id, severity=each.severity)
        problems += origins.get(PurePath(each.file).stem, Origins(each.file)).place(found)
        # The frames the rules share are let go once no rule to come reads them: they are most of
        # the memory a national run holds. The periods of care go on to the tables.
        readable.let_go(rules[index + 1 :], keep=(PERIODS,))
    return problems


def _warning_rules(*, stitched: bool) -> tuple[str, ...]:
    """Every warning rule the extracts were checked against: those of a folder of returns only for one."""
    returns = {r.id for r in RETURNS_RULES}
    return tuple(r.id for r in catalogue() if r.severity is Severity.WARNING and (stitched or r.id not in returns))
