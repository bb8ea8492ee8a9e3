"""Property-based tests over generated extracts (hypothesis).

Any valid history of episodes, however its periods of care, X1 chains, gaps, short breaks and
placements fall, gives tables where counts are never negative, the placement groups add up to
the total, the looked-after count on a day is the number of episodes open that day, and
nothing depends on the order of the rows in the files.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.checks.validate import load_extracts
from pipeline.core.dates import trend_days
from pipeline.measures.tables import Tables, build_tables
from pipeline.read.mapping import Mapping
from pipeline.run.tablefiles import csv_frame
from tests.builders import EPISODE_COLUMNS, HEADER_COLUMNS, TODAY, council, write_csv

LEGAL_STATUSES = ("C1", "C2", "E1", "J1", "L1", "V2", "V3", "V4")
PLACES = ("U1", "U3", "U4", "U6", "K2", "R1", "P1", "A4", "H5", "S1", "T0", "Z1")
PROVIDERS = ("PR0", "PR1", "PR2", "PR4", "PR5", "")
ENDINGS = ("E11", "E41", "E45", "E47", "E4A", "E4B", "E13", "E5", "E6", "E3", "E8", "E9")
CONTINUATIONS = ("L", "P", "T", "U", "B")
DIFFERENCES = ("comparator_gap", "net_flow_per_month")  # counts that measures.md defines as a difference
PROPERTY_SETTINGS = settings(
    max_examples=20, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@dataclass(frozen=True)
class Episode:
    child: str
    decom: dt.date
    rne: str
    ls: str
    place: str
    provider: str
    dec: dt.date | None
    rec: str

    def row(self) -> tuple[str, ...]:
        dec = self.dec.strftime("%d/%m/%Y") if self.dec else ""
        return (
            self.child,
            self.decom.strftime("%d/%m/%Y"),
            self.rne,
            self.ls,
            self.place,
            self.provider,
            dec,
            self.rec,
        )

    def open_on(self, day: dt.date) -> bool:
        """Counted as looked after on ``day``: not a short break, started, and not ended by then."""
        return self.ls not in ("V3", "V4") and self.decom <= day and (self.dec is None or self.dec > day)


@st.composite
def child_history(draw: st.DrawFn, child: str) -> tuple[tuple[str, ...], list[Episode]]:
    """A child born 2007-2015 with one to three periods of care of one to three episodes each.

    Episodes of a period are chained by X1 on the same day; periods are apart by at least a day;
    only the child's last episode may be open. Every date is before the child's 18th birthday
    and before the tests' today, so the extract is valid (warnings aside).
    """
    dob = draw(st.dates(dt.date(2007, 1, 1), dt.date(2015, 12, 31)))
    day = draw(st.dates(max(dob, dt.date(2014, 1, 1)), dt.date(2018, 12, 31)))
    periods = draw(st.integers(1, 3))
    episodes: list[Episode] = []
    for period in range(periods):
        count = draw(st.integers(1, 3))
        for number in range(count):
            last = number == count - 1
            still_open = last and period == periods - 1 and draw(st.booleans())
            end = None if still_open else day + dt.timedelta(days=draw(st.integers(0, 200)))
            episodes.append(
                Episode(
                    child,
                    day,
                    "S" if number == 0 else draw(st.sampled_from(CONTINUATIONS)),
                    draw(st.sampled_from(LEGAL_STATUSES)),
                    draw(st.sampled_from(PLACES)),
                    draw(st.sampled_from(PROVIDERS)),
                    end,
                    "" if end is None else ("X1" if not last else draw(st.sampled_from(ENDINGS))),
                )
            )
            day = end or day
        day += dt.timedelta(days=draw(st.integers(1, 120)))
    sex = draw(st.sampled_from(("1", "2", "M", "F")))
    return (child, sex, dob.strftime("%d/%m/%Y")), episodes


@st.composite
def extracts(draw: st.DrawFn) -> tuple[list[tuple[str, ...]], list[Episode]]:
    children = [draw(child_history(f"C{i:04d}")) for i in range(draw(st.integers(1, 8)))]
    return [header for header, _ in children], [e for _, episodes in children for e in episodes]


def tables_of(header: list[tuple[str, ...]], episodes: list[Episode], as_at: dt.date) -> Tables:
    with tempfile.TemporaryDirectory() as folder:
        write_csv(Path(folder) / "header.csv", HEADER_COLUMNS, header)
        write_csv(Path(folder) / "episodes.csv", EPISODE_COLUMNS, [e.row() for e in episodes])
        loaded = load_extracts(Path(folder), Mapping(), encoding="utf-8", today=TODAY)
    return build_tables(loaded, council(), as_at)


AS_AT = st.dates(dt.date(2018, 1, 31), dt.date(2024, 12, 31))


@PROPERTY_SETTINGS
@given(extract=extracts(), as_at=AS_AT)
def test_counts_are_never_negative_and_placement_groups_add_up(
    extract: tuple[list[tuple[str, ...]], list[Episode]], as_at: dt.date
) -> None:
    tables = tables_of(*extract, as_at)
    for name, frame in tables.frames.items():
        counts = frame.filter(pl.col("unit") == "count", ~pl.col("measure").is_in(DIFFERENCES))
        assert counts.filter(pl.col("value") < 0).is_empty(), name
    cla = tables["trend"].filter(pl.col("measure") == "cla_count")
    totals = cla.filter(pl.col("group") == "all").select("period_end", pl.col("value").alias("total"))
    groups = cla.filter(pl.col("group") != "all").group_by("period_end").agg(pl.col("value").sum().alias("sum"))
    joined = totals.join(groups, on="period_end", how="full", coalesce=True)
    assert joined.height == len(trend_days(as_at))
    assert (joined["total"] == joined["sum"]).all()
    ceased = tables["flows"].filter(pl.col("measure") == "ceased")
    assert (
        ceased.filter(pl.col("group") == "all")["value"].sum() == ceased.filter(pl.col("group") != "all")["value"].sum()
    )


@PROPERTY_SETTINGS
@given(extract=extracts(), as_at=AS_AT)
def test_the_looked_after_count_on_a_day_is_the_number_of_open_episodes(
    extract: tuple[list[tuple[str, ...]], list[Episode]], as_at: dt.date
) -> None:
    header, episodes = extract
    tables = tables_of(header, episodes, as_at)
    headline = tables["headline"].filter(pl.col("measure") == "cla_count", pl.col("period_end") == as_at)
    assert headline["value"].to_list() == [sum(e.open_on(as_at) for e in episodes)]
    trend = tables["trend"].filter(pl.col("measure") == "cla_count", pl.col("group") == "all").sort("period_end")
    assert trend["value"].to_list() == [sum(e.open_on(day) for e in episodes) for day in trend_days(as_at)]


@PROPERTY_SETTINGS
@given(extract=extracts(), as_at=AS_AT, seed=st.integers(0, 2**32 - 1))
def test_the_tables_do_not_depend_on_the_order_of_the_rows(
    extract: tuple[list[tuple[str, ...]], list[Episode]], as_at: dt.date, seed: int
) -> None:
    header, episodes = extract
    shuffle = random.Random(seed)
    shuffled_header, shuffled_episodes = list(header), list(episodes)
    shuffle.shuffle(shuffled_header)
    shuffle.shuffle(shuffled_episodes)
    first, second = tables_of(header, episodes, as_at), tables_of(shuffled_header, shuffled_episodes, as_at)
    assert first.frames.keys() == second.frames.keys()
    for name in first.frames:
        written = csv_frame(first[name], as_at).write_csv()
        assert csv_frame(second[name], as_at).write_csv() == written, name
