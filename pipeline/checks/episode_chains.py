"""Rules across a child's episodes together (episodes.csv): duplicates, overlaps, which episode
may be open, the X1 chains that make periods of care, and what may follow a final episode."""

from __future__ import annotations

import polars as pl

from pipeline.care.episodes import starts_new_period
from pipeline.checks.frames import as_dmy, in_order, problem_frame
from pipeline.core.problems import Severity
from pipeline.core.rules import Frames, Rule

FINAL_RECS = {"E2": "died", "E15": "age assessed as 18 or over"}


def episode_duplicate(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    dupes = ordered.filter(pl.col("repeats_prev"))
    return problem_frame(dupes, "DECOM", pl.format("the same episode is already on line {}", pl.col("prev_line")))


def episode_overlap(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(
        pl.col("prev_DEC").is_not_null() & (pl.col("DECOM") < pl.col("prev_DEC")) & ~pl.col("repeats_prev")
    )
    return problem_frame(
        bad,
        "DECOM",
        pl.format("the episode starts before the child's previous episode (line {}) ends", pl.col("prev_line")),
    )


def episode_open_not_latest(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(
        pl.col("DEC").is_null()
        & pl.col("next_DECOM").is_not_null()
        & ~pl.col("repeats_prev").shift(-1).fill_null(False)
    )
    return problem_frame(
        bad,
        "DEC",
        pl.format(
            "the episode is open but the child has a later episode (line {}); only the latest may be open",
            pl.col("next_line"),
        ),
    )


def episode_x1_broken(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(
        (pl.col("REC") == "X1")
        & pl.col("DEC").is_not_null()
        & (pl.col("next_DECOM").is_null() | (pl.col("next_DECOM") != pl.col("DEC")))
    )
    return problem_frame(
        bad,
        "REC",
        pl.format(
            "REC is X1 (a new episode follows the same day) but no episode of the child starts on {}", as_dmy("DEC")
        ),
    )


def episode_new_period_not_s(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(starts_new_period() & (pl.col("RNE") != "S"))
    return problem_frame(
        bad,
        "RNE",
        pl.format("the episode starts a new period of care but RNE is '{}', not S", pl.col("RNE")),
    )


def episode_continuation_is_s(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(~starts_new_period() & (pl.col("RNE") == "S"))
    return problem_frame(
        bad,
        "RNE",
        pl.format(
            "RNE is S (started to be looked after) but the previous episode (line {}) ended X1 that day:"
            " the episode continues the period of care",
            pl.col("prev_line"),
        ),
    )


def episode_after_final(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    final = pl.col("REC").is_in(tuple(FINAL_RECS)).fill_null(False)
    # The latest final episode before each row (rows are sorted by child), kept when it is the same child's.
    marked = ordered.with_columns(
        pl.when(final).then(pl.col(name)).forward_fill().shift(1).alias(f"final_{name}")
        for name in ("CHILD", "_line", "REC")
    )
    bad = marked.filter(pl.col("final_CHILD") == pl.col("CHILD"))
    meaning = pl.col("final_REC").replace_strict(FINAL_RECS, return_dtype=pl.String)
    return problem_frame(
        bad,
        "DECOM",
        pl.format(
            "the episode comes after the one on line {}, which ended with REC '{}' ({})",
            pl.col("final__line"),
            pl.col("final_REC"),
            meaning,
        ),
    )


_E, _W = Severity.ERROR, Severity.WARNING

EPISODE_CHAIN_RULES: tuple[Rule, ...] = (
    Rule(
        "EPISODE_DUPLICATE",
        _E,
        "episodes.csv",
        "No episode is listed twice (the same row again).",
        episode_duplicate,
    ),
    Rule("EPISODE_OVERLAP", _E, "episodes.csv", "A child's episodes do not overlap.", episode_overlap),
    Rule(
        "EPISODE_OPEN_NOT_LATEST",
        _E,
        "episodes.csv",
        "Only the child's latest episode may be open.",
        episode_open_not_latest,
    ),
    Rule(
        "EPISODE_X1_BROKEN",
        _E,
        "episodes.csv",
        "An episode ending X1 is followed by one starting the same day.",
        episode_x1_broken,
        reference="388",
    ),
    Rule(
        "EPISODE_AFTER_FINAL",
        _E,
        "episodes.csv",
        "No episode follows one that ended E2 (died) or E15 (age assessed as 18 or over).",
        episode_after_final,
        reference="437",
    ),
    Rule(
        "EPISODE_NEW_PERIOD_NOT_S",
        _W,
        "episodes.csv",
        "The first episode of a period of care has RNE = S; an L, P, T, B or U episode continues an X1 chain.",
        episode_new_period_not_s,
        reference="432",
    ),
    Rule(
        "EPISODE_CONTINUATION_IS_S",
        _W,
        "episodes.csv",
        "An episode that starts the day an X1 episode ended has RNE L, P, T, B or U, not S.",
        episode_continuation_is_s,
    ),
)
