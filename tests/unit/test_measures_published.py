"""The measures built on the published statistics: the starting and ceasing comparators, the
leavers' rate, and the reconciliation, on tiny hand-built configs and extracts whose answers are
worked out by hand in the comment beside each value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from pipeline.care.periods import periods_of_care
from pipeline.measures.comparators import (
    comparator_ceased_pct_of_cla,
    comparator_ceased_rate_per_10k,
    comparator_implied_ceased,
    comparator_implied_started,
    comparator_started_rate_per_10k,
)
from pipeline.measures.flows import ceased_rate_per_10k
from pipeline.measures.reconciliation import reconciliation_table
from pipeline.measures.tidy import single
from pipeline.read.config import CouncilConfig
from tests.builders import child, council, episode, load, write_extract

D = dt.date(2020, 10, 31)
COMPARATORS = """\
[council]
name = "Testshire"

[[population]]
mid_year = 2019
count = 40000

[[comparators]]
group = "England"
date = 2019-03-31
rate_per_10k = 65.0
started_rate_per_10k = 25.0
ceased_rate_per_10k = 24.0
ceased_pct_of_cla = 36.0
[[comparators]]
group = "England"
date = 2020-03-31
rate_per_10k = 67.0
started_rate_per_10k = 26.125
ceased_rate_per_10k = 25.0
ceased_pct_of_cla = 38.5
source = "DfE 2020"
[[comparators]]
group = "Statistical neighbours"
date = 2020-03-31
rate_per_10k = 55.8
ceased_pct_of_cla = 12.5
source = "DfE 2020"
[comparators.notes]
rate_per_10k = "mean of the 9 of 10 neighbours with a figure"
started_rate_per_10k = "none of the 10 neighbours has a figure (suppressed (c))"
[[comparators]]
group = "Our own"
date = 2020-03-31
rate_per_10k = 60.0
source = "typed in"
"""


def config() -> CouncilConfig:
    return council(COMPARATORS)


def values(frame: pl.DataFrame) -> list[tuple[object, ...]]:
    return frame.select("group", "value", "denominator", "note").rows()


def test_starting_and_ceasing_rates_in_force_on_d() -> None:
    # On 31 October 2020 the 31 March 2020 entries are in force (the 2019 England one is older).
    assert values(comparator_started_rate_per_10k(config(), D)) == [
        ("England", 26.125, None, "DfE 2020"),
        ("Statistical neighbours", None, None, "DfE 2020; none of the 10 neighbours has a figure (suppressed (c))"),
        ("Our own", None, None, "typed in; no rate starting given"),
    ]
    assert [v for _, v, _, _ in values(comparator_ceased_rate_per_10k(config(), D))] == [25.0, None, None]
    assert [v for _, v, _, _ in values(comparator_ceased_pct_of_cla(config(), D))] == [38.5, 12.5, None]
    # a day before 31 March 2020: England's 2019 figures, the others not yet in force
    assert values(comparator_started_rate_per_10k(config(), dt.date(2020, 3, 30))) == [("England", 25.0, None, None)]


def test_a_note_is_said_beside_its_own_figure_only() -> None:
    from pipeline.measures.comparators import comparator_rate_per_10k

    notes = [n for _, _, _, n in values(comparator_rate_per_10k(config(), D))]
    assert notes == ["DfE 2020", "DfE 2020; mean of the 9 of 10 neighbours with a figure", "typed in"]


def test_no_rows_when_no_comparator_has_the_figure() -> None:
    hand_typed = council(COMPARATORS.replace("started_rate_per_10k", "# started_rate_per_10k"))
    assert comparator_started_rate_per_10k(hand_typed, D).is_empty()
    assert comparator_implied_started(hand_typed, D).is_empty()


def test_implied_started_rounds_half_up() -> None:
    # England: 26.125 * 40000 / 10,000 = 104.5 exactly -> 105 (banker's rounding would give 104)
    assert values(comparator_implied_started(config(), D)) == [
        ("England", 105.0, 40000, "DfE 2020"),
        ("Statistical neighbours", None, 40000, "DfE 2020; none of the 10 neighbours has a figure (suppressed (c))"),
        ("Our own", None, 40000, "typed in; no rate starting given"),
    ]


def test_implied_ceased_is_the_ECHo_bids_argument() -> None:
    # 347 looked after the day before the 12 months, 77 ceased (22.2%, the bid's 2018-19 figures).
    # England 38.5% of 347 = 133.595 -> 134, 57 more than 77; neighbours 12.5% of 347 = 43.375 -> 43, 34 fewer
    assert values(comparator_implied_ceased(config(), D, 347, 77)) == [
        ("England", 134.0, 347, "DfE 2020; 57 more than the 77 who ceased"),
        ("Statistical neighbours", 43.0, 347, "DfE 2020; 34 fewer than the 77 who ceased"),
        ("Our own", None, 347, "typed in; no percentage ceased given"),
    ]
    # 12.5% of 4 = 0.5 exactly -> 1; 38.5% of 4 = 1.54 -> 2, as many as the 2 who ceased
    assert [(v, n) for _, v, _, n in values(comparator_implied_ceased(config(), D, 4, 2))][:2] == [
        (2.0, "DfE 2020; as many as the 2 who ceased"),
        (1.0, "DfE 2020; 1 fewer than the 2 who ceased"),
    ]


def test_ceased_rate_per_10k_is_of_all_routes_on_the_population_at_the_period_end() -> None:
    start = dt.date(2019, 11, 1)
    leavers = pl.concat(
        [
            single("ceased", 18, period_start=start, period_end=D, unit="count"),
            single("ceased", 5, period_start=start, period_end=D, unit="count", group="sgo", order=2),
        ]
    )
    # 18 / 40000 (the 2019 estimate, in force on D) * 10,000 = 4.5; the route row takes no part
    assert ceased_rate_per_10k(leavers, config()).select("group", "value", "denominator").rows() == [
        ("all", 4.5, 40000)
    ]


RECONCILED = [
    episode("A", "01/06/2017"),  # the earliest start: the year to 31 March 2018 began before it
    episode("B", "15/04/2018", dec="31/03/2019", rec="E11"),  # starts and ceases in the year to 2019
    episode("C", "01/04/2019", dec="01/05/2019", rec="E4A"),  # starts twice in the year to 2020
    episode("C", "01/06/2019"),
    episode("S", "01/01/2020", ls="V3", place="K1"),  # short breaks: never counted
    episode("E", "31/03/2020"),  # starts on 31 March 2020, looked after that day
]


def published(rows: list[tuple[int, str, float | None, str | None]]) -> pl.DataFrame:
    schema = {"time_period": pl.Int64, "figure": pl.String, "value": pl.Float64, "reason": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_reconciliation_of_each_covered_31_march(tmp_path: Path) -> None:
    extract = write_extract(tmp_path, [child(c) for c in "ABCSE"], RECONCILED)
    episodes = load(extract).episodes
    own = published(
        [
            (2018, "cla_count", 1.0, None),  # the year to 31 March 2018 began before the extract's first start
            (2019, "cla_count", 1.0, None),
            (2019, "started_count", 2.0, None),
            (2019, "ceased_count", 1.0, None),
            (2020, "cla_count", None, "not available (x)"),
            (2020, "started_count", 2.0, None),
            (2020, "ceased_count", 1.0, None),
            (2021, "cla_count", 5.0, None),  # after D
        ]
    )  # fmt: skip
    table = reconciliation_table(episodes, periods_of_care(episodes), own, D)
    rows = table.sort("measure", "period_end", "order").select(
        "measure", "group", "period_start", "period_end", "value", "note"
    )
    y19, y20 = (dt.date(2018, 4, 1), dt.date(2019, 3, 31)), (dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    # own counts, 31 March 2019: A (B's episode ended that day); started B; ceased B.
    # 31 March 2020: A, C, E (S is a short break); started C (once, though twice) and E; ceased C.
    assert rows.rows() == [
        ("difference", "cla_31_march", None, y19[1], 0.0, None),
        ("difference", "started", *y19, -1.0, None),
        ("difference", "ceased", *y19, 0.0, None),
        ("difference", "cla_31_march", None, y20[1], None, "no published figure"),
        ("difference", "started", *y20, 0.0, None),
        ("difference", "ceased", *y20, 0.0, None),
        ("own_count", "cla_31_march", None, y19[1], 1.0, None),
        ("own_count", "started", *y19, 1.0, None),
        ("own_count", "ceased", *y19, 1.0, None),
        ("own_count", "cla_31_march", None, y20[1], 3.0, None),
        ("own_count", "started", *y20, 2.0, None),
        ("own_count", "ceased", *y20, 1.0, None),
        ("published_count", "cla_31_march", None, y19[1], 1.0, None),
        ("published_count", "started", *y19, 2.0, None),
        ("published_count", "ceased", *y19, 1.0, None),
        ("published_count", "cla_31_march", None, y20[1], None, "not available (x)"),
        ("published_count", "started", *y20, 2.0, None),
        ("published_count", "ceased", *y20, 1.0, None),
    ]
    assert set(table["unit"]) == {"count"}


def test_no_year_is_reconciled_before_the_extract_begins_or_after_d(tmp_path: Path) -> None:
    extract = write_extract(tmp_path, [child("A")], [episode("A", "01/06/2019")])
    episodes = load(extract).episodes
    own = published([(2019, "cla_count", 1.0, None), (2020, "cla_count", 1.0, None), (2021, "cla_count", 1.0, None)])
    # 2019's year began 1 April 2018, before the first episode; 2020's began 1 April 2019, also before
    # 1 June 2019; 2021 ends after D: nothing to reconcile
    assert reconciliation_table(episodes, periods_of_care(episodes), own, D).is_empty()
