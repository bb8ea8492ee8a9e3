"""The public edition of the published-statistics figures: published counts and comparator figures
are shown, the children counted from the extract are not when few (threshold 5: 1 to 4 hidden)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.measures.tidy import single
from tests.unit.test_suppression import YEAR_START, D, groups, headline, public, shown

MARCH = dt.date(2020, 3, 31)
APRIL = dt.date(2019, 4, 1)


def reconciliation(own: dict[str, int], published: dict[str, int | None]) -> pl.DataFrame:
    """The three measures for 31 March 2020; the difference is own minus published."""
    order = ("cla_31_march", "started", "ceased")

    def measure(name: str, values: dict[str, int | None]) -> pl.DataFrame:
        return pl.concat(
            [
                single(name, values[g], period_end=MARCH, unit="count", group=g, order=i,
                       period_start=None if g == "cla_31_march" else APRIL)
                for i, g in enumerate(order)
            ]
        )  # fmt: skip

    differences = {g: None if published[g] is None else own[g] - published[g] for g in order}  # type: ignore[operator]
    return pl.concat(
        [measure("published_count", published), measure("own_count", own), measure("difference", differences)]
    )


def test_published_counts_are_shown_own_counts_of_few_children_are_not() -> None:
    tables = public(
        {
            "reconciliation": reconciliation(
                {"cla_31_march": 40, "started": 3, "ceased": 12}, {"cla_31_march": 41, "started": 4, "ceased": 12}
            )
        }
    )
    frame = "reconciliation"
    assert shown(tables, frame, "published_count") == {"cla_31_march": "41", "started": "4", "ceased": "12"}
    # 3 children started: hidden, and the difference 3 - 4 = -1 with it (it would give the 3 back)
    assert shown(tables, frame, "own_count") == {"cla_31_march": "40", "started": "c", "ceased": "12"}
    assert shown(tables, frame, "difference") == {"cla_31_march": "-1", "started": "c", "ceased": "0"}


def test_an_own_count_follows_the_same_figure_shown_elsewhere() -> None:
    # On 31 March 2020 the trend shows 40 looked after, 3 of them in kinship care: the 3 is hidden and,
    # as the only other part of the sum, the 40 too. The 12 months to D (a 31 March) show 20 leavers,
    # 3 by SGO: the 20 goes the same way. The reconciliation shows the same 40 and 20: hidden too.
    trend = groups("cla_count", [("all", 40), ("kinship_fostering", 3)], period_end=MARCH)
    flows = pl.concat(
        [
            single("started", 30, period_start=APRIL, period_end=MARCH, unit="count"),
            groups("ceased", [("all", 20), ("sgo", 3)], period_start=APRIL, period_end=MARCH),
        ]
    )
    same = {"cla_31_march": 40, "started": 30, "ceased": 20}
    tables = public({"trend": trend, "flows": flows, "reconciliation": reconciliation(same, same)})
    assert shown(tables, "trend", "cla_count") == {"all": "c", "kinship_fostering": "c"}
    assert shown(tables, "reconciliation", "own_count") == {"cla_31_march": "c", "started": "30", "ceased": "c"}
    assert shown(tables, "reconciliation", "difference") == {"cla_31_march": "c", "started": "0", "ceased": "c"}
    assert shown(tables, "reconciliation", "published_count") == {"cla_31_march": "40", "started": "30", "ceased": "20"}


def test_comparator_figures_are_shown_and_our_number_at_their_percentage_follows_our_leavers() -> None:
    flows = pl.concat(
        [
            single("started", 30, period_start=YEAR_START, period_end=D, unit="count"),
            groups("ceased", [("all", 4)], period_start=YEAR_START),
            single("ceased_rate_per_10k", 1.1, period_start=YEAR_START, period_end=D, unit="rate_per_10k",
                   denominator=36090),
            single("ceased_pct_of_cla", 10.0, period_start=YEAR_START, period_end=D, unit="percent", denominator=40),
        ]
    )  # fmt: skip
    comparators = pl.concat(
        [
            groups("comparator_started_rate_per_10k", [("England", 26.0)], unit="rate_per_10k"),
            groups("comparator_ceased_pct_of_cla", [("England", 38.5)], unit="percent"),
            groups("comparator_implied_started", [("England", 94)], denominators=[36090]),
            groups("comparator_implied_ceased", [("England", 15)], denominators=[40],
                   notes=["DfE 2020; 11 more than the 4 who ceased"]),
        ]
    )  # fmt: skip
    tables = public({"headline": headline(40), "flows": flows, "comparators": comparators})
    assert shown(tables, "flows", "ceased") == {"all": "c"}
    assert shown(tables, "flows", "ceased_rate_per_10k") == {"all": "c"}  # 4 leavers behind the rate
    assert shown(tables, "comparators", "comparator_started_rate_per_10k") == {"England": "26"}
    assert shown(tables, "comparators", "comparator_ceased_pct_of_cla") == {"England": "38.5"}
    assert shown(tables, "comparators", "comparator_implied_started") == {"England": "94"}
    # its note says 11 more than the 4 who ceased: hidden, note and all
    assert shown(tables, "comparators", "comparator_implied_ceased") == {"England": "c"}
    assert tables["comparators"].filter(pl.col("measure") == "comparator_implied_ceased")["note"].to_list() == [None]


def test_our_number_at_their_percentage_hides_a_small_denominator() -> None:
    flows = single("ceased_pct_of_cla", 50.0, period_start=YEAR_START, period_end=D, unit="percent", denominator=4)
    comparators = groups("comparator_implied_ceased", [("England", 2)], denominators=[4])
    tables = public({"flows": flows, "comparators": comparators})
    frame = tables["comparators"]
    assert frame["denominator_suppressed"].to_list() == [True]  # 4 looked after before the period
    assert frame["suppressed"].to_list() == [True]  # 38.5% of 4 would give it back
