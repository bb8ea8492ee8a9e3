"""Numbers, dates and labels as the report prints them (GOV.UK style: "1,234", "2 November 2020",
"£51,000"), numbers rounded half up as the tables are (``pipeline.core.rounding``); templates only
lay out strings formatted here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pipeline.core.rounding import half_up

LABELS = {
    "all": "All",
    # routes out of care
    "adoption": "Adoption",
    "sgo": "Special guardianship order",
    "reunification": "Reunification (returned home)",
    "cao": "Child arrangements order",
    "independence": "Independent living or staying put",
    "other": "Other",
    # placements
    "kinship_fostering": "Kinship fostering",
    "in_house_fostering": "In-house fostering",
    "agency_fostering": "Agency fostering",
    "residential": "Residential",
    "placed_with_parents": "Placed with parents",
    "placed_for_adoption": "Placed for adoption",
    "supported_or_independent": "Supported or independent living",
    # legal status
    "care_order": "Full care order",
    "interim_care_order": "Interim care order",
    "placement_order": "Placement order",
    "section_20": "Accommodated under section 20",
    "youth_justice": "Youth justice",
    "emergency": "Police protection or emergency order",
    # age and sex
    "under_1": "Under 1",
    "1_to_4": "1 to 4",
    "5_to_9": "5 to 9",
    "10_to_15": "10 to 15",
    "16_plus": "16 and over",
    "male": "Boys",
    "female": "Girls",
    "unknown": "Not recorded",
    # legal pipeline
    "planned": "Planned, not yet referred",
    "with_legal": "With legal services",
    "in_proceedings": "In proceedings at court",
    "granted": "Granted",
    "refused": "Refused",
    "withdrawn": "Withdrawn",
    # ECHo
    "prevention": "Edge of care (prevention)",
    "not_entered_care": "Not entered care",
    "entered_care_during": "Entered care during the work",
    "entered_care_after": "Entered care after the work ended",
    "returned_home": "Returned home",
    "remain_in_care": "To remain in care",
    "return_planned": "More family time, return planned",
    "open": "Work continuing",
    "6m": "6 months",
    "12m": "12 months",
    "18m": "18 months",
    "24m": "24 months",
    # toxic trio
    "below_threshold": "Below the social care threshold",
    "cin": "Child in need",
    "cp": "Child protection plan",
    "cla": "Looked after",
    "1": "One of the three risks",
    "2": "Two of the three risks",
    "3": "All three risks",
}

NOTES = {"no unit cost in council.toml": "no unit cost set"}  # table notes said for a committee reader


def whole(value: float | int) -> str:
    """A whole number with thousands separators: 1,234."""
    return f"{half_up(float(value)):,}"


def one_decimal(value: float) -> str:
    return f"{half_up(value, 1):,}"


def money(value: float) -> str:
    """Whole pounds: £51,000."""
    return f"£{half_up(value):,}"


def long_date(day: dt.date) -> str:
    """GOV.UK style: 2 November 2020."""
    return f"{day.day} {day:%B %Y}"


def month_year(day: dt.date) -> str:
    return f"{day:%B %Y}"


def signed(value: float) -> str:
    """+63, 0 or −12 (a true minus sign)."""
    if value > 0:
        return f"+{whole(value)}"
    return "0" if value == 0 else f"\u2212{whole(-value)}"


def rate_whole(rate: float) -> str:
    """Rates in the report are whole numbers, rounded half up from the CSV's one decimal (93.5 -> 94)."""
    return whole(float(half_up(rate, 1)))


def joined(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def label(group: str) -> str:
    return LABELS.get(group, group.replace("_", " ").capitalize())
