"""On the sample extracts, and on a shuffled, overlapping, messy variant of them, every message that
names a line (or says no episode of the child does something) is true of the file: checked
mechanically by ``tests.claims``, which reads the files on its own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.checks.validate import load_extracts
from pipeline.core.problems import InvalidInput, Problem
from pipeline.read.mapping import Mapping
from tests.builders import TODAY
from tests.claims import CHECKS, Extract, Message, false_messages, falsehood
from tests.messy import SAMPLES, write_messy


def problems_of(folder: Path) -> tuple[list[Problem], list[str]]:
    try:
        return list(load_extracts(folder, Mapping(), encoding="utf-8", today=TODAY).warnings), []
    except InvalidInput as invalid:
        return invalid.problems, invalid.notes


def messages(problems: list[Problem]) -> list[Message]:
    return [Message(p.file, p.line, p.column, p.message, p.rule) for p in problems]


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_messy(tmp_path_factory.mktemp("messy"), unreadable=True)


@pytest.fixture(scope="module")
def shuffled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_messy(tmp_path_factory.mktemp("shuffled"), unreadable=False)


def test_every_message_on_the_sample_extracts_is_true() -> None:
    problems, notes = problems_of(SAMPLES)
    assert false_messages(SAMPLES, messages(problems)) == []
    assert len(problems) == 3 and notes == []  # the sample's three warnings; no episode rule fires


def test_every_message_on_a_shuffled_overlapping_variant_is_true(shuffled: Path) -> None:
    problems, notes = problems_of(shuffled)
    assert false_messages(shuffled, messages(problems)) == []
    counts = Counter(p.rule for p in problems)
    # Enough of each for the check to mean something (the variant's faults are drawn at random).
    for rule_id, least in [
        ("EPISODE_DUPLICATE", 100),
        ("EPISODE_OVERLAP", 100),
        ("EPISODE_X1_BROKEN", 20),
        ("EPISODE_NEW_PERIOD_NOT_S", 50),
        ("EPISODE_OPEN_NOT_LATEST", 3),
    ]:
        assert counts[rule_id] >= least, (rule_id, counts)
    assert notes == []


def test_every_message_on_a_variant_with_unreadable_cells_is_true(messy: Path) -> None:
    problems, notes = problems_of(messy)
    assert false_messages(messy, messages(problems)) == []
    assert Counter(p.rule for p in problems)["CELL_DATE"] >= 20
    assert len(notes) == 2 and all("fix those cells and run again to check them" in n for n in notes)


def test_the_check_finds_a_false_message() -> None:
    extract = Extract(SAMPLES)
    # The first child's first two episodes: lines 2 and 3, the second starting the day the first ends X1.
    assert extract.episodes[2]["DEC"] == extract.episodes[3]["DECOM"] == "11/08/1994"
    false = [
        Message(
            "episodes.csv",
            2,
            "REC",
            "REC is X1 (...) but no episode of the child starts on 11/08/1994",
            "EPISODE_X1_BROKEN",
        ),
        Message(
            "episodes.csv",
            3,
            "DECOM",
            "the episode (11/08/1994 to 03/11/1995) overlaps the child's episode on line 2 (02/12/1993 to 11/08/1994)",
            "EPISODE_OVERLAP",
        ),
        Message("episodes.csv", 3, "DECOM", "the same episode is already on line 2", "EPISODE_DUPLICATE"),
        Message(
            "episodes.csv",
            3,
            "RNE",
            "the episode starts a new period of care but RNE is 'L', not S",
            "EPISODE_NEW_PERIOD_NOT_S",
        ),
        Message("episodes.csv", 3, "X", "an unchecked claim about line 2", "SOME_NEW_RULE"),
    ]
    assert [falsehood(extract, m) is not None for m in false] == [True] * len(false)
    assert set(CHECKS) >= {"EPISODE_OVERLAP", "EPISODE_X1_BROKEN", "EPISODE_DUPLICATE", "EPISODE_OPEN_NOT_LATEST"}
