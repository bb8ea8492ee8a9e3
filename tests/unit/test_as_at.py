"""The day the extract was taken, and the as-at date checked against it (read.extract_date, checks.as_at).

Worked by hand: the extracts below have their newest episode start or end on 2 November 2020,
their first episode start on 1 January 2015, and estimates of the population for mid-2018
(30 June 2018) and mid-2019 (30 June 2019).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipeline.checks.as_at import as_at_problems, newest_event
from pipeline.core.problems import InvalidInput, Problem, Severity
from pipeline.read.config import Population
from pipeline.read.extract_date import DatedExtract, ExtractDate, extract_date
from pipeline.run import runner
from tests.builders import TODAY, child, episode, write_config, write_extract

D = dt.date
NEWEST = D(2020, 11, 2)
EPISODES = pl.DataFrame(
    {"DECOM": [D(2015, 1, 1), D(2020, 3, 1), D(2020, 11, 2)], "DEC": [D(2020, 3, 1), D(2020, 10, 1), None]},
    schema={"DECOM": pl.Date, "DEC": pl.Date},
)
POPULATION = (Population(mid_year=2018, count=36850), Population(mid_year=2019, count=36090))
UNDATED = DatedExtract(None)
FROM_TOML = DatedExtract(ExtractDate(NEWEST, "extract.toml", "extract.toml"))


def problems(as_at: D, dated: DatedExtract = UNDATED, *, beyond: bool = False) -> list[str]:
    found = as_at_problems(as_at, dated, EPISODES, POPULATION, beyond_extract=beyond)
    return [f"{p.severity.value}: {p}" for p in found]


# Every rule of read.extract_date and checks.as_at, each broken and mended (test_catalogue checks the list).
RULES_TESTED = {
    "EXTRACT_TOML",
    "EXTRACT_FOLDER_DATE",
    "AS_AT_AFTER_EXTRACT",
    "AS_AT_AFTER_EVENTS",
    "AS_AT_LONG_AFTER_EVENTS",
    "AS_AT_BEYOND_EXTRACT_ALLOWED",
    "AS_AT_BEFORE_EPISODES",
    "AS_AT_OUTSIDE_POPULATION",
}


# --- when the extract was taken ---------------------------------------------------------------


def dated(tmp_path: Path, name: str, toml: str | None = None, today: D = TODAY) -> DatedExtract:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    if toml is not None:
        (folder / "extract.toml").write_text(toml, encoding="utf-8")
    return extract_date(folder, today)


def test_extract_toml_says_when_the_extract_was_taken(tmp_path: Path) -> None:
    assert dated(tmp_path, "latest", "taken = 2020-11-02\n") == FROM_TOML


def test_a_full_date_in_the_folder_name_says_it_too(tmp_path: Path) -> None:
    for name in ("2020-11-02", "mosaic-2020-11-02", "2020-11-02-corrected"):
        folder = tmp_path / name
        assert dated(tmp_path, name) == DatedExtract(ExtractDate(NEWEST, "the folder's name", str(folder)))


def test_a_bare_year_or_two_dates_in_the_name_is_no_date(tmp_path: Path) -> None:
    # 2021 is a collection year (the annual return), not a day; a range names no one day.
    for name in ("2021", "extracts-2021", "2020-04-01_to_2021-03-31", "20201102"):
        assert dated(tmp_path, name) == UNDATED


def test_the_two_must_agree_and_extract_toml_must_be_valid(tmp_path: Path) -> None:
    cases = {
        "2020-11-04": ("taken = 2020-11-02\n", "the folder's name says the extract was taken on 2020-11-04,"
                       " extract.toml says 2020-11-02: correct the one that is wrong [EXTRACT_FOLDER_DATE]"),
        "a": ("taken = 2020-11-02\nby = 'me'\n", "extract.toml:0: by: unknown key (check its spelling against the"
              " documented keys (taken)) [EXTRACT_TOML]"),
        "b": ("# nothing\n", "extract.toml:0: taken: a required key is missing [EXTRACT_TOML]"),
        "c": ("taken = 2020-02-30\n", "extract.toml:1: -: not valid TOML: Invalid date or datetime [EXTRACT_TOML]"),
        "d": ("taken = 'last Monday'\n", "extract.toml:0: taken: 'last Monday' is not a date: write the day the"
              " extract was taken as taken = yyyy-mm-dd, without quotes [EXTRACT_TOML]"),
        "e": ("taken = 2026-11-25\n", "extract.toml:0: taken: the extract cannot have been taken on 2026-11-25"
              " (extract.toml): that is after today, 2026-11-24 [EXTRACT_TOML]"),
        "2026-11-25": (None, "the extract cannot have been taken on 2026-11-25 (the folder's name): that is after"
                       " today, 2026-11-24 [EXTRACT_FOLDER_DATE]"),
        "2020-11-31": (None, "the folder's name holds 2020-11-31, which is not a real date: name the folder by the"
                       " day the extract was taken (yyyy-mm-dd) [EXTRACT_FOLDER_DATE]"),
    }  # fmt: skip
    for name, (toml, expected) in cases.items():
        found = dated(tmp_path, name, toml)
        assert found.date is None
        assert [str(p).removeprefix(f"{tmp_path / name}:0: -: ") for p in found.problems] == [expected], name
        assert all(p.severity is Severity.ERROR for p in found.problems)


def test_the_folder_is_read_as_given_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "2020-11-02").mkdir()
    monkeypatch.chdir(tmp_path / "2020-11-02")
    assert extract_date(Path("."), TODAY).date == ExtractDate(NEWEST, "the folder's name", ".")


# --- the as-at date against it ----------------------------------------------------------------


def test_an_as_at_after_the_day_the_extract_was_taken_is_refused_naming_both_days() -> None:
    assert problems(NEWEST, FROM_TOML) == []  # the day itself is allowed
    assert problems(D(2020, 11, 3), FROM_TOML) == [
        "error: extract.toml:0: taken: the as-at date 2020-11-03 is after the day the extract was taken,"
        " 2020-11-02 (extract.toml): report on an earlier day (--as-at), or use a newer extract [AS_AT_AFTER_EXTRACT]"
    ]
    by_name = DatedExtract(ExtractDate(NEWEST, "the folder's name", "extracts/2020-11-02"))
    assert problems(D(2020, 11, 30), by_name) == [
        "error: extracts/2020-11-02:0: -: the as-at date 2020-11-30 is after the day the extract was taken,"
        " 2020-11-02 (the folder's name): report on an earlier day (--as-at), or use a newer extract"
        " [AS_AT_AFTER_EXTRACT]"
    ]


def test_a_known_extract_date_is_used_even_when_the_newest_event_is_long_before_it() -> None:
    taken_later = DatedExtract(ExtractDate(D(2021, 6, 1), "extract.toml", "extract.toml"))
    assert problems(D(2021, 5, 31), taken_later) == []  # seven months without an event: a quiet council


def test_without_an_extract_date_the_newest_event_stands_in_with_margins() -> None:
    assert newest_event(EPISODES) == (NEWEST, "DECOM")
    assert problems(D(2020, 12, 2)) == []  # one month after 2 November: allowed
    warned = (
        "warning: episodes.csv:0: DECOM: the as-at date {} is more than 1 month after the newest episode start or"
        " end in the extract, 2020-11-02: check this is the newest extract (extract.toml with taken = yyyy-mm-dd,"
        " or a dated folder name, says when it was taken) [AS_AT_LONG_AFTER_EVENTS]"
    )
    assert problems(D(2020, 12, 3)) == [warned.format("2020-12-03")]
    assert problems(D(2021, 2, 2)) == [warned.format("2021-02-02")]  # three months after: still a warning
    assert problems(D(2021, 2, 3)) == [
        "error: episodes.csv:0: DECOM: the as-at date 2021-02-03 is more than 3 months after the newest episode"
        " start or end in the extract, 2020-11-02, and the extract does not say when it was taken: report on an"
        " earlier day (--as-at), or use a newer extract [AS_AT_AFTER_EVENTS]"
    ]


def test_the_newest_event_may_be_an_episode_end() -> None:
    ended = pl.DataFrame({"DECOM": [D(2020, 1, 1)], "DEC": [D(2020, 9, 30)]})
    assert newest_event(ended) == (D(2020, 9, 30), "DEC")
    found = as_at_problems(D(2021, 1, 1), UNDATED, ended, None)
    assert [(p.column, p.rule) for p in found] == [("DEC", "AS_AT_AFTER_EVENTS")]


def test_the_override_lets_the_run_go_ahead_with_a_warning() -> None:
    assert problems(D(2026, 11, 30), FROM_TOML, beyond=True)[0] == (
        "warning: extract.toml:0: taken: the as-at date 2026-11-30 is after the day the extract was taken,"
        " 2020-11-02 (extract.toml): allowed by --as-at-beyond-extract, so nothing recorded since is in the figures"
        " [AS_AT_BEYOND_EXTRACT_ALLOWED]"
    )
    assert problems(D(2021, 2, 3), beyond=True) == [
        "warning: episodes.csv:0: DECOM: the as-at date 2021-02-03 is more than 3 months after the newest episode"
        " start or end in the extract, 2020-11-02, and the extract does not say when it was taken: allowed by"
        " --as-at-beyond-extract, so nothing recorded since is in the figures [AS_AT_BEYOND_EXTRACT_ALLOWED]"
    ]
    assert problems(D(2020, 10, 31), FROM_TOML, beyond=True) == []  # nothing to allow


def test_an_as_at_before_the_first_episode_is_warned() -> None:
    assert problems(D(2015, 1, 1)) == [
        "warning: council.toml:0: population: the as-at date 2015-01-01 is before the first population estimate"
        " in council.toml (mid-2018): the rates per 10,000 use the mid-2018 population [AS_AT_OUTSIDE_POPULATION]"
    ]
    assert problems(D(2014, 12, 31))[0] == (
        "warning: episodes.csv:0: DECOM: the as-at date 2014-12-31 is before the extract's first episode starts"
        " (2015-01-01): the extract records nothing on that day [AS_AT_BEFORE_EPISODES]"
    )


def test_an_as_at_outside_the_population_estimates_is_warned() -> None:
    assert problems(D(2018, 6, 30)) == []  # the first estimate's own day
    assert [p.split(" [")[1] for p in problems(D(2018, 6, 29))] == ["AS_AT_OUTSIDE_POPULATION]"]
    assert problems(D(2021, 6, 30), DatedExtract(ExtractDate(D(2021, 7, 1), "extract.toml", "extract.toml"))) == []
    assert problems(D(2021, 7, 1), DatedExtract(ExtractDate(D(2021, 7, 1), "extract.toml", "extract.toml"))) == [
        "warning: council.toml:0: population: the as-at date 2021-07-01 is more than 2 years after the latest"
        " population estimate in council.toml (mid-2019): the rates per 10,000 use the mid-2019 population (add"
        " the newer ONS estimates) [AS_AT_OUTSIDE_POPULATION]"
    ]


def test_no_check_runs_on_what_failed_to_read() -> None:
    # extract.toml could not be read: the newest event does not stand in for the date it may hold.
    unreadable = DatedExtract(None, (Problem("extract.toml", 1, "", "not valid TOML", "EXTRACT_TOML"),))
    assert as_at_problems(D(2026, 11, 30), unreadable, EPISODES, POPULATION[-1:] * 0) == []
    assert as_at_problems(D(2026, 11, 30), UNDATED, None, None) == []  # no episodes, no population: nothing


# --- through a whole validation ---------------------------------------------------------------

HEADER = [child("0001", "1", "01/02/2008")]
ONE_EPISODE = [episode("0001", "01/01/2015", ls="C2", place="U1", dec="02/11/2020", rec="E45")]


def validate(extracts: Path, config: Path, as_at: D, *, beyond: bool = False) -> runner.Validated:
    request = runner.Request(extracts=extracts, as_at=as_at, config=config, today=TODAY, as_at_beyond_extract=beyond)
    return runner.validate(request)


def test_a_planned_date_never_stands_in_for_the_extract_date(tmp_path: Path) -> None:
    extracts = write_extract(tmp_path / "x", HEADER, ONE_EPISODE, taken=None)
    (extracts / "legal.csv").write_text("CHILD,ROUTE,PLANNED_DATE\n0001,SGO,01/06/2021\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        validate(extracts, write_config(tmp_path / "c"), D(2021, 3, 31))
    assert [(p.file, p.rule) for p in refused.value.problems] == [("episodes.csv", "AS_AT_AFTER_EVENTS")]


def test_the_as_at_problem_is_reported_with_the_extract_s_own(tmp_path: Path) -> None:
    extracts = write_extract(tmp_path / "x", HEADER, [*ONE_EPISODE, episode("0009", "31/02/2020")])
    with pytest.raises(InvalidInput) as refused:
        validate(extracts, write_config(tmp_path / "c"), D(2020, 12, 31))
    assert [p.rule for p in refused.value.problems] == ["EPISODE_ORPHAN", "CELL_DATE", "AS_AT_AFTER_EXTRACT"]


def test_the_warnings_join_the_extract_s_and_the_date_is_kept(tmp_path: Path) -> None:
    extracts = write_extract(tmp_path / "2020-11-02", HEADER, ONE_EPISODE)
    checked = validate(extracts, write_config(tmp_path / "c"), D(2018, 3, 31))
    assert [w.rule for w in checked.extracts.warnings] == ["AS_AT_OUTSIDE_POPULATION"]
    assert checked.extract_date == ExtractDate(NEWEST, "extract.toml", "extract.toml")
    assert "AS_AT_OUTSIDE_POPULATION" in checked.extracts.warning_rules
