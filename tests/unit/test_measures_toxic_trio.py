"""toxic_trio.csv measures: the funnel of families and children with a parental toxic-trio risk."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.measures.toxic_trio import toxic_trio_table
from tests.frames import day, frame, values

COLUMNS = ("CHILD", "FAMILY", "ASSESSMENT_DATE", "FACTORS", "LEVEL")
D = day("2020-10-31")  # the 12 months run from 1 November 2019
ASSESSMENTS = [
    ("k1", "F1", "2020-01-01", "3B", "CIN"),  # superseded by k1's later assessment
    ("k1", "F1", "2020-06-01", "3B;1B;4B", "CP"),  # all three risks
    ("k2", "F1", "2020-05-01", "2b, 4b", "CIN"),  # lower case, comma and space: substance + mental health
    ("k3", "F2", "2019-11-01", "1B;2B", "BELOW_THRESHOLD"),  # first day; alcohol and drugs are one risk
    ("k4", "F3", "2019-10-31", "3B", "CLA"),  # the day before the 12 months
    ("k4", "F3", "2020-10-31", "3A;3C;1C;2C;4C;4A", "CLA"),  # broad factors only: no parental risk
    ("k5", "F4", "2020-02-01", "3B", "CLA"),  # superseded by a later assessment with no risk
    ("k5", "F4", "2020-08-01", "21", "CLA"),
    ("k6", "F2", "2020-03-01", "4B", "CLA"),
    ("k7", "F5", "2020-11-01", "3B", "CIN"),  # after D
    ("k8", "F1", "2020-07-01", "4B;3B", "CP"),
]


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    return toxic_trio_table(frame("factors.csv", COLUMNS, ASSESSMENTS), D)


def test_children_by_level(table: pl.DataFrame) -> None:
    # with a risk on their latest assessment: k1 (CP), k2 (CIN), k3 (below threshold), k6 (CLA), k8 (CP)
    assert values(table, "toxic_trio_children") == {"all": 5, "below_threshold": 1, "cin": 1, "cp": 2, "cla": 1}


def test_families_by_level_count_once_per_level(table: pl.DataFrame) -> None:
    # F1: k1 k8 (CP), k2 (CIN); F2: k3 (below threshold), k6 (CLA)
    assert values(table, "toxic_trio_families") == {"all": 2, "below_threshold": 1, "cin": 1, "cp": 1, "cla": 1}


def test_children_by_number_of_risks(table: pl.DataFrame) -> None:
    # 1: k3 (substance), k6 (mental health); 2: k2, k8; 3: k1
    assert values(table, "toxic_trio_risk_count") == {"1": 2, "2": 2, "3": 1}
    rows = table.filter(pl.col("measure") == "toxic_trio_risk_count")
    assert set(rows.select("period_start", "period_end").rows()) == {(day("2019-11-01"), D)}
