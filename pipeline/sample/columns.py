"""The columns of each file the sample writes, in the input contract's order."""

from __future__ import annotations

HEADER = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODES = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip
ECHO = ("FAMILY", "CHILD", "STRAND", "REFERRAL_DATE", "START_DATE", "END_DATE", "OUTCOME")
LEGAL = (
    "CHILD", "ROUTE", "PLANNED_DATE", "REFERRED_DATE", "ISSUED_DATE", "CONCLUDED_DATE", "OUTCOME",
)  # fmt: skip
FLAGS = ("CHILD", "FLAG", "START_DATE", "END_DATE")
FACTORS = ("CHILD", "FAMILY", "ASSESSMENT_DATE", "FACTORS", "LEVEL")
UASC = ("CHILD", "SEX", "DOB", "DUC")  # the SSDA903 UASC table (uasc.csv), written when asked for
