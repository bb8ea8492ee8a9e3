"""headline, comparators, trend, flows and discharges tables, checked on tiny hand-built extracts.

Expected values are worked out by hand from shared/contract/measures.md (the working is in the
comment next to each value), never by calling the code under test. D is 2 November 2020 unless a
test says otherwise: the 12 months to D run from 3 November 2019 to 2 November 2020, the day
before them is 2 November 2019, and the population in force on D is the 2019 estimate, 36090.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipeline.care.periods import periods_of_care
from pipeline.measures.comparators import comparator_gap, comparator_implied_count, comparators_table
from pipeline.measures.discharges import care_orders_discharged
from pipeline.measures.flows import ceased, ceased_pct_of_cla
from pipeline.measures.headline import cla_count, cla_rate_per_10k, population_0_17
from pipeline.measures.ids import Discharges, Flows
from pipeline.measures.tables import Tables, build_tables
from pipeline.measures.tidy import single
from pipeline.read.config import CouncilConfig
from pipeline.run.tablefiles import csv_frame, format_value, write_table
from tests.builders import COUNCIL_TOML, child, council, episode, load, write_extract

D = dt.date(2020, 11, 2)
DAY_BEFORE_PERIOD = dt.date(2019, 11, 2)
ROUTES = ["adoption", "sgo", "reunification", "cao", "independence", "other"]
PLACEMENT_GROUPS = [
    "kinship_fostering", "in_house_fostering", "agency_fostering", "residential", "placed_with_parents",
    "placed_for_adoption", "supported_or_independent", "other",
]  # fmt: skip


def extract_episodes(folder: Path, rows: list[tuple[str, ...]]) -> pl.DataFrame:
    return load(write_extract(folder, children_of(rows), rows)).episodes


def children_of(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [child(c, dob="01/01/2005") for c in dict.fromkeys(row[0] for row in rows)]


def tables_for(
    folder: Path, rows: list[tuple[str, ...]], as_at: dt.date = D, config: CouncilConfig | None = None
) -> Tables:
    return build_tables(load(write_extract(folder, children_of(rows), rows)), config or council(), as_at)


def rows_of(frame: pl.DataFrame, measure: str) -> list[tuple[object, ...]]:
    """(group, period_start, period_end, value) of one measure, groups in report order then by period_end."""
    rows = frame.filter(pl.col("measure") == measure).sort("order", "period_end", nulls_last=False)
    return rows.select("group", "period_start", "period_end", "value").rows()


def population_toml(*estimates: tuple[int, int]) -> str:
    """The test council with other ONS estimates."""
    head, rest = COUNCIL_TOML.split("[[population]]", 1)
    population = "".join(f"[[population]]\nmid_year = {year}\ncount = {count}\n" for year, count in estimates)
    return head + population + rest[rest.index("[[comparators]]") :]


def many(prefix: str, count: int, decom: str = "01/01/2019", **fields: str) -> list[tuple[str, ...]]:
    return [episode(f"{prefix}{i:02}", decom, **fields) for i in range(count)]


# --- headline.csv ----------------------------------------------------------------------------

HEADLINE_EPISODES = [
    episode("H1", "01/01/2019"),  # open throughout -> on 2 Nov 2019 and on D
    episode("H2", "02/11/2020"),  # starts on D -> on D only
    episode("H3", "01/01/2019", dec="02/11/2020", rec="E4A"),  # ends on D -> 2 Nov 2019 only
    episode("H4", "01/01/2019", ls="V3", place="K1"),  # short breaks -> never
    episode("H5", "01/01/2019", dec="02/11/2019", rec="E13"),  # ends on 2 Nov 2019 -> never
    episode("H6", "02/11/2019"),  # starts on 2 Nov 2019 -> both days
    episode("H7", "01/01/2019", dec="03/11/2019", rec="E41"),  # ends the day after 2 Nov 2019 -> that day
]


def test_headline_counts_on_d_and_a_year_before(tmp_path: Path) -> None:
    headline = tables_for(tmp_path, HEADLINE_EPISODES)["headline"]
    # 2 Nov 2019: H1, H3, H6, H7 -> 4; D: H1, H2, H6 -> 3
    assert rows_of(headline, "cla_count") == [("all", None, DAY_BEFORE_PERIOD, 4.0), ("all", None, D, 3.0)]
    # both days use the 2019 estimate 36090 (30 Jun 2019 is on or before both):
    # 4 / 36090 * 10000 = 1.108 -> 1.1; 3 / 36090 * 10000 = 0.831 -> 0.8
    assert rows_of(headline, "cla_rate_per_10k") == [("all", None, DAY_BEFORE_PERIOD, 1.1), ("all", None, D, 0.8)]
    assert headline.filter(pl.col("measure") == "cla_rate_per_10k")["denominator"].to_list() == [36090, 36090]
    assert rows_of(headline, "population_0_17") == [("all", None, D, 36090.0)]


def test_headline_rate_rounds_half_up_on_exact_arithmetic(tmp_path: Path) -> None:
    config = council(population_toml((2019, 40_000), (2020, 200_000)))
    rows = many("A", 3) + many("B", 10, decom="01/07/2020")
    headline = tables_for(tmp_path, rows, config=config)["headline"]
    # 2 Nov 2019: the 3 A children, population 40000 (2019 estimate): 3 / 40000 * 10000 = 0.75 -> 0.8
    # D: 13 children, population 200000 (2020 estimate): 13 / 200000 * 10000 = 0.65 -> 0.7
    # (floating point would give 0.7499.. -> 0.7 and 0.6499.. -> 0.6)
    assert rows_of(headline, "cla_count") == [("all", None, DAY_BEFORE_PERIOD, 3.0), ("all", None, D, 13.0)]
    assert rows_of(headline, "cla_rate_per_10k") == [("all", None, DAY_BEFORE_PERIOD, 0.8), ("all", None, D, 0.7)]
    assert rows_of(headline, "population_0_17") == [("all", None, D, 200_000.0)]


@pytest.mark.parametrize(
    ("as_at", "populations", "rates"),
    [
        # D = 29 Jun 2019: the 2019 estimate is not yet in force -> 36850; a year before (29 Jun 2018) is
        # before the first estimate -> the first one, 36850. 10 / 36850 * 10000 = 2.714 -> 2.7
        (dt.date(2019, 6, 29), [36850, 36850], [2.7, 2.7]),
        # D = 30 Jun 2019 -> 36090 (10 / 36090 * 10000 = 2.771 -> 2.8); 30 Jun 2018 -> 36850 (2.7)
        (dt.date(2019, 6, 30), [36850, 36090], [2.7, 2.8]),
    ],
)
def test_headline_population_switches_on_30_june(
    tmp_path: Path, as_at: dt.date, populations: list[int], rates: list[float]
) -> None:
    episodes = extract_episodes(tmp_path, many("P", 10, decom="01/01/2018"))
    counts = cla_count(episodes, as_at)
    assert counts["value"].to_list() == [10.0, 10.0]  # all ten open on both days
    rate = cla_rate_per_10k(counts, council())
    assert rate["denominator"].to_list() == populations
    assert rate["value"].to_list() == rates
    assert population_0_17(council(), as_at)["value"].to_list() == [float(populations[-1])]


# --- comparators.csv -------------------------------------------------------------------------


def test_comparators_with_the_councils_seed_figures(tmp_path: Path) -> None:
    rows = many("C", 3)  # 3 looked after on D
    comparators = tables_for(tmp_path, rows)["comparators"]
    assert rows_of(comparators, "comparator_rate_per_10k") == [
        ("West Midlands", None, D, 82.0),
        ("England", None, D, 65.0),
        ("Statistical neighbours", None, D, 54.44),
    ]
    # population on D 36090: 82.0 * 36090 / 10000 = 295.938 -> 296; 65.0 -> 234.585 -> 235 (half up);
    # 54.44 -> 196.474 -> 196
    assert rows_of(comparators, "comparator_implied_count") == [
        ("West Midlands", None, D, 296.0),
        ("England", None, D, 235.0),
        ("Statistical neighbours", None, D, 196.0),
    ]
    assert comparators.filter(pl.col("measure") == "comparator_implied_count")["denominator"].to_list() == [36090] * 3
    # gap = cla_count on D (3) - implied
    assert rows_of(comparators, "comparator_gap") == [
        ("West Midlands", None, D, -293.0),
        ("England", None, D, -232.0),
        ("Statistical neighbours", None, D, -193.0),
    ]


def test_comparator_implied_count_half_up_and_population_of_d() -> None:
    toml = population_toml((2019, 100_000)).split("[[comparators]]")[0] + (
        '[[comparators]]\ngroup = "Half"\ndate = 2019-03-31\nrate_per_10k = 0.35\n'
        '[[comparators]]\ngroup = "Inexact"\ndate = 2019-03-31\nrate_per_10k = 4.05\n'
        '[[comparators]]\ngroup = "Half"\ndate = 2020-03-31\nrate_per_10k = 0.25\n'
        '[[comparators]]\ngroup = "Later"\ndate = 2020-11-03\nrate_per_10k = 60.0\n'
        + COUNCIL_TOML[COUNCIL_TOML.index("[costs]") :]
    )
    implied = comparator_implied_count(council(toml), D)
    # population on D: 100000. Half: the 2020 figure 0.25 is the latest on or before D -> 0.25 * 10 = 2.5
    # exactly -> 3 (banker's rounding would give 2). Inexact: 4.05 * 10 = 40.5 exactly -> 41 (4.05 has no
    # exact binary form). Later is dated the day after D -> not in force, no row. Order first listed.
    assert implied.select("group", "value").rows() == [("Half", 3.0), ("Inexact", 41.0)]
    # the gap for 10 looked after on D: 10 - 3 = 7, 10 - 41 = -31
    assert comparator_gap(10, implied).select("group", "value").rows() == [("Half", 7.0), ("Inexact", -31.0)]


def test_comparators_the_day_before_the_figures_are_published() -> None:
    # every comparator is dated 31 Mar 2019: none is in force on 30 Mar 2019 -> an empty table
    assert comparators_table(council(), dt.date(2019, 3, 30), 5, 5, 0).height == 0
    # on 31 Mar 2019 they are (date on or before D); population then is the 2018 estimate, 36850:
    # 82.0 * 3.685 = 302.17 -> 302; 65.0 * 3.685 = 239.525 -> 240; 54.44 * 3.685 = 200.6114 -> 201
    table = comparators_table(council(), dt.date(2019, 3, 31), 5, 5, 0)
    assert rows_of(table, "comparator_implied_count") == [
        ("West Midlands", None, dt.date(2019, 3, 31), 302.0),
        ("England", None, dt.date(2019, 3, 31), 240.0),
        ("Statistical neighbours", None, dt.date(2019, 3, 31), 201.0),
    ]
    assert [v for *_, v in rows_of(table, "comparator_gap")] == [-297.0, -235.0, -196.0]  # 5 - implied


# --- trend.csv -------------------------------------------------------------------------------

TREND_EPISODES = [
    episode("T1", "15/10/2020", place="U1", provider=""),  # kinship from 15 Oct; started in October
    episode("T2", "01/01/2019", place="U4", provider="PR2"),  # in-house throughout; started January 2019
    episode("T3", "01/01/2019", place="U5", provider="", dec="01/11/2020", rec="X1"),  # agency ...
    episode("T3", "01/11/2020", rne="P", place="K1", provider="PR4"),  # ... then residential from 1 Nov
    episode("T4", "01/11/2020", place="P1", provider=""),  # placed with parents; started in November
    episode("T5", "01/09/2020", place="H5", provider="PR4", dec="31/10/2020", rec="E4A"),  # Sep to 31 Oct
    episode("T6", "01/03/2020", ls="V3", place="K1", dec="01/04/2020", rec="E13"),  # short breaks: nothing
    episode("T7", "03/10/2020", place="U1", dec="05/10/2020", rec="E4B"),  # in and out twice in October
    episode("T7", "10/10/2020", place="U1", dec="20/10/2020", rec="E4A"),
    episode("T8", "01/01/2019", place="R2", provider="PR0", dec="02/11/2020", rec="E41"),  # ceases on D
    episode("T9", "01/06/2020", ls="E1", place="A3", dec="03/11/2020", rec="E11"),  # ceases after D
]


def trend_of(tmp_path: Path) -> pl.DataFrame:
    return tables_for(tmp_path, TREND_EPISODES)["trend"]


def test_trend_days_and_row_counts(tmp_path: Path) -> None:
    trend = trend_of(tmp_path)
    days = sorted(set(trend["period_end"]))
    # 36 month ends Nov 2017 .. Oct 2020 and D (not a month end) -> 37 days
    assert len(days) == 37 and days[0] == dt.date(2017, 11, 30) and days[-2:] == [dt.date(2020, 10, 31), D]
    counts = dict(trend.group_by("measure").len().rows())
    # cla_count: all + 8 placement groups per day (zeros included); one row a day for the others
    assert counts == {"cla_count": 37 * 9, "cla_rate_per_10k": 37, "started": 37, "ceased": 37}


def test_trend_cla_count_by_placement_group(tmp_path: Path) -> None:
    trend = trend_of(tmp_path).filter(pl.col("measure") == "cla_count")

    def on(when: dt.date) -> dict[str, float]:
        return dict(trend.filter(pl.col("period_end") == when).select("group", "value").rows())

    # 31 Oct 2020: T1 kinship, T2 in-house, T3 agency (U5, no provider), T8 other (R2), T9 placed for adoption;
    # T5 ended that day (not counted), T7 ended 20 Oct, T4 starts 1 Nov -> 5
    assert on(dt.date(2020, 10, 31)) == {
        "all": 5, "kinship_fostering": 1, "in_house_fostering": 1, "agency_fostering": 1, "residential": 0,
        "placed_with_parents": 0, "placed_for_adoption": 1, "supported_or_independent": 0, "other": 1,
    }  # fmt: skip
    # D: T1 kinship, T2 in-house, T3 residential (K1 since 1 Nov), T4 placed with parents, T9 adoption;
    # T8 ended on D -> not counted -> 5
    assert on(D) == {
        "all": 5, "kinship_fostering": 1, "in_house_fostering": 1, "agency_fostering": 0, "residential": 1,
        "placed_with_parents": 1, "placed_for_adoption": 1, "supported_or_independent": 0, "other": 0,
    }  # fmt: skip
    # 30 Sep 2020: T2 in-house, T3 agency, T5 supported (H5), T8 other, T9 adoption -> 5
    assert on(dt.date(2020, 9, 30)) == {
        "all": 5, "kinship_fostering": 0, "in_house_fostering": 1, "agency_fostering": 1, "residential": 0,
        "placed_with_parents": 0, "placed_for_adoption": 1, "supported_or_independent": 1, "other": 1,
    }  # fmt: skip
    # 31 Mar 2020: T6 is V3 (short breaks) -> not counted; T2, T3, T8 -> 3
    assert on(dt.date(2020, 3, 31))["all"] == 3
    # Nov 2017: nobody yet; every group still has a row, with 0
    assert on(dt.date(2017, 11, 30)) == dict.fromkeys(["all", *PLACEMENT_GROUPS], 0)


def test_trend_started_and_ceased_per_calendar_month(tmp_path: Path) -> None:
    trend = trend_of(tmp_path)

    def monthly(measure: str) -> dict[dt.date, tuple[dt.date, float]]:
        rows = trend.filter(pl.col("measure") == measure).select("period_end", "period_start", "value").rows()
        return {end: (start, value) for end, start, value in rows}

    started, left = monthly("started"), monthly("ceased")
    # January 2019: T2, T3, T8 -> 3; June 2020: T9 -> 1; March 2020: T6 is V3 only -> 0
    assert started[dt.date(2019, 1, 31)] == (dt.date(2019, 1, 1), 3)
    assert started[dt.date(2020, 6, 30)] == (dt.date(2020, 6, 1), 1)
    assert started[dt.date(2020, 3, 31)] == (dt.date(2020, 3, 1), 0)
    # September: T5; October: T1 and T7 (twice, counted once) -> 2
    assert started[dt.date(2020, 9, 30)] == (dt.date(2020, 9, 1), 1)
    assert started[dt.date(2020, 10, 31)] == (dt.date(2020, 10, 1), 2)
    # D's month to date (1-2 Nov): T4 (1 Nov); T3's 1 Nov episode continues a period (X1) -> 1
    assert started[D] == (dt.date(2020, 11, 1), 1)
    # October: T5 (31 Oct, the month's last day) and T7 (5 and 20 Oct, counted once) -> 2
    assert left[dt.date(2020, 10, 31)] == (dt.date(2020, 10, 1), 2)
    # April 2020: T6 is V3 only -> 0; November to date: T8 on D -> 1 (T9 ceases 3 Nov, after D; T3's X1 no)
    assert left[dt.date(2020, 4, 30)] == (dt.date(2020, 4, 1), 0)
    assert left[D] == (dt.date(2020, 11, 1), 1)
    assert sum(value for _, value in started.values()) == 8  # 3 + 1 + 1 + 2 + 1: every start once
    assert sum(value for _, value in left.values()) == 3  # T5, T7, T8


def test_trend_rate_uses_the_population_of_each_day(tmp_path: Path) -> None:
    rates = trend_of(tmp_path).filter(pl.col("measure") == "cla_rate_per_10k")
    by_day = {row[0]: row[1:] for row in rates.select("period_end", "value", "denominator").rows()}
    # 30 Nov 2017: before the first estimate -> 36850; 0 children -> 0.0
    assert by_day[dt.date(2017, 11, 30)] == (0.0, 36850)
    # 31 May 2019: T2, T3, T8 on the 2018 estimate: 3 / 36850 * 10000 = 0.814 -> 0.8
    assert by_day[dt.date(2019, 5, 31)] == (0.8, 36850)
    # 30 Jun 2019: the 2019 estimate is in force from that day -> 36090 (3 / 36090 -> 0.831 -> 0.8)
    assert by_day[dt.date(2019, 6, 30)] == (0.8, 36090)
    # D: 5 / 36090 * 10000 = 1.385 -> 1.4
    assert by_day[D] == (1.4, 36090)


def test_trend_when_d_is_a_month_end(tmp_path: Path) -> None:
    trend = tables_for(tmp_path, TREND_EPISODES, as_at=dt.date(2020, 10, 31))["trend"]
    started = trend.filter(pl.col("measure") == "started")
    # 36 month ends Nov 2017 .. Oct 2020, D = 31 Oct is the last of them -> 36 rows; October whole month: 2
    assert started.height == 36
    assert started["period_end"].max() == dt.date(2020, 10, 31)
    assert started.filter(pl.col("period_end") == dt.date(2020, 10, 31)).select("period_start", "value").rows() == [
        (dt.date(2020, 10, 1), 2.0)
    ]


# --- flows.csv -------------------------------------------------------------------------------

FLOWS_EPISODES = [
    episode("F01", "03/11/2019"),  # starts on period_start -> started
    episode("F02", "02/11/2019"),  # starts the day before -> not started; looked after on 2 Nov 2019
    episode("F03", "01/01/2019", ls="E1", place="A3", dec="02/11/2020", rec="E11"),  # ceases on D: adoption
    episode("F04", "01/01/2019", dec="03/11/2019", rec="E45"),  # ceases on period_start: sgo
    episode("F05", "01/01/2019", dec="02/11/2019", rec="E4A"),  # ceases the day before: out of everything
    episode("F06", "01/12/2019", dec="01/02/2020", rec="E4A"),  # re-enters: started once,
    episode("F06", "01/03/2020", dec="01/05/2020", rec="E13"),  # ceased once by the last, E13 = other
    episode("F07", "01/01/2019", ls="C1", dec="01/02/2020", rec="X1"),  # X1 chain -> one period,
    episode("F07", "01/02/2020", rne="L", ls="C2", dec="01/06/2020", rec="E41"),  # ceased: cao
    episode("F08", "01/12/2019", ls="V2", dec="01/04/2020", rec="E4B"),  # starts and ceases: reunification
    episode("F09", "01/12/2019", ls="V3", place="K1", dec="01/01/2020", rec="E13"),  # short breaks: nothing
    episode("F10", "01/01/2019", place="H5", dec="01/09/2020", rec="E17"),  # independence
    episode("F11", "01/01/2019", ls="C1", dec="01/10/2020", rec="E46"),  # sgo
    episode("F12", "01/01/2019", dec="03/11/2020", rec="E5"),  # ceases after D -> not ceased
    episode("F13", "01/01/2018"),
    episode("F14", "01/01/2018"),
]


def test_flows_started_ceased_by_route_and_pct(tmp_path: Path) -> None:
    flows = tables_for(tmp_path, FLOWS_EPISODES)["flows"]
    start = dt.date(2019, 11, 3)
    # started: F01, F06 (1 Dec 2019, once), F08 -> 3; F02 started the day before the period
    assert rows_of(flows, "started") == [("all", start, D, 3.0)]
    # 3 / 36090 * 10000 = 0.831 -> 0.8
    assert rows_of(flows, "started_rate_per_10k") == [("all", start, D, 0.8)]
    # ceased: F03 adoption, F04 sgo, F06 other (last occasion E13), F07 cao, F08 reunification,
    # F10 independence, F11 sgo -> 7; F05 the day before and F12 after D are out; F09 short breaks
    assert rows_of(flows, "ceased") == [
        ("all", start, D, 7.0),
        ("adoption", start, D, 1.0),
        ("sgo", start, D, 2.0),
        ("reunification", start, D, 1.0),
        ("cao", start, D, 1.0),
        ("independence", start, D, 1.0),
        ("other", start, D, 1.0),
    ]
    # looked after on 2 Nov 2019 (period_start minus one day): F02 (started that day), F03, F04, F07, F10,
    # F11, F12, F13, F14 -> 9 (F05 ended that day); 7 / 9 * 100 = 77.78 -> 77.8
    pct = flows.filter(pl.col("measure") == "ceased_pct_of_cla")
    assert pct.select("group", "period_start", "period_end", "value", "denominator").rows() == [
        ("all", start, D, 77.8, 9)
    ]


def test_flows_every_route_present_with_zero(tmp_path: Path) -> None:
    flows = tables_for(tmp_path, [episode("Z", "01/01/2019", dec="01/06/2020", rec="E3")])["flows"]
    # Z ceased 1 Jun 2020 with E3 (transfer to another LA) -> other; every other route 0
    expected = [("all", 1.0), *[(route, 0.0) for route in ROUTES[:-1]], ("other", 1.0)]
    assert [(group, value) for group, _, _, value in rows_of(flows, "ceased")] == expected
    # looked after on 2 Nov 2019: Z -> 1; 1 / 1 * 100 = 100.0; nobody started -> 0 and rate 0.0
    assert rows_of(flows, "ceased_pct_of_cla")[0][3] == 100.0
    assert rows_of(flows, "started")[0][3] == 0.0
    assert rows_of(flows, "started_rate_per_10k")[0][3] == 0.0


def test_ceased_pct_without_anyone_looked_after_before_is_empty(tmp_path: Path) -> None:
    periods = periods_of_care(extract_episodes(tmp_path, [episode("N", "01/12/2019", dec="01/02/2020", rec="E4A")]))
    leavers = ceased(periods, D)
    assert rows_of(leavers, "ceased")[0][3] == 1.0  # N started and ceased inside the 12 months
    # nobody looked after on 2 Nov 2019 -> 0 denominator -> no percentage (empty, not a division error)
    assert ceased_pct_of_cla(leavers, 0).select("value", "denominator").rows() == [(None, 0)]


def test_started_rate_rounds_half_up(tmp_path: Path) -> None:
    config = council(population_toml((2019, 40_000), (2020, 200_000)))
    rows = many("S", 3, decom="01/12/2019")
    flows = tables_for(tmp_path, rows, config=config)["flows"]
    # 3 started; population on D is the 2020 estimate 200000: 3 / 200000 * 10000 = 0.15 -> 0.2 (half up)
    assert rows_of(flows, "started_rate_per_10k")[0][3] == 0.2


# --- discharges.csv --------------------------------------------------------------------------

DISCHARGE_EPISODES = [
    episode("G01", "01/01/2019", ls="C2", dec="03/11/2019", rec="E45"),  # care order -> SGO, on period_start
    episode("G02", "01/01/2019", ls="C1", dec="01/10/2020", rec="E46"),  # SGO from an interim order: not
    episode("G03", "01/01/2019", ls="C2", dec="01/07/2020", rec="E4A"),  # reunification
    episode("G04", "01/01/2019", ls="C2", dec="02/11/2020", rec="E4B"),  # reunification, on D
    episode("G05", "01/01/2019", ls="C1", dec="01/02/2020", rec="X1"),  # interim then full care order,
    episode("G05", "01/02/2020", rne="L", ls="C2", dec="01/06/2020", rec="E41"),  # CAO: final LS C2 -> cao
    episode("G06", "01/01/2019", ls="C2", dec="01/12/2019", rec="E45"),  # C2 SGO, but re-entered and
    episode("G06", "01/01/2020", ls="V2", dec="01/03/2020", rec="E4A"),  # last ceased on V2 -> not
    episode("G07", "01/01/2019", ls="C2", dec="01/03/2020", rec="X1"),  # C2 then C1 in one period:
    episode("G07", "01/03/2020", rne="L", ls="C1", dec="01/08/2020", rec="E45"),  # final LS C1 -> not
    episode("G08", "01/01/2019", ls="C2", dec="01/05/2020", rec="E43"),  # historic SGO code -> sgo
    episode("G09", "01/01/2019", ls="C2", dec="01/05/2020", rec="E13"),  # not reunification (other) -> not
    episode("G10", "01/01/2019", ls="C2", dec="01/05/2020", rec="E11"),  # adoption -> not
    episode("G11", "01/01/2019", ls="C2", dec="02/11/2019", rec="E45"),  # the day before the period -> not
    episode("G12", "01/01/2019", ls="C2", dec="03/11/2020", rec="E45"),  # after D -> not
    episode("G13", "01/01/2019", ls="V2", dec="01/05/2020", rec="E4A"),  # section 20 -> not
    episode("G14", "01/12/2019", ls="V2", dec="01/01/2020", rec="E4A"),  # section 20 then, re-entered,
    episode("G14", "01/02/2020", ls="C2", dec="01/09/2020", rec="E45"),  # last ceased C2 by SGO -> sgo
]


def test_care_orders_discharged_by_route(tmp_path: Path) -> None:
    discharges = tables_for(tmp_path, DISCHARGE_EPISODES)["discharges"]
    start = dt.date(2019, 11, 3)
    # sgo: G01, G08, G14 -> 3; reunification: G03, G04 -> 2; cao: G05 -> 1; all = 6
    assert rows_of(discharges, "care_orders_discharged") == [
        ("all", start, D, 6.0),
        ("sgo", start, D, 3.0),
        ("reunification", start, D, 2.0),
        ("cao", start, D, 1.0),
    ]


def test_sgo_from_interim_order_ceases_as_sgo_but_is_no_discharge(tmp_path: Path) -> None:
    rows = [
        episode("I1", "01/01/2019", ls="C1", dec="01/10/2020", rec="E46"),
        episode("I2", "01/01/2019", ls="C2", dec="01/10/2020", rec="E45"),
    ]
    tables = tables_for(tmp_path, rows)
    # both ceased by SGO (E46, E45 -> sgo) ...
    assert tables.value(Flows.CEASED, group="sgo") == 2
    # ... but only I2's final LS is C2 (a care order discharged)
    assert tables.value(Discharges.CARE_ORDERS_DISCHARGED, group="sgo") == 1
    assert tables.value(Discharges.CARE_ORDERS_DISCHARGED) == 1


def test_discharges_every_group_present_with_zero(tmp_path: Path) -> None:
    periods = periods_of_care(extract_episodes(tmp_path, [episode("Z", "01/01/2019")]))
    # nobody ceased -> all 0 and each route 0, in the order all, sgo, reunification, cao
    assert care_orders_discharged(periods, D).sort("order").select("group", "value").rows() == [
        ("all", 0.0),
        ("sgo", 0.0),
        ("reunification", 0.0),
        ("cao", 0.0),
    ]


# --- the CSV files ---------------------------------------------------------------------------

CSV_HEAD = "as_at,measure,group,period_start,period_end,value,unit,denominator,note\n"


def test_headline_csv_text(tmp_path: Path) -> None:
    tables = tables_for(tmp_path / "in", HEADLINE_EPISODES)
    path = tmp_path / "headline.csv"
    write_table(tables["headline"], path, D)
    # counts whole, rates one decimal, measures alphabetical, period_end ascending, "\n" endings, no BOM
    assert (
        path.read_bytes()
        == (
            CSV_HEAD + "2020-11-02,cla_count,all,,2019-11-02,4,count,,\n"
            "2020-11-02,cla_count,all,,2020-11-02,3,count,,\n"
            "2020-11-02,cla_rate_per_10k,all,,2019-11-02,1.1,rate_per_10k,36090,\n"
            "2020-11-02,cla_rate_per_10k,all,,2020-11-02,0.8,rate_per_10k,36090,\n"
            "2020-11-02,population_0_17,all,,2020-11-02,36090,count,,\n"
        ).encode()
    )


def test_flows_csv_text(tmp_path: Path) -> None:
    tables = tables_for(tmp_path / "in", FLOWS_EPISODES)
    path = tmp_path / "flows.csv"
    write_table(tables["flows"], path, D)
    lines = path.read_text(encoding="utf-8").split("\n")
    row = "2020-11-02,{},{},2019-11-03,2020-11-02,{},{},{},"
    # ceased by route in report order (all first, as flows.ceased lists it), then the percentage (one
    # decimal, denominator 9), then started (whole) and its rate (one decimal, denominator 36090)
    assert lines == [
        CSV_HEAD.rstrip("\n"),
        row.format("ceased", "all", 7, "count", ""),
        row.format("ceased", "adoption", 1, "count", ""),
        row.format("ceased", "sgo", 2, "count", ""),
        row.format("ceased", "reunification", 1, "count", ""),
        row.format("ceased", "cao", 1, "count", ""),
        row.format("ceased", "independence", 1, "count", ""),
        row.format("ceased", "other", 1, "count", ""),
        row.format("ceased_pct_of_cla", "all", "77.8", "percent", 9),
        row.format("ceased_rate_per_10k", "all", "1.9", "rate_per_10k", 36090),  # 7 / 36090 * 10,000 = 1.94
        row.format("started", "all", 3, "count", ""),
        row.format("started_rate_per_10k", "all", "0.8", "rate_per_10k", 36090),
        "",
    ]


def test_comparators_csv_neutralises_formula_text(tmp_path: Path) -> None:
    groups = [
        ("=SUM(A1)", "LAIT"), ("+Region", "-1 note"), ("-Neighbours", "@cmd"), ("@Group", "\\tTabbed"),
        ("\\tTab group", "\\rCR note"), ("\\rCR group", "plain"), ("England", "=HYPERLINK()"),
    ]  # fmt: skip
    toml = (
        COUNCIL_TOML.split("[[comparators]]")[0]
        + "".join(
            f'[[comparators]]\ngroup = "{g}"\ndate = 2019-03-31\nrate_per_10k = 65.0\nsource = "{s}"\n'
            for g, s in groups
        )
        + COUNCIL_TOML[COUNCIL_TOML.index("[costs]") :]
    )
    table = comparators_table(council(toml), D, 300, 300, 100)
    written = csv_frame(table, D).filter(pl.col("measure") == "comparator_rate_per_10k")
    # text from config starting with = + - @ tab or CR gets a leading apostrophe, in group and note
    assert written.select("group", "note").rows() == [
        ("'=SUM(A1)", "LAIT"),
        ("'+Region", "'-1 note"),
        ("'-Neighbours", "'@cmd"),
        ("'@Group", "'\tTabbed"),
        ("'\tTab group", "'\rCR note"),
        ("'\rCR group", "plain"),
        ("England", "'=HYPERLINK()"),
    ]
    path = tmp_path / "comparators.csv"
    write_table(table, path, D)
    text = path.read_bytes().decode("utf-8")
    assert "\r\n" not in text and not text.startswith("\ufeff")
    # the gap is a number, not text: 300 - 235 = 65, and a negative one keeps its minus
    assert "2020-11-02,comparator_gap,'=SUM(A1),,2020-11-02,65,count,,LAIT\n" in text
    assert comparator_gap(200, comparator_implied_count(council(), D))["value"].to_list() == [-96.0, -35.0, 4.0]


def test_csv_sort_order_is_measure_group_in_report_order_then_period_end(tmp_path: Path) -> None:
    tables = tables_for(tmp_path, TREND_EPISODES)
    written = csv_frame(tables["trend"], D)
    measures = written["measure"].to_list()
    # measures alphabetical: "ceased" < "cla_count" < "cla_rate_per_10k" < "started"; within cla_count the
    # groups in report order (all, then the placement groups as measures.md lists them); then period_end
    assert list(dict.fromkeys(measures)) == ["ceased", "cla_count", "cla_rate_per_10k", "started"]
    counts = written.filter(pl.col("measure") == "cla_count")
    assert list(dict.fromkeys(counts["group"])) == ["all", *PLACEMENT_GROUPS]
    kinship_days = counts.filter(pl.col("group") == "kinship_fostering")["period_end"].to_list()
    assert kinship_days == sorted(kinship_days) and len(kinship_days) == 37
    assert written.columns[:6] == ["as_at", "measure", "group", "period_start", "period_end", "value"]


@pytest.mark.parametrize(
    ("unit", "value", "text"),
    [
        ("count", 3.0, "3"),
        ("count", 0.0, "0"),
        ("count", -293.0, "-293"),
        ("pounds", 51000.0, "51000"),  # no thousands separator
        ("rate_per_10k", 93.1, "93.1"),
        ("rate_per_10k", 1.0, "1.0"),  # one decimal even when whole
        ("rate_per_10k", 0.0, "0.0"),
        ("rate_per_10k", 54.44, "54.4"),
        ("rate_per_10k", 54.45, "54.5"),  # half up
        ("percent", 100.0, "100.0"),
        ("percent", 77.8, "77.8"),
        ("percent", None, None),  # unknown: missing, written as an empty cell
    ],
)
def test_format_value(unit: str, value: float | None, text: str | None) -> None:
    frame = pl.DataFrame({"unit": [unit], "value": [value]}, schema={"unit": pl.String, "value": pl.Float64})
    assert frame.select(format_value().alias("text"))["text"].to_list() == [text]


def test_an_unknown_value_is_written_as_a_bare_empty_cell(tmp_path: Path) -> None:
    day = dt.date(2020, 10, 31)
    frame = single("echo_sustained_pct", None, period_end=day, unit="percent", group="6m", denominator=0)
    write_table(frame, tmp_path / "t.csv", day)
    row = (tmp_path / "t.csv").read_text().splitlines()[1]
    assert row == "2020-10-31,echo_sustained_pct,6m,,2020-10-31,,percent,0,"


def test_leavers_by_route_that_do_not_add_up_stop_the_run_even_under_python_o(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check is an ``if`` that raises, not an ``assert`` (which ``python -O`` removes): the public
    edition's secondary suppression relies on the routes adding up to all who ceased."""
    from pipeline.measures import flows

    start, end = dt.date(2019, 11, 1), dt.date(2020, 10, 31)
    wrong = pl.concat(
        [
            single(Flows.CEASED, 3, period_start=start, period_end=end, unit="count"),
            single(Flows.CEASED, 2, group="sgo", order=1, period_start=start, period_end=end, unit="count"),
        ]
    )
    monkeypatch.setattr(flows, "started", lambda periods, as_at: single(Flows.STARTED, 0, period_end=end, unit="count"))
    monkeypatch.setattr(flows, "ceased", lambda periods, as_at: wrong)
    with pytest.raises(RuntimeError, match=r"ceased by route \(2\) do not add up to all who ceased \(3\)"):
        flows.flows_table(pl.DataFrame(), council(), end, 5)
