"""Problems found in the extracts or the config, and the exception that carries them.

Every problem names its place as ``FILE:LINE: COLUMN: message [RULE]``. LINE is the
physical line of the file (the header is line 1); 0 means the file as a whole. In an XML
return the row is an element, and the message starts with where it is (``CHILD 12,
EPISODE 2: ...``), since a whole return is often written on one line.
Messages never carry a child's identifier, date of birth, name or postcode.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import polars as pl


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, in the order files, lines and columns are read."""

    file: str
    line: int
    column: str
    message: str
    rule: str
    severity: Severity = Severity.ERROR
    location: str = ""  # the element of an XML return (``CHILD 12, EPISODE 2``); empty for a CSV row

    @property
    def text(self) -> str:
        """The message as shown: after the element's location when there is one."""
        return f"{self.location}: {self.message}" if self.location else self.message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column or '-'}: {self.text} [{self.rule}]"


def _order(problem: Problem) -> tuple[str, int, str, str, str, str, tuple[int, ...], str]:
    """Every field counts, the element last: the problems of a one-line XML return differ only there,
    and its elements come in the file's order (``CHILD 2`` before ``CHILD 10``)."""
    place = tuple(int(n) for n in re.findall(r"\d+", problem.location))
    fields = (problem.file, problem.line, problem.column, problem.message, problem.rule, problem.severity)
    return (*fields, place, problem.location)


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` in ``Problem``'s order, sorted by a key: comparing 280,000 dataclasses pair by
    pair (``sorted(problems)``) takes seconds."""
    return sorted(problems, key=_order)


def distinct_in_order(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` in order, each once (a rule that reports a cell twice reports it once)."""
    ordered = in_order(problems)
    return [p for i, p in enumerate(ordered) if i == 0 or _order(p) != _order(ordered[i - 1])]


class InvalidInput(Exception):
    """The extracts or the config cannot be used; ``problems`` lists every reason, and ``notes``
    what could not be checked until they are mended."""

    def __init__(self, problems: list[Problem], notes: list[str] | None = None) -> None:
        self.problems = in_order(problems)
        self.notes = list(notes or [])
        super().__init__(f"{len(self.problems)} problem(s) in the inputs")


PROBLEM_SCHEMA = {"_line": pl.Int64, "column": pl.String, "message": pl.String}


def problems_from_frame(
    failures: pl.DataFrame, *, file: str, rule: str, severity: Severity = Severity.ERROR
) -> list[Problem]:
    """Turn a frame of failing rows (``_line``, ``column``, ``message``) into problems."""
    return [
        Problem(file, int(line), str(column), str(message), rule, severity)
        for line, column, message in failures.select("_line", "column", "message").iter_rows()
    ]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.WARNING]


def folded(problems: Sequence[Problem], shown: int) -> tuple[list[Problem], list[tuple[str, int]]]:
    """The first ``shown`` problems, and how many more there are of each rule (the most first):
    what a terminal can show of 68,000 warnings."""
    more = Counter(p.rule for p in problems[shown:])
    return list(problems[:shown]), sorted(more.items(), key=lambda item: (-item[1], item[0]))
