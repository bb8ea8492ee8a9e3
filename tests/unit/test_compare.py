"""compare: two runs' tables, month on month and period by period."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.run.compare import change, compare_runs, read_run, render, summary, write_csv
from pipeline.run.verify import NotARunFolder

COLUMNS = "as_at,measure,group,period_start,period_end,value,unit,denominator,note"


def run(root: Path, name: str, tables: dict[str, list[str]]) -> Path:
    """A run folder holding only tables (compare reads nothing else)."""
    folder = root / name
    (folder / "tables").mkdir(parents=True)
    for table, rows in tables.items():
        (folder / "tables" / f"{table}.csv").write_text("\n".join([COLUMNS, *rows]) + "\n")
    return folder


@pytest.fixture
def months(tmp_path: Path) -> tuple[Path, Path]:
    """September and October. October's extract recounted 31 August (310 -> 311, a late record),
    and holds legal.csv for the first time."""
    september = run(
        tmp_path,
        "2020-09-30",
        {
            "headline": [
                "2020-09-30,cla_count,all,,2019-09-30,300,count,,",
                "2020-09-30,cla_count,all,,2020-09-30,312,count,,",
                "2020-09-30,cla_rate_per_10k,all,,2020-09-30,86.5,rate_per_10k,36090,",
            ],
            "trend": [
                "2020-09-30,cla_count,all,,2020-07-31,305,count,,",
                "2020-09-30,cla_count,all,,2020-08-31,310,count,,",
                "2020-09-30,cla_count,all,,2020-09-30,312,count,,",
            ],
            "trajectory": ["2020-09-30,projected_cla_count,all,,2021-09-30,330,count,,"],
        },
    )
    october = run(
        tmp_path,
        "2020-10-31",
        {
            "headline": [
                "2020-10-31,cla_count,all,,2019-10-31,298,count,,",
                "2020-10-31,cla_count,all,,2020-10-31,318,count,,",
                "2020-10-31,cla_rate_per_10k,all,,2020-10-31,88.1,rate_per_10k,36090,",
            ],
            "legal": ["2020-10-31,legal_cases,planned,,2020-10-31,4,count,,"],
            "trend": [
                "2020-10-31,cla_count,all,,2020-08-31,311,count,,",
                "2020-10-31,cla_count,all,,2020-09-30,312,count,,",
                "2020-10-31,cla_count,all,,2020-10-31,318,count,,",
            ],
            "trajectory": ["2020-10-31,projected_cla_count,all,,2021-10-31,335,count,,"],
        },
    )
    return september, october


def test_month_on_month_matches_each_runs_as_at_figures_and_revisions_match_periods(
    months: tuple[Path, Path], tmp_path: Path
) -> None:
    september, october = months
    comparison = compare_runs(read_run(september), read_run(october))
    csv = tmp_path / "compare.csv"
    write_csv(comparison, csv)
    assert csv.read_text().splitlines() == [
        "comparison,table,measure,group,period_start_a,period_end_a,value_a,period_start_b,period_end_b,value_b,"
        "change,unit,status",
        # 318 - 312; 88.1 - 86.5 on exact tenths (1.6, not 1.5999...); legal.csv is new in October
        "month_on_month,headline,cla_count,all,,2020-09-30,312,,2020-10-31,318,6,count,changed",
        "month_on_month,headline,cla_rate_per_10k,all,,2020-09-30,86.5,,2020-10-31,88.1,1.6,rate_per_10k,changed",
        "month_on_month,legal,legal_cases,planned,,,,,2020-10-31,4,,count,only_in_b",
        # a year ahead of each as-at date: 335 - 330 (tables in name order: trajectory before trend)
        "month_on_month,trajectory,projected_cla_count,all,,2021-09-30,330,,2021-10-31,335,5,count,changed",
        "month_on_month,trend,cla_count,all,,2020-09-30,312,,2020-10-31,318,6,count,changed",
        # periods in both runs only: 31 July dropped out of October's window, 31 October is new
        "same_period,trend,cla_count,all,,2020-08-31,310,,2020-08-31,311,1,count,changed",
        "same_period,trend,cla_count,all,,2020-09-30,312,,2020-09-30,312,0,count,same",
    ]


def test_the_terminal_shows_the_changes_as_aligned_tables(months: tuple[Path, Path]) -> None:
    september, october = months
    comparison = compare_runs(read_run(september), read_run(october))
    assert render(comparison) == [
        f"a: {september} (as at 2020-09-30)",
        f"b: {october} (as at 2020-10-31)",
        "",
        "Month on month: each figure on its run's as-at date (5 changed, 0 unchanged)",
        "  table       measure              group    2020-09-30  2020-10-31  change",
        "  headline    cla_count            all             312         318      +6",
        "  headline    cla_rate_per_10k     all            86.5        88.1    +1.6",
        "  legal       legal_cases          planned           -           4",
        "  trajectory  projected_cla_count  all             330         335      +5",
        "  trend       cla_count            all             312         318      +6",
        "",
        "Revised: the same period in both runs (1 changed, 1 unchanged)",
        "  table  measure    group  period         2020-09-30  2020-10-31  change",
        "  trend  cla_count  all    on 2020-08-31         310         311      +1",
    ]
    assert (
        render(comparison, show_all=True)[-1]
        == "  trend  cla_count  all    on 2020-09-30         312         312       0"
    )
    assert summary(comparison, None) == (
        "lac-report: compared: 5 of 5 figures changed month on month, 1 earlier figures revised"
    )


def test_the_tables_order_puts_known_tables_first(months: tuple[Path, Path]) -> None:
    september, october = months
    comparison = compare_runs(read_run(september, ("trend", "headline")), read_run(october, ("trend", "headline")))
    assert comparison.rows["table"].to_list() == [
        *("trend", "headline", "headline", "legal", "trajectory"),  # month on month: known tables, then by name
        *("trend", "trend"),  # same period
    ]


@pytest.fixture
def revision(tmp_path: Path) -> tuple[Path, Path]:
    """October run twice: the second after extract corrections, as the public edition (3 -> c)."""
    first = run(
        tmp_path / "first",
        "2020-10-31",
        {
            "discharges": ["2020-10-31,care_orders_discharged,sgo,2019-11-01,2020-10-31,3,count,,"],
            "flows": ["2020-10-31,started,all,2019-11-01,2020-10-31,40,count,,"],
            "headline": [
                "2020-10-31,cla_count,all,,2019-10-31,298,count,,",
                "2020-10-31,cla_count,all,,2020-10-31,318,count,,",
                "2020-10-31,cla_rate_per_10k,all,,2020-10-31,88.1,rate_per_10k,36090,",
            ],
        },
    )
    second = run(
        tmp_path / "second",
        "2020-10-31",
        {
            "discharges": ["2020-10-31,care_orders_discharged,sgo,2019-11-01,2020-10-31,c,count,,"],
            "headline": [
                "2020-10-31,cla_count,all,,2019-10-31,298,count,,",
                "2020-10-31,cla_count,all,,2020-10-31,317,count,,",
                "2020-10-31,cla_rate_per_10k,all,,2020-10-31,87.8,rate_per_10k,36090,",
            ],
        },
    )
    return first, second


def test_a_rerun_of_the_same_month_compares_every_figure(revision: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = revision
    comparison = compare_runs(read_run(first), read_run(second))
    csv = tmp_path / "compare.csv"
    write_csv(comparison, csv)
    assert csv.read_text().splitlines()[1:] == [
        "same_period,discharges,care_orders_discharged,sgo,2019-11-01,2020-10-31,3,2019-11-01,2020-10-31,c,,count,"
        "changed",
        "same_period,flows,started,all,2019-11-01,2020-10-31,40,,,,,count,only_in_a",
        "same_period,headline,cla_count,all,,2019-10-31,298,,2019-10-31,298,0,count,same",
        "same_period,headline,cla_count,all,,2020-10-31,318,,2020-10-31,317,-1,count,changed",
        "same_period,headline,cla_rate_per_10k,all,,2020-10-31,88.1,,2020-10-31,87.8,-0.3,rate_per_10k,changed",
    ]
    assert render(comparison)[3:] == [
        "The same as-at date: every figure of both runs (4 changed, 1 unchanged)",
        "  table       measure                 group  period                       a     b  change",
        "  discharges  care_orders_discharged  sgo    2019-11-01 to 2020-10-31     3     c",
        "  flows       started                 all    2019-11-01 to 2020-10-31    40     -",
        "  headline    cla_count               all    on 2020-10-31              318   317      -1",
        "  headline    cla_rate_per_10k        all    on 2020-10-31             88.1  87.8    -0.3",
    ]
    assert summary(comparison, csv) == f"lac-report: compared: 4 of 5 figures differ; written to {csv}"


def test_a_repeated_key_is_matched_in_order_not_multiplied(tmp_path: Path) -> None:
    rows = "2020-10-31,warnings,RULE,,2020-10-31,{},count,,"
    a = run(tmp_path, "a", {"data_quality": [rows.format(1), rows.format(2)]})
    b = run(tmp_path, "b", {"data_quality": [rows.format(1), rows.format(3)]})
    comparison = compare_runs(read_run(a), read_run(b))
    assert comparison.rows.select("value_a", "value_b", "status").rows() == [("1", "1", "same"), ("2", "3", "changed")]


def test_change_is_exact_and_empty_unless_both_are_numbers() -> None:
    pairs = [
        ("86.5", "88.1", "1.6"),
        ("0.1", "0.3", "0.2"),
        ("88.1", "87.8", "-0.3"),
        ("-295", "-294", "1"),
        ("5", "5", "0"),
        ("0.3", "0.3", "0.0"),
        ("1", "1.5", "0.5"),
        ("3", "c", None),
        ("", "4", None),
        (None, "4", None),
    ]
    frame = pl.DataFrame(
        {"value_a": [a for a, _, _ in pairs], "value_b": [b for _, b, _ in pairs]},
        schema={"value_a": pl.String, "value_b": pl.String},
    )
    assert frame.select(change().alias("change"))["change"].to_list() == [expected for _, _, expected in pairs]


def test_a_folder_without_tables_is_not_a_run(tmp_path: Path) -> None:
    with pytest.raises(NotARunFolder, match="has no tables/\\*.csv"):
        read_run(tmp_path)


def test_a_csv_that_is_not_a_table_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "notes.csv").write_text("as_at,measure,value\n2020-10-31,x,1\n")
    with pytest.raises(NotARunFolder, match="notes.csv is not a lac-report table: it has no column group, period_st"):
        read_run(folder)


def test_tables_that_disagree_on_the_as_at_date_are_refused(tmp_path: Path) -> None:
    folder = run(
        tmp_path, "mixed", {"a": ["2020-10-31,m,all,,2020-10-31,1,count,,"], "b": ["2020-09-30,m,all,,x,1,,,"]}
    )
    with pytest.raises(NotARunFolder, match=r"do not agree on one as-at date \(2020-09-30, 2020-10-31\)"):
        read_run(folder)
