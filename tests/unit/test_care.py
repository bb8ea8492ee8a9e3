"""Building blocks of measures.md, checked on tiny hand-built extracts.

Expected values are worked out by hand from shared/contract/measures.md; the working is in
the comment next to each one. The as-at date D is 2 November 2020 unless a test says otherwise,
so "the 12 months to D" run from 3 November 2019 to 2 November 2020.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest

from pipeline.care.looked_after import looked_after_on
from pipeline.care.periods import ceased_between, periods_of_care, started_between
from pipeline.care.rates import (
    comparators_in_force,
    percent_expr,
    population_on,
    rate_per_10k_expr,
)
from pipeline.core.dates import minus_years, trend_days, twelve_months_to
from pipeline.core.rounding import half_up
from tests.builders import COUNCIL_TOML, child, council, episode, load, write_extract

D = dt.date(2020, 11, 2)
PERIOD_START = dt.date(2019, 11, 3)  # D minus 12 months (2019-11-02) plus one day


def day(text: str) -> dt.date:
    """dd/mm/yyyy as a date (the way the extracts write it)."""
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def episodes_of(folder: Path, rows: list[tuple[str, ...]]) -> pl.DataFrame:
    """Load episodes.csv rows through the real reader, every child born well before care."""
    children = [child(c, dob="01/01/2005") for c in dict.fromkeys(row[0] for row in rows)]
    return load(write_extract(folder, children, rows)).episodes


def children_on(episodes: pl.DataFrame, on: dt.date) -> list[str]:
    return sorted(looked_after_on(episodes, [on])["CHILD"].to_list())


# --- looked after on a day -------------------------------------------------------------------


def test_looked_after_on_d_first_and_last_day_and_short_breaks(tmp_path: Path) -> None:
    episodes = episodes_of(
        tmp_path,
        [
            episode("A1", "02/11/2020"),  # starts on D -> counted on D
            episode("A2", "01/01/2020", dec="02/11/2020", rec="E4A"),  # DEC = D: DEC > D fails -> not counted
            episode("A3", "01/01/2020", dec="03/11/2020", rec="E4A"),  # DEC the day after D -> counted
            episode("A4", "03/11/2020"),  # starts the day after D -> not counted
            episode("A5", "01/01/2020", ls="V3"),  # short breaks -> never looked after
            episode("A6", "01/01/2020", ls="V4"),  # short breaks -> never looked after
            episode("A7", "01/01/2020", ls="V2"),  # section 20, open -> counted
        ],
    )
    assert children_on(episodes, D) == ["A1", "A3", "A7"]
    # the day before D: A1 not yet, A2 still (DEC 2 Nov > 1 Nov), A3 and A7 open -> A2, A3, A7
    assert children_on(episodes, D - dt.timedelta(days=1)) == ["A2", "A3", "A7"]


def test_placement_change_on_d_counts_the_child_once_in_the_new_placement(tmp_path: Path) -> None:
    episodes = episodes_of(
        tmp_path,
        [
            episode("B1", "01/01/2020", place="U4", provider="PR1", dec="02/11/2020", rec="X1"),
            episode("B1", "02/11/2020", rne="P", place="K2", provider="PR4"),
            # B2 moves twice on D: a placement of less than a day (DECOM = DEC = D) between two others
            episode("B2", "01/01/2020", place="U1", dec="02/11/2020", rec="X1"),
            episode("B2", "02/11/2020", rne="P", place="R1", dec="02/11/2020", rec="X1"),
            episode("B2", "02/11/2020", rne="P", place="P1", provider=""),
        ],
    )
    on_days = looked_after_on(episodes, [D - dt.timedelta(days=1), D]).sort("day", "CHILD")
    # 1 Nov: B1 in the U4 PR1 episode (in-house fostering), B2 in U1 (kinship). 2 Nov: B1's U4 episode ended
    # that day (DEC = D is not counted) and the K2 one began (DECOM = D is counted) -> one row, residential;
    # B2's R1 episode also ends on D -> only P1, placed with parents, one row
    assert on_days.select("day", "CHILD", "placement_group").rows() == [
        (dt.date(2020, 11, 1), "B1", "in_house_fostering"),
        (dt.date(2020, 11, 1), "B2", "kinship_fostering"),
        (D, "B1", "residential"),
        (D, "B2", "placed_with_parents"),
    ]
    # each child's episodes form one period of care (X1 on the day the next starts), still open
    periods = periods_of_care(episodes)
    assert periods.select("CHILD", "period_start", "period_end").rows() == [
        ("B1", dt.date(2020, 1, 1), None),
        ("B2", dt.date(2020, 1, 1), None),
    ]


@pytest.mark.parametrize(
    ("place", "provider", "group"),
    [
        ("U1", "PR1", "kinship_fostering"),  # U1-U3 are kinship whatever the provider
        ("U2", "", "kinship_fostering"),
        ("U3", "PR4", "kinship_fostering"),
        ("U4", "PR1", "in_house_fostering"),  # U4-U6 with PR1/PR2 -> in-house
        ("U5", "PR2", "in_house_fostering"),
        ("U6", "PR1", "in_house_fostering"),
        ("U4", "PR4", "agency_fostering"),  # U4-U6 with any other provider -> agency
        ("U5", "PR0", "agency_fostering"),
        ("U6", "", "agency_fostering"),  # ... or with no provider -> agency
        ("K1", "PR4", "residential"),
        ("K2", "PR1", "residential"),
        ("R1", "PR3", "residential"),
        ("S1", "PR1", "residential"),
        ("P1", "", "placed_with_parents"),
        ("A3", "PR1", "placed_for_adoption"),
        ("A6", "PR3", "placed_for_adoption"),
        ("H5", "PR4", "supported_or_independent"),
        ("K3", "PR4", "supported_or_independent"),
        ("P2", "PR4", "supported_or_independent"),
        ("R2", "PR0", "other"),
        ("T0", "", "other"),
        ("Z1", "PR0", "other"),
        ("Z11", "", "other"),
    ],
)
def test_placement_group_of_the_open_episode(tmp_path: Path, place: str, provider: str, group: str) -> None:
    episodes = episodes_of(tmp_path, [episode("P", "01/01/2020", place=place, provider=provider)])
    assert looked_after_on(episodes, [D])["placement_group"].to_list() == [group]


# --- periods of care -------------------------------------------------------------------------


def test_x1_chain_is_one_period_ending_with_the_last_episode(tmp_path: Path) -> None:
    periods = periods_of_care(
        episodes_of(
            tmp_path,
            [
                episode("C1", "01/01/2019", ls="C1", place="U1", dec="01/03/2019", rec="X1"),
                episode("C1", "01/03/2019", rne="L", ls="C2", place="U4", dec="01/06/2019", rec="X1"),
                episode("C1", "01/06/2019", rne="P", ls="C2", place="K1", dec="01/09/2020", rec="E45"),
            ],
        )
    )
    # three episodes joined by X1 on the same day -> one period: first DECOM, last DEC, last REC and LS
    assert periods.select("CHILD", "period_start", "period_end", "rec", "final_ls", "route").rows() == [
        ("C1", dt.date(2019, 1, 1), dt.date(2020, 9, 1), "E45", "C2", "sgo")
    ]


def test_x1_chain_starts_and_ceases_once(tmp_path: Path) -> None:
    periods = periods_of_care(
        episodes_of(
            tmp_path,
            [
                episode("C2", "01/12/2019", ls="C1", dec="01/03/2020", rec="X1"),
                episode("C2", "01/03/2020", rne="L", ls="C2", dec="01/06/2020", rec="X1"),
                episode("C2", "01/06/2020", rne="P", ls="E1", place="A4", dec="01/09/2020", rec="E11"),
            ],
        )
    )
    start, end = twelve_months_to(D)
    # the X1 ends (1 Mar, 1 Jun) are not cessations and the later DECOMs are not starts -> one of each
    assert started_between(periods, start, end)["period_start"].to_list() == [dt.date(2019, 12, 1)]
    assert ceased_between(periods, start, end).select("period_end", "route").rows() == [
        (dt.date(2020, 9, 1), "adoption")
    ]
    # a window holding only the middle of the chain (the X1 days) sees neither a start nor a cessation
    assert started_between(periods, dt.date(2020, 2, 1), dt.date(2020, 8, 31)).height == 0
    assert ceased_between(periods, dt.date(2020, 2, 1), dt.date(2020, 8, 31)).height == 0


def test_gap_after_a_non_x1_end_starts_a_new_period(tmp_path: Path) -> None:
    periods = periods_of_care(
        episodes_of(
            tmp_path,
            [
                episode("C3", "01/01/2019", dec="01/03/2019", rec="E4A"),
                episode("C3", "01/03/2019", rne="S", dec="01/05/2019", rec="E13"),  # same day but REC not X1
                episode("C3", "02/05/2019"),  # starts the day after -> another period
            ],
        )
    )
    # three periods: (1 Jan - 1 Mar, E4A), (1 Mar - 1 May, E13), (2 May -, open)
    assert periods.select("period_start", "period_end", "rec", "route").rows() == [
        (dt.date(2019, 1, 1), dt.date(2019, 3, 1), "E4A", "reunification"),
        (dt.date(2019, 3, 1), dt.date(2019, 5, 1), "E13", "other"),
        (dt.date(2019, 5, 2), None, None, "other"),
    ]


def test_periods_of_short_breaks_only_are_ignored(tmp_path: Path) -> None:
    periods = periods_of_care(
        episodes_of(
            tmp_path,
            [
                episode("V1", "01/12/2019", ls="V3", place="K1", dec="01/01/2020", rec="E13"),
                episode("V1", "01/02/2020", ls="V4", place="K1", dec="01/03/2020", rec="X1"),
                episode("V1", "01/03/2020", rne="L", ls="V3", place="K1", dec="01/04/2020", rec="E13"),
                episode("V2", "01/12/2019", ls="V2", dec="01/01/2020", rec="E4A"),
            ],
        )
    )
    start, end = twelve_months_to(D)
    # V1 has two periods, both only V3/V4 -> ignored: neither starts nor ceases; V2 (section 20) does both
    assert periods["CHILD"].to_list() == ["V2"]
    assert started_between(periods, start, end)["CHILD"].to_list() == ["V2"]
    assert ceased_between(periods, start, end)["CHILD"].to_list() == ["V2"]


@pytest.mark.parametrize(
    ("rec", "route"),
    [
        ("E11", "adoption"),
        ("E12", "adoption"),
        ("E43", "sgo"),  # historic SGO codes
        ("E44", "sgo"),
        ("E45", "sgo"),
        ("E46", "sgo"),
        ("E47", "sgo"),
        ("E48", "sgo"),
        ("E4A", "reunification"),
        ("E4B", "reunification"),
        ("E41", "cao"),
        ("E5", "independence"),
        ("E6", "independence"),
        ("E17", "independence"),
        ("E13", "other"),  # left care to live with a person without parental responsibility: NOT reunification
        ("E3", "other"),
        ("E8", "other"),
        ("E2", "other"),
    ],
)
def test_route_of_a_period_by_its_final_rec(tmp_path: Path, rec: str, route: str) -> None:
    periods = periods_of_care(episodes_of(tmp_path, [episode("R", "01/01/2020", dec="01/06/2020", rec=rec)]))
    assert periods["route"].to_list() == [route]


# --- started and ceased in a period ----------------------------------------------------------


def test_started_and_ceased_first_and_last_day_of_the_12_months(tmp_path: Path) -> None:
    periods = periods_of_care(
        episodes_of(
            tmp_path,
            [
                episode("S1", "03/11/2019"),  # starts on period_start -> started
                episode("S2", "02/11/2019", dec="03/11/2019", rec="E4A"),  # starts the day before (out);
                # ceases on period_start -> ceased
                episode("S3", "02/11/2020"),  # starts on D -> started
                episode("S4", "03/11/2020"),  # starts the day after D -> not started
                episode("S5", "01/01/2018", dec="02/11/2020", rec="E41"),  # ceases on D -> ceased
                episode("S6", "01/01/2018", dec="03/11/2020", rec="E41"),  # ceases the day after D -> not ceased
                episode("S7", "01/01/2018", dec="02/11/2019", rec="E41"),  # ceases the day before -> not ceased
            ],
        )
    )
    start, end = twelve_months_to(D)
    assert (start, end) == (PERIOD_START, D)
    assert sorted(started_between(periods, start, end)["CHILD"]) == ["S1", "S3"]
    assert sorted(ceased_between(periods, start, end)["CHILD"]) == ["S2", "S5"]


def test_re_entry_counts_once_first_start_and_last_cessation(tmp_path: Path) -> None:
    periods = periods_of_care(
        episodes_of(
            tmp_path,
            [
                # R1: three periods in the 12 months
                episode("R1", "01/12/2019", ls="C2", dec="01/02/2020", rec="E45"),
                episode("R1", "01/03/2020", ls="V2", dec="01/06/2020", rec="E4B"),
                episode("R1", "01/07/2020", ls="V2"),
                # R2: started before the 12 months, ceased twice in them
                episode("R2", "01/01/2019", ls="V2", dec="01/12/2019", rec="E4A"),
                episode("R2", "01/01/2020", ls="C2", dec="01/04/2020", rec="E13"),
            ],
        )
    )
    start, end = twelve_months_to(D)
    starters = started_between(periods, start, end)
    leavers = ceased_between(periods, start, end)
    # R1 started on 1 Dec 2019 and 1 Jul 2020 -> once, first occasion; R2 started 1 Jan 2020 (its 1 Jan 2019
    # start is before the 12 months)
    assert starters.select("CHILD", "period_start").sort("CHILD").rows() == [
        ("R1", dt.date(2019, 12, 1)),
        ("R2", dt.date(2020, 1, 1)),
    ]
    # R1 ceased 1 Feb (E45, C2) and 1 Jun (E4B, V2) -> once, by the last: E4B reunification, LS V2
    # R2 ceased 1 Dec 2019 (E4A) and 1 Apr 2020 (E13, C2) -> once, by the last: E13 other, LS C2
    assert leavers.select("CHILD", "period_end", "rec", "final_ls", "route").sort("CHILD").rows() == [
        ("R1", dt.date(2020, 6, 1), "E4B", "V2", "reunification"),
        ("R2", dt.date(2020, 4, 1), "E13", "C2", "other"),
    ]


def test_child_who_starts_and_ceases_in_the_same_12_months_is_in_both(tmp_path: Path) -> None:
    periods = periods_of_care(episodes_of(tmp_path, [episode("B", "01/12/2019", dec="01/05/2020", rec="E41")]))
    start, end = twelve_months_to(D)
    # started 1 Dec 2019 and ceased 1 May 2020, both inside 3 Nov 2019 - 2 Nov 2020
    assert started_between(periods, start, end)["CHILD"].to_list() == ["B"]
    assert ceased_between(periods, start, end).select("CHILD", "route").rows() == [("B", "cao")]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_at", "period_start"),
    [
        ("02/11/2020", "03/11/2019"),  # 2 Nov 2019 + 1 day
        ("31/03/2020", "01/04/2019"),  # the DfE year
        ("29/02/2020", "01/03/2019"),  # 29 Feb 2020 - 12 months = 28 Feb 2019 (no 29th), + 1 day
        ("28/02/2021", "29/02/2020"),  # 28 Feb 2020 + 1 day is the leap day
        ("31/12/2020", "01/01/2020"),
    ],
)
def test_twelve_months_to(as_at: str, period_start: str) -> None:
    assert twelve_months_to(day(as_at)) == (day(period_start), day(as_at))


@pytest.mark.parametrize(
    ("as_at", "year_before"),
    [("02/11/2020", "02/11/2019"), ("29/02/2020", "28/02/2019"), ("31/03/2021", "31/03/2020")],
)
def test_minus_years(as_at: str, year_before: str) -> None:
    assert minus_years(day(as_at), 1) == day(year_before)


def test_trend_days_when_d_is_not_a_month_end() -> None:
    days = trend_days(D)
    # 36 month ends, Nov 2017 .. Oct 2020, then D (2 Nov 2020) itself -> 37 days
    assert len(days) == 37
    assert days[:3] == [dt.date(2017, 11, 30), dt.date(2017, 12, 31), dt.date(2018, 1, 31)]
    assert days[-3:] == [dt.date(2020, 9, 30), dt.date(2020, 10, 31), D]
    assert dt.date(2020, 2, 29) in days  # the leap month's end


def test_trend_days_when_d_is_a_month_end() -> None:
    days = trend_days(dt.date(2020, 10, 31))
    # 36 month ends, Nov 2017 .. Oct 2020; D is the last of them, not repeated
    assert len(days) == 36
    assert (days[0], days[-1]) == (dt.date(2017, 11, 30), dt.date(2020, 10, 31))
    assert days == sorted(set(days))


# --- rates, populations and comparators ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(9305, 100), 1, "93.1"),  # 93.05 exactly -> half up
        (Fraction(9304999, 100000), 1, "93.0"),
        (Fraction(931, 10), 0, "93"),  # the report's whole number: 93.1 -> 93
        (Fraction(935, 10), 0, "94"),
        (Decimal("234.585"), 0, "235"),  # England implied count for 36090 children
        (Fraction(5, 2), 0, "3"),  # 2.5 -> 3 (not banker's 2)
    ],
)
def test_round_half_up(value: Decimal | Fraction, places: int, expected: str) -> None:
    assert str(half_up(value, places)) == expected


@pytest.mark.parametrize(
    ("count", "population", "rate"),
    [
        (1, 40_000, 0.3),  # 0.25 exactly -> 0.3 (banker's rounding would give 0.2)
        (3, 40_000, 0.8),  # 0.75 exactly -> 0.8 (binary floating point gives 0.74999... -> 0.7)
        (13, 200_000, 0.7),  # 0.65 exactly -> 0.7 (floating point gives 0.64999...)
        (9305, 1_000_000, 93.1),  # 93.05 exactly -> 93.1
        (336, 36_090, 93.1),  # 93.0992 -> 93.1
        (0, 36_090, 0.0),
    ],
)
def test_rate_per_10k_rounds_half_up_on_exact_arithmetic(count: int, population: int, rate: float) -> None:
    frame = pl.DataFrame({"n": [count], "p": [population]})
    assert frame.select(rate_per_10k_expr(pl.col("n"), pl.col("p")))["n"].to_list() == [rate]


@pytest.mark.parametrize(
    ("numerator", "denominator", "percent"),
    [(7, 9, 77.8), (1, 16, 6.3), (1, 8, 12.5), (3, 3, 100.0), (0, 5, 0.0), (2, 0, None)],
    # 77.77.. -> 77.8; 6.25 exactly -> 6.3; 12.5; 100.0; 0.0; no denominator -> empty
)
def test_percent_rounds_half_up_and_is_empty_without_denominator(
    numerator: int, denominator: int, percent: float | None
) -> None:
    frame = pl.DataFrame({"n": [numerator], "d": [denominator]})
    assert frame.select(percent_expr(pl.col("n"), pl.col("d")).alias("pct"))["pct"].to_list() == [percent]


@pytest.mark.parametrize(
    ("on", "population"),
    [
        ("29/06/2019", 36850),  # the day before 30 June 2019 -> still the 2018 estimate
        ("30/06/2019", 36090),  # 30 June 2019 -> the 2019 estimate is in force
        ("30/06/2018", 36850),  # the first estimate's own day
        ("29/06/2018", 36850),  # before the first estimate -> the first one
        ("01/01/2016", 36850),
        ("02/11/2020", 36090),  # latest estimate on or before D
    ],
)
def test_population_in_force_switches_on_30_june(on: str, population: int) -> None:
    assert population_on(council(), day(on)) == population
    # the estimates listed newest first in council.toml give the same figures
    head, rest = COUNCIL_TOML.split("[[population]]", 1)
    blocks = ["[[population]]" + block for block in rest[: rest.index("[[comparators]]")].split("[[population]]")]
    reversed_toml = head + "".join(reversed(blocks)) + rest[rest.index("[[comparators]]") :]
    assert population_on(council(reversed_toml), day(on)) == population


COMPARATORS_TOML = (
    COUNCIL_TOML.split("[[comparators]]")[0]
    + "".join(
        f'[[comparators]]\ngroup = "{group}"\ndate = {date}\nrate_per_10k = {rate}\n'
        for group, date, rate in [
            ("England", "2018-03-31", 64.0),
            ("West Midlands", "2019-03-31", 82.0),
            ("England", "2020-03-31", 67.0),
            ("England", "2019-03-31", 65.0),
            ("Statistical neighbours", "2021-03-31", 50.0),  # published after D = 2 Nov 2020
        ]
    )
    + COUNCIL_TOML[COUNCIL_TOML.index("[costs]") :]
)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        # England: latest date on or before D is 31 Mar 2020 (67.0); West Midlands 82.0;
        # Statistical neighbours only has a figure dated after D -> no row. Order first listed.
        ("02/11/2020", [("England", 67.0), ("West Midlands", 82.0)]),
        # on 31 Mar 2019 the 2019 figures are in force (date on or before D), SN still not
        ("31/03/2019", [("England", 65.0), ("West Midlands", 82.0)]),
        # the day before: only England's 2018 figure; West Midlands has nothing yet
        ("30/03/2019", [("England", 64.0)]),
        ("31/03/2021", [("England", 67.0), ("West Midlands", 82.0), ("Statistical neighbours", 50.0)]),
    ],
)
def test_comparators_in_force_per_group_in_order_first_listed(on: str, expected: list[tuple[str, float]]) -> None:
    in_force = comparators_in_force(council(COMPARATORS_TOML), day(on))
    assert [(c.group, c.rate_per_10k) for c in in_force] == expected
