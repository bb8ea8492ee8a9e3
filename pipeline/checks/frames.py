"""What the rules across rows derive from the typed frames, worked out once a run and shared
through its ``Frames``: the episodes in order (the one sort of the episodes that the others
share), the episodes listed more than once, each child's episodes as a set, the episodes with
the child's date of birth, the periods of care; and the problem frame every rule returns."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Literal

import polars as pl

from pipeline.care.episodes import episodes_in_order
from pipeline.care.periods import periods_of_episodes_in_order
from pipeline.core.dates import DMY_FORMAT
from pipeline.core.problems import PROBLEM_SCHEMA
from pipeline.core.rules import Frames, Rule
from pipeline.read.schema import EPISODES, FILES

FILE_STEMS = tuple(spec.stem for spec in FILES)  # the frames a run may hold
WITH_DOB = "_episodes_with_dob"
PERIODS = "_periods_of_care"
COPIES = "_episode_copies"
SETS = "_episode_sets"
IN_ORDER = "_episodes_in_order"
HEADER_CHILDREN = "_header_children"
WITH_HEADER = "_episodes_with_header"
SHARED = (WITH_DOB, PERIODS, COPIES, SETS, IN_ORDER, HEADER_CHILDREN, WITH_HEADER)  # derived, let go when done
# The shared frames each is worked out from: needed while a rule to come shares one not yet worked out.
MADE_FROM = {
    WITH_HEADER: (HEADER_CHILDREN,),
    WITH_DOB: (WITH_HEADER, HEADER_CHILDREN),
    COPIES: (IN_ORDER,),
    SETS: (COPIES, IN_ORDER),
    PERIODS: (IN_ORDER,),
}
# The episodes (their _line) the stitch of annual returns closed (``pipeline.read.returns``): a fact
# read with the frames, not derived from them, so every view of the frames keeps it.
CLOSED_BY_STITCH = "_closed_by_stitch"
CHAIN_CELLS = ("CHILD", "DECOM", "DEC", "REC", "RNE")  # what the rules on a child's episodes as a set read
# What telling the same episode listed twice reads: every cell of every episode of the child.
EVERY_EPISODE_CELL = tuple(f"episodes.{c.name}" for c in EPISODES.columns)


def no_longer_shared(frames: Frames, to_come: Iterable[Rule], keep: Collection[str] = ()) -> list[str]:
    """The shared frames in ``frames`` that no rule ``to_come`` reads, nor works out a frame it
    reads from (``Rule.shares``, ``MADE_FROM``): those a run can let go, but for ``keep``."""
    wanted: set[str] = set()
    for rule in to_come:
        if not rule.ready(frames):  # its files did not load: it will not run
            continue
        for name in rule.shares:
            wanted.add(name)
            if name not in frames:
                wanted.update(MADE_FROM.get(name, ()))
    return [name for name in frames if name in SHARED and name not in wanted and name not in keep]


def problem_frame(frame: pl.DataFrame, column: str, message: pl.Expr) -> pl.DataFrame:
    # Rechunked first: polars 2.1 can panic formatting a filtered string column left in empty chunks.
    failing = frame.rechunk().select(pl.col("_line"), pl.lit(column).alias("column"), message.alias("message"))
    return failing.cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]


def unpaired(frame: pl.DataFrame, first: str, second: str, *, without_second: str, without_first: str) -> pl.DataFrame:
    """Rows holding ``first`` but not ``second`` (reported on ``second``), and the reverse: two
    cells that are present together or not at all (DEC and REC, CONCLUDED_DATE and OUTCOME)."""
    only_first = frame.filter(pl.col(first).is_not_null() & pl.col(second).is_null())
    only_second = frame.filter(pl.col(first).is_null() & pl.col(second).is_not_null())
    return pl.concat(
        [
            problem_frame(only_first, second, pl.lit(without_second)),
            problem_frame(only_second, first, pl.lit(without_first)),
        ]
    )


def as_dmy(column: str) -> pl.Expr:
    return pl.col(column).dt.to_string(DMY_FORMAT)


def lasting() -> pl.Expr:
    """An episode that lasts a day or more, or is open. Two of a child's episodes may start on the
    same day only when all but one end that day (changes on one day); two lasting ones starting
    the same day are the same episode listed twice."""
    return pl.col("DEC").is_null() | (pl.col("DEC") > pl.col("DECOM"))


def in_order(frames: Frames) -> pl.DataFrame:
    """The episodes with a CHILD and a DECOM in order (``care.episodes.episodes_in_order``): by child,
    then date, each child numbered in turn (``_child``, counting up). The one sort of the episodes
    of a run: the periods of care, the copies and the sets are read off it, and the rules on a
    child's episodes join on the child's number rather than its identifier."""
    if IN_ORDER not in frames:
        frames[IN_ORDER] = episodes_in_order(frames["episodes"]).with_columns(
            (~pl.col("has_prev")).cast(pl.Int64).cum_sum().alias("_child")
        )
    return frames[IN_ORDER]


def episode_copies(frames: Frames) -> pl.DataFrame:
    """The episodes that share their CHILD and DECOM with another, each with ``_copy_of``: the
    first line holding the very same row (its own line when no earlier one does), ``_first``: the
    first line of the child's lasting episodes starting that day, and ``_disputed``: whether the
    lasting episodes starting that day are listed with different content (then none of them is
    what the child's chain of episodes can be judged on). Worked out once for all the rules:
    such episodes lie side by side in order."""
    if COPIES not in frames:
        ordered = in_order(frames)
        same = (pl.col("_child") == pl.col("_child").shift(1)) & (pl.col("DECOM") == pl.col("DECOM").shift(1))
        lines = ordered.filter(same.fill_null(False) | same.shift(-1).fill_null(False)).get_column("_line")
        episodes = frames["episodes"]
        shared = episodes.filter(pl.col("_line").is_in(lines.implode())) if not lines.is_empty() else episodes.clear()
        content = [c for c in shared.columns if c != "_line"]
        day = ("CHILD", "DECOM", "_lasting")
        frames[COPIES] = (
            shared.with_columns(pl.col("_line").min().over(content).alias("_copy_of"), lasting().alias("_lasting"))
            .with_columns(
                pl.col("_line").min().over(day).alias("_first"),
                (pl.col("_lasting") & (pl.col("_copy_of").n_unique().over(day) > 1)).alias("_disputed"),
            )
            .drop("_lasting")
        )
    return frames[COPIES]


def without_disputed(frame: pl.DataFrame, frames: Frames) -> pl.DataFrame:
    """``frame``'s episodes less those listed twice with different content: for the rules that
    read an empty DEC as an episode still open, when another line of the same episode ends it.
    Such a rule reads ``EVERY_EPISODE_CELL`` across the child's episodes, as telling them apart does."""
    disputed = episode_copies(frames).filter(pl.col("_disputed")).select("_line")
    return frame.join(disputed, on="_line", how="anti") if not disputed.is_empty() else frame


def episode_sets(frames: Frames) -> pl.DataFrame:
    """Each child's episodes as a set, for the rules that look at all of them, in order (``in_order``,
    with ``_child``): ``_id`` names the episode (the first line of its identical copies) and
    ``_aside`` marks a row no message is about: a later copy of the same row, or one of the
    episodes listed twice with different content (``EPISODE_DUPLICATE`` reports those once, rather
    than the overlaps they make). Worked out once for all the rules."""
    if SETS not in frames:
        copies = episode_copies(frames)
        aside = copies.filter((pl.col("_copy_of") != pl.col("_line")) | pl.col("_disputed")).get_column("_line")
        # Looked up rather than joined: a join would copy every episode's cells for a few copies.
        frames[SETS] = in_order(frames).select(
            "_line",
            *CHAIN_CELLS,
            "_child",
            pl.col("_line").replace(copies.get_column("_line"), copies.get_column("_copy_of")).alias("_id"),
            pl.col("_line").is_in(aside.implode()).alias("_aside"),
        )
    return frames[SETS]


def periods(frames: Frames) -> pl.DataFrame:
    """``periods_of_care`` of the episodes, worked out once for all the rules of a run."""
    if PERIODS not in frames:
        frames[PERIODS] = periods_of_episodes_in_order(in_order(frames))
    return frames[PERIODS]


def known_end() -> pl.Expr:
    """An episode's end, or for an open one the latest date the extract mentions (about the day it was taken).

    Rules about how long an episode lasts look no further than the extract can see.
    """
    return pl.col("DEC").fill_null(pl.max_horizontal(pl.col("DECOM").max(), pl.col("DEC").max()))


def eighteenth_birthday(dob: pl.Expr, *, leap_day_on: Literal["28 February", "1 March"] = "1 March") -> pl.Expr:
    """The day a child born on ``dob`` turns 18.

    Someone born on 29 February has no birthday in a common year: 28 February or 1 March, as
    ``leap_day_on`` says. The rules take whichever gives the child the benefit of the doubt, so
    they never depend on it: "18 or over" uses 1 March, "under 18" uses 28 February.
    """
    birthday = dob.dt.offset_by("18y")  # 29 February becomes 28 February in a common year
    leap_day = (dob.dt.month() == 2) & (dob.dt.day() == 29) & (birthday.dt.day() == 28)
    if leap_day_on == "28 February":
        return birthday
    return pl.when(leap_day).then(birthday.dt.offset_by("1d")).otherwise(birthday)


def header_children(frames: Frames) -> pl.DataFrame:
    """Each child of header.csv once (its first row): ``CHILD``, ``DOB`` and the 18th birthday (both
    readings), worked out once for all the rules of a run. A birthday is worked out once for each
    date of birth, not for each child: six hundred thousand children have a few thousand."""
    if HEADER_CHILDREN not in frames:
        header = frames["header"].select("CHILD", "DOB")
        children = header.filter(pl.col("CHILD").is_not_null()).unique("CHILD", keep="first")
        births = children.select(pl.col("DOB").unique().drop_nulls())
        birthdays = births.select(
            eighteenth_birthday(pl.col("DOB")).alias("eighteen"),
            eighteenth_birthday(pl.col("DOB"), leap_day_on="28 February").alias("eighteen_early"),
        )
        dob = births.get_column("DOB")
        frames[HEADER_CHILDREN] = children.select(
            "CHILD",
            "DOB",
            *(
                pl.col("DOB").replace_strict(dob, birthdays.get_column(n), default=None).alias(n)
                for n in birthdays.columns
            ),
        )
    return frames[HEADER_CHILDREN]


def episodes_with_dob(frames: Frames) -> pl.DataFrame:
    """Episodes of children in header.csv, with the child's date of birth and 18th birthday (both readings),
    worked out once for all the rules of a run (``_episodes_with_header``)."""
    if WITH_DOB not in frames:
        joined = _episodes_with_header(frames)
        found = joined.get_column("_in_header").is_not_null()
        frames[WITH_DOB] = (joined if found.all() else joined.filter(found)).drop("_in_header")
    return frames[WITH_DOB]


def _episodes_with_header(frames: Frames) -> pl.DataFrame:
    """Every episode with its child's row of ``header_children`` (``_in_header`` empty when there is
    none): one join gives both the episodes' dates of birth and the episodes whose child is missing.
    Only the child's identifier goes through the join, in the episodes' order: the episodes' own
    columns are shared with them, not copied."""
    if WITH_HEADER not in frames:
        children = header_children(frames).with_columns(pl.lit(True).alias("_in_header"))
        episodes = frames["episodes"]
        # Joined by the streaming engine, which holds a third of the memory the eager join does.
        found = (
            episodes.lazy()
            .select("CHILD")
            .join(children.lazy(), on="CHILD", how="left", maintain_order="left")
            .drop("CHILD")
            .collect(engine="streaming")
        )
        # What the rules read of the episodes, and of the child's header row.
        frames[WITH_HEADER] = episodes.select("_line", "CHILD", "DECOM", "DEC", "LS", "PLACE", "REC").hstack(found)
    return frames[WITH_HEADER]


def children_not_in_header(frames: Frames, stem: str) -> pl.DataFrame:
    """Rows of ``stem`` whose CHILD is not in header.csv (episodes, legal, flags)."""
    if stem == "episodes":
        orphans = _episodes_with_header(frames).filter(pl.col("CHILD").is_not_null() & pl.col("_in_header").is_null())
    else:
        known = header_children(frames).get_column("CHILD").implode()
        orphans = frames[stem].filter(pl.col("CHILD").is_not_null() & ~pl.col("CHILD").is_in(known))
    return problem_frame(orphans, "CHILD", pl.lit("the child is not in header.csv"))
