"""echo.csv: the Edge of Care / Home (ECHo) service's families, children and outcomes.

Involvements counted are those with a START_DATE on or after the config's ECHo start date
(any, when the config has no ``[echo]``) and on or before D. An END_DATE after D is treated
as ongoing on D: the figures of a past month never use what happened after it.

Choices the definitions leave open (stated here, next to the code that makes them):
- A child with more than one involvement in a strand is counted once in that strand, by
  their latest involvement (latest START_DATE, then REFERRAL_DATE, then the later row).
- Outcomes the episodes can prove win over what the worker recorded: entering care (a
  period of care starting) and returning home (a period ceasing by reunification, or an
  episode placed with parents, P1, starting). A recorded OUTCOME is used only for what the
  episodes cannot show (REMAIN_IN_CARE, RETURN_PLANNED), and only when it was recorded by D
  (END_DATE empty or on or before D).
- "Ended successfully" in ``echo_sustained_pct`` is judged when the involvement ended:
  prevention, no period of care started between START_DATE and END_DATE; reunification, a
  return home between START_DATE and END_DATE. Each strand's children count separately.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.care.events import care_starts, returns_home, with_event_between
from pipeline.care.rates import percent_expr
from pipeline.measures.ids import Echo, MeasureId
from pipeline.measures.tidy import complete_groups, tidy
from pipeline.read.config import CouncilConfig

STRAND_GROUPS = ("prevention", "reunification")
PREVENTION_GROUPS = ("not_entered_care", "entered_care_during", "entered_care_after")
REUNIFICATION_GROUPS = ("returned_home", "remain_in_care", "return_planned", "open")
SUSTAINED_MONTHS = (6, 12, 18, 24)


def involvements_on(echo: pl.DataFrame, config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Involvements started from the service's start date to D, with ``_end``: the END_DATE
    when it is on or before D, else null (ongoing on D)."""
    first = config.echo.start_date if config.echo else dt.date.min
    return echo.filter(pl.col("START_DATE").is_between(first, as_at)).with_columns(
        pl.when(pl.col("END_DATE") <= as_at).then(pl.col("END_DATE")).alias("_end"),
        pl.col("STRAND").cast(pl.String).str.to_lowercase().alias("strand"),
    )


def latest_per_child(involvements: pl.DataFrame) -> pl.DataFrame:
    """Each child's latest involvement in each strand."""
    return involvements.sort("strand", "CHILD", "START_DATE", "REFERRAL_DATE", "_line").unique(
        ["strand", "CHILD"], keep="last", maintain_order=True
    )


def _period_start(config: CouncilConfig) -> dt.date | None:
    return config.echo.start_date if config.echo else None


def _per_strand(
    frame: pl.DataFrame, column: str, measure: MeasureId, config: CouncilConfig, as_at: dt.date
) -> pl.DataFrame:
    counts = frame.group_by("strand").agg(pl.col(column).n_unique().alias("value"))
    rows = complete_groups(counts, STRAND_GROUPS, key="strand").rename({"strand": "group"})
    dated = rows.with_columns(pl.lit(_period_start(config)).alias("period_start"), pl.lit(as_at).alias("period_end"))
    return tidy(dated, measure=measure, unit="count")


def echo_families(involvements: pl.DataFrame, config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Distinct families the service worked with, by strand."""
    return _per_strand(involvements, "FAMILY", Echo.ECHO_FAMILIES, config, as_at)


def echo_children(involvements: pl.DataFrame, config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Distinct children the service worked with, by strand."""
    return _per_strand(involvements, "CHILD", Echo.ECHO_CHILDREN, config, as_at)


def prevention_outcomes(latest: pl.DataFrame, starts: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Each prevention child's outcome on D (column ``outcome``), and ``success``: no period of
    care started while the service worked with the family (judged at END_DATE)."""
    prevention = latest.filter(pl.col("strand") == "prevention")
    window_end = pl.col("_end").fill_null(as_at)
    during = with_event_between(prevention, starts, pl.col("START_DATE"), window_end, "_during")
    after = with_event_between(
        during,
        starts,
        pl.col("_end") + dt.timedelta(days=1),
        pl.when(pl.col("_end").is_not_null()).then(as_at),
        "_after",
    )
    return after.with_columns(
        pl.when("_during")
        .then(pl.lit("entered_care_during"))
        .when("_after")
        .then(pl.lit("entered_care_after"))
        .otherwise(pl.lit("not_entered_care"))
        .alias("outcome"),
        (pl.col("_end").is_not_null() & ~pl.col("_during")).alias("success"),
    )


def reunification_outcomes(latest: pl.DataFrame, homes: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Each reunification child's outcome on D (column ``outcome``), and ``success``: the child
    went home between START_DATE and END_DATE (the involvement has ended by D)."""
    reunification = latest.filter(pl.col("strand") == "reunification")
    by_d = with_event_between(reunification, homes, pl.col("START_DATE"), pl.lit(as_at), "_home")
    by_end = with_event_between(by_d, homes, pl.col("START_DATE"), pl.col("_end"), "_home_by_end")
    recorded = pl.when(pl.col("END_DATE").is_null() | (pl.col("END_DATE") <= as_at)).then(pl.col("OUTCOME"))
    return by_end.with_columns(
        pl.when("_home")
        .then(pl.lit("returned_home"))
        .when(recorded == "REMAIN_IN_CARE")
        .then(pl.lit("remain_in_care"))
        .when(recorded == "RETURN_PLANNED")
        .then(pl.lit("return_planned"))
        .otherwise(pl.lit("open"))
        .alias("outcome"),
        pl.col("_home_by_end").alias("success"),
    )


def _outcome_counts(
    outcomes: pl.DataFrame, groups: tuple[str, ...], measure: MeasureId, config: CouncilConfig, as_at: dt.date
) -> pl.DataFrame:
    counts = outcomes.group_by("outcome").agg(pl.len().alias("value"))
    rows = complete_groups(counts, groups, key="outcome").rename({"outcome": "group"})
    dated = rows.with_columns(pl.lit(_period_start(config)).alias("period_start"), pl.lit(as_at).alias("period_end"))
    return tidy(dated, measure=measure, unit="count")


def echo_prevention_outcome(outcomes: pl.DataFrame, config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Prevention children who did not enter care, entered care during the involvement, or after it."""
    return _outcome_counts(outcomes, PREVENTION_GROUPS, Echo.ECHO_PREVENTION_OUTCOME, config, as_at)


def echo_reunification_outcome(outcomes: pl.DataFrame, config: CouncilConfig, as_at: dt.date) -> pl.DataFrame:
    """Reunification children who went home, will remain in care, have a plan to return, or are open."""
    return _outcome_counts(outcomes, REUNIFICATION_GROUPS, Echo.ECHO_REUNIFICATION_OUTCOME, config, as_at)


def echo_sustained_pct(successes: pl.DataFrame, starts: pl.DataFrame, as_at: dt.date) -> pl.DataFrame:
    """Of children whose involvement ended successfully at least N months before D, the share
    with no period of care starting from END_DATE to N months after it; empty when there are none."""
    ended = successes.filter(pl.col("success"))
    rows = []
    for order, months in enumerate(SUSTAINED_MONTHS):
        horizon = pl.col("_end").dt.offset_by(f"{months}mo")
        eligible = ended.filter(horizon <= as_at)
        back = with_event_between(eligible, starts, pl.col("_end"), horizon, "_back")
        rows.append(
            back.select(
                pl.lit(f"{months}m").alias("group"),
                pl.lit(order).alias("order"),
                (~pl.col("_back")).sum().alias("_sustained"),
                pl.len().alias("denominator"),
            )
        )
    frame = pl.concat(rows).with_columns(
        percent_expr(pl.col("_sustained"), pl.col("denominator")).alias("value"), pl.lit(as_at).alias("period_end")
    )
    return tidy(frame, measure=Echo.ECHO_SUSTAINED_PCT, unit="percent")


def echo_table(
    echo: pl.DataFrame, episodes: pl.DataFrame, periods: pl.DataFrame, config: CouncilConfig, as_at: dt.date
) -> pl.DataFrame:
    """``periods``: ``care.periods_of_care(episodes)``."""
    involvements = involvements_on(echo, config, as_at)
    latest = latest_per_child(involvements)
    starts = care_starts(periods)
    prevention = prevention_outcomes(latest, starts, as_at)
    reunification = reunification_outcomes(latest, returns_home(episodes, periods), as_at)
    successes = pl.concat(
        [prevention.select("CHILD", "_end", "success"), reunification.select("CHILD", "_end", "success")]
    )
    return pl.concat(
        [
            echo_families(involvements, config, as_at),
            echo_children(involvements, config, as_at),
            echo_prevention_outcome(prevention, config, as_at),
            echo_reunification_outcome(reunification, config, as_at),
            echo_sustained_pct(successes, starts, as_at),
        ]
    )
