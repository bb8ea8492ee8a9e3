"""The frames the rules across rows derive and share (``pipeline.checks.frames``): each rule says
which it reads (``Rule.shares``), and a run lets each go once no rule to come reads it, so that a
national extract's validation holds less memory. A rule that read a frame it did not declare would
find it let go and work it out again: slower, never wrong, and this test says so first."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.checks.catalogue import catalogue
from pipeline.checks.frames import MADE_FROM, PERIODS, SHARED
from pipeline.checks.readable import Readable
from pipeline.checks.validate import check_rules
from pipeline.core.problems import in_order
from pipeline.core.rules import Frames
from pipeline.read.extracts import read_folder
from pipeline.read.mapping import Mapping
from tests.builders import TODAY
from tests.messy import SAMPLES, write_messy


class Recording(dict[str, pl.DataFrame]):
    """Frames that remember which of the shared frames were looked for."""

    def __init__(self, frames: Frames) -> None:
        super().__init__(frames)
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> pl.DataFrame:
        self.asked.add(name)
        return super().__getitem__(name)

    def __contains__(self, name: Any) -> bool:
        self.asked.add(name)
        return super().__contains__(name)


def sample_frames() -> Frames:
    return dict(read_folder(SAMPLES, Mapping(), encoding="utf-8", today=TODAY).frames)


def test_each_rule_declares_every_shared_frame_it_reads_or_works_out() -> None:
    frames = sample_frames()
    for rule in catalogue():
        if rule.check is None or not rule.ready(frames):
            continue
        recording = Recording(frames)  # nothing worked out yet: the rule works out all it reads
        rule.check(recording)
        declared = {*rule.shares, *(made for name in rule.shares for made in MADE_FROM.get(name, ()))}
        assert recording.asked & set(SHARED) == declared, rule.id


def test_a_run_of_every_rule_keeps_only_the_periods_of_care_for_the_tables() -> None:
    frames = sample_frames()
    check_rules(catalogue(), frames)
    assert [name for name in frames if name in SHARED] == [PERIODS]


def test_a_shared_frame_let_go_too_early_is_worked_out_again_with_the_same_messages(tmp_path: Path) -> None:
    """The declarations only save memory: with none at all every frame is let go after each rule.
    On a messy extract (episodes listed twice and overlapping, cells that fail to read)."""
    read = read_folder(write_messy(tmp_path, unreadable=True, untidy=False), Mapping(), encoding="utf-8", today=TODAY)
    undeclared = tuple(replace(rule, shares=()) for rule in catalogue())
    found = []
    for rules in (undeclared, catalogue()):
        frames = dict(read.frames)
        found.append(in_order(check_rules(rules, frames, Readable(frames, read.unreadable))))
    rules = {problem.rule for problem in found[0]}
    assert {"EPISODE_DUPLICATE", "EPISODE_OVERLAP", "EPISODE_BEFORE_BIRTH", "EPISODE_OVER_18_NOT_V2_K2"} <= rules
    assert found[0] == found[1]
