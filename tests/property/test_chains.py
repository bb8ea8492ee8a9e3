"""Property-based tests of the rules on a child's episodes together (hypothesis).

Children's episodes are drawn in any order, overlapping or with gaps, listed twice or not, some
open, some changes on one day, and written to episodes.csv shuffled. Each chain and overlap
message must then be exactly what a brute-force reading of the same episodes says: every pair of
episodes compared, nothing sorted. And every message must be true of the lines it names
(``tests.claims``, a reading of the file of its own).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.checks.validate import load_extracts
from pipeline.core.problems import InvalidInput, Problem
from pipeline.read.mapping import Mapping
from tests.builders import EPISODE_COLUMNS, HEADER_COLUMNS, TODAY, write_csv
from tests.claims import Message, false_messages

CHAIN_RULES = (
    "EPISODE_DUPLICATE",
    "EPISODE_OVERLAP",
    "EPISODE_OPEN_NOT_LATEST",
    "EPISODE_X1_BROKEN",
    "EPISODE_AFTER_FINAL",
    "EPISODE_NEW_PERIOD_NOT_S",
    "EPISODE_CONTINUATION_IS_S",
)
FIRST_DAY = dt.date(2019, 1, 1)
CHAIN_SETTINGS = settings(
    max_examples=80, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@dataclass(frozen=True)
class Ep:
    child: str
    decom: dt.date
    dec: dt.date | None
    rec: str
    rne: str
    place: str
    unreadable: bool = False  # its DEC written with a two-digit year

    def cells(self) -> tuple[str, ...]:
        dec = "" if self.dec is None else self.dec.strftime("%d/%m/%y" if self.unreadable else "%d/%m/%Y")
        return (self.child, self.decom.strftime("%d/%m/%Y"), self.rne, "C2", self.place, "PR1", dec, self.rec)

    @property
    def content(self) -> tuple[object, ...]:
        return (self.child, self.decom, self.dec, self.rec, self.rne, self.place, self.unreadable)

    @property
    def lasting(self) -> bool:
        return self.dec is None or self.dec > self.decom

    @property
    def end(self) -> dt.date:
        return self.dec or dt.date.max


@st.composite
def an_episode(draw: st.DrawFn, child: str) -> Ep:
    decom = FIRST_DAY + dt.timedelta(days=draw(st.integers(0, 40)))  # a short span: starts and ends collide
    length = draw(st.one_of(st.none(), st.integers(0, 25)))
    dec = None if length is None else decom + dt.timedelta(days=length)
    rec = "" if dec is None else draw(st.sampled_from(("X1", "X1", "X1", "E4A", "E2", "E15")))
    return Ep(child, decom, dec, rec, draw(st.sampled_from(("S", "S", "P", "L"))), draw(st.sampled_from(("U4", "U6"))))


@st.composite
def histories(draw: st.DrawFn, unreadable: bool) -> list[Ep]:
    """One to three children with one to six episodes each, some listed twice (the same, or with
    another DEC), some with a DEC that cannot be read when ``unreadable``."""
    episodes: list[Ep] = []
    for number in range(draw(st.integers(1, 3))):
        own: list[Ep] = []
        for _ in range(draw(st.integers(1, 6))):
            episode = draw(an_episode(f"C{number}"))
            ends = [e.dec for e in own if e.dec is not None]
            link = draw(st.booleans())
            if ends and link:  # a link: it starts the day an earlier one ends
                start = draw(st.sampled_from(ends))
                episode = replace(episode, decom=start, dec=episode.dec and start + (episode.dec - episode.decom))
            own.append(episode)
        for episode in list(own):
            twin = draw(st.sampled_from(("none", "none", "none", "same", "other end")))
            if twin == "same":
                own.append(episode)
            elif twin == "other end" and episode.dec is not None:
                own.append(replace(episode, dec=episode.dec + dt.timedelta(days=draw(st.integers(1, 9)))))
        if unreadable and draw(st.booleans()):
            index = draw(st.integers(0, len(own) - 1))
            if own[index].dec is not None:
                own[index] = replace(own[index], unreadable=True)
        episodes += own
    return episodes


def chain_problems(episodes: list[Ep], seed: int, folder: Path) -> tuple[dict[int, Ep], list[Problem]]:
    """The episodes written shuffled to ``folder`` (by line), and every problem of the rules across them."""
    rows = list(episodes)
    random.Random(seed).shuffle(rows)
    children = sorted({e.child for e in rows})
    write_csv(folder / "header.csv", HEADER_COLUMNS, [(c, "1", "01/01/2010") for c in children])
    write_csv(folder / "episodes.csv", EPISODE_COLUMNS, [e.cells() for e in rows])
    try:
        problems = list(load_extracts(folder, Mapping(), encoding="utf-8", today=TODAY).warnings)
    except InvalidInput as invalid:
        problems = invalid.problems
    return dict(enumerate(rows, start=2)), [p for p in problems if p.rule in CHAIN_RULES]


# ---- the brute-force reading ------------------------------------------------------------------


class Reading:
    """What the rules should say of the episodes, pair by pair."""

    def __init__(self, lines: dict[int, Ep]) -> None:
        skipped = {e.child for e in lines.values() if e.unreadable}  # a child with a cell not read is left out
        self.lines = {n: e for n, e in lines.items() if e.child not in skipped}
        self.copy_of = {
            n: min(m for m, o in self.lines.items() if o.content == e.content) for n, e in self.lines.items()
        }

    def of_child(self, line: int) -> Iterable[tuple[int, Ep]]:
        child = self.lines[line].child
        return ((n, e) for n, e in self.lines.items() if e.child == child)

    def other(self, line: int) -> Iterable[tuple[int, Ep]]:
        """The child's other episodes, not counting exact copies of this one."""
        return ((n, e) for n, e in self.of_child(line) if self.copy_of[n] != self.copy_of[line])

    def lasting_same_day(self, line: int) -> list[int]:
        e = self.lines[line]
        return sorted(n for n, o in self.of_child(line) if o.lasting and o.decom == e.decom)

    def disputed(self, line: int) -> bool:
        e = self.lines[line]
        return e.lasting and len({self.copy_of[n] for n in self.lasting_same_day(line)}) > 1

    def aside(self, line: int) -> bool:
        return self.copy_of[line] != line or self.disputed(line)

    def subjects(self) -> Iterable[tuple[int, Ep]]:
        return ((n, e) for n, e in sorted(self.lines.items()) if not self.aside(n))

    def expected(self) -> set[tuple[str, int, int | None]]:
        """(rule, line, the other line named or None) for every message the rules should give."""
        found: set[tuple[str, int, int | None]] = set()
        for n in self.lines:
            if self.copy_of[n] != n:
                found.add(("EPISODE_DUPLICATE", n, self.copy_of[n]))
            elif self.disputed(n) and n != self.lasting_same_day(n)[0]:
                found.add(("EPISODE_DUPLICATE", n, self.lasting_same_day(n)[0]))
        for n, e in self.subjects():
            others = list(self.other(n))
            subject_others = [(m, o) for m, o in others if not self.aside(m)]
            if e.dec is None or e.dec >= e.decom:
                earlier = [
                    (m, o)
                    for m, o in subject_others
                    if o.dec is not None and o.dec >= o.decom and o.decom < e.decom < o.dec
                ]
                if earlier:
                    named = max(earlier, key=lambda pair: (pair[1].dec, -pair[0]))[0]
                    found.add(("EPISODE_OVERLAP", n, named))
            later = [(m, o) for m, o in self.of_child(n) if o.decom > e.decom]
            if e.dec is None and later:
                found.add(("EPISODE_OPEN_NOT_LATEST", n, max(later, key=lambda pair: (pair[1].decom, -pair[0]))[0]))
            if e.rec == "X1" and e.dec is not None and not any(o.decom == e.dec for _, o in others):
                found.add(("EPISODE_X1_BROKEN", n, None))
            into = [(m, o) for m, o in others if o.rec == "X1" and o.dec == e.decom]
            if e.rne != "S" and not into:
                found.add(("EPISODE_NEW_PERIOD_NOT_S", n, None))
            before = [m for m, o in into if not self.aside(m) and o.decom < e.decom]
            if e.rne == "S" and before:
                found.add(("EPISODE_CONTINUATION_IS_S", n, min(before)))
            finals = [
                (m, o)
                for m, o in subject_others
                if o.rec in ("E2", "E15") and o.dec is not None and e.decom >= o.dec and e.decom > o.decom
            ]
            if finals:
                found.add(("EPISODE_AFTER_FINAL", n, max(finals, key=lambda pair: (pair[1].dec, -pair[0]))[0]))
        return found


def messages(problems: list[Problem]) -> list[Message]:
    return [Message(p.file, p.line, p.column, p.message, p.rule) for p in problems]


def reported(problems: list[Problem]) -> set[tuple[str, int, int | None]]:
    found: set[tuple[str, int, int | None]] = set()
    for p in problems:
        named = [int(n) for n in re.findall(r"\blines? (\d+)", p.message)]
        other = [n for n in named if n != p.line]
        found.add((p.rule, p.line, other[0] if other else None))
    return found


@CHAIN_SETTINGS
@given(episodes=histories(unreadable=False), seed=st.integers(0, 2**32 - 1))
def test_each_chain_and_overlap_message_is_what_every_pair_of_episodes_says(episodes: list[Ep], seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lines, problems = chain_problems(episodes, seed, Path(folder))
        assert false_messages(Path(folder), messages(problems)) == []
    assert reported(problems) == Reading(lines).expected()
    assert len(reported(problems)) == len(problems)  # one message for each


@CHAIN_SETTINGS
@given(episodes=histories(unreadable=True), seed=st.integers(0, 2**32 - 1))
def test_a_child_with_an_end_date_not_read_gets_no_message_across_its_episodes(episodes: list[Ep], seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lines, problems = chain_problems(episodes, seed, Path(folder))
        assert false_messages(Path(folder), messages(problems)) == []
    assert reported(problems) == Reading(lines).expected()


@CHAIN_SETTINGS
@given(episodes=histories(unreadable=False), seeds=st.tuples(st.integers(0, 2**16), st.integers(0, 2**16)))
def test_the_messages_do_not_depend_on_the_order_of_the_rows(episodes: list[Ep], seeds: tuple[int, int]) -> None:
    about, rules = [], []
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            lines, problems = chain_problems(episodes, seed, Path(folder))
        # Which episode each rule speaks of (which copy of an episode listed twice comes first may change).
        about.append(sorted((p.rule, lines[p.line].content) for p in problems if p.rule != "EPISODE_DUPLICATE"))
        rules.append(sorted(p.rule for p in problems))
    assert about[0] == about[1] and rules[0] == rules[1]
