"""The rules of a folder of annual returns: its layout, the XML returns, and what the stitch decided.

They are applied while the folder is read (``layout``, ``xmlreturn``, ``stitch`` and
``corrections``) and have no ``check`` of their own. The stitch's are warnings: a newer source is
the truth for its window, so a disagreement is resolved, and said.
"""

from __future__ import annotations

from pipeline.core.problems import Severity
from pipeline.core.rules import Rule

_E, _W = Severity.ERROR, Severity.WARNING
_FOLDER = "extracts folder"

LAYOUT_RULES: tuple[Rule, ...] = (
    Rule(
        "LAYOUT_AMBIGUOUS",
        _E,
        _FOLDER,
        "Each collection year has one source (a year folder, files named with the year, or an XML return), each"
        " table one file, and there is one current extract: anything more is listed, to keep one.",
    ),
    Rule(
        "LAYOUT_YEAR_UNKNOWN",
        _E,
        _FOLDER,
        "A return's file or folder names one collection year by the year it ends (2019 for 2018-19): not none, not"
        " two, not 2018-19.",
    ),
    Rule(
        "LAYOUT_YEAR_CONFLICT",
        _E,
        _FOLDER,
        "A file in a year folder is not named for another year.",
    ),
    Rule(
        "LAYOUT_FILE_MISSING",
        _E,
        _FOLDER,
        "A CSV return, and the current extract, have both header.csv and episodes.csv.",
    ),
    Rule(
        "LAYOUT_YEAR_FUTURE",
        _E,
        _FOLDER,
        "No return is for a collection year that had not started on the day the extract was taken.",
    ),
    Rule(
        "LAYOUT_YEAR_MISSING",
        _E,
        _FOLDER,
        "No collection year is missing between the oldest return and the current extract (an episode open at"
        " one 31 March could not be followed into the next year).",
    ),
)

XML_RULES: tuple[Rule, ...] = (
    Rule(
        "XML_DTD",
        _E,
        "XML return",
        "A return declares no DTD (<!DOCTYPE>), so no entity: one could make a parser expand entities without end"
        " or read other files, so it is refused before anything is read.",
    ),
    Rule("XML_MALFORMED", _E, "XML return", "A return is well-formed XML (a complete file)."),
    Rule("XML_NOT_A_RETURN", _E, "XML return", "The root element is EXPSSDA903, the DfE's SSDA903 return."),
    Rule(
        "XML_STRUCTURE",
        _E,
        "XML return",
        "Each CHILD holds one HEADER, and no field appears twice in one HEADER or EPISODE.",
    ),
    Rule(
        "XML_UNKNOWN_ELEMENT",
        _W,
        "XML return",
        "Every element is one the reader knows (an unknown one is not read; each is named once, with its count).",
    ),
)

STITCH_RULES: tuple[Rule, ...] = (
    Rule(
        "STITCH_CHILD_ABSENT",
        _W,
        "returns",
        "An episode open at the end of a return continues in the next source, which holds every child looked"
        " after in its window: without an episode of the child open on its first day, the episode is taken to end"
        " on that day (1 April), its reason not known (counted as other).",
    ),
    Rule(
        "STITCH_CONTINUED_ELSEWHERE",
        _W,
        "returns",
        "An episode open at the end of a return is the one the next source continues: when the child's care"
        " continues there in a different episode, the older one is taken to end the day that one starts (X1, or"
        " REC empty when that one starts a new period, RNE S).",
    ),
    Rule(
        "STITCH_CORRECTED",
        _W,
        "returns",
        "A return agrees with the newer sources on what they both hold: an episode a newer source holds with other"
        " codes, another start (DECOM) or not at all is taken as the newer source says.",
    ),
    Rule(
        "STITCH_OUTSIDE_YEAR",
        _W,
        "returns",
        "A return holds only episodes open at some time in its collection year (the others are left out).",
    ),
)

RETURNS_RULES: tuple[Rule, ...] = (*LAYOUT_RULES, *XML_RULES, *STITCH_RULES)
