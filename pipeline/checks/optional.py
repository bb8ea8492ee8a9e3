"""Rules of the optional extracts (echo.csv, legal.csv, flags.csv, factors.csv; inputs.md).

Same convention as the episode rules: each rule is a small function over the typed frames
returning the failing rows as a problem frame (``_line``, ``column``, ``message``). A rule
runs only when its file is in the folder, and a rule that also reads header.csv or
episodes.csv only when those loaded too (its ``needs``). Messages quote dates and codes of the
optional files, never a child's or family's identifier.
"""

from __future__ import annotations

import polars as pl

from pipeline.care.events import care_starts, factor_codes, returns_home, with_event_between
from pipeline.checks.frames import (
    HEADER_CHILDREN,
    PERIODS,
    as_dmy,
    children_not_in_header,
    periods,
    problem_frame,
    unpaired,
)
from pipeline.core import codes
from pipeline.core.dates import DMY_FORMAT, OPEN_END
from pipeline.core.problems import Severity
from pipeline.core.rules import Frames, Rule

LEGAL_STAGE_DATES = ("PLANNED_DATE", "REFERRED_DATE", "ISSUED_DATE", "CONCLUDED_DATE")


def _end_before_start(frames: Frames, stem: str) -> pl.DataFrame:
    bad = frames[stem].filter(pl.col("END_DATE") < pl.col("START_DATE"))
    return problem_frame(
        bad, "END_DATE", pl.format("END_DATE ({}) is before START_DATE ({})", as_dmy("END_DATE"), as_dmy("START_DATE"))
    )


# legal.csv


def legal_orphan(frames: Frames) -> pl.DataFrame:
    return children_not_in_header(frames, "legal")


def legal_dates_out_of_order(frames: Frames) -> pl.DataFrame:
    """Each stage date that is before the nearest earlier stage date present."""
    legal = frames["legal"]
    found = []
    for index, column in enumerate(LEGAL_STAGE_DATES[1:], start=1):
        earlier = list(reversed(LEGAL_STAGE_DATES[:index]))  # nearest earlier stage first
        previous = pl.coalesce([pl.col(c) for c in earlier])
        previous_name = pl.coalesce([pl.when(pl.col(c).is_not_null()).then(pl.lit(c)) for c in earlier])
        bad = legal.filter((pl.col(column) < previous).fill_null(False))
        message = pl.format(
            "{} ({}) is before {} ({}): the stages go PLANNED <= REFERRED <= ISSUED <= CONCLUDED",
            pl.lit(column),
            as_dmy(column),
            previous_name,
            previous.dt.to_string(DMY_FORMAT),
        )
        found.append(problem_frame(bad, column, message))
    return pl.concat(found)


def legal_outcome_pair(frames: Frames) -> pl.DataFrame:
    return unpaired(
        frames["legal"],
        "CONCLUDED_DATE",
        "OUTCOME",
        without_second="the application has a CONCLUDED_DATE but no OUTCOME",
        without_first="the application has an OUTCOME but no CONCLUDED_DATE",
    )


# echo.csv


def echo_end_before_start(frames: Frames) -> pl.DataFrame:
    return _end_before_start(frames, "echo")


def echo_start_before_referral(frames: Frames) -> pl.DataFrame:
    bad = frames["echo"].filter(pl.col("START_DATE") < pl.col("REFERRAL_DATE"))
    return problem_frame(
        bad,
        "START_DATE",
        pl.format("START_DATE ({}) is before REFERRAL_DATE ({})", as_dmy("START_DATE"), as_dmy("REFERRAL_DATE")),
    )


def echo_outcome_strand(frames: Frames) -> pl.DataFrame:
    found = []
    for strand, outcomes in codes.ECHO_OUTCOMES_BY_STRAND.items():
        bad = frames["echo"].filter((pl.col("STRAND") == strand) & ~pl.col("OUTCOME").is_in(outcomes))
        message = pl.format(
            "'{}' is not an outcome of the {} strand (expected {})",
            pl.col("OUTCOME"),
            pl.lit(strand),
            pl.lit(", ".join(outcomes)),
        )
        found.append(problem_frame(bad, "OUTCOME", message))
    return pl.concat(found)


def echo_outcome_contradicted(frames: Frames) -> pl.DataFrame:
    """Recorded outcomes the episodes disprove, judged over the involvement (START_DATE to
    END_DATE, or with no end while ongoing); the report uses the episodes."""
    echo = frames["echo"].filter(pl.col("START_DATE").is_not_null() & pl.col("OUTCOME").is_not_null())
    end = pl.col("END_DATE").fill_null(OPEN_END)
    care = periods(frames)
    entered = with_event_between(echo, care_starts(care), pl.col("START_DATE"), end, "_entered")
    checked = with_event_between(entered, returns_home(frames["episodes"], care), pl.col("START_DATE"), end, "_home")
    outcome = pl.col("OUTCOME")
    contradicts = [
        (outcome == "REMAINED_HOME") & pl.col("_entered"),
        (outcome == "ENTERED_CARE") & ~pl.col("_entered"),
        (outcome == "RETURNED_HOME") & ~pl.col("_home"),
        outcome.is_in(("REMAIN_IN_CARE", "RETURN_PLANNED")) & pl.col("_home"),
    ]
    shown = [
        "a period of care started during the involvement",
        "no period of care started during the involvement",
        "the child did not go home during the involvement (no REC E4A/E4B and no P1 placement)",
        "the child went home during the involvement (REC E4A/E4B or a P1 placement)",
    ]
    why = pl.coalesce([pl.when(rule).then(pl.lit(text)) for rule, text in zip(contradicts, shown, strict=True)])
    bad = checked.with_columns(why.alias("_why")).filter(pl.col("_why").is_not_null())
    message = pl.format(
        "OUTCOME is '{}' but the episodes say {}: the report uses the episodes", outcome, pl.col("_why")
    )
    return problem_frame(bad, "OUTCOME", message)


# flags.csv


def flag_orphan(frames: Frames) -> pl.DataFrame:
    return children_not_in_header(frames, "flags")


def flag_end_before_start(frames: Frames) -> pl.DataFrame:
    return _end_before_start(frames, "flags")


def _once_per_code(rows: pl.DataFrame, code: str) -> pl.DataFrame:
    """One row per distinct unknown ``code``, at its first line, with ``_rows``: how many rows
    carry it (a council may send its whole flag table: one warning per row would drown the log)."""
    return (
        rows.group_by(code)
        .agg(pl.col("_line").min(), pl.len().alias("_rows"))
        .with_columns(
            pl.when(pl.col("_rows") > 1)
            .then(pl.format(" (on {} rows, the first here)", "_rows"))
            .otherwise(pl.lit(""))
            .alias("_rows_text")
        )
        .sort("_line", code)
    )


def flag_unknown(frames: Frames) -> pl.DataFrame:
    """Each flag code the report does not use, once, at its first line."""
    bad = frames["flags"].filter(pl.col("FLAG").is_not_null() & ~pl.col("FLAG").is_in(codes.FLAGS))
    message = pl.format(
        "'{}' is not a flag the report uses ({}): ignored{}",
        pl.col("FLAG"),
        pl.lit(", ".join(codes.FLAGS)),
        pl.col("_rows_text"),
    )
    return problem_frame(_once_per_code(bad, "FLAG"), "FLAG", message)


# factors.csv


def factors_unknown(frames: Frames) -> pl.DataFrame:
    """Each code in FACTORS that is not a CIN census assessment factor, once, at its first line.

    Each distinct FACTORS cell is read once (a national file has 1.2 million, seventeen thousand
    distinct), and only the rows holding an unknown code are looked at again.
    """
    factors = frames["factors"].filter(pl.col("FACTORS").is_not_null()).select("_line", "FACTORS")
    codes_of = (
        factors.select(pl.col("FACTORS").unique())
        .with_columns(factor_codes().alias("_code"))
        .explode("_code")
        .filter(pl.col("_code").is_not_null() & ~pl.col("_code").is_in(codes.CIN_FACTORS))
    )
    holding = factors.filter(pl.col("FACTORS").is_in(codes_of.get_column("FACTORS").implode()))
    unknown = holding.join(codes_of, on="FACTORS").select("_line", "_code").unique(["_line", "_code"])
    message = pl.format("'{}' is not a CIN assessment factor code: ignored{}", pl.col("_code"), pl.col("_rows_text"))
    return problem_frame(_once_per_code(unknown, "_code"), "FACTORS", message)


_E, _W = Severity.ERROR, Severity.WARNING
# What the periods of care and the returns home are made of: every episode of the child.
_CARE = tuple(f"episodes.{c}" for c in ("CHILD", "DECOM", "DEC", "REC", "RNE", "LS", "PLACE"))

OPTIONAL_RULES: tuple[Rule, ...] = (
    Rule(
        "ECHO_END_BEFORE_START",
        _E,
        "echo.csv",
        "END_DATE, when present, is on or after START_DATE.",
        echo_end_before_start,
        reads=("START_DATE", "END_DATE"),
    ),
    Rule(
        "ECHO_START_BEFORE_REFERRAL",
        _E,
        "echo.csv",
        "START_DATE, when present, is on or after REFERRAL_DATE.",
        echo_start_before_referral,
        reads=("START_DATE", "REFERRAL_DATE"),
    ),
    Rule(
        "ECHO_OUTCOME_STRAND",
        _E,
        "echo.csv",
        "OUTCOME is one of its STRAND's outcomes.",
        echo_outcome_strand,
        reads=("STRAND", "OUTCOME"),
    ),
    Rule(
        "ECHO_OUTCOME_CONTRADICTED",
        _W,
        "echo.csv",
        "A recorded OUTCOME agrees with the episodes (entering care, going home); where not, the episodes win.",
        echo_outcome_contradicted,
        needs=("echo", "episodes"),
        reads=("CHILD", "START_DATE", "END_DATE", "OUTCOME"),
        across=_CARE,
        shares=(PERIODS,),
    ),
    Rule(
        "LEGAL_ORPHAN",
        _E,
        "legal.csv",
        "Every application's child is in header.csv.",
        legal_orphan,
        needs=("legal", "header"),
        reads=("CHILD",),
        across=("header.CHILD",),
        shares=(HEADER_CHILDREN,),
    ),
    Rule(
        "LEGAL_DATES_OUT_OF_ORDER",
        _E,
        "legal.csv",
        "Dates present are in order PLANNED <= REFERRED <= ISSUED <= CONCLUDED.",
        legal_dates_out_of_order,
        reads=LEGAL_STAGE_DATES,
    ),
    Rule(
        "LEGAL_OUTCOME_PAIR",
        _E,
        "legal.csv",
        "OUTCOME is present exactly when CONCLUDED_DATE is.",
        legal_outcome_pair,
        reads=("CONCLUDED_DATE", "OUTCOME"),
    ),
    Rule(
        "FLAG_ORPHAN",
        _E,
        "flags.csv",
        "Every flag's child is in header.csv.",
        flag_orphan,
        needs=("flags", "header"),
        reads=("CHILD",),
        across=("header.CHILD",),
        shares=(HEADER_CHILDREN,),
    ),
    Rule(
        "FLAG_END_BEFORE_START",
        _E,
        "flags.csv",
        "END_DATE, when present, is on or after START_DATE.",
        flag_end_before_start,
        reads=("START_DATE", "END_DATE"),
    ),
    Rule(
        "FLAG_UNKNOWN",
        _W,
        "flags.csv",
        "FLAG is LT_MATCH, RES_NO_FOSTER or RES_ASSESSED_NEED (others are ignored).",
        flag_unknown,
        reads=("FLAG",),
    ),
    Rule(
        "FACTORS_UNKNOWN",
        _W,
        "factors.csv",
        "Every code in FACTORS is a CIN census factor (others are ignored).",
        factors_unknown,
        reads=("FACTORS",),
    ),
)
