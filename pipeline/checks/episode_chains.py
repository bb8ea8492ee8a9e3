"""Rules across a child's episodes together (episodes.csv): duplicates, overlaps, which episode
may be open, the X1 chains that make periods of care, and what may follow a final episode.

Each rule reasons about the whole set of the child's episodes, whatever their order in the file
or their order by date: "no episode of the child starts on DEC" asks every episode of the child,
and "overlaps" compares dates with every other episode. A message that speaks of another
episode names its line. The rows ``episode_sets`` sets aside (a repeat, or an episode listed
twice with different content) are reported once, by ``EPISODE_DUPLICATE``, and no other rule
speaks of them; they still count as episodes that start on their DECOM.
"""

from __future__ import annotations

import polars as pl

from pipeline.checks.frames import (
    CHAIN_CELLS,
    COPIES,
    EVERY_EPISODE_CELL,
    SETS,
    as_dmy,
    episode_copies,
    episode_sets,
    problem_frame,
)
from pipeline.core.problems import PROBLEM_SCHEMA, Severity
from pipeline.core.rules import Frames, Rule
from pipeline.read.origins import line_ref
from pipeline.read.parse import quoted
from pipeline.read.schema import EPISODES, Kind

FINAL_RECS = {"E2": "died", "E15": "age assessed as 18 or over"}
DAY_OFFSET = 2**22  # days from 1970 made positive (1900 is -25,567, 9999 is +2,932,896)
DAYS = 2**23  # above every offset day: a child's number times DAYS plus a day is one sortable integer


def _subjects(frames: Frames) -> pl.DataFrame:
    """The episodes a message may be about: not a repeat, not listed twice with different content."""
    return episode_sets(frames).filter(~pl.col("_aside"))


def _others(subjects: pl.DataFrame, others: pl.DataFrame, left_on: str, right_on: str) -> pl.DataFrame:
    """Each subject with every *other* episode of its child (not one of its own copies) whose
    ``right_on`` is the subject's ``left_on``; the other episode's columns are suffixed ``_other``.
    A child is known by its number (``_child``): joining on a number costs less than on its identifier."""
    return subjects.join(
        others, left_on=["_child", left_on], right_on=["_child", right_on], how="inner", suffix="_other"
    ).filter(pl.col("_id") != pl.col("_id_other"))


def _child_day(day: str) -> pl.Expr:
    """The child's number and ``day`` as one integer, in the order of both."""
    return pl.col("_child") * DAYS + (pl.col(day).cast(pl.Int64) + DAY_OFFSET)


def _with_other(subjects: pl.DataFrame, others: pl.DataFrame, left_on: str, right_on: str) -> pl.Series:
    """Whether some episode of ``others`` of the subject's child has ``right_on`` equal to the
    subject's ``left_on`` (itself or a copy of itself too): found by a binary search among the
    others' children and days in order, several times cheaper than a join."""
    keys = others.select(_child_day(right_on).drop_nulls().sort()).to_series()
    wanted = subjects.select(_child_day(left_on)).to_series()
    if keys.is_empty():
        return pl.repeat(False, subjects.height, eager=True)
    at = keys.search_sorted(wanted).clip(upper_bound=keys.len() - 1)
    return (keys.gather(at) == wanted).fill_null(False)


def _without_other(subjects: pl.DataFrame, others: pl.DataFrame, left_on: str, right_on: str) -> pl.DataFrame:
    """The subjects for which no *other* episode of the child (not one of its own copies) has
    ``right_on`` equal to the subject's ``left_on``: no episode starts on its DEC, say.

    Only a subject whose ``left_on`` and ``right_on`` are the same day (a change on one day) could
    find itself or a copy of itself: the others need only be looked up (``_with_other``).
    """
    itself = (pl.col(left_on) == pl.col(right_on)).fill_null(False)
    apart = subjects.filter(~itself)
    plain = apart.filter(~_with_other(apart, others, left_on, right_on))
    one_day = subjects.filter(itself)
    matched = _others(one_day, others.select("_child", right_on, "_id"), left_on, right_on).select("_line")
    return pl.concat([plain, one_day.join(matched, on="_line", how="anti")])


def _dates(start: str, end: str) -> pl.Expr:
    """An episode's dates as a message quotes them: ``01/02/2019 to 03/04/2019`` or ``from 01/02/2019, still open``."""
    return (
        pl.when(pl.col(end).is_null())
        .then(pl.format("from {}, still open", as_dmy(start)))
        .otherwise(pl.format("{} to {}", as_dmy(start), as_dmy(end)))
    )


# ---- the same episode listed twice ------------------------------------------------------------


def _shown(column: str, suffix: str) -> pl.Expr:
    """A cell of an episode listed twice, as the message quotes it; personal values never are."""
    cell = pl.col(f"{column}{suffix}")
    spec = EPISODES.column(column)
    if spec.personal:
        return pl.lit("(not shown)")
    text = as_dmy(f"{column}{suffix}") if spec.kind is Kind.DATE else quoted(cell.cast(pl.String))
    return pl.when(cell.is_null()).then(pl.lit("empty")).otherwise(text)


def _differences(columns: list[str]) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """For a row and the first row (``_f``) of the same episode: the first differing column, the
    differing columns' names (``DEC and REC``) and their values (``DEC 16/09/2017 and 03/02/2018``)."""
    differs = {c: pl.col(c).ne_missing(pl.col(f"{c}_f")) for c in columns}
    names = pl.concat_list([pl.when(d).then(pl.lit(c)) for c, d in differs.items()]).list.drop_nulls()
    count = names.list.len()
    joined = (
        pl.when(count == 1)
        .then(names.list.first())
        .otherwise(pl.format("{} and {}", names.list.head(count - 1).list.join(", "), names.list.last()))
    )
    pairs = [pl.when(d).then(pl.format("{} and {}", _shown(c, "_f"), _shown(c, ""))) for c, d in differs.items()]
    named_pairs = [
        pl.when(d).then(pl.format("{} {} and {}", pl.lit(c), _shown(c, "_f"), _shown(c, "")))
        for c, d in differs.items()
    ]
    values = (
        pl.when(count == 1)
        .then(pl.coalesce(pairs))
        .otherwise(pl.concat_str(named_pairs, separator=", ", ignore_nulls=True))
    )
    return names.list.first(), joined, values


def episode_duplicate(frames: Frames) -> pl.DataFrame:
    copies = episode_copies(frames)
    repeats = copies.filter(pl.col("_copy_of") != pl.col("_line"))
    same = problem_frame(
        repeats, "DECOM", pl.format("the same episode is already on line {}", line_ref(pl.col("_copy_of")))
    )
    # Each distinct version of a disputed episode after the first is compared with the first.
    later = copies.filter(
        pl.col("_disputed") & (pl.col("_copy_of") == pl.col("_line")) & (pl.col("_line") != pl.col("_first"))
    )
    columns = [c for c in copies.columns if c not in ("_line", "CHILD", "DECOM") and not c.startswith("_")]
    first = copies.select("_line", *columns).rename(lambda c: f"{c}_f")
    pairs = later.join(first, left_on="_first", right_on="_line_f", how="inner")
    column, names, values = _differences(columns)
    message = pl.format(
        "the episode appears twice with different {} (lines {} and {}): {}",
        names,
        line_ref(pl.col("_first")),
        line_ref(pl.col("_line")),
        values,
    )
    different = pairs.rechunk().select("_line", column.alias("column"), message.alias("message"))
    return pl.concat([same, different.cast(PROBLEM_SCHEMA)])  # type: ignore[arg-type]


# ---- dates that overlap, an open episode that is not the latest ---------------------------------


def episode_overlap(frames: Frames) -> pl.DataFrame:
    """Each episode that starts after an ended episode of the child started, and before it ended.

    The episodes are sorted by child and start; a running maximum carries forward the latest end
    among the child's episodes that started on an earlier day, so every overlap is found without
    comparing every pair, and then the episode ending then is named. An open episode with a later
    one is ``EPISODE_OPEN_NOT_LATEST``'s to report, one that ends before it starts
    ``EPISODE_DEC_BEFORE_DECOM``'s.
    """
    # The sets are in order by child and start (``frames.in_order``), each child numbered in turn.
    episodes = _subjects(frames).filter(pl.col("DEC").is_null() | (pl.col("DEC") >= pl.col("DECOM")))
    ordered = episodes.select("_line", "_child", "DECOM", "DEC")
    # Each child's number in the high bits above its ends: one running maximum over the whole
    # frame then starts afresh with each child (an open episode carries no end: 0).
    end = (pl.col("DEC").cast(pl.Int64) + DAY_OFFSET).fill_null(0)
    new_day = (pl.col("_child") != pl.col("_child").shift(1)) | (pl.col("DECOM") != pl.col("DECOM").shift(1))
    latest = (
        ordered.with_columns((pl.col("_child") * DAYS + end).cum_max().alias("_latest"))
        # The latest end before the day, the same for every episode starting that day.
        .with_columns(pl.when(new_day.fill_null(True)).then(pl.col("_latest").shift(1)).forward_fill().alias("_before"))
        .filter(pl.col("_before") // DAYS == pl.col("_child"))
        .with_columns((pl.col("_before") % DAYS - DAY_OFFSET).cast(pl.Int32).cast(pl.Date).alias("_end_other"))
        .filter(pl.col("_end_other") > pl.col("DECOM"))
    )
    # The episode that ends then, started on an earlier day: the first line of those.
    others = episodes.select(
        "_child",
        pl.col("_line").alias("_line_other"),
        pl.col("DECOM").alias("_start_other"),
        pl.col("DEC").alias("_end_other"),
    )
    bad = (
        latest.join(others, on=["_child", "_end_other"], how="inner")
        .filter(pl.col("_start_other") < pl.col("DECOM"))
        .sort("_line", "_line_other")
        .unique("_line", keep="first")
    )
    return problem_frame(
        bad,
        "DECOM",
        pl.format(
            "the episode ({}) overlaps the child's episode on line {} ({} to {})",
            _dates("DECOM", "DEC"),
            line_ref(pl.col("_line_other")),
            as_dmy("_start_other"),
            as_dmy("_end_other"),
        ),
    )


def episode_open_not_latest(frames: Frames) -> pl.DataFrame:
    # The child's latest start (any episode, listed twice or not: its DECOM is not in doubt): in
    # order, the DECOM of the child's last row.
    last_row = (pl.col("_child") != pl.col("_child").shift(-1)).fill_null(True)
    sets = episode_sets(frames).with_columns(pl.when(last_row).then(pl.col("DECOM")).backward_fill().alias("_latest"))
    bad = sets.filter(~pl.col("_aside") & pl.col("DEC").is_null() & (pl.col("_latest") > pl.col("DECOM")))
    # The first line of the child's episodes starting that day.
    latest = sets.filter((pl.col("DECOM") == pl.col("_latest")) & pl.col("_child").is_in(bad["_child"].implode()))
    lines = latest.group_by("_child").agg(pl.col("_line").min().alias("_line_other"))
    bad = bad.join(lines, on="_child")
    return problem_frame(
        bad,
        "DEC",
        pl.format(
            "the episode is open but the child has a later episode (line {}); only the latest may be open",
            line_ref(pl.col("_line_other")),
        ),
    )


# ---- X1 chains ---------------------------------------------------------------------------------


def episode_x1_broken(frames: Frames) -> pl.DataFrame:
    x1 = _subjects(frames).filter((pl.col("REC") == "X1") & pl.col("DEC").is_not_null())
    bad = _without_other(x1, episode_sets(frames), "DEC", "DECOM")
    # A change on one day starts on its DEC itself: no *other* episode follows it.
    other = pl.when(pl.col("DECOM") == pl.col("DEC")).then(pl.lit("other ")).otherwise(pl.lit(""))
    return problem_frame(
        bad,
        "REC",
        pl.format(
            "REC is X1 (a new episode follows the same day) but no {}episode of the child starts on {}",
            other,
            as_dmy("DEC"),
        ),
    )


def _x1_ends(frames: Frames) -> pl.DataFrame:
    """Every episode of a child ending X1: where the next episode of its period must start."""
    return episode_sets(frames).filter((pl.col("REC") == "X1") & pl.col("DEC").is_not_null())


def episode_new_period_not_s(frames: Frames) -> pl.DataFrame:
    """An episode with RNE other than S that no episode of the child leads into (ends X1 on its DECOM)."""
    subjects = _subjects(frames).filter(pl.col("RNE") != "S")
    bad = _without_other(subjects, _x1_ends(frames), "DECOM", "DEC")
    return problem_frame(
        bad,
        "RNE",
        pl.format("the episode starts a new period of care but RNE is '{}', not S", pl.col("RNE")),
    )


def episode_continuation_is_s(frames: Frames) -> pl.DataFrame:
    """An episode with RNE S that an earlier episode of the child leads into (ends X1 on its DECOM).

    Only an episode that started on an earlier day is known to come before it: two changes on one
    day could be in either order.
    """
    earlier = (
        _x1_ends(frames)
        .filter(~pl.col("_aside"))
        .select("_child", "DEC", "_id", "_line", pl.col("DECOM").alias("_start"))
    )
    subjects = _subjects(frames).filter(pl.col("RNE") == "S")
    # Joined only where an X1 episode ends that day: most episodes with RNE S start a period.
    subjects = subjects.filter(_with_other(subjects, earlier, "DECOM", "DEC"))
    pairs = _others(subjects, earlier, "DECOM", "DEC").filter(pl.col("_start") < pl.col("DECOM"))
    bad = pairs.group_by("_line").agg(pl.col("_line_other").min())
    return problem_frame(
        bad,
        "RNE",
        pl.format(
            "RNE is S (started to be looked after) but the previous episode (line {}) ended X1 that day:"
            " the episode continues the period of care",
            line_ref(pl.col("_line_other")),
        ),
    )


def episode_after_final(frames: Frames) -> pl.DataFrame:
    """An episode starting on or after the day an episode of the child ended E2 or E15 (and after it started)."""
    subjects = _subjects(frames)
    finals = subjects.filter(pl.col("REC").is_in(tuple(FINAL_RECS)) & pl.col("DEC").is_not_null()).select(
        "_child", "_id", "_line", "REC", pl.col("DECOM").alias("_start"), pl.col("DEC").alias("_end")
    )
    pairs = subjects.join(finals, on="_child", how="inner", suffix="_other").filter(
        (pl.col("_id") != pl.col("_id_other"))
        & (pl.col("DECOM") >= pl.col("_end"))
        & (pl.col("DECOM") > pl.col("_start"))
    )
    # The final episode nearest before it: the latest to end, the first line of those.
    bad = pairs.sort("_line", "_end", "_line_other", descending=[False, True, False]).unique("_line", keep="first")
    meaning = pl.col("REC_other").replace_strict(FINAL_RECS, return_dtype=pl.String)
    return problem_frame(
        bad,
        "DECOM",
        pl.format(
            "the episode comes after the one on line {}, which ended with REC '{}' ({})",
            line_ref(pl.col("_line_other")),
            pl.col("REC_other"),
            meaning,
        ),
    )


_E, _W = Severity.ERROR, Severity.WARNING
_CHAIN = tuple(f"episodes.{c}" for c in CHAIN_CELLS)

EPISODE_CHAIN_RULES: tuple[Rule, ...] = (
    Rule(
        "EPISODE_DUPLICATE",
        _E,
        "episodes.csv",
        "No episode is listed twice: the same row again, or two lasting episodes of the child starting the same day.",
        episode_duplicate,
        across=EVERY_EPISODE_CELL,
        shares=(COPIES,),
    ),
    Rule(
        "EPISODE_OVERLAP",
        _E,
        "episodes.csv",
        "A child's episodes do not overlap.",
        episode_overlap,
        across=_CHAIN,
        shares=(SETS,),
    ),
    Rule(
        "EPISODE_OPEN_NOT_LATEST",
        _E,
        "episodes.csv",
        "Only the child's latest episode may be open.",
        episode_open_not_latest,
        across=_CHAIN,
        shares=(SETS,),
    ),
    Rule(
        "EPISODE_X1_BROKEN",
        _E,
        "episodes.csv",
        "An episode ending X1 is followed by one starting the same day.",
        episode_x1_broken,
        reference="388",
        across=_CHAIN,
        shares=(SETS,),
    ),
    Rule(
        "EPISODE_AFTER_FINAL",
        _E,
        "episodes.csv",
        "No episode follows one that ended E2 (died) or E15 (age assessed as 18 or over).",
        episode_after_final,
        reference="437",
        across=_CHAIN,
        shares=(SETS,),
    ),
    Rule(
        "EPISODE_NEW_PERIOD_NOT_S",
        _W,
        "episodes.csv",
        "The first episode of a period of care has RNE = S; an L, P, T, B or U episode continues an X1 chain.",
        episode_new_period_not_s,
        reference="432",
        across=_CHAIN,
        shares=(SETS,),
    ),
    Rule(
        "EPISODE_CONTINUATION_IS_S",
        _W,
        "episodes.csv",
        "An episode that starts the day an X1 episode ended has RNE L, P, T, B or U, not S.",
        episode_continuation_is_s,
        across=_CHAIN,
        shares=(SETS,),
    ),
)
