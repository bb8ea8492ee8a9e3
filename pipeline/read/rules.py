"""The rules checked while an extract file, the extract's date, the config or a published file is
read (their bytes, header, cells and TOML): ``pipeline.read.csvfile``, ``pipeline.read.parse``,
``pipeline.read.extract_date``, ``pipeline.read.config`` and ``pipeline.read.published`` apply
them; they have no ``check`` function of their own."""

from __future__ import annotations

from pipeline.core.problems import Severity
from pipeline.core.rules import Rule

_E, _W = Severity.ERROR, Severity.WARNING

# The published statistics named in council.toml's [published] (pipeline.read.published).
PUBLISHED_RULES: tuple[Rule, ...] = (
    Rule("PUBLISHED_MISSING", _E, "council.toml", "Every file [published] names is in the config folder."),
    Rule("PUBLISHED_UNREADABLE", _E, "published files", "A published file can be read as UTF-8 CSV text."),
    Rule(
        "PUBLISHED_LAYOUT",
        _E,
        "published files",
        "A published file has the columns of a layout the reader knows (either DfE statistics edition, the ONS"
        " 0-17 estimates, either statistical-neighbour layout), and no row is longer than its header.",
    ),
    Rule(
        "PUBLISHED_YEAR_UNREADABLE",
        _E,
        "published files",
        "A time_period is a year (2024) or a pair of years (202324, the year ending 31 March 2024).",
    ),
    Rule(
        "PUBLISHED_MEASURE_UNKNOWN",
        _E,
        "published statistics",
        "A statistics row is one of the three measures: looked after on (or at) 31 March, starting, ceasing.",
    ),
    Rule(
        "PUBLISHED_NUMBER_UNREADABLE",
        _E,
        "published files",
        "A published count, rate or population is a number or one of the symbols z, c, x.",
    ),
    Rule(
        "PUBLISHED_COUNCIL_UNKNOWN",
        _E,
        "council.toml",
        "The la_code of [council] is a council in the published files (the old three-digit code or a new one).",
    ),
    Rule("PUBLISHED_COUNCIL_AMBIGUOUS", _E, "council.toml", "A new LA code names one council only."),
    Rule(
        "PUBLISHED_NEIGHBOUR_UNKNOWN",
        _E,
        "published neighbours",
        "Every neighbour is a three-digit LA code, and the council's neighbours are councils the files know.",
    ),
    Rule(
        "PUBLISHED_POPULATION_MISSING",
        _E,
        "council.toml",
        "The council has a population 0-17: from the ONS file [published] names, or [[population]].",
    ),
    Rule(
        "PUBLISHED_DUPLICATE_ROW",
        _W,
        "published statistics",
        "An edition has one row per year, geography and measure (of two, the first is used).",
    ),
    Rule(
        "PUBLISHED_CODE_UNREADABLE",
        _W,
        "published files",
        "A council's old LA code is three digits, and the 2021 neighbour file's two LA numbers agree"
        " (a row without a code is not used).",
    ),
    Rule(
        "PUBLISHED_NEIGHBOURS_MISSING",
        _W,
        "published neighbours",
        "The council has a row in the neighbour file (without one there is no neighbours' average).",
    ),
)

READING_RULES: tuple[Rule, ...] = (
    Rule("FILE_MISSING", _E, "any", "A required extract (header.csv, episodes.csv) is in the folder."),
    Rule("FILE_UNREADABLE", _E, "any", "An extract can be opened (it is a file, and the run may read it)."),
    Rule("FILE_EMPTY", _E, "any", "An extract holds at least a header row."),
    Rule("FILE_BINARY", _E, "any", "An extract is a text CSV file, not a spreadsheet or other binary file."),
    Rule(
        "FILE_ENCODING",
        _E,
        "any",
        "Every line is valid UTF-8 (or Windows-1252 with --encoding cp1252); UTF-16 is refused.",
    ),
    Rule("CSV_DELIMITER", _E, "any", "Values are separated by commas (not semicolons or tabs)."),
    Rule("CSV_QUOTE", _E, "any", 'A " only wraps a whole value (doubled inside it), and every quoted value is closed.'),
    Rule("CSV_FIELD_COUNT", _E, "any", "Every row has as many fields as the header."),
    Rule("CSV_HEADER_REPEATED", _E, "any", "The header row is not repeated inside the file (two exports joined)."),
    Rule("COLUMN_MISSING", _E, "any", "Every required column is in the header (any case, any order)."),
    Rule("COLUMN_DUPLICATE", _E, "any", "No contract column appears twice in the header (after mapping.toml)."),
    Rule("CELL_REQUIRED", _E, "any", "A required cell is not empty."),
    Rule(
        "CELL_DATE",
        _E,
        "any",
        "A date is a real date written dd/mm/yyyy or yyyy-mm-dd (no two-digit years, times or month-first dates).",
    ),
    Rule("CELL_DATE_TOO_EARLY", _E, "any", "No date is before 1900 (a mistyped year)."),
    Rule("CELL_FUTURE_DATE", _E, "any", "No date is after the day of the run (a keying mistake)."),
    Rule("CELL_CODE", _E, "any", "A code is one the contract lists for its column (after mapping.toml)."),
    Rule(
        "CELL_ID_NUMBER",
        _E,
        "any",
        "An identifier is not a number a spreadsheet rewrote in scientific notation (1.23E+05).",
    ),
    *PUBLISHED_RULES,
)

CONFIG_RULES: tuple[Rule, ...] = (
    Rule("CONFIG_MISSING", _E, "council.toml", "council.toml is in the config folder."),
    Rule("CONFIG_SYNTAX", _E, "council.toml, mapping.toml", "A config file is UTF-8 text in valid TOML."),
    Rule(
        "CONFIG_INVALID",
        _E,
        "council.toml, mapping.toml",
        "Every key is known, has the right type, and every required key is present;"
        " mapping.toml renames and recodes only onto the contract's columns and codes.",
    ),
)


EXTRACT_DATE_RULES: tuple[Rule, ...] = (
    Rule(
        "EXTRACT_TOML",
        _E,
        "extract.toml",
        "extract.toml, when the extract folder has one, is UTF-8 TOML with one key, taken: the day the extract"
        " was taken (taken = 2020-11-02), not after the day of the run.",
    ),
    Rule(
        "EXTRACT_FOLDER_DATE",
        _E,
        "extract folder",
        "A date yyyy-mm-dd in the extract folder's name is a real day, not after the day of the run, and the"
        " same day as extract.toml's taken when both are given. A bare year (2021) is not read as a date,"
        " nor is a name holding two dates.",
    ),
)


def reading_rule(rule_id: str) -> Rule:
    """The reading rule ``rule_id``."""
    return next(r for r in READING_RULES if r.id == rule_id)
