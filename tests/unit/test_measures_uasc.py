"""Children looked after excluding unaccompanied asylum-seeking children (UASC), on hand-built extracts.

Four children: A (UASC, DUC empty), B (UASC until 15/10/2020, DUC that day), C (not UASC), all looked
after from 01/06/2019 and still on 31/10/2020; D is UASC but never looked after. On day X a child is
UASC when uasc.csv lists the child and DUC is empty or after X.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipeline.care.uasc import uasc_on
from pipeline.core.problems import InvalidInput
from pipeline.measures.headline import cla_count_excluding_uasc
from pipeline.measures.ids import Headline, Trend
from pipeline.measures.tables import build_tables
from pipeline.measures.trend import trend_cla_count_excluding_uasc
from pipeline.report.suppression import suppressed_figures
from tests.builders import child, council, episode, load, write_csv, write_extract
from tests.unit.test_suppression import headline

D = dt.date
UASC_COLUMNS = ("CHILD", "SEX", "DOB", "DUC")
UASC_ROWS = [("A", "1", "01/01/2004", ""), ("B", "1", "15/10/2002", "15/10/2020"), ("D", "1", "01/01/2005", "")]


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    children = [child(c) for c in ("A", "B", "C")]
    folder = write_extract(tmp_path / "extract", children, [episode(c, "01/06/2019") for c in ("A", "B", "C")])
    write_csv(folder / "uasc.csv", UASC_COLUMNS, UASC_ROWS)
    return folder


def test_uasc_on_a_day_ends_on_duc(extract: Path) -> None:
    uasc = load(extract).uasc
    assert uasc is not None
    days = [D(2020, 10, 14), D(2020, 10, 15), D(2020, 10, 16)]
    on = uasc_on(uasc, days)
    # B's status ceased on 15/10/2020: UASC on the 14th, not on the 15th (DUC must be after the day)
    assert on.rows() == [
        (D(2020, 10, 14), "A"), (D(2020, 10, 14), "B"), (D(2020, 10, 14), "D"),
        (D(2020, 10, 15), "A"), (D(2020, 10, 15), "D"),
        (D(2020, 10, 16), "A"), (D(2020, 10, 16), "D"),
    ]  # fmt: skip


def test_cla_count_excluding_uasc_on_d_and_a_year_before(extract: Path) -> None:
    extracts = load(extract)
    assert extracts.uasc is not None
    counts = cla_count_excluding_uasc(extracts.episodes, extracts.uasc, D(2020, 10, 31))
    # 31/10/2019: A, B, C looked after; A and B UASC: 1. 31/10/2020: B no longer UASC: B and C, 2.
    assert counts.select("measure", "group", "period_end", "value").rows() == [
        ("cla_count_excluding_uasc", "all", D(2019, 10, 31), 1.0),
        ("cla_count_excluding_uasc", "all", D(2020, 10, 31), 2.0),
    ]


def test_trend_excluding_uasc_and_zero_before_care(extract: Path) -> None:
    extracts = load(extract)
    assert extracts.uasc is not None
    days = [D(2019, 5, 31), D(2020, 9, 30), D(2020, 10, 31)]
    counts = trend_cla_count_excluding_uasc(extracts.episodes, extracts.uasc, days)
    # before 01/06/2019 nobody was looked after: 0, not missing; on 30/09/2020 B was still UASC
    assert counts.select("period_end", "value").rows() == [(days[0], 0.0), (days[1], 1.0), (days[2], 2.0)]


def test_the_tables_have_the_figure_only_with_the_uasc_table(extract: Path) -> None:
    tables = build_tables(load(extract), council(), D(2020, 10, 31))
    assert tables.value(Headline.CLA_COUNT_EXCLUDING_UASC, period_end=D(2020, 10, 31)) == 2
    assert tables.value(Trend.CLA_COUNT_EXCLUDING_UASC, period_end=D(2020, 10, 31)) == 2
    (extract / "uasc.csv").unlink()
    without = build_tables(load(extract), council(), D(2020, 10, 31))
    for name in ("headline", "trend"):
        assert without[name].filter(pl.col("measure") == "cla_count_excluding_uasc").is_empty()


def test_a_uasc_file_of_another_layout_is_refused_not_misread(extract: Path) -> None:
    """CHILD,UASC (a flag per child) is not the SSDA903 UASC table: read as one, every child listed
    would be an asylum seeker for ever. DUC must be a column."""
    write_csv(extract / "uasc.csv", ("CHILD", "UASC"), [("A", "1"), ("C", "0")])
    with pytest.raises(InvalidInput) as raised:
        load(extract)
    assert [str(p) for p in raised.value.problems] == [
        "uasc.csv:1: DUC: a required column is missing from the header [COLUMN_MISSING]"
    ]


def test_a_future_duc_is_allowed(extract: Path) -> None:
    """DUC is often the 18th birthday, which may lie ahead: not a keying mistake."""
    write_csv(extract / "uasc.csv", UASC_COLUMNS, [("A", "1", "01/01/2010", "01/01/2028")])
    uasc = load(extract).uasc
    assert uasc is not None and uasc["DUC"].to_list() == [D(2028, 1, 1)]


def with_excluding(count_on_day: int, excluding: int) -> pl.DataFrame:
    frame = headline(count_on_day)
    row = frame.filter(pl.col("measure") == "cla_count").with_columns(
        pl.lit("cla_count_excluding_uasc").alias("measure"), pl.lit(float(excluding)).alias("value")
    )
    return pl.concat([frame, row])


@pytest.mark.parametrize(
    ("count_on_day", "excluding", "hidden"),
    [
        (339, 337, True),  # 339 - 337 = 2 UASC looked after: the two figures shown would reveal them
        (339, 335, True),  # 4 UASC: still below the threshold of 5
        (339, 334, False),  # 5 UASC: not a small number
        (339, 339, False),  # no UASC: nothing to reveal (zero describes no child)
        (3, 3, True),  # a small count: hidden itself, as the children looked after are
    ],
)
def test_the_public_edition_hides_a_count_that_reveals_a_few_uasc(
    count_on_day: int, excluding: int, hidden: bool
) -> None:
    figures = suppressed_figures({"headline": with_excluding(count_on_day, excluding)}, 5, D(2020, 10, 31))
    assert ("cla_count_excluding_uasc" in figures["measure"].to_list()) is hidden
