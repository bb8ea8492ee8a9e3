"""Rules across rows and files (the episode rules of inputs.md), as Polars expressions.

Each rule is a small function that takes typed frames and returns the failing rows as a
problem frame (``_line``, ``column``, ``message``). ``RULES`` is the catalogue: id,
severity, file and what the rule asks of the extract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from pipeline.problems import PROBLEM_SCHEMA, Problem, Severity, problems_from_frame

Frames = dict[str, pl.DataFrame]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    file: str
    summary: str
    check: Callable[[Frames], pl.DataFrame] | None = None  # None: checked while reading


def _problems(frame: pl.DataFrame, column: str, message: pl.Expr) -> pl.DataFrame:
    return frame.select(pl.col("_line"), pl.lit(column).alias("column"), message.alias("message")).cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]


def episodes_in_order(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each child's episodes in date order, with the neighbouring episode's fields."""
    ordered = episodes.filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null()).sort(
        "CHILD", "DECOM", "DEC", "_line", nulls_last=True
    )
    return ordered.with_columns(
        pl.col("DECOM").shift(-1).over("CHILD").alias("next_DECOM"),
        pl.col("_line").shift(-1).over("CHILD").alias("next_line"),
        pl.col("DEC").shift(1).over("CHILD").alias("prev_DEC"),
        pl.col("REC").shift(1).over("CHILD").alias("prev_REC"),
        pl.col("_line").shift(1).over("CHILD").alias("prev_line"),
        pl.col("DECOM").shift(1).over("CHILD").is_not_null().alias("has_prev"),
    )


def header_child_duplicate(frames: Frames) -> pl.DataFrame:
    header = frames["header"].filter(pl.col("CHILD").is_not_null())
    with_first = header.with_columns(pl.col("_line").min().over("CHILD").alias("first"))
    dupes = with_first.filter(pl.col("_line") != pl.col("first"))
    return _problems(dupes, "CHILD", pl.format("the child already appears on line {}", pl.col("first")))


def episode_orphan(frames: Frames) -> pl.DataFrame:
    orphans = (
        frames["episodes"]
        .filter(pl.col("CHILD").is_not_null())
        .join(frames["header"].select("CHILD").unique(), on="CHILD", how="anti")
    )
    return _problems(orphans, "CHILD", pl.lit("the child is not in header.csv"))


def episode_before_birth(frames: Frames) -> pl.DataFrame:
    joined = frames["episodes"].join(
        frames["header"].select("CHILD", "DOB").unique("CHILD", keep="first"), on="CHILD", how="inner"
    )
    early = joined.filter(pl.col("DECOM") < pl.col("DOB"))
    return _problems(early, "DECOM", pl.lit("the episode starts before the child's date of birth"))


def episode_dec_before_decom(frames: Frames) -> pl.DataFrame:
    bad = frames["episodes"].filter(pl.col("DEC") < pl.col("DECOM"))
    return _problems(
        bad,
        "DEC",
        pl.format("the episode ends ({}) before it starts ({})", _dmy("DEC"), _dmy("DECOM")),
    )


def episode_dec_rec_pair(frames: Frames) -> pl.DataFrame:
    episodes = frames["episodes"]
    no_rec = episodes.filter(pl.col("DEC").is_not_null() & pl.col("REC").is_null())
    no_dec = episodes.filter(pl.col("DEC").is_null() & pl.col("REC").is_not_null())
    return pl.concat(
        [
            _problems(no_rec, "REC", pl.lit("the episode has an end date (DEC) but no reason ceased (REC)")),
            _problems(no_dec, "DEC", pl.lit("the episode has a reason ceased (REC) but no end date (DEC)")),
        ]
    )


def episode_overlap(frames: Frames) -> pl.DataFrame:
    ordered = episodes_in_order(frames["episodes"])
    bad = ordered.filter(pl.col("prev_DEC").is_not_null() & (pl.col("DECOM") < pl.col("prev_DEC")))
    return _problems(
        bad,
        "DECOM",
        pl.format("the episode starts before the child's previous episode (line {}) ends", pl.col("prev_line")),
    )


def episode_open_not_latest(frames: Frames) -> pl.DataFrame:
    ordered = episodes_in_order(frames["episodes"])
    bad = ordered.filter(pl.col("DEC").is_null() & pl.col("next_DECOM").is_not_null())
    return _problems(
        bad,
        "DEC",
        pl.format(
            "the episode is open but the child has a later episode (line {}); only the latest may be open",
            pl.col("next_line"),
        ),
    )


def episode_x1_broken(frames: Frames) -> pl.DataFrame:
    ordered = episodes_in_order(frames["episodes"])
    bad = ordered.filter(
        (pl.col("REC") == "X1")
        & pl.col("DEC").is_not_null()
        & (pl.col("next_DECOM").is_null() | (pl.col("next_DECOM") != pl.col("DEC")))
    )
    return _problems(
        bad,
        "REC",
        pl.format(
            "REC is X1 (a new episode follows the same day) but no episode of the child starts on {}", _dmy("DEC")
        ),
    )


def starts_new_period() -> pl.Expr:
    """True where an episode begins a period of care (no X1 episode ends on its DECOM)."""
    return (
        ~pl.col("has_prev")
        | (pl.col("prev_REC") != "X1").fill_null(True)
        | (pl.col("prev_DEC") != pl.col("DECOM")).fill_null(True)
    )


def episode_new_period_not_s(frames: Frames) -> pl.DataFrame:
    ordered = episodes_in_order(frames["episodes"])
    bad = ordered.filter(starts_new_period() & (pl.col("RNE") != "S"))
    return _problems(
        bad,
        "RNE",
        pl.format("the episode starts a new period of care but RNE is '{}', not S", pl.col("RNE")),
    )


def _dmy(column: str) -> pl.Expr:
    return pl.col(column).dt.to_string("%d/%m/%Y")


_E, _W = Severity.ERROR, Severity.WARNING

READING_RULES: tuple[Rule, ...] = (
    Rule("FILE_MISSING", _E, "any", "A required extract (header.csv, episodes.csv) is in the folder."),
    Rule("FILE_EMPTY", _E, "any", "An extract holds at least a header row."),
    Rule("FILE_BINARY", _E, "any", "An extract is a text CSV file, not a spreadsheet or other binary file."),
    Rule("FILE_ENCODING", _E, "any", "Every line is valid UTF-8 (or Windows-1252 with --encoding cp1252)."),
    Rule("CSV_QUOTE", _E, "any", "Every quoted value is closed."),
    Rule("CSV_FIELD_COUNT", _E, "any", "Every row has as many fields as the header."),
    Rule("COLUMN_MISSING", _E, "any", "Every required column is in the header (any case, any order)."),
    Rule("COLUMN_DUPLICATE", _E, "any", "No contract column appears twice in the header."),
    Rule("CELL_REQUIRED", _E, "any", "A required cell is not empty."),
    Rule("CELL_DATE", _E, "any", "A date is a real date written dd/mm/yyyy or yyyy-mm-dd."),
    Rule("CELL_FUTURE_DATE", _E, "any", "No date is after the day of the run (a keying mistake)."),
    Rule("CELL_CODE", _E, "any", "A code is one the contract lists for its column (after mapping.toml)."),
)

EPISODE_RULES: tuple[Rule, ...] = (
    Rule("HEADER_CHILD_DUPLICATE", _E, "header.csv", "Each child appears once in header.csv.", header_child_duplicate),
    Rule("EPISODE_ORPHAN", _E, "episodes.csv", "Every episode's child is in header.csv.", episode_orphan),
    Rule(
        "EPISODE_BEFORE_BIRTH",
        _E,
        "episodes.csv",
        "No episode starts before the child's date of birth.",
        episode_before_birth,
    ),
    Rule(
        "EPISODE_DEC_BEFORE_DECOM",
        _E,
        "episodes.csv",
        "DEC, when present, is on or after DECOM.",
        episode_dec_before_decom,
    ),
    Rule("EPISODE_DEC_REC_PAIR", _E, "episodes.csv", "REC is present exactly when DEC is.", episode_dec_rec_pair),
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
    ),
    Rule(
        "EPISODE_NEW_PERIOD_NOT_S",
        _W,
        "episodes.csv",
        "The first episode of a period of care has RNE = S.",
        episode_new_period_not_s,
    ),
)


def check_rules(rules: tuple[Rule, ...], frames: Frames) -> list[Problem]:
    """Run every rule that has a check; all problems, errors and warnings together."""
    problems: list[Problem] = []
    for rule in rules:
        if rule.check is not None:
            problems += problems_from_frame(rule.check(frames), file=rule.file, rule=rule.id, severity=rule.severity)
    return problems
