"""costs.csv measures: the annual cost of the children looked after on D, and the average."""

from __future__ import annotations

import polars as pl

from pipeline.care.looked_after import looked_after_on
from pipeline.measures.costs import NO_UNIT_COST, costs_table
from tests.builders import COUNCIL_TOML, council
from tests.frames import day, ep, episodes, values

D = day("2020-10-31")
EPISODES = [
    ep("a", "2020-01-01", place="U4", provider="PR1"),  # in-house
    ep("b", "2020-01-01", place="U5", provider="PR2"),  # in-house (another council's carers)
    ep("c", "2020-01-01", place="U6", provider="PR5"),  # agency
    ep("d", "2020-01-01", place="K2", provider="PR4"),  # residential
    ep("e", "2020-01-01", place="R1", provider="PR3"),  # residential
    ep("f", "2020-01-01", place="S1", provider="PR1"),  # residential
    ep("g", "2020-01-01", place="U1", provider="PR1"),  # kinship: no unit cost configured
    ep("h", "2019-01-01", place="K2", provider="PR4", dec="2020-10-31", rec="E8"),  # left on D
]


def test_annual_cost_by_placement_group_at_the_config_unit_costs() -> None:
    # council(): in-house 20,000, agency 45,000, residential 220,000 a year
    table = costs_table(looked_after_on(episodes(EPISODES), [D]), council(), D)
    assert values(table, "estimated_annual_cost") == {
        "all": 745_000,  # 40,000 + 45,000 + 660,000
        "kinship_fostering": 0,
        "in_house_fostering": 40_000,  # 2 x 20,000
        "agency_fostering": 45_000,
        "residential": 660_000,  # 3 x 220,000
        "placed_with_parents": 0,
        "placed_for_adoption": 0,
        "supported_or_independent": 0,
        "other": 0,
    }
    rows = table.filter(pl.col("measure") == "estimated_annual_cost").sort("order")
    assert rows["denominator"].to_list() == [7, 1, 2, 1, 3, 0, 0, 0, 0]  # children costed
    assert rows["note"].to_list() == [None, NO_UNIT_COST, None, None, None] + [NO_UNIT_COST] * 4
    assert set(rows["unit"]) == {"pounds"}
    assert values(table, "average_cost_per_child") == {"all": 51_000}


def test_without_costs_in_the_config_everything_costs_nothing_and_the_average_is_empty() -> None:
    text = COUNCIL_TOML[: COUNCIL_TOML.index("[costs]")] + COUNCIL_TOML[COUNCIL_TOML.index("[disclosure]") :]
    table = costs_table(looked_after_on(episodes(EPISODES), [D]), council(text), D)
    assert values(table, "estimated_annual_cost")["all"] == 0
    average = table.filter(pl.col("measure") == "average_cost_per_child")
    assert average.select("value", "note").rows() == [(None, "no average_per_child in council.toml")]
