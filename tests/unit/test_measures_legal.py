"""legal.csv measures: stages on D, routes, planned months, the horizon and conclusions."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.measures.legal import horizon, legal_table
from tests.frames import day, frame, values

COLUMNS = ("CHILD", "ROUTE", "PLANNED_DATE", "REFERRED_DATE", "ISSUED_DATE", "CONCLUDED_DATE", "OUTCOME")
D = day("2020-11-15")  # November: the horizon is 31 January 2021; the 12 months run from 16 November 2019
APPLICATIONS = [
    ("A", "SGO", "2020-10-01", "", "", "", ""),  # planned (overdue), expected
    ("B", "SGO", "2021-01-31", "", "", "", ""),  # planned on the horizon itself: expected
    ("C", "REUNIFICATION", "2021-02-01", "", "", "", ""),  # planned the day after the horizon: not expected
    ("D", "REUNIFICATION", "2020-09-01", "2020-11-15", "", "", ""),  # referred on D: with legal
    ("E", "CAO", "2020-10-20", "2020-11-16", "", "", ""),  # referred the day after D: still planned, expected
    ("F", "SGO", "", "2020-10-01", "2020-11-15", "", ""),  # issued on D: in proceedings
    ("G", "SGO", "", "", "2020-06-01", "2020-11-15", "GRANTED"),  # concluded on D: closed; granted
    ("H", "REUNIFICATION", "", "", "2020-06-01", "2020-11-16", "REFUSED"),  # concluded after D: in proceedings
    ("I", "CAO", "", "2019-10-01", "", "2019-11-16", "WITHDRAWN"),  # concluded on the first day of the 12 months
    ("J", "SGO", "", "", "2019-01-01", "2019-11-15", "GRANTED"),  # concluded the day before the 12 months
    ("K", "CAO", "", "2020-11-01", "", "", ""),  # with legal, never planned
    ("L", "SGO", "", "2020-12-01", "", "", ""),  # only a referral after D: not in the pipeline on D
    ("M", "SGO", "2020-01-01", "", "", "2020-03-01", "WITHDRAWN"),  # withdrawn before referral: closed
]


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    return legal_table(frame("legal.csv", COLUMNS, APPLICATIONS), D)


def test_cases_by_stage_on_d(table: pl.DataFrame) -> None:
    # planned A B C E; with legal D K; in proceedings F H (G concluded on D, L not begun, M closed)
    assert values(table, "legal_cases") == {"planned": 4, "with_legal": 2, "in_proceedings": 2}


def test_open_cases_by_route(table: pl.DataFrame) -> None:
    # open: A B F (SGO), C D H (reunification), E K (CAO)
    assert values(table, "legal_cases_by_route") == {"sgo": 3, "reunification": 3, "cao": 2}


def test_planned_cases_by_month_of_plan(table: pl.DataFrame) -> None:
    planned = table.filter(pl.col("measure") == "legal_planned_by_month").sort("order")
    assert planned.select("group", "period_start", "period_end", "value").rows() == [
        ("2020-10", day("2020-10-01"), day("2020-10-31"), 2.0),  # A, E
        ("2021-01", day("2021-01-01"), day("2021-01-31"), 1.0),  # B
        ("2021-02", day("2021-02-01"), day("2021-02-28"), 1.0),  # C
    ]


def test_expected_by_the_horizon(table: pl.DataFrame) -> None:
    expected = table.filter(pl.col("measure") == "legal_expected_by_horizon")
    assert expected.select("group", "period_end", "value").rows() == [("all", day("2021-01-31"), 3.0)]  # A B E


def test_concluded_in_the_12_months_to_d(table: pl.DataFrame) -> None:
    # G granted on D; I withdrawn on the first day; M withdrawn in March; J the day before; H after D
    assert values(table, "legal_concluded") == {"granted": 1, "refused": 0, "withdrawn": 2}
    concluded = table.filter(pl.col("measure") == "legal_concluded")
    assert set(concluded["period_start"]) == {day("2019-11-16")} and set(concluded["period_end"]) == {D}


@pytest.mark.parametrize(
    ("as_at", "expected"),
    [
        ("2020-11-01", "2021-01-31"),
        ("2020-11-30", "2021-01-31"),
        ("2020-12-31", "2021-02-28"),
        ("2023-12-01", "2024-02-29"),
        ("2020-10-31", "2020-12-31"),
    ],
)
def test_horizon_is_the_end_of_the_second_month_after_d(as_at: str, expected: str) -> None:
    assert horizon(day(as_at)) == day(expected)


def test_no_applications_gives_zero_rows_not_missing_ones() -> None:
    table = legal_table(frame("legal.csv", COLUMNS, []), dt.date(2020, 10, 31))
    assert values(table, "legal_cases") == {"planned": 0, "with_legal": 0, "in_proceedings": 0}
    assert values(table, "legal_expected_by_horizon") == {"all": 0}
    assert values(table, "legal_planned_by_month") == {}
