"""Annual returns stitched into one history: each source is the truth for its own window, newer over older.

A council may start from its annual SSDA903 returns (CSV or the DfE's XML) and a year-to-date
extract rather than one extract of the full history ([starting from your 903 returns](starting-from-903-returns.md)).
A return's window is its collection year, 1 April to 31 March; the current extract's runs from 1 April
of the year in progress to the day it was taken. A return holds every episode open at any time in
its window, with DEC and REC empty for an episode still open on 31 March.

The sources are applied oldest first, child by child. A newer source's *reach* is the child's
episode that began before its window and is still open in it, starting on day A: the care carried
across 1 April. Each older episode meets the first of these cases that holds (the warning rule
that says so in brackets):

- **Closed later**: the newer source holds the same episode (the same CHILD and DECOM), with DEC
  and REC filled in: the newer's version replaces the older one (STITCH_CORRECTED if it differs
  in a code as well, or in a DEC the older had filled in).
- **Corrected DECOM**: the older episode is open on the window's first day and the reach has its
  LS and PLACE but another DECOM: it is the same episode, and the newer's start is used, not a
  second episode overlapping it. An X1 episode that ended on the old DECOM ends on A instead,
  moved later (rejoined) or cut short (trimmed), so there is neither a gap nor an overlap
  (STITCH_CORRECTED).
- **Deleted in the newer return**: an older episode open on the window's first day, or ending in
  the window after A, that starts on or after A and is not in the newer source: it is left out
  (STITCH_CORRECTED).
- **Continued in a different episode**: open on the window's first day while the reach is another
  episode (other LS or PLACE): the older one ends on A, REC X1, or REC empty when the reach
  starts a new period, RNE S (STITCH_CONTINUED_ELSEWHERE).
- **Child absent from the newer return**: open at the end of the older source's window, and the
  newer source, which holds every child looked after in its window, has no episode of the child
  open on its first day: the episode ends on that day, 1 April, with REC empty. The child was
  looked after on 31 March, as the older source says, and not from 1 April, as the newer says.
  The reason is not known, so the cessation counts under the route `other` (STITCH_CHILD_ABSENT).
- Otherwise the older episode is kept as it is. The newer source's episodes open in its window
  are then added.

A return's episodes not open in its own year are left out (STITCH_OUTSIDE_YEAR: is the year in
its name right?). A current extract's episodes before its window (a full history) fill only days
before the oldest return, where they overlap no other source's. Rows with no CHILD, or a DECOM or
DEC that is not a date, are passed on untouched, for the typed parser to report at their own file
and line. A child's header row, and UASC row, come from the newest source that has the child. What
each source gave (the files, rows read, episodes kept, replaced, dropped, closed, trimmed,
rejoined) is in run.log, manifest.json and the report's appendix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from pipeline.core.dates import DMY_FORMAT
from pipeline.core.problems import Problem
from pipeline.read.csvfile import LINE
from pipeline.read.parse import clean_code, clean_text, parse_date
from pipeline.read.returns import corrections
from pipeline.read.returns.layout import Source
from pipeline.read.returns.provenance import Counts
from pipeline.read.returns.tables import FILE, LOCATION, STITCH

_REMOVED = ("replaced", "dropped")
_CHANGED = ("closed", "closed_reach", "trimmed", "rejoined")
_FAR = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Read:
    """A source read: its text frames by table (``_file``, ``_line``, ``_location``, the contract's columns)."""

    source: Source
    tables: dict[str, pl.DataFrame]


@dataclass(frozen=True)
class Stitched:
    """The history: header, episodes and (when a source had it) UASC as text frames, with each
    source's counts (in the order of ``sources``) and the warnings about what the stitch decided."""

    tables: dict[str, pl.DataFrame]
    counts: tuple[Counts, ...]
    problems: tuple[Problem, ...]


def stitch(sources: Sequence[Read], *, taken: dt.date) -> Stitched:
    """The sources (oldest first, the current extract last) as one extract; see the module's account."""
    windows = [s.source.window(taken) for s in sources]
    counts = [Counts() for _ in sources]
    problems: list[Problem] = []
    frames = [_prepared(s.tables["episodes"], i) for i, s in enumerate(sources)]
    result, history = frames[0].clear(), frames[0].clear()
    for i, (frame, (start, end)) in enumerate(zip(frames, windows, strict=True)):
        placed = frame.filter(pl.col("_placed"))
        counts[i].unplaced = frame.height - placed.height
        inside = placed.filter(_open_between(start, end))
        outside = placed.filter(~_open_between(start, end))
        counts[i].outside_window = outside.height
        if sources[i].source.current:
            history = outside
        elif outside.height:
            problems.append(corrections.outside_window(sources[i].source, outside, start, end))
        work = _applied(result, inside, start)
        problems += corrections.problems(work, inside, sources[i].source, start)
        for src, action, n in _actions(work).iter_rows():
            counts[src].add(action, n)
        result = pl.concat([_changed(work).select(result.columns), inside], how="vertical_relaxed")
    result, counts[-1].history_kept = _with_history(result, history, windows, sources)
    unplaced = [f.filter(~pl.col("_placed")) for f in frames]
    episodes = pl.concat([result, *unplaced], how="vertical_relaxed").sort(
        ["_child", "_d0", "_src", "_row"], nulls_last=True
    )
    header = newest_rows(sources, "header")
    for i, count in enumerate(counts):
        count.episodes_kept, count.header_rows_kept = _rows_of(episodes, i), _rows_of(header, i)
    tables = {"header": header, "episodes": episodes.select(*sources[0].tables["episodes"].columns, STITCH)}
    if any("uasc" in s.tables for s in sources):
        tables["uasc"] = newest_rows(sources, "uasc")
    tables = {name: frame.drop("_src", "_child", strict=False) for name, frame in tables.items()}
    return Stitched(tables, tuple(counts), tuple(sorted(problems)))


def _actions(work: pl.DataFrame) -> pl.DataFrame:
    """How many older episodes of each source each case removed or changed."""
    changed = work.filter(pl.col("_action") != "kept").with_columns(pl.col("_action").replace("closed_reach", "closed"))
    return changed.group_by("_src", "_action").len().sort("_src", "_action")


def _rows_of(frame: pl.DataFrame, src: int) -> int:
    return frame.filter(pl.col("_src") == src).height


def _open_between(start: dt.date, end: dt.date) -> pl.Expr:
    return pl.col("_d0").le(end) & (pl.col("_d1").is_null() | pl.col("_d1").ge(start))


def _prepared(frame: pl.DataFrame, src: int) -> pl.DataFrame:
    """A source's episodes with what the stitch compares (the text itself is kept as read)."""
    return frame.with_columns(
        pl.lit(src, pl.Int64).alias("_src"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
        clean_text(pl.col("CHILD")).alias("_child"),
        parse_date(pl.col("DECOM")).alias("_d0"),
        parse_date(pl.col("DEC")).alias("_d1"),
        *(clean_code(pl.col(c)).alias(f"_{c.lower()}") for c in ("LS", "PLACE", "RNE", "REC")),
        pl.lit(None, pl.String).alias(STITCH),
    ).with_columns(
        (
            pl.col("_child").is_not_null()
            & pl.col("_d0").is_not_null()
            & (clean_text(pl.col("DEC")).is_null() | pl.col("_d1").is_not_null())
        ).alias("_placed")
    )


def _applied(older: pl.DataFrame, newer: pl.DataFrame, start: dt.date) -> pl.DataFrame:
    """Each older episode with its ``_action`` (``kept`` or a case of the module's account) under the newer
    source, and for the changed ones their new DEC and REC; the reach's place for the warnings."""
    reach = (
        newer.filter(pl.col("_d0") < start)
        .sort("_d0", "_row")
        .group_by("_child")
        .agg(
            pl.col("_d0").first().alias("_A"),
            *(pl.col(c).first().alias(f"_A{c}") for c in ("_ls", "_place", "_rne", FILE, LINE, LOCATION)),
        )
    )
    keys = newer.select("_child", "_d0").unique().with_columns(pl.lit(True).alias("_same"))
    work = older.join(reach, on="_child", how="left").join(keys, on=["_child", "_d0"], how="left")
    a, has_reach = pl.col("_A"), pl.col("_A").is_not_null()
    open_at_start = pl.col("_d1").is_null() | (pl.col("_d1") >= start)
    same_episode = (pl.col("_ls") == pl.col("_A_ls")).fill_null(False) & (
        pl.col("_place") == pl.col("_A_place")
    ).fill_null(False)
    # Only an episode the newer source speaks for can be replaced: a zero-length episode shares its
    # DECOM with the next one, so the same DECOM alone does not make the same episode.
    overlaps_reach = has_reach & (pl.col("_d1") > a)
    action = (
        pl.when(pl.col("_same").fill_null(False) & (open_at_start | overlaps_reach))
        .then(pl.lit("replaced"))
        .when(open_at_start & has_reach & ((pl.col("_d0") >= a) | same_episode))
        .then(pl.lit("dropped"))
        .when(open_at_start & has_reach)
        .then(pl.lit("closed_reach"))
        .when(open_at_start)
        .then(pl.lit("closed"))
        .when(overlaps_reach & (pl.col("_d0") >= a))
        .then(pl.lit("dropped"))
        .when(overlaps_reach)
        .then(pl.lit("trimmed"))
        .otherwise(pl.lit("kept"))
    )
    work = work.with_columns(action.alias("_action"), same_episode.alias("_same_episode"))
    # An X1 episode that ended on the DECOM the newer source corrected would leave a gap and a
    # dangling X1: the one right before it (a zero-length X1 between them ends that day too) ends on A.
    corrected = (
        work.filter((pl.col("_action") == "dropped") & open_at_start & has_reach & (pl.col("_d0") < a))
        .select("_child", pl.col("_d0").alias("_pred_dec"), pl.col("_A").alias("_new_dec"))
        .unique(["_child", "_pred_dec"])
    )
    candidate = (pl.col("_action") == "kept") & (pl.col("_rec") == "X1") & pl.col("_new_dec").is_not_null()
    latest = pl.col("_d0") == pl.when(candidate).then(pl.col("_d0")).max().over("_child", "_d1")
    work = work.join(corrected, left_on=["_child", "_d1"], right_on=["_child", "_pred_dec"], how="left")
    work = work.with_columns(
        pl.when(candidate & latest).then(pl.lit("rejoined")).otherwise(pl.col("_action")).alias("_action")
    )
    new_dec = (
        pl.when(pl.col("_action").is_in(["closed_reach", "trimmed"]))
        .then(a)
        .when(pl.col("_action") == "closed")
        .then(pl.lit(start))
        .when(pl.col("_action") == "rejoined")
        .then(pl.col("_new_dec"))
        .otherwise(pl.col("_d1"))
    )
    new_rec = (
        pl.when(pl.col("_action") == "closed_reach")
        .then(pl.when(pl.col("_A_rne") != "S").then(pl.lit("X1")))
        .when(pl.col("_action") == "closed")
        .then(pl.lit(None, pl.String))
        .otherwise(pl.col("REC"))
    )
    return work.with_columns(new_dec.alias("_new_d1"), new_rec.alias("_new_rec"))


def _changed(work: pl.DataFrame) -> pl.DataFrame:
    """The older episodes that stay, with the stitch's changes written into their text and marked."""
    changed = pl.col("_action").is_in(list(_CHANGED))
    kept = work.filter(~pl.col("_action").is_in(list(_REMOVED)))
    return kept.with_columns(
        pl.when(changed).then(pl.col("_new_d1").dt.to_string(DMY_FORMAT)).otherwise(pl.col("DEC")).alias("DEC"),
        pl.when(changed).then(pl.col("_new_rec")).otherwise(pl.col("REC")).alias("REC"),
        pl.col("_new_d1").alias("_d1"),
        pl.when(changed)
        .then(pl.col("_action").replace("closed_reach", "closed"))
        .otherwise(pl.col(STITCH))
        .alias(STITCH),
    ).with_columns(clean_code(pl.col("REC")).alias("_rec"))


def _with_history(
    result: pl.DataFrame, history: pl.DataFrame, windows: list[tuple[dt.date, dt.date]], sources: Sequence[Read]
) -> tuple[pl.DataFrame, int]:
    """The current extract's episodes before its window, where no return speaks: ended before the
    oldest return's year, and overlapping no episode of another source."""
    returns = [w for s, w in zip(sources, windows, strict=True) if not s.source.current]
    if returns:
        oldest = min(w[0] for w in returns)
        history = history.filter(pl.col("_d1").is_not_null() & (pl.col("_d1") < oldest))
    if history.is_empty():
        return result, 0
    others = result.filter(pl.col("_src") != history["_src"][0])
    overlapping = (
        history.select("_child", "_row", "_d0", "_d1")
        .join(others.select("_child", pl.col("_d0").alias("_r0"), pl.col("_d1").alias("_r1")), on="_child")
        .filter((pl.col("_d0") < pl.col("_r1").fill_null(_FAR)) & (pl.col("_r0") < pl.col("_d1").fill_null(_FAR)))
        .select("_row")
        .unique()
    )
    history = history.join(overlapping, on="_row", how="anti")
    return pl.concat([result, history], how="vertical_relaxed"), history.height


def newest_rows(sources: Sequence[Read], table: str) -> pl.DataFrame:
    """Each child's rows of ``table`` from the newest source that has the child in its header (a
    source without the table says nothing of it); rows without a CHILD are all kept."""
    with_table = [i for i, s in enumerate(sources) if table in s.tables]
    children = pl.concat(
        [
            s.tables["header"].select(clean_text(pl.col("CHILD")).alias("_child"), pl.lit(i, pl.Int64).alias("_src"))
            for i, s in enumerate(sources)
            if i in with_table
        ]
    )
    newest = children.drop_nulls().group_by("_child").agg(pl.col("_src").max())
    rows = pl.concat(
        [
            sources[i]
            .tables[table]
            .with_columns(pl.lit(i, pl.Int64).alias("_src"), clean_text(pl.col("CHILD")).alias("_child"))
            for i in with_table
        ]
    )
    kept = rows.join(newest, on=["_child", "_src"], how="semi")
    return pl.concat([kept, rows.filter(pl.col("_child").is_null())]).sort(
        "_child", "_src", LINE, LOCATION, nulls_last=True
    )
