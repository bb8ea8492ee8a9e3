"""cohorts.csv measures: children looked after on D by legal status, placement, age and sex,
and the flag-based cohorts."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.care.looked_after import looked_after_on
from pipeline.measures.cohorts import age_on, cohorts_table
from tests.frames import day, ep, episodes, frame, values

D = day("2020-10-31")  # the 12 months run from 1 November 2019
HEADER = [
    ("c1", "1", "2019-11-01"),  # 0 on D (first birthday tomorrow)
    ("c2", "M", "2019-10-31"),  # 1 on D (birthday on D)
    ("c3", "2", "2010-10-31"),  # 10
    ("c4", "F", "2004-11-01"),  # 15 (16 tomorrow)
    ("c5", "2", "2004-10-31"),  # 16
    ("c6", "1", "2011-01-01"),  # 9
    ("c7", "1", "2016-02-29"),  # 4
    ("c8", "2", "2012-01-01"),
    ("c9", "1", "2012-01-01"),
    ("c10", "U", "2008-06-01"),  # 12
]
EPISODES = [
    ep("c1", "2020-01-01", ls="C1", place="U1"),  # kinship, interim care order
    ep("c2", "2020-01-01", ls="C2", place="U4", provider="PR1"),  # in-house, care order
    ep("c3", "2020-01-01", ls="E1", place="U5", provider="PR4"),  # agency, placement order
    ep("c4", "2020-01-01", ls="V2", place="K2", provider="PR4"),  # residential, section 20
    ep("c5", "2020-01-01", ls="J1", place="R1", provider="PR3"),  # residential, youth justice
    ep("c6", "2020-01-01", ls="L2", place="U6", provider=""),  # agency (no provider), emergency
    ep("c7", "2020-01-01", ls="C2", place="P1", provider="PR0"),  # placed with parents, care order
    ep("c8", "2020-01-01", ls="V3", place="K1", provider="PR1"),  # short breaks: never counted
    ep("c9", "2020-01-01", dec="2020-10-31", rec="E4A"),  # ceased on D: not looked after on D
    ep("c10", "2020-01-01", ls="C2", place="K1", provider="PR4"),  # residential, care order
]
FLAGS = [
    ("c4", "RES_NO_FOSTER", "2020-01-01", ""),  # in force on D
    ("c5", "RES_NO_FOSTER", "2020-01-01", "2020-10-31"),  # ended on D: not in force
    ("c10", "RES_NO_FOSTER", "2020-11-01", ""),  # starts after D
    ("c6", "LT_MATCH", "2020-10-31", ""),  # matched on D
    ("c6", "LT_MATCH", "2020-01-01", "2020-06-01"),  # an earlier match: the child counts once
    ("c7", "LT_MATCH", "2019-10-31", ""),  # matched the day before the 12 months; in force on D
    ("c9", "LT_MATCH", "2019-11-01", ""),  # matched on the first day; no longer looked after
    ("c10", "LT_MATCH", "2020-03-01", "2020-09-01"),  # matched in the 12 months; ended before D
    ("c2", "RES_ASSESSED_NEED", "2020-01-01", ""),  # not a flag these measures use
]


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    header = frame("header.csv", ("CHILD", "SEX", "DOB"), HEADER)
    flags = frame("flags.csv", ("CHILD", "FLAG", "START_DATE", "END_DATE"), FLAGS)
    return cohorts_table(looked_after_on(episodes(EPISODES), [D]), header, flags, D)


def test_by_legal_status(table: pl.DataFrame) -> None:
    # looked after on D: c1 c2 c3 c4 c5 c6 c7 c10 (c8 short breaks, c9 ceased on D)
    assert values(table, "cla_by_legal_status") == {
        "care_order": 3,  # c2 c7 c10
        "interim_care_order": 1,
        "placement_order": 1,
        "section_20": 1,
        "youth_justice": 1,
        "emergency": 1,
    }


def test_by_placement(table: pl.DataFrame) -> None:
    assert values(table, "cla_by_placement") == {
        "kinship_fostering": 1,
        "in_house_fostering": 1,
        "agency_fostering": 2,  # c3 (PR4), c6 (no provider)
        "residential": 3,  # c4 c5 c10
        "placed_with_parents": 1,
        "placed_for_adoption": 0,
        "supported_or_independent": 0,
        "other": 0,
    }


def test_by_age_on_d(table: pl.DataFrame) -> None:
    # under 1: c1; 1-4: c2 (birthday on D), c7; 5-9: c6; 10-15: c3, c4 (16 tomorrow), c10; 16+: c5
    assert values(table, "cla_by_age") == {"under_1": 1, "1_to_4": 2, "5_to_9": 1, "10_to_15": 3, "16_plus": 1}


def test_by_sex_with_unknown_shown_because_present(table: pl.DataFrame) -> None:
    assert values(table, "cla_by_sex") == {"male": 4, "female": 3, "unknown": 1}  # 1/M: c1 c2 c6 c7; U: c10


def test_flag_cohorts(table: pl.DataFrame) -> None:
    residential = table.filter(pl.col("measure") == "residential_no_foster")
    assert residential.select("value", "denominator").rows() == [(1.0, 3)]  # c4 of c4 c5 c10
    assert values(table, "lt_matches_made") == {"all": 3}  # c6 (once), c9, c10; c7 the day before
    assert values(table, "lt_matched_now") == {"all": 2}  # c6 (from D), c7; c9 not looked after, c10 ended
    made = table.filter(pl.col("measure") == "lt_matches_made")
    assert made.select("period_start", "period_end").rows() == [(day("2019-11-01"), D)]


def test_without_flags_only_the_core_cohorts_are_made() -> None:
    header = frame("header.csv", ("CHILD", "SEX", "DOB"), HEADER)
    table = cohorts_table(looked_after_on(episodes(EPISODES[:1]), [D]), header, None, D)
    assert table["measure"].unique(maintain_order=True).to_list() == [
        "cla_by_legal_status",
        "cla_by_placement",
        "cla_by_age",
        "cla_by_sex",
    ]
    assert values(table, "cla_by_sex") == {"male": 1, "female": 0}  # no unknown row when none


@pytest.mark.parametrize(
    ("dob", "on", "age"),
    [
        ("2016-02-29", "2021-02-28", 4),  # a leap-day birthday comes on 1 March in other years
        ("2016-02-29", "2021-03-01", 5),
        ("2016-02-29", "2020-02-29", 4),
        ("2010-12-31", "2020-12-30", 9),
        ("2010-12-31", "2020-12-31", 10),
        ("2020-10-31", "2020-10-31", 0),
    ],
)
def test_age_in_whole_years(dob: str, on: str, age: int) -> None:
    frame_ = pl.DataFrame({"DOB": [day(dob)]})
    assert frame_.select(age_on(day(on)))[0, 0] == age
