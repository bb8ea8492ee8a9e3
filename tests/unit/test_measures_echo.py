"""echo.csv measures: families, children, outcomes the episodes prove, and sustained outcomes."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.care.periods import periods_of_care
from pipeline.measures.echo import echo_table
from pipeline.read.config import CouncilConfig
from tests.builders import COUNCIL_TOML, council
from tests.frames import day, ep, episodes, frame, values


def echo_table_of(
    echo: pl.DataFrame, rows: list[tuple[str, ...]], config: CouncilConfig, as_at: dt.date
) -> pl.DataFrame:
    """The echo table of ``echo`` with the episodes ``rows``."""
    typed = episodes(rows)
    return echo_table(echo, typed, periods_of_care(typed), config, as_at)


COLUMNS = ("FAMILY", "CHILD", "STRAND", "REFERRAL_DATE", "START_DATE", "END_DATE", "OUTCOME")
CONFIG = council()  # the ECHo service started on 1 April 2020
D = day("2020-10-31")

PREVENTION = [
    ("F1", "p1", "PREVENTION", "2020-03-20", "2020-04-01", "2020-06-30", "REMAINED_HOME"),  # on the start date
    ("F1", "p2", "PREVENTION", "2020-04-20", "2020-05-01", "", ""),  # ongoing; came into care in July
    ("F2", "p3", "PREVENTION", "2020-04-20", "2020-05-01", "2020-08-31", ""),  # came into care on END_DATE
    ("F3", "p4", "PREVENTION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # came into care on D: after
    ("F4", "p5", "PREVENTION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # came into care after D
    ("F5", "p6", "PREVENTION", "2020-03-01", "2020-03-31", "2020-05-01", ""),  # started before the service
    ("F6", "p7", "PREVENTION", "2020-10-01", "", "", ""),  # referral not accepted
    ("F7", "p8", "PREVENTION", "2020-10-20", "2020-11-01", "", ""),  # started after D
    ("F8", "p9", "PREVENTION", "2020-04-20", "2020-05-01", "2020-12-31", ""),  # ends after D: ongoing on D
    ("F9", "p10", "PREVENTION", "2020-04-01", "2020-04-10", "2020-05-10", "ENTERED_CARE"),  # earlier involvement
    ("F9", "p10", "PREVENTION", "2020-06-20", "2020-07-01", "", ""),  # latest involvement counts
    ("F10", "p11", "PREVENTION", "2020-04-20", "2020-05-01", "", ""),  # already looked after before START
]
PREVENTION_EPISODES = [
    ep("p2", "2020-07-01"),
    ep("p3", "2020-08-31"),
    ep("p4", "2020-10-31"),
    ep("p5", "2020-11-01"),
    ep("p9", "2020-11-15"),
    ep("p10", "2020-05-01", dec="2020-06-01", rec="E4A"),
    ep("p11", "2020-01-01"),
]
REUNIFICATION = [
    ("G1", "r1", "REUNIFICATION", "2020-04-20", "2020-05-01", "2020-08-01", "RETURNED_HOME"),
    ("G1", "r2", "REUNIFICATION", "2020-04-20", "2020-05-01", "", ""),
    ("G2", "r3", "REUNIFICATION", "2020-04-20", "2020-05-01", "2020-09-30", "REMAIN_IN_CARE"),
    ("G2", "r4", "REUNIFICATION", "2020-04-20", "2020-05-01", "", "RETURN_PLANNED"),
    ("G3", "r5", "REUNIFICATION", "2020-04-20", "2020-05-01", "2020-11-15", "RETURN_PLANNED"),  # recorded after D
    ("G3", "r6", "REUNIFICATION", "2020-04-20", "2020-05-01", "2020-09-30", "RETURNED_HOME"),  # episodes disagree
    ("G4", "r7", "REUNIFICATION", "2020-04-20", "2020-05-01", "", ""),
    ("G4", "r8", "REUNIFICATION", "2020-04-20", "2020-05-01", "", ""),
    ("G5", "r9", "REUNIFICATION", "2020-04-20", "2020-05-01", "", ""),
]
REUNIFICATION_EPISODES = [
    ep("r1", "2019-01-01", dec="2020-07-01", rec="E4A"),  # went home during the involvement
    ep("r2", "2019-01-01", dec="2020-09-01", rec="X1"),
    ep("r2", "2020-09-01", place="P1", provider="PR0", rne="P"),  # placed with parents: home
    ep("r3", "2019-01-01"),
    ep("r4", "2019-01-01"),
    ep("r5", "2019-01-01"),
    ep("r6", "2019-01-01"),
    ep("r7", "2019-01-01", dec="2020-04-30", rec="E4A"),  # went home the day before START_DATE
    ep("r8", "2019-01-01", dec="2020-06-01", rec="E41"),  # a child arrangements order is not going home
    ep("r9", "2019-01-01", dec="2020-10-31", rec="E4B"),  # went home on D
]


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    echo = frame("echo.csv", COLUMNS, PREVENTION + REUNIFICATION)
    return echo_table_of(echo, PREVENTION_EPISODES + REUNIFICATION_EPISODES, CONFIG, D)


def test_families_and_children_started_from_the_service_start_to_d(table: pl.DataFrame) -> None:
    # prevention: F1 (p1, p2), F2, F3, F4, F8, F9 (p10 twice), F10; F5 too early, F6 never started, F7 after D
    assert values(table, "echo_families") == {"prevention": 7, "reunification": 5}
    assert values(table, "echo_children") == {"prevention": 8, "reunification": 9}
    families = table.filter(pl.col("measure") == "echo_families")
    assert set(families["period_start"]) == {day("2020-04-01")} and set(families["period_end"]) == {D}


def test_prevention_outcomes_follow_the_episodes(table: pl.DataFrame) -> None:
    # not entered: p1, p5 (after D), p9 (after D, involvement still open on D), p10 (latest involvement), p11
    # during: p2 (ongoing), p3 (on END_DATE); after: p4 (on D)
    assert values(table, "echo_prevention_outcome") == {
        "not_entered_care": 5,
        "entered_care_during": 2,
        "entered_care_after": 1,
    }


def test_reunification_outcomes_prefer_the_episodes_then_the_record(table: pl.DataFrame) -> None:
    # returned home: r1 (E4A), r2 (P1 placement), r9 (E4B on D); remain: r3; planned: r4;
    # open: r5 (recorded after D), r6 (recorded home, episodes disagree), r7 (home before START), r8 (CAO)
    assert values(table, "echo_reunification_outcome") == {
        "returned_home": 3,
        "remain_in_care": 1,
        "return_planned": 1,
        "open": 4,
    }


def test_a_short_break_placement_with_parents_is_not_going_home() -> None:
    echo = frame("echo.csv", COLUMNS, [("G1", "r1", "REUNIFICATION", "2020-04-20", "2020-05-01", "", "")])
    short_break = [
        ep("r1", "2019-01-01", dec="2020-06-01", rec="X1"),
        ep("r1", "2020-06-01", ls="V3", place="P1", provider="PR0", rne="L"),
    ]
    table = echo_table_of(echo, short_break, CONFIG, D)
    assert values(table, "echo_reunification_outcome")["returned_home"] == 0


SUSTAINED = [
    ("F11", "s1", "PREVENTION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # success, never in care
    ("F12", "s2", "PREVENTION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # in care exactly 6 months later
    ("F13", "s3", "PREVENTION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # in care 6 months and a day later
    ("F14", "s4", "PREVENTION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # came into care during: no success
    ("F15", "s5", "PREVENTION", "2020-04-20", "2020-05-01", "", ""),  # not ended
    ("F16", "s6", "REUNIFICATION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # home, stayed home
    ("F17", "s7", "REUNIFICATION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # home, back in care in March 2021
    ("F18", "s8", "REUNIFICATION", "2020-04-20", "2020-05-01", "2020-06-30", "REMAIN_IN_CARE"),  # no success
    ("F19", "s9", "REUNIFICATION", "2020-04-20", "2020-05-01", "2020-06-30", ""),  # home only after END_DATE
    ("F20", "s10", "PREVENTION", "2020-12-20", "2021-01-01", "2021-06-30", ""),  # ended 6 months before D exactly
    ("F21", "s11", "PREVENTION", "2020-12-20", "2021-01-01", "2021-07-01", ""),  # ended less than 6 months before D
]
SUSTAINED_EPISODES = [
    ep("s2", "2020-12-30"),
    ep("s3", "2020-12-31"),
    ep("s4", "2020-06-01"),
    ep("s6", "2019-01-01", dec="2020-05-15", rec="E4A"),
    ep("s7", "2019-01-01", dec="2020-05-15", rec="E4A"),
    ep("s7", "2021-03-01"),
    ep("s8", "2019-01-01"),
    ep("s9", "2019-01-01", dec="2020-08-01", rec="E4A"),
]


def test_sustained_outcomes_at_6_12_18_and_24_months() -> None:
    as_at = day("2021-12-31")
    table = echo_table_of(frame("echo.csv", COLUMNS, SUSTAINED), SUSTAINED_EPISODES, CONFIG, as_at)
    sustained = table.filter(pl.col("measure") == "echo_sustained_pct").sort("order")
    # Ended successfully: s1 s2 s3 s10 (prevention), s6 s7 (reunification); s4 s5 s8 s9 did not.
    # 6m (END + 6 months on or before D): s1 s2 s3 s6 s7 s10; back in care within 6 months: s2 (on the day)
    #   -> 5 of 6 = 83.3%
    # 12m and 18m (s10 too recent): s1 s2 s3 s6 s7; back in care: s2, s3 (31/12/2020), s7 (01/03/2021)
    #   -> 2 of 5 = 40.0%
    # 24m: nobody ended two years before D -> empty, denominator 0
    assert sustained.select("group", "value", "denominator").rows() == [
        ("6m", 83.3, 6),
        ("12m", 40.0, 5),
        ("18m", 40.0, 5),
        ("24m", None, 0),
    ]
    assert sustained["unit"].to_list() == ["percent"] * 4


def test_without_an_echo_section_in_the_config_every_involvement_to_d_counts() -> None:
    config = council(COUNCIL_TOML.replace("[echo]\nstart_date = 2020-04-01\n", ""))
    echo = frame("echo.csv", COLUMNS, PREVENTION)
    table = echo_table_of(echo, PREVENTION_EPISODES, config, D)
    assert values(table, "echo_children") == {"prevention": 9, "reunification": 0}  # p6 counts now
    assert table.filter(pl.col("measure") == "echo_children")["period_start"].to_list() == [None, None]
