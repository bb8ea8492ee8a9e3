"""The measure ids of every table: the one place an id is written as text.

Each table of the run folder is a ``MeasureId`` class named after it (``ToxicTrio`` is
tables/toxic_trio.csv), its members its measure ids in report order, each named as its id in
capitals (``Headline.CLA_COUNT`` is ``cla_count``). The measures tag their rows with these
members, ``definitions.TABLES`` registers the classes, and the report's views and the public
edition's suppression rules (``report.suppression.Sel``) name figures by them. A member carries
its table, so naming a figure names both: a misspelt id, or an id asked of a table that does
not hold it, fails ``mypy`` instead of silently matching no row. A member is a ``str`` (its
value is the ``measure`` column), so it compares and filters as the text it stands for; but
Polars reads a *list* of enum members as an Enum column, so test a column against several with
``measure_in``, never ``is_in`` of the members themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

import polars as pl


class MeasureId(StrEnum):
    """A measure id of one table (a subclass per table; this class has no members of its own)."""

    @classmethod
    def table(cls) -> str:
        """The table's name, its file's stem: the class name in snake case (``ToxicTrio`` -> ``toxic_trio``)."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


def measure_in(measures: Iterable[MeasureId]) -> pl.Expr:
    """Whether a row's ``measure`` is one of ``measures`` (passed to Polars as text)."""
    return pl.col("measure").is_in([str(measure) for measure in measures])


class Headline(MeasureId):
    CLA_COUNT = "cla_count"
    CLA_RATE_PER_10K = "cla_rate_per_10k"
    POPULATION_0_17 = "population_0_17"
    CLA_COUNT_EXCLUDING_UASC = "cla_count_excluding_uasc"


class Comparators(MeasureId):
    COMPARATOR_RATE_PER_10K = "comparator_rate_per_10k"
    COMPARATOR_IMPLIED_COUNT = "comparator_implied_count"
    COMPARATOR_GAP = "comparator_gap"
    COMPARATOR_STARTED_RATE_PER_10K = "comparator_started_rate_per_10k"
    COMPARATOR_CEASED_RATE_PER_10K = "comparator_ceased_rate_per_10k"
    COMPARATOR_CEASED_PCT_OF_CLA = "comparator_ceased_pct_of_cla"
    COMPARATOR_IMPLIED_STARTED = "comparator_implied_started"
    COMPARATOR_IMPLIED_CEASED = "comparator_implied_ceased"


class Trend(MeasureId):
    CLA_COUNT = "cla_count"
    CLA_RATE_PER_10K = "cla_rate_per_10k"
    STARTED = "started"
    CEASED = "ceased"
    CLA_COUNT_EXCLUDING_UASC = "cla_count_excluding_uasc"


class Flows(MeasureId):
    STARTED = "started"
    STARTED_RATE_PER_10K = "started_rate_per_10k"
    CEASED = "ceased"
    CEASED_RATE_PER_10K = "ceased_rate_per_10k"
    CEASED_PCT_OF_CLA = "ceased_pct_of_cla"


class Discharges(MeasureId):
    CARE_ORDERS_DISCHARGED = "care_orders_discharged"


class Legal(MeasureId):
    LEGAL_CASES = "legal_cases"
    LEGAL_CASES_BY_ROUTE = "legal_cases_by_route"
    LEGAL_PLANNED_BY_MONTH = "legal_planned_by_month"
    LEGAL_EXPECTED_BY_HORIZON = "legal_expected_by_horizon"
    LEGAL_CONCLUDED = "legal_concluded"


class Echo(MeasureId):
    ECHO_FAMILIES = "echo_families"
    ECHO_CHILDREN = "echo_children"
    ECHO_PREVENTION_OUTCOME = "echo_prevention_outcome"
    ECHO_REUNIFICATION_OUTCOME = "echo_reunification_outcome"
    ECHO_SUSTAINED_PCT = "echo_sustained_pct"


class Cohorts(MeasureId):
    CLA_BY_LEGAL_STATUS = "cla_by_legal_status"
    CLA_BY_PLACEMENT = "cla_by_placement"
    CLA_BY_AGE = "cla_by_age"
    CLA_BY_SEX = "cla_by_sex"
    RESIDENTIAL_NO_FOSTER = "residential_no_foster"
    LT_MATCHES_MADE = "lt_matches_made"
    LT_MATCHED_NOW = "lt_matched_now"


class Costs(MeasureId):
    ESTIMATED_ANNUAL_COST = "estimated_annual_cost"
    AVERAGE_COST_PER_CHILD = "average_cost_per_child"


class ToxicTrio(MeasureId):
    TOXIC_TRIO_FAMILIES = "toxic_trio_families"
    TOXIC_TRIO_CHILDREN = "toxic_trio_children"
    TOXIC_TRIO_RISK_COUNT = "toxic_trio_risk_count"


class Trajectory(MeasureId):
    NET_FLOW_PER_MONTH = "net_flow_per_month"
    PROJECTED_CLA_COUNT = "projected_cla_count"
    MONTHS_TO_COMPARATOR = "months_to_comparator"


class DataQuality(MeasureId):
    INPUT_ROWS = "input_rows"
    WARNINGS = "warnings"


class Reconciliation(MeasureId):
    PUBLISHED_COUNT = "published_count"
    OWN_COUNT = "own_count"
    DIFFERENCE = "difference"
