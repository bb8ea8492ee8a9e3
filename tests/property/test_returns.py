"""Properties of stitching annual returns, against histories generated at random.

- Cutting a history into returns exactly as a return is built, in any layout per year (year
  folder, ``2019-header.csv``, ``header_2019.csv``, one-line or pretty XML), with no current
  extract, a year-to-date one or a full-history one, and stitching them gives the history back as
  the extract's day sees it, with no warning and nothing marked by the stitch.
- Corrupting the newer sources as real returns are corrupted (a child left out, the DECOM of the
  episode crossing 1 April moved, an episode deleted, a placement changed) never makes two of a
  child's episodes overlap, leaves open only the newest source's episodes, and keeps the newest
  source the truth for its window.

``RETURNS_EXAMPLES`` raises the number of examples (the prototype passed 3,000 under seven seeds).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.dates import collection_year_end, collection_year_start
from pipeline.read.csvfile import LINE
from pipeline.read.parse import parse_date
from pipeline.read.returns.stitch import Read, stitch
from pipeline.read.returns.tables import FILE, STITCH
from tests.returns import EPISODE_COLUMNS, D, Row, ep, header, loaded, returns_of, write_csv_return, xml_text

RETURNS_SETTINGS = settings(
    max_examples=int(os.environ.get("RETURNS_EXAMPLES", "120")),
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
PLACES = ("U1", "U4", "R1", "K2", "P1", "A3")
LEAVING = ("E13", "E4A", "E11", "E45", "E8")
EPOCH = D(2014, 1, 1)
History = list[dict[str, object]]


@st.composite
def histories(draw: st.DrawFn) -> History:
    """Every episode of 1 to 3 children: chains joined by X1 (same day, another placement), gaps
    between periods, zero-length episodes allowed, the last episode open or closed."""
    episodes: History = []
    for number in range(draw(st.integers(1, 3))):
        child = f"{number:04d}"  # leading zeros: identifiers are text
        day = EPOCH + dt.timedelta(days=draw(st.integers(0, 8 * 365)))
        place, rne = "", "S"
        count = draw(st.integers(1, 6))
        for i in range(count):
            place = draw(st.sampled_from([p for p in PLACES if p != place]))
            length = draw(st.integers(0, 500))
            last = i == count - 1
            end = None if last and draw(st.booleans()) else day + dt.timedelta(days=length)
            chained = not last and draw(st.booleans())
            rec = None if end is None else ("X1" if chained else draw(st.sampled_from(LEAVING)))
            episodes.append({"CHILD": child, "DECOM": day, "DEC": end, "REC": rec, "RNE": rne, "PLACE": place})
            if end is None or last:
                break
            day, rne = (end, "P") if chained else (end + dt.timedelta(days=draw(st.integers(1, 400))), "S")
    return episodes


def cut(history: History, start: dt.date, end: dt.date) -> History:
    """The episodes a return for [start, end] holds: open at any time in it, DEC/REC empty if open at end."""
    held = []
    for e in history:
        dec = e["DEC"]
        assert isinstance(e["DECOM"], dt.date) and (dec is None or isinstance(dec, dt.date))
        if e["DECOM"] <= end and (dec is None or dec >= start):
            still_open = dec is None or dec > end
            held.append({**e, "DEC": None if still_open else dec, "REC": None if still_open else e["REC"]})
    return held


def as_text(e: dict[str, object]) -> Row:
    def day(value: object) -> str | None:
        return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else None

    rec, rne, place = (str(e[k]) if e[k] is not None else None for k in ("REC", "RNE", "PLACE"))
    return ep(str(e["CHILD"]), day(e["DECOM"]) or "", day(e["DEC"]), rec, rne=rne or "S", place=place or "U1")


LAYOUTS = ("folder", "dash", "underscore", "xml", "xml_pretty")


def write_source(folder: Path, year: int | None, episodes: History, layout: str, ethnic: str) -> None:
    texts = [as_text(e) for e in episodes]
    headers = [header(c, ethnic) for c in dict.fromkeys(str(e["CHILD"]) for e in episodes)]
    if year is None:
        write_csv_return(folder / "current", headers, texts)
    elif layout == "folder":
        write_csv_return(folder / str(year), headers, texts)
    elif layout in ("dash", "underscore"):
        dash = (f"{year}-header.csv", f"{year}-episodes.csv")
        underscore = (f"header_{year}.csv", f"episodes_{year}.csv")
        write_csv_return(folder, headers, texts, names=dash if layout == "dash" else underscore)
    else:
        (folder / f"return_{year}.xml").write_text(xml_text(headers, texts, pretty=layout == "xml_pretty"))


def iso(text: str | None) -> str:
    return dt.datetime.strptime(text, "%d/%m/%Y").date().isoformat() if text else ""


@RETURNS_SETTINGS
@given(
    history=histories(),
    first=st.integers(2016, 2021),
    layouts=st.lists(st.sampled_from(LAYOUTS), min_size=6, max_size=6),
    current=st.sampled_from(["none", "year_to_date", "full_history"]),
    taken_offset=st.integers(0, 364),
)
def test_stitching_annual_cuts_gives_back_the_history(
    history: History, first: int, layouts: list[str], current: str, taken_offset: int
) -> None:
    """Returns for ``first``..2021 and (maybe) an extract taken in 2021-22, cut from one history the way
    they are built, stitched: the history as the extract's day sees it, every header from the newest."""
    taken = D(2021, 4, 1) + dt.timedelta(days=taken_offset) if current != "none" else D(2021, 3, 31)
    seen_until = taken if current != "none" else collection_year_end(2021)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        newest: dict[str, str] = {}
        for i, year in enumerate(range(first, 2022)):
            held = cut(history, collection_year_start(year), collection_year_end(year))
            for e in held:
                newest[str(e["CHILD"])] = f"E{i}"  # ETHNIC says which source a header row came from
            write_source(folder, year, held, layouts[i], f"E{i}")  # a year without children: an empty return
        if current != "none":
            since = EPOCH if current == "full_history" else D(2021, 4, 1)
            held = cut(history, since, taken)
            for e in held:
                newest[str(e["CHILD"])] = "CUR"
            write_source(folder, None, held, "folder", "CUR")
        returns = returns_of(folder, taken=taken)
    start = EPOCH if current == "full_history" else collection_year_start(first)
    expected = []
    for e in history:
        dec = e["DEC"]
        assert isinstance(e["DECOM"], dt.date) and (dec is None or isinstance(dec, dt.date))
        if e["DECOM"] <= seen_until and (dec is None or dec >= start):
            ended = dec is not None and dec <= seen_until
            expected.append((e["CHILD"], e["DECOM"].isoformat(), dec.isoformat() if ended and dec else "",
                             e["REC"] if ended else "", e["RNE"], e["PLACE"]))  # fmt: skip
    episodes = returns.raws["episodes"].frame
    got = [
        (c, iso(d0), iso(d1), rec or "", rne, place)
        for c, d0, d1, rec, rne, place in episodes.select("CHILD", "DECOM", "DEC", "REC", "RNE", "PLACE").rows()
    ]
    assert sorted(got) == sorted(expected)  # type: ignore[type-var]
    assert returns.closed.is_empty()
    assert dict(returns.raws["header"].frame.select("CHILD", "ETHNIC").rows()) == newest
    counted = [
        (c.counts.dropped, c.counts.closed, c.counts.trimmed, c.counts.rejoined) for c in returns.provenance.sources
    ]
    assert set(counted) <= {(0, 0, 0, 0)}


CORRUPTIONS = ("none", "drop_child", "shift_reach", "delete_one", "other_place")


@st.composite
def corrupted_sources(draw: st.DrawFn) -> tuple[list[Read], dt.date]:
    """Returns and a current extract cut from one history, then corrected or broken as real returns
    are. Each source stays valid on its own (no overlaps within it)."""
    history = draw(histories())
    first = draw(st.integers(2016, 2021))
    taken = D(2021, 4, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
    sources = []
    for year in [*range(first, 2022), 2022]:
        start, end = collection_year_start(year), (taken if year == 2022 else collection_year_end(year))
        held = cut(history, start, end)
        for child in sorted({str(e["CHILD"]) for e in held}):
            mine = [e for e in held if e["CHILD"] == child]
            what = draw(st.sampled_from(CORRUPTIONS)) if year > first else "none"
            crossing = [e for e in mine if isinstance(e["DECOM"], dt.date) and e["DECOM"] < start]
            if what == "drop_child":
                held = [e for e in held if e["CHILD"] != child]
            elif what == "delete_one":
                gone = draw(st.sampled_from(mine))
                held = [e for e in held if e is not gone]
            elif what in ("shift_reach", "other_place") and crossing:
                e = crossing[0]
                if what == "other_place":
                    changed = {**e, "PLACE": draw(st.sampled_from([p for p in PLACES if p != e["PLACE"]]))}
                else:
                    dec, decom = e["DEC"], e["DECOM"]
                    assert isinstance(decom, dt.date)
                    latest = min(start - dt.timedelta(days=1), dec if isinstance(dec, dt.date) else start)
                    moved = decom + dt.timedelta(days=draw(st.integers(-40, 40)))
                    changed = {**e, "DECOM": min(moved, latest)}
                held = [changed if x is e else x for x in held]
        headers = [header(c) for c in dict.fromkeys(str(e["CHILD"]) for e in held)]
        sources.append(loaded(year, headers, [as_text(e) for e in held], current=year == 2022))
    return sources, taken


@RETURNS_SETTINGS
@given(case=corrupted_sources())
def test_stitching_corrected_returns_never_overlaps(case: tuple[list[Read], dt.date]) -> None:
    """Whatever the newer sources corrected: no two episodes of a child overlap, only the newest source's
    episodes are left open, and the newest source is the truth for its window (every episode it holds
    is there as it says, and nothing else is open in its window but what the stitch closed on its
    first day). Every disagreement is a warning, never an error."""
    sources, taken = case
    stitched = stitch(sources, taken=taken)
    far = D(9999, 12, 31)
    spans = (
        stitched.tables["episodes"]
        .with_columns(parse_date(pl.col("DECOM")).alias("d0"), parse_date(pl.col("DEC")).alias("d1"))
        .sort("CHILD", "d0", pl.col("d1").fill_null(far))
    )
    explain = "\n".join(
        [f"taken {taken}"]
        + [
            f"{s.source.label}: {s.tables['episodes'].select('CHILD', 'DECOM', 'DEC', 'REC', 'PLACE').rows()}"
            for s in sources
        ]
        + [f"stitched: {spans.select(FILE, 'CHILD', 'DECOM', 'DEC', 'REC', STITCH).rows()}"]
    )
    overlapping = spans.filter(
        (pl.col("CHILD") == pl.col("CHILD").shift(-1))
        & (pl.col("d1").fill_null(far) > pl.col("d0").shift(-1))
        & (pl.col("d0").shift(-1) < pl.col("d1").shift(-1).fill_null(far))  # the next one is not zero-length
    )
    assert overlapping.is_empty(), explain
    assert set(spans.filter(pl.col("d1").is_null())[FILE]) <= {"episodes.csv"}, explain
    newest = sources[-1].tables["episodes"]
    columns = [FILE, LINE, *EPISODE_COLUMNS]
    theirs = stitched.tables["episodes"].filter(pl.col(FILE) == "episodes.csv").select(columns).sort(LINE)
    assert newest.select(columns).sort(LINE).equals(theirs), explain
    start = collection_year_start(2022)
    in_window = spans.filter((pl.col("d0") <= taken) & (pl.col("d1").is_null() | (pl.col("d1") >= start)))
    others = in_window.filter(pl.col(FILE) != "episodes.csv")
    assert others.filter(~((pl.col(STITCH) == "closed") & (pl.col("d1") == start))).is_empty(), explain
    assert all(p.severity.value == "warning" for p in stitched.problems)
