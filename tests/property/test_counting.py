"""Property-based tests of the fast paths of reading and the periods of care (hypothesis), each
against a plain reading written out here the slow, obvious way.

- The records of a CSV file and their field counts, and its stray quotes, are counted by Polars
  over the file's lines (``pipeline.read.csvfile``); here, by walking the bytes one at a time.
- The periods of care are read off the episodes in order, from each period's first and last rows
  (``pipeline.care.periods``); here, by grouping the episodes by period.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.care.episodes import episodes_in_order, starts_new_period
from pipeline.care.groups import route
from pipeline.care.periods import periods_of_care
from pipeline.core import codes
from pipeline.read import csvfile
from pipeline.read.schema import HEADER

SETTINGS = settings(max_examples=300, deadline=None, database=None, derandomize=True)
OPENS_AFTER = b',\n\r"'  # what may come before a quote that opens a value (or nothing: the file's start)
CLOSES_BEFORE = b',\n\r"'  # what may come after a quote that closes a value (or nothing: the file's end)


def walked(data: bytes) -> tuple[list[int], list[tuple[int, int]], set[int]]:
    """Walking the bytes as RFC 4180 reads them: the lines of the quote problems (every stray
    quote, or else the last quote when one is never closed); then (line, fields) of each record,
    and the lines of the records holding nothing but spaces."""
    stray, quotes, last, line = set(), 0, 0, 1
    for i, byte in enumerate(data):
        if byte == ord('"'):
            before, after = data[i - 1 : i] or b",", data[i + 1 : i + 2] or b","
            if (quotes % 2 == 0 and before not in OPENS_AFTER) or (quotes % 2 == 1 and after not in CLOSES_BEFORE):
                stray.add(line)
            quotes, last = quotes + 1, line
        elif byte == ord("\n"):
            line += 1
    if stray or quotes % 2:
        return sorted(stray) or [last], [], set()
    records: list[tuple[int, int]] = []
    blank: set[int] = set()
    start = line = 1
    inside, commas, text = False, 0, bytearray()

    def end_record() -> None:
        records.append((start, commas + 1))
        if commas == 0 and not bytes(text).strip():
            blank.add(start)

    for byte in data:
        if byte == ord("\n") and not inside:
            end_record()
            line += 1
            start, commas, text = line, 0, bytearray()
            continue
        if byte == ord("\n"):
            line += 1
        elif byte == ord('"'):
            inside = not inside
        elif byte == ord(",") and not inside:
            commas += 1
        text.append(byte)
    if not data.endswith(b"\n"):  # the last record, with no line break after it
        end_record()
    return [], records, blank


PIECES = st.sampled_from(["a", " ", ",", '"', '""', "\n", "\r", "\r\n", "é"])  # to spoil a file with
QUOTED = st.lists(st.sampled_from(["a", ",", "\n", '""', " ", "\r\n"]), max_size=4).map(lambda xs: f'"{"".join(xs)}"')
FIELD = st.sampled_from(["", "a", "bc", " ", "é", "\t"]) | QUOTED
ROWS = st.lists(st.lists(FIELD, min_size=1, max_size=4).map(",".join), min_size=1, max_size=8)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV file of records with quoted values holding commas, quotes and line breaks, LF or CRLF,
    sometimes spoilt by a stray piece somewhere."""
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    text = eol.join(draw(ROWS)) + draw(st.sampled_from(["", eol]))
    for piece in draw(st.lists(PIECES, max_size=2)):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + piece + text[at:]
    return text.encode()


@given(csv_files())
@SETTINGS
def test_records_fields_and_stray_quotes_are_what_walking_the_bytes_finds(data: bytes) -> None:
    if not data.strip() or b"\n" not in data:
        return  # read_raw stops at an empty file first, and reads a file without LF by its CRs
    lines = csvfile._lines(data)
    problems = csvfile._stray_quotes(lines, HEADER) if "_quotes" in lines.columns else []
    quoting, records, blank = walked(data)
    assert [p.line for p in problems] == quoting
    if quoting:
        return
    found = csvfile._records(lines, data)
    assert list(found.counts.iter_rows()) == records
    assert set(found.blank.to_list()) == blank


DAY = dt.date(2015, 1, 1)
EPISODE = st.tuples(
    st.sampled_from(["A", "B", "C"]),
    st.integers(0, 40),
    st.integers(0, 10) | st.none(),
    st.sampled_from(["S", "L", "P"]),
    st.sampled_from(["X1", "E11", "E4A", None]),
    st.sampled_from(["C2", "V3", "V4", None]),
)


def grouped(episodes: pl.DataFrame) -> pl.DataFrame:
    """The periods of care by grouping the episodes in order by period, then sorting."""
    ordered = episodes_in_order(episodes).with_columns(starts_new_period().cast(pl.Int64).cum_sum().alias("period"))
    periods = ordered.group_by("period").agg(
        pl.col("CHILD").first(),
        pl.col("DECOM").first().alias("period_start"),
        pl.col("DEC").last().alias("period_end"),
        pl.col("REC").last().alias("rec"),
        pl.col("LS").last().alias("final_ls"),
        pl.col("LS").is_in(codes.SHORT_BREAK_LS).all().alias("_short_breaks_only"),
    )
    return (
        periods.filter(~pl.col("_short_breaks_only"))
        .drop("_short_breaks_only")
        .with_columns(route().alias("route"))
        .sort("CHILD", "period")
    )


@given(st.lists(EPISODE, max_size=30))
@settings(
    max_examples=200, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
def test_the_periods_of_care_are_what_grouping_the_episodes_by_period_gives(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    episodes = pl.DataFrame(
        [
            (line, child, DAY + dt.timedelta(start), None if length is None else DAY + dt.timedelta(start + length))
            + (rne, rec, ls)
            for line, (child, start, length, rne, rec, ls) in enumerate(rows, start=2)
        ],
        schema={"_line": pl.Int64, "CHILD": pl.String, "DECOM": pl.Date, "DEC": pl.Date}
        | {"RNE": pl.Categorical(), "REC": pl.Categorical(), "LS": pl.Categorical()},
        orient="row",
    )
    assert periods_of_care(episodes).equals(grouped(episodes))
