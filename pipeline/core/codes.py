"""SSDA903 code lists and the report's code groups (measures.md, shared/domain)."""

from __future__ import annotations

SHORT_BREAK_LS = ("V3", "V4")

SEX = ("1", "2", "M", "F", "U")
SEX_GROUP = {"1": "male", "M": "male", "2": "female", "F": "female", "U": "unknown"}
ETHNIC = (
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
    "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
)  # fmt: skip
RNE = ("S", "L", "P", "T", "U", "B")
LS = ("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4")
CIN = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
PLACE = (
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3",
    "R5", "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
    "Z11", "Z12", "Z13", "Z14",
)  # fmt: skip
PLACE_PROVIDER = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
REC = (
    "X1", "E11", "E12", "E2", "E3", "E4", "E41", "E43", "E44", "E45", "E46", "E47", "E48",
    "E4A", "E4B", "E5", "E6", "E7", "E8", "E9", "E13", "E14", "E15", "E16", "E17",
)  # fmt: skip
REASON_PLACE_CHANGE = (
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ",
    "PLACE", "CUSTOD", "OTHER",
)  # fmt: skip
YES_NO = ("0", "1")

# Routes out of care, by the REC of the episode that ended the period (measures.md).
ROUTES: dict[str, tuple[str, ...]] = {
    "adoption": ("E11", "E12"),
    "sgo": ("E43", "E44", "E45", "E46", "E47", "E48"),
    "reunification": ("E4A", "E4B"),
    "cao": ("E41",),
    "independence": ("E5", "E6", "E17"),
}
ROUTE_ORDER = (*ROUTES, "other")

# Placement groups, by PLACE (and PLACE_PROVIDER for fostering) of the open episode.
PLACEMENT_GROUPS: dict[str, tuple[str, ...]] = {
    "kinship_fostering": ("U1", "U2", "U3"),
    "in_house_fostering": ("U4", "U5", "U6"),
    "agency_fostering": ("U4", "U5", "U6"),
    "residential": ("K1", "K2", "R1", "S1"),
    "placed_with_parents": ("P1",),
    "placed_for_adoption": ("A3", "A4", "A5", "A6"),
    "supported_or_independent": ("H5", "K3", "P2"),
}
IN_HOUSE_PROVIDERS = ("PR1", "PR2")
PLACEMENT_ORDER = (*PLACEMENT_GROUPS, "other")

LEGAL_GROUPS: dict[str, tuple[str, ...]] = {
    "care_order": ("C2",),
    "interim_care_order": ("C1",),
    "placement_order": ("E1", "D1"),
    "section_20": ("V2",),
    "youth_justice": ("J1", "J2", "J3"),
    "emergency": ("L1", "L2", "L3"),
}
LEGAL_ORDER = tuple(LEGAL_GROUPS)

DISCHARGE_ROUTES = ("sgo", "reunification", "cao")
CARE_ORDER_LS = "C2"

# Optional extracts (inputs.md): flags, ECHo, legal applications, assessment factors.
FLAG_LT_MATCH = "LT_MATCH"
FLAG_RES_NO_FOSTER = "RES_NO_FOSTER"
FLAGS = (FLAG_LT_MATCH, FLAG_RES_NO_FOSTER, "RES_ASSESSED_NEED")

ECHO_STRANDS = ("PREVENTION", "REUNIFICATION")
ECHO_OUTCOMES_BY_STRAND: dict[str, tuple[str, ...]] = {
    "PREVENTION": ("REMAINED_HOME", "ENTERED_CARE", "WITHDRAWN"),
    "REUNIFICATION": ("RETURNED_HOME", "REMAIN_IN_CARE", "RETURN_PLANNED", "WITHDRAWN"),
}
ECHO_OUTCOMES = ("REMAINED_HOME", "ENTERED_CARE", "RETURNED_HOME", "REMAIN_IN_CARE", "RETURN_PLANNED", "WITHDRAWN")
HOME_PLACEMENT = "P1"  # placed with parents: a return home the episodes can prove

LEGAL_ROUTES = ("SGO", "REUNIFICATION", "CAO")
LEGAL_OUTCOMES = ("GRANTED", "REFUSED", "WITHDRAWN")
LEGAL_STAGES = ("planned", "with_legal", "in_proceedings")

ASSESSMENT_LEVELS = ("BELOW_THRESHOLD", "CIN", "CP", "CLA")

# CIN census factors identified at the end of assessment (shared/domain §4), including the
# historic 18A/19A that older assessments still carry.
CIN_FACTORS = (
    "1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C",
    "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A",
    "14A", "15A", "16A", "17A", "18A", "18B", "18C", "19A", "19B", "19C", "20", "21", "22A",
    "23A", "24A",
)  # fmt: skip

# The toxic trio, "strict" reading: each risk is about the parent(s) or carer(s) (shared/domain §4).
TOXIC_TRIO: dict[str, tuple[str, ...]] = {
    "domestic_abuse": ("3B",),
    "substance_misuse": ("1B", "2B"),
    "mental_health": ("4B",),
}
