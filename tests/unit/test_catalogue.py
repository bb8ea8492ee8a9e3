"""The rule catalogue: one registry, a generated document kept up to date, a test for every rule."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from pipeline.checks import catalogue as document
from pipeline.checks.as_at import AS_AT_RULES
from pipeline.checks.catalogue import catalogue, rule
from pipeline.checks.episode_chains import EPISODE_CHAIN_RULES
from pipeline.checks.episode_rows import EPISODE_ROW_RULES
from pipeline.checks.header import HEADER_RULES
from pipeline.checks.optional import OPTIONAL_RULES
from pipeline.checks.validate import UndeclaredFile, check_rules
from pipeline.core.problems import Severity
from pipeline.core.rules import Rule
from pipeline.read.returns.rules import RETURNS_RULES
from pipeline.read.rules import CONFIG_RULES, EXTRACT_DATE_RULES, READING_RULES
from tests.unit.test_as_at import RULES_TESTED as DATE_RULES_TESTED
from tests.unit.test_bad_inputs import CASES, CONFIG_CASES

# The optional files' rules are tested beside their own module.
CORE_FILES = {"any", "header.csv", "episodes.csv"}


def test_the_committed_document_is_generated_from_the_registry() -> None:
    assert document.DOCUMENT.read_text(encoding="utf-8") == document.render(), (
        "docs/validation-rules.md is out of date: run python -m pipeline.checks.catalogue"
    )
    assert document.main(["--check"]) == 0


def test_the_document_states_the_catalogue_size_and_lists_every_rule() -> None:
    text = document.render()
    rules = catalogue()
    errors = sum(r.severity is Severity.ERROR for r in rules)
    assert f"The catalogue holds **{len(rules)} rules**: {errors} errors and {len(rules) - errors} warnings." in text
    assert re.findall(r"^\| `(\w+)` \|", text, flags=re.MULTILINE) == [r.id for r in rules]


def test_the_check_mode_notices_a_stale_document_and_writing_mends_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stale = tmp_path / "docs" / "validation-rules.md"
    monkeypatch.setattr(document, "DOCUMENT", stale)
    assert document.main(["--check"]) == 1  # no document at all
    stale.parent.mkdir()
    stale.write_text(document.render().replace("| warning |", "| error |", 1), encoding="utf-8")
    assert document.main(["--check"]) == 1
    assert document.main([]) == 0
    assert document.main(["--check"]) == 0


def test_rule_ids_are_unique_named_and_described() -> None:
    rules = catalogue()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+", i) for i in ids), ids
    assert all(r.summary.endswith(".") and r.file for r in rules)
    assert rules == (
        *READING_RULES,
        *RETURNS_RULES,
        *CONFIG_RULES,
        *EXTRACT_DATE_RULES,
        *AS_AT_RULES,
        *HEADER_RULES,
        *EPISODE_ROW_RULES,
        *EPISODE_CHAIN_RULES,
        *OPTIONAL_RULES,
    )
    assert rule("EPISODE_X1_BROKEN").reference == "388"


def test_every_core_rule_has_a_broken_and_a_mended_extract() -> None:
    tested = {case.rule for case in CASES} | {re.findall(r"\[(\w+)\]$", c[2])[0] for c in CONFIG_CASES}
    untested = [r.id for r in catalogue() if (r.file in CORE_FILES or r in CONFIG_RULES) and r.id not in tested]
    assert untested == []


def test_every_date_rule_is_tested_in_test_as_at() -> None:
    assert {r.id for r in (*EXTRACT_DATE_RULES, *AS_AT_RULES)} == DATE_RULES_TESTED


def test_rules_run_only_when_the_files_they_read_were_loaded() -> None:
    import polars as pl

    calls: list[str] = []

    def needs_echo(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
        calls.append("echo")
        return pl.DataFrame(schema={"_line": pl.Int64, "column": pl.String, "message": pl.String})

    echo_rule = Rule("ECHO_SOMETHING", Severity.WARNING, "echo.csv", "An echo rule.", needs_echo)
    assert check_rules((echo_rule,), {"header": pl.DataFrame(), "episodes": pl.DataFrame()}) == []
    assert calls == []
    assert check_rules((echo_rule,), {"echo": pl.DataFrame()}) == [] and calls == ["echo"]


def test_a_rule_reading_a_file_its_needs_do_not_name_fails_on_its_declaration() -> None:
    """Not skipped when the file is absent (the rule would quietly never run) nor run when it is there (on
    rows whose cells failed to read): the declaration is wrong, and says which rule and which file."""
    import polars as pl

    def orphans_in_echo(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
        return frames["echo"].join(frames["header"], on="CHILD", how="anti")  # reads header.csv too

    echo_rule = Rule("ECHO_ORPHAN", Severity.WARNING, "echo.csv", "An echo rule.", orphans_in_echo)
    message = "rule ECHO_ORPHAN reads header but its needs name only echo"
    with pytest.raises(UndeclaredFile, match=message):
        check_rules((echo_rule,), {"echo": pl.DataFrame({"CHILD": ["1"]})})
    with pytest.raises(UndeclaredFile, match=message):
        check_rules((echo_rule,), {"echo": pl.DataFrame({"CHILD": ["1"]}), "header": pl.DataFrame({"CHILD": ["1"]})})
    declared = dataclasses.replace(echo_rule, needs=("echo", "header"))
    frames = {"echo": pl.DataFrame({"CHILD": ["1"]}), "header": pl.DataFrame({"CHILD": ["2"]})}
    with pytest.raises(pl.exceptions.ColumnNotFoundError):  # it runs (and, having no _line, fails here)
        check_rules((declared,), frames)


def test_what_a_rule_derives_is_kept_for_the_rules_after_it() -> None:
    import polars as pl

    seen: list[bool] = []

    def deriving(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
        seen.append("_derived" in frames)
        frames["_derived"] = frames["episodes"]
        return pl.DataFrame(schema={"_line": pl.Int64, "column": pl.String, "message": pl.String})

    rules = tuple(Rule(f"EPISODE_{n}", Severity.WARNING, "episodes.csv", "A rule.", deriving) for n in (1, 2))
    frames = {"episodes": pl.DataFrame({"CHILD": ["1"]})}
    assert check_rules(rules, frames) == []
    assert seen == [False, True] and "_derived" in frames
