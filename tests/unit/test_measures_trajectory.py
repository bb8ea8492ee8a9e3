"""trajectory.csv measures: net flow, the projected count, and months to each comparator."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.care.periods import periods_of_care
from pipeline.measures.trajectory import (
    months_to_comparator,
    net_change,
    net_flow_per_month,
    projected_cla_count,
    trajectory_table,
)
from tests.frames import day, ep, episodes, values

D = day("2020-10-31")  # the 12 months run from 1 November 2019


def implied(counts: dict[str, int]) -> pl.DataFrame:
    """Rows shaped like comparator_implied_count."""
    return pl.DataFrame(
        {"group": list(counts), "order": list(range(len(counts))), "value": [float(v) for v in counts.values()]},
        schema_overrides={"order": pl.Int32},
    )


@pytest.mark.parametrize(
    ("started", "ceased", "expected"),
    [
        (10, 17, -0.6),  # -7 / 12 = -0.583...
        (3, 0, 0.3),  # 0.25 rounds half away from zero
        (0, 3, -0.3),
        (12, 12, 0.0),
        (30, 6, 2.0),
    ],
)
def test_net_flow_per_month(started: int, ceased: int, expected: float) -> None:
    flow = net_flow_per_month(started, ceased, D)
    assert flow.select("value", "period_start", "period_end", "unit").rows() == [
        (expected, day("2019-11-01"), D, "per_month")
    ]


def test_projected_count_uses_the_unrounded_flow_a_year_ahead() -> None:
    # 100 + 10 - 17 = 93 (not 100 + 12 x -0.6 = 92.8)
    projected = projected_cla_count(100, 10, 17, D)
    assert projected.select("value", "period_end").rows() == [(93.0, day("2021-10-31"))]
    assert projected_cla_count(5, 0, 9, D)["value"].to_list() == [0.0]  # never below zero


def test_months_to_each_comparator() -> None:
    # cla 100, net flow -7 a year (-7/12 a month)
    months = months_to_comparator(100, 10, 17, implied({"A": 90, "B": 100, "C": 120, "E": 93}), D)
    assert values(months, "months_to_comparator") == {
        "A": 18,  # gap 10: 10 / (7/12) = 17.1 -> 18 whole months
        "B": 0,  # already at the implied count
        "C": 0,  # already below it
        "E": 12,  # gap 7: exactly 12 months
    }


def test_months_to_comparator_is_empty_when_the_count_is_not_falling() -> None:
    assert values(months_to_comparator(100, 17, 17, implied({"A": 90, "B": 120}), D), "months_to_comparator") == {
        "A": None,
        "B": 0,
    }


def test_the_table_counts_children_not_periods() -> None:
    periods = periods_of_care(
        episodes(
            [
                ep("t1", "2019-11-01"),  # started on the first day
                ep("t2", "2019-10-31", dec="2020-10-31", rec="E4A"),  # started the day before; ceased on D
                ep("t3", "2020-01-01", dec="2020-02-01", rec="E11"),  # started twice, ceased once
                ep("t3", "2020-03-01"),
                ep("t4", "2020-01-01", ls="V3"),  # short breaks: never counted
            ]
        )
    )
    assert net_change(periods, D) == (2, 2)  # started t1 t3; ceased t2 t3
    table = trajectory_table(periods, 2, implied({"England": 1}), D)
    assert values(table, "net_flow_per_month") == {"all": 0.0}
    assert values(table, "projected_cla_count") == {"all": 2}
    assert values(table, "months_to_comparator") == {"England": None}
    assert table.filter(pl.col("measure") == "net_flow_per_month")["note"].to_list() == ["started 2, ceased 2"]
