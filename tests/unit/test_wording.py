"""The report's sentences as a committee hears them: time to a comparator in words, no sentence read
aloud as "so far c of these children", no "children starting less children ceasing"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pipeline.core.words import counted
from pipeline.report.cohorts import matching_sentence, residential_sentence
from pipeline.report.discharges import discharges_sentence
from pipeline.report.echo import prevention_outcomes, reunification_outcomes, worked_with
from pipeline.report.figures import Row, clauses, withheld
from pipeline.report.legal import expected_sentence, stages_sentence
from pipeline.report.trajectory import change_sentence, time_to_reach

D = dt.date(2020, 10, 31)
YEAR = dt.date(2019, 11, 1)


def figure(value: Any, *, hidden: bool = False, group: str = "all", **extra: Any) -> Row:
    return {
        "group": group,
        "value": "c" if hidden else value,
        "suppressed": hidden,
        "denominator_suppressed": False,
        "period_start": YEAR,
        "period_end": D,
        **extra,
    }


@pytest.mark.parametrize(
    ("months", "said"),
    [
        (0, "already at or below it"),
        (1, "1 month"),
        (24, "24 months"),
        (25, "about 2 years (25 months)"),
        (111, "about 9 years (111 months)"),  # 9.25 years
        (114, "about 10 years (114 months)"),  # 9.5 years, rounded half up
        (120, "about 10 years (120 months)"),
        (121, "not within ten years at this rate"),
        (294, "not within ten years at this rate"),  # England in the sample, October 2020
        (None, "never at this rate: the number is not falling"),
    ],
)
def test_the_time_to_a_comparator_is_said_as_a_committee_would_say_it(months: int | None, said: str) -> None:
    assert time_to_reach(figure(months)) == said


def test_a_hidden_time_to_a_comparator_stays_hidden() -> None:
    assert time_to_reach(figure(None, hidden=True)) == "c"


def test_the_net_flow_says_which_way_and_why_without_less() -> None:
    lead = "Over the last 12 months the number looked after"
    assert change_sentence(figure(-0.3)) == (
        f"{lead} fell by 0.3 a month on average: more children ceased to be looked after than started."
    )
    assert change_sentence(figure(2.0)) == (
        f"{lead} rose by 2 a month on average: more children started to be looked after than ceased."
    )
    assert change_sentence(figure(0.0)) == (
        "Over the last 12 months as many children started to be looked after as ceased, so the number looked"
        " after did not change."
    )
    assert change_sentence(figure(None, hidden=True)) == (
        "Over the last 12 months the average change a month in the number looked after is not published, to"
        " protect children's privacy."
    )


def test_clauses_keep_shown_numbers_and_name_the_hidden_ones() -> None:
    parts = [
        (figure(1), "{children} {were} placed", "placed"),
        (figure(3), "{children} {have} gone", "gone"),
        (figure(2, hidden=True), "{} hidden", "hidden here"),
    ]
    assert clauses(parts) == (["1 child was placed", "3 children have gone"], ["hidden here"])
    assert withheld([]) == ""
    assert withheld(["with legal services"], of="of applications ") == (
        "The number of applications with legal services is not published, to protect children's privacy."
    )
    assert withheld(["a", "b", "c"]) == "The numbers a, b and c are not published, to protect children's privacy."


def test_the_public_edition_never_reads_c_as_a_number_in_a_sentence() -> None:
    """The sentences of the sample's public edition (October 2020), rephrased around its hidden numbers."""
    outcome = {
        "not_entered_care": figure(13, hidden=True),
        "entered_care_during": figure(2, hidden=True),
        "entered_care_after": figure(0),
        "returned_home": figure(11),
        "remain_in_care": figure(3, hidden=True),
        "return_planned": figure(2, hidden=True),
        "open": figure(9),
    }
    assert prevention_outcomes(outcome) == (
        "So far 0 of these children came into care after the work ended. The numbers of children who have not"
        " come into care and who came into care while the team were working with the family are not published,"
        " to protect children's privacy."
    )
    assert reunification_outcomes(outcome) == (
        "Of these, 11 children have returned to their parents' care and the work is continuing for 9 children."
        " The numbers of children who are to remain in care and who are having more family time with a plan to"
        " return home are not published, to protect children's privacy."
    )
    assert worked_with("The team have also", figure(3, hidden=True), figure(4, hidden=True), "with a plan") == (
        "The team have also worked with families with a plan. The numbers of families and children are not"
        " published, to protect children's privacy."
    )
    routes = [
        figure(22, group="sgo"),
        figure(11, hidden=True, group="reunification"),
        figure(1, hidden=True, group="cao"),
    ]
    assert discharges_sentence(figure(34), routes) == (
        "From 1 November 2019 to 31 October 2020, 34 children had their full care order discharged: 22 through a"
        " special guardianship order. The numbers discharged by reunification with their parents and through a"
        " child arrangements order are not published, to protect children's privacy."
    )
    assert discharges_sentence(figure(3, hidden=True), [figure(3, hidden=True, group="sgo")]) == (
        "From 1 November 2019 to 31 October 2020, full care orders were discharged. The numbers discharged in all"
        " and through a special guardianship order are not published, to protect children's privacy."
    )


def test_the_legal_and_cohort_sentences_around_hidden_numbers() -> None:
    class Report:
        as_at = D

    stages = {"in_proceedings": figure(20), "with_legal": figure(1, hidden=True), "planned": figure(16)}
    assert stages_sentence(Report(), stages) == (  # type: ignore[arg-type]
        "Of the applications to discharge a care order open on 31 October 2020, 20 were in proceedings at court and"
        " 16 were planned but not yet referred. The number of applications with legal services is not published,"
        " to protect children's privacy."
    )
    assert expected_sentence(figure(1, period_end=dt.date(2020, 12, 31))) == (
        "Of the planned cases, 1 is expected to be with legal services by the end of December 2020."
    )
    assert expected_sentence(figure(2, hidden=True, period_end=dt.date(2020, 12, 31))) == (
        "The number of planned cases expected to be with legal services by the end of December 2020 is not"
        " published, to protect children's privacy."
    )
    residential = figure(3, hidden=True, denominator=36)
    assert residential_sentence(residential, D) == (
        "On 31 October 2020, 36 children were in residential care. The number of them placed there because no"
        " suitable foster placement could be found is not published, to protect children's privacy."
    )
    assert residential_sentence(figure(1, denominator=1), D) == (
        "On 31 October 2020, 1 child was in residential care. Of these, 1 was placed there because no suitable"
        " foster placement could be found."
    )
    assert matching_sentence(figure(42), figure(2, hidden=True), D) == (
        "From 1 November 2019 to 31 October 2020, 42 children were long-term matched with their foster carers."
        " The number of children in a long-term match on 31 October 2020 is not published, to protect children's"
        " privacy."
    )


def test_a_summary_line_counts_in_the_singular_for_one() -> None:
    assert counted(1, "warning") == "1 warning"
    assert [counted(n, "warning") for n in (0, 2, 1306)] == ["0 warnings", "2 warnings", "1306 warnings"]
    assert counted(1, "comparator entry", "comparator entries") == "1 comparator entry"
    assert counted(3, "comparator entry", "comparator entries") == "3 comparator entries"
