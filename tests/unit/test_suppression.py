"""The public edition's suppression, on small hand-built tidy tables (threshold 5: 1 to 4 hidden)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from pipeline.measures.tables import Tables
from pipeline.measures.tidy import single, tidy
from pipeline.report.suppression import KEY, next_suppression, suppress, suppressed_count, suppressed_figures
from pipeline.run.tablefiles import write_table

D = dt.date(2020, 10, 31)
YEAR_START = dt.date(2019, 11, 1)


def groups(
    measure: str,
    pairs: list[tuple[str, float | None]],
    *,
    unit: str = "count",
    period_end: dt.date = D,
    period_start: dt.date | None = None,
    denominators: list[int | None] | None = None,
    notes: list[str | None] | None = None,
) -> pl.DataFrame:
    """A measure's rows, groups in the order given."""
    frame = pl.DataFrame(
        {
            "group": [g for g, _ in pairs],
            "value": [v for _, v in pairs],
            "order": list(range(len(pairs))),
            "denominator": denominators or [None] * len(pairs),
            "note": notes or [None] * len(pairs),
        },
        schema={"group": pl.String, "value": pl.Float64, "order": pl.Int32, "denominator": pl.Int64, "note": pl.String},
    ).with_columns(pl.lit(period_end).alias("period_end"), pl.lit(period_start, dtype=pl.Date).alias("period_start"))
    return tidy(frame, measure=measure, unit=unit)


def headline(count_on_day: int, population: int = 36090) -> pl.DataFrame:
    rate = round(count_on_day / population * 10_000, 1)
    return pl.concat(
        [
            single("cla_count", count_on_day, period_end=D, unit="count"),
            single("cla_rate_per_10k", rate, period_end=D, unit="rate_per_10k", denominator=population),
            single("population_0_17", population, period_end=D, unit="count"),
        ]
    )


def public(frames: dict[str, pl.DataFrame], threshold: int = 5) -> Tables:
    return suppress(Tables(D, frames), threshold)


def shown(tables: Tables, table: str, measure: str) -> dict[str, str]:
    """group -> the value as the public edition shows it (c, or the number)."""
    frame = tables[table].filter(pl.col("measure") == measure)
    return {
        r["group"]: "c" if r["suppressed"] else f"{r['value']:g}" for r in frame.sort("order").iter_rows(named=True)
    }


def test_a_small_count_and_the_smallest_other_figure_of_its_sum_are_hidden() -> None:
    discharges = groups("care_orders_discharged", [("all", 12), ("sgo", 9), ("reunification", 3), ("cao", 0)])
    tables = public({"discharges": discharges})
    # reunification 3 is small; all 12 - sgo 9 - cao 0 would give it away, so sgo (the only
    # non-zero figure left that is not the total) goes too. Zero is shown.
    assert shown(tables, "discharges", "care_orders_discharged") == {
        "all": "12",
        "sgo": "c",
        "reunification": "c",
        "cao": "0",
    }
    assert suppressed_count(tables) == 2


def test_a_sum_with_two_hidden_figures_needs_no_more() -> None:
    ceased = groups("ceased", [("all", 30), ("adoption", 2), ("sgo", 4), ("other", 24)], period_start=YEAR_START)
    tables = public({"flows": ceased})
    assert shown(tables, "flows", "ceased") == {"all": "30", "adoption": "c", "sgo": "c", "other": "24"}


def test_the_threshold_comes_from_the_config() -> None:
    discharges = groups("care_orders_discharged", [("all", 20), ("sgo", 9), ("reunification", 6), ("cao", 5)])
    assert suppressed_count(public({"discharges": discharges}, threshold=5)) == 0
    # threshold 7: 6 and 5 are small; two hidden in the sum is enough
    assert shown(public({"discharges": discharges}, threshold=7), "discharges", "care_orders_discharged") == {
        "all": "20", "sgo": "9", "reunification": "c", "cao": "c",
    }  # fmt: skip


def test_the_next_figure_is_the_total_when_only_zeros_are_left() -> None:
    members = pl.DataFrame(
        {
            "table": ["t"] * 4,
            "measure": ["m"] * 4,
            "group": ["all", "a", "b", "c"],
            "period_end": [D] * 4,
            "column": ["value"] * 4,
            "total": [True, False, False, False],
            "sum": ["s"] * 4,
            "rank": [0] * 4,
        }
    )
    found = members.select(*KEY, pl.Series("amount", [3.0, 3.0, 0.0, 0.0]), pl.Series("order", [0, 1, 2, 3]))
    hidden = members.filter(pl.col("group") == "a").select(*KEY)
    assert next_suppression(hidden, members, found)["group"].to_list() == ["all"]
    with_another = found.with_columns(pl.when(pl.col("group") == "c").then(7.0).otherwise("amount").alias("amount"))
    assert next_suppression(hidden, members, with_another)["group"].to_list() == ["c"]


def test_each_month_of_the_trend_is_its_own_sum_and_the_cohort_hides_the_same_figures() -> None:
    earlier = dt.date(2020, 9, 30)
    trend = pl.concat(
        [
            groups("cla_count", [("all", 40), ("kinship_fostering", 3), ("in_house_fostering", 30), ("agency_fostering", 7)]),  # noqa: E501
            groups("cla_count", [("all", 40), ("kinship_fostering", 10), ("in_house_fostering", 23), ("agency_fostering", 7)], period_end=earlier),  # noqa: E501
        ]
    )  # fmt: skip
    cohorts = groups(
        "cla_by_placement", [("kinship_fostering", 3), ("in_house_fostering", 30), ("agency_fostering", 7)]
    )
    tables = public({"headline": headline(40), "trend": trend, "cohorts": cohorts})
    on_day = tables["trend"].filter(pl.col("period_end") == D).sort("order")
    assert on_day["suppressed"].to_list() == [False, True, False, True]  # kinship 3, and agency 7 to protect it
    assert not tables["trend"].filter(pl.col("period_end") == earlier)["suppressed"].any()
    assert shown(tables, "cohorts", "cla_by_placement") == {
        "kinship_fostering": "c", "in_house_fostering": "30", "agency_fostering": "c",
    }  # fmt: skip


def test_rates_and_gaps_worked_out_from_a_hidden_count_are_hidden_and_published_figures_never() -> None:
    comparators = pl.concat(
        [
            groups("comparator_rate_per_10k", [("England", 65.0)], unit="rate_per_10k"),
            groups("comparator_implied_count", [("England", 3)], denominators=[500]),
            groups("comparator_gap", [("England", 1)]),
        ]
    )
    tables = public({"headline": headline(4, population=500), "comparators": comparators})
    assert shown(tables, "headline", "cla_count") == {"all": "c"}
    assert shown(tables, "headline", "cla_rate_per_10k") == {"all": "c"}  # 80.0 = 4 / 500
    assert shown(tables, "headline", "population_0_17") == {"all": "500"}
    assert shown(tables, "comparators", "comparator_rate_per_10k") == {"England": "65"}
    assert shown(tables, "comparators", "comparator_implied_count") == {"England": "3"}  # from the population
    assert shown(tables, "comparators", "comparator_gap") == {"England": "c"}  # 4 - 3 would give the count


def test_a_percentage_of_few_children_is_hidden_with_its_denominator() -> None:
    sustained = groups(
        "echo_sustained_pct", [("6m", 92.3), ("12m", 100.0), ("18m", 50.0)], unit="percent", denominators=[13, 3, 20]
    )
    tables = public({"echo": sustained})
    frame = tables["echo"].sort("order")
    # 6m: 12 of 13; 12m: 3 of 3 (numerator and denominator small); 18m: 10 of 20
    assert frame["suppressed"].to_list() == [False, True, False]
    assert frame["denominator_suppressed"].to_list() == [False, True, False]
    assert frame["value"].to_list() == [92.3, None, 50.0]


def test_costs_follow_the_children_they_are_for() -> None:
    costs = groups(
        "estimated_annual_cost",
        [("all", 1_460_000), ("in_house_fostering", 600_000), ("agency_fostering", 180_000), ("residential", 680_000)],
        unit="pounds",
        denominators=[37, 30, 4, 3],
    )
    frame = public({"costs": costs})["costs"].sort("order")
    # 4 and 3 children are small: their costs (4 x 45,000, 3 x 220,000 would show them) go too;
    # two hidden in each sum, so the totals stay
    assert frame["denominator_suppressed"].to_list() == [False, False, True, True]
    assert frame["suppressed"].to_list() == [False, False, True, True]


def test_the_trajectory_follows_the_flows_and_loses_its_note() -> None:
    flows = pl.concat(
        [
            single("started", 3, period_start=YEAR_START, period_end=D, unit="count"),
            groups("ceased", [("all", 20), ("sgo", 12), ("other", 8)], period_start=YEAR_START),
        ]
    )
    trajectory = pl.concat(
        [
            single("net_flow_per_month", -1.4, period_end=D, unit="per_month", note="started 3, ceased 20"),
            single("projected_cla_count", 23, period_end=dt.date(2021, 10, 31), unit="count"),
            groups("months_to_comparator", [("England", 5)], unit="months"),
        ]
    )
    tables = public({"headline": headline(40), "flows": flows, "trajectory": trajectory})
    frame = tables["trajectory"]
    assert frame["suppressed"].all()
    assert frame["note"].null_count() == frame.height


def test_data_quality_is_never_suppressed(tmp_path: Path) -> None:
    quality = groups("warnings", [("EPISODE_NEW_PERIOD_NOT_S", 2)])
    tables = public({"data_quality": quality})
    assert suppressed_count(tables) == 0
    write_table(tables["data_quality"], tmp_path / "dq.csv", D)
    assert (tmp_path / "dq.csv").read_text().splitlines()[
        1
    ] == "2020-10-31,warnings,EPISODE_NEW_PERIOD_NOT_S,,2020-10-31,2,count,,"  # noqa: E501


def test_the_csv_writes_c_for_a_hidden_value_and_denominator(tmp_path: Path) -> None:
    sustained = groups("echo_sustained_pct", [("6m", 92.3), ("12m", 100.0)], unit="percent", denominators=[13, 3])
    write_table(public({"echo": sustained})["echo"], tmp_path / "echo.csv", D)
    assert (tmp_path / "echo.csv").read_text().splitlines() == [
        "as_at,measure,group,period_start,period_end,value,unit,denominator,note",
        "2020-10-31,echo_sustained_pct,6m,,2020-10-31,92.3,percent,13,",
        "2020-10-31,echo_sustained_pct,12m,,2020-10-31,c,percent,c,",
    ]


def test_legal_stages_and_routes_count_the_same_cases() -> None:
    legal = pl.concat(
        [
            groups("legal_cases", [("planned", 6), ("with_legal", 3), ("in_proceedings", 17)]),
            groups("legal_cases_by_route", [("sgo", 14), ("reunification", 12), ("cao", 0)]),
        ]
    )
    tables = public({"legal": legal})
    # with_legal 3 is small; the routes add up to the same 26 cases, so one more goes: planned 6,
    # the smallest non-zero figure of either breakdown
    assert shown(tables, "legal", "legal_cases") == {"planned": "c", "with_legal": "c", "in_proceedings": "17"}
    assert shown(tables, "legal", "legal_cases_by_route") == {"sgo": "14", "reunification": "12", "cao": "0"}


def test_nothing_is_hidden_in_large_counts() -> None:
    hidden = suppressed_figures({"headline": headline(336)}, 5, D)
    assert hidden.is_empty()
