"""The SSDA903 tables a return holds, by the names its files and elements use.

A return has the contract's ``header`` and ``episodes`` (stitched across the years), the UASC
table (used: children looked after excluding unaccompanied asylum-seeking children), and the other
tables of the collection, which are recognised and listed in the run log but not read: the report
uses none of them. The Mosaic-only files (``echo``, ``legal``, ``flags``, ``factors``) come from
the current extract alone.
"""

from __future__ import annotations

import re

from pipeline.read.schema import EPISODES, HEADER, UASC, FileSpec

# The columns a return's text frames carry beside the contract's: the file as messages name it,
# the line (from pipeline.read.csvfile), the element of an XML row, and what the stitch changed.
FILE, LOCATION, STITCH = "_file", "_location", "_stitch"
STITCHED = ("header", "episodes")
MOSAIC_ONLY = ("echo", "legal", "flags", "factors")
SPECS: dict[str, FileSpec] = {"header": HEADER, "episodes": EPISODES, "uasc": UASC}
# The other tables of the collection, each by the names its CSV file may have (the DfE's and
# the validators' spellings), and the element the XML return nests it in (inside HEADER).
OTHER_TABLES: dict[str, tuple[str, ...]] = {
    "reviews": ("reviews", "review", "areview"),
    "missing": ("missing", "amissing"),
    "oc2": ("oc2",),
    "oc3": ("oc3",),
    "ad1": ("ad1",),
    "placed_for_adoption": ("placed_for_adoption", "placed_adoption", "ad_placed"),
    "previous_permanence": ("previous_permanence", "prev_perm", "permanence"),
    "social_worker_episodes": ("social_worker_episodes", "sw_episodes", "sw_episode"),
}
XML_GROUPS = {
    "AREVIEW": "reviews",
    "AMISSING": "missing",
    "OC2": "oc2",
    "OC3": "oc3",
    "AD1": "ad1",
    "AD_PLACED": "placed_for_adoption",
    "PERMANENCE": "previous_permanence",
    "SW_EPISODE": "social_worker_episodes",
}
# OC3 and AD1 fields may also sit directly in HEADER (one row per child at most).
XML_HEADER_TABLE_FIELDS = {
    **dict.fromkeys(("IN_TOUCH", "ACTIV", "ACCOM"), "oc3"),
    **dict.fromkeys(("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"), "ad1"),
}

_TABLE_OF_NAME = {
    **{stem: stem for stem in (*STITCHED, *MOSAIC_ONLY, "uasc")},
    **{name: table for table, names in OTHER_TABLES.items() for name in names},
}
_NAMES = "|".join(sorted(_TABLE_OF_NAME, key=len, reverse=True))
PLAIN_CSV = re.compile(rf"^(?P<table>{_NAMES})\.csv$", re.IGNORECASE)
FLAT_CSV = (
    re.compile(rf"^(?P<year>\d{{4}})[-_](?P<table>{_NAMES})\.csv$", re.IGNORECASE),  # 2019-header.csv
    re.compile(rf"^(?P<table>{_NAMES})[-_](?P<year>\d{{4}})\.csv$", re.IGNORECASE),  # header_2019.csv
)
_NAMED = re.compile(rf"(?<![a-z0-9])({_NAMES})(?![a-z0-9])")


def table_of(name: str) -> str:
    """The table a file's name (without the year and ``.csv``) stands for: ``amissing`` is ``missing``."""
    return _TABLE_OF_NAME[name.lower()]


def names_a_table(file_name: str) -> bool:
    """Whether a file's name mentions a table of the return (a CSV that cannot be placed is then a problem)."""
    return _NAMED.search(file_name.lower().removesuffix(".csv")) is not None
