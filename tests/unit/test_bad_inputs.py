"""Broken and awkward extracts: every rule refuses a broken extract and passes the mended one.

Each case is a pair of extracts that differ only in the fault: the broken one must report the
exact line written here by hand (``FILE:LINE: COLUMN: message [RULE]``), and the mended one
must load with no problem at all. Awkward but valid files must read exactly like clean ones,
and give byte-identical tables in a full run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.checks.catalogue import rule
from pipeline.checks.validate import load_extracts
from pipeline.core.problems import InvalidInput, Problem, Severity
from pipeline.read.config import load_config
from pipeline.read.extracts import Extracts
from pipeline.read.mapping import Mapping
from tests.builders import COUNCIL_TOML, EPISODE_COLUMNS, HEADER_COLUMNS, TAKEN, TODAY, write_config


class Folder:
    """Marks a path that is a folder where a file should be."""


FOLDER = Folder()
Files = dict[str, bytes | Folder | None]  # None: the file is absent
Row = tuple[str, ...]

HEADER: list[Row] = [
    ("QX0001", "1", "01/02/2010"),
    ("QX0002", "F", "05/05/2012"),
    ("QX0003", "1", "07/07/2015"),
]
EPISODES: list[Row] = [
    ("QX0001", "01/01/2019", "S", "C1", "U4", "PR1", "01/06/2019", "X1"),  # line 2
    ("QX0001", "01/06/2019", "P", "C2", "K2", "PR4", "", ""),  # line 3: still looked after
    ("QX0002", "05/05/2019", "S", "V2", "U6", "PR4", "09/09/2019", "E4A"),  # line 4
    ("QX0003", "10/10/2018", "S", "C2", "U1", "PR1", "31/10/2019", "E45"),  # line 5: SGO to kinship carers
]
DATES_OF_BIRTH = [row[2] for row in HEADER] + ["01/03/2001", "01/03/2002"]
ADULT = ("QX0004", "2", "01/03/2001")  # 18 on 1 March 2019
COLUMN = {name: i for i, name in enumerate(EPISODE_COLUMNS)}


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[str]], newline: str = "\n") -> bytes:
    return newline.join([",".join(columns), *(",".join(row) for row in rows)]).encode() + newline.encode()


def header(rows: Sequence[Row] = HEADER, columns: Sequence[str] = HEADER_COLUMNS) -> bytes:
    return csv_bytes(columns, rows)


def episodes(rows: Sequence[Row] = EPISODES, columns: Sequence[str] = EPISODE_COLUMNS) -> bytes:
    return csv_bytes(columns, rows)


def changed(rows: Sequence[Row], line: int, **values: str) -> list[Row]:
    """``rows`` with the row on physical ``line`` (header = 1) given new values by column name."""
    result = [list(row) for row in rows]
    for name, value in values.items():
        result[line - 2][COLUMN[name]] = value
    return [tuple(row) for row in result]


def files(header_bytes: bytes | None = None, episodes_bytes: bytes | None = None) -> Files:
    """The two required files (the clean ones unless given), and extract.toml saying when they were taken."""
    return {
        "header.csv": header() if header_bytes is None else header_bytes,
        "episodes.csv": episodes() if episodes_bytes is None else episodes_bytes,
        "extract.toml": f"taken = {TAKEN.isoformat()}\n".encode(),
    }


def write(folder: Path, extract: Files) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in extract.items():
        if isinstance(content, Folder):
            (folder / name).mkdir()
        elif content is not None:
            (folder / name).write_bytes(content)
    return folder


def check(folder: Path, *, encoding: str = "utf-8", mapping: Mapping | None = None) -> tuple[list[Problem], bool]:
    """Every problem of the extract (errors and warnings) and whether it loaded."""
    try:
        loaded = load_extracts(folder, mapping or Mapping(), encoding=encoding, today=TODAY)
    except InvalidInput as invalid:
        return invalid.problems, False
    return list(loaded.warnings), True


@dataclass(frozen=True)
class Case:
    name: str
    bad: Files
    expected: str  # the line the broken extract reports, exactly
    good: Files
    also: tuple[str, ...] = ()  # any other line it reports: the fault's consequences elsewhere

    @property
    def rule(self) -> str:
        found = re.search(r"\[(\w+)\]$", self.expected)
        assert found, self.expected
        return found[1]


def episode_rows(*extra: Row, base: Sequence[Row] = EPISODES) -> list[Row]:
    return [*base, *extra]


CASES = [
    # ---- the file itself ------------------------------------------------------------------------
    Case(
        "episodes-missing",
        files() | {"episodes.csv": None},
        "episodes.csv:0: -: the file is missing from the extracts folder [FILE_MISSING]",
        files(),
    ),
    Case(
        "file-named-in-capitals",
        {"header.csv": header(), "episodes.csv": None, "Episodes.csv": episodes()},
        "episodes.csv:0: -: the file is missing from the extracts folder (there is 'Episodes.csv': rename it"
        " episodes.csv) [FILE_MISSING]",
        files(),
    ),
    Case(
        "a-folder-not-a-file",
        files() | {"episodes.csv": FOLDER},
        "episodes.csv:0: -: this is a folder, not a file [FILE_UNREADABLE]",
        files(),
    ),
    Case(
        "empty-file",
        files(b""),
        "header.csv:0: -: the file is empty: it needs at least a header row [FILE_EMPTY]",
        files(),
    ),
    Case(
        "blank-lines-only",
        files(b"\r\n  \r\n"),
        "header.csv:0: -: the file is empty: it needs at least a header row [FILE_EMPTY]",
        files(),
    ),
    Case(
        "a-spreadsheet-saved-as-csv",
        files(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"),
        "header.csv:0: -: this is not a text CSV file (it holds binary data): export it again as CSV [FILE_BINARY]",
        files(),
    ),
    Case(
        "utf-16-unicode-text",
        files(header().decode().encode("utf-16")),
        "header.csv:0: -: the file is saved as UTF-16 ('Unicode text'): save it again as 'CSV UTF-8' [FILE_ENCODING]",
        files(),
    ),
    Case(
        "windows-1252-without-the-option",
        files(
            csv_bytes((*HEADER_COLUMNS, "UPN"), [(*HEADER[0], ""), (*HEADER[1], "Zoë"), (*HEADER[2], "")])
            .decode()
            .encode("cp1252")
        ),
        "header.csv:3: -: the line holds bytes that are not valid utf-8 (if Excel saved it, run again with --encoding"
        " cp1252) [FILE_ENCODING]",
        files(csv_bytes((*HEADER_COLUMNS, "UPN"), [(*HEADER[0], ""), (*HEADER[1], "Zoë"), (*HEADER[2], "")])),
    ),
    # ---- CSV structure ---------------------------------------------------------------------------
    Case(
        "semicolon-separated",
        files(header().replace(b",", b";")),
        "header.csv:1: -: the values are separated by semicolons, not commas: save the file as 'CSV (comma"
        " delimited)' [CSV_DELIMITER]",
        files(),
    ),
    Case(
        "tab-separated",
        files(None, episodes().replace(b",", b"\t")),
        "episodes.csv:1: -: the values are separated by tabs, not commas: save the file as 'CSV (comma delimited)'"
        " [CSV_DELIMITER]",
        files(),
    ),
    Case(
        "quote-never-closed",
        files(None, episodes(changed(EPISODES, 4, LS='"V2'))),
        'episodes.csv:4: -: a quoted value is never closed (a " is missing) [CSV_QUOTE]',
        files(),
    ),
    Case(
        "quote-inside-an-unquoted-value",
        files(csv_bytes((*HEADER_COLUMNS, "UPN"), [(*HEADER[0], ""), (*HEADER[1], '12" x'), (*HEADER[2], "")])),
        'header.csv:3: -: a " is inside a value that is not quoted as a whole: quote the whole value and double the'
        ' " inside [CSV_QUOTE]',
        files(csv_bytes((*HEADER_COLUMNS, "UPN"), [(*HEADER[0], ""), (*HEADER[1], '"12"" x"'), (*HEADER[2], "")])),
    ),
    Case(
        "unquoted-comma",
        files(csv_bytes((*HEADER_COLUMNS, "UPN"), [(*HEADER[0], "Smith, J"), *((*r, "") for r in HEADER[1:])])),
        "header.csv:2: -: the row has 5 fields but the header has 4 (check for a stray comma or quote)"
        " [CSV_FIELD_COUNT]",
        files(csv_bytes((*HEADER_COLUMNS, "UPN"), [(*HEADER[0], '"Smith, J"'), *((*r, "") for r in HEADER[1:])])),
    ),
    Case(
        "row-cut-short",
        files(None, episodes([*EPISODES[:3], EPISODES[3][:6]])),
        "episodes.csv:5: -: the row has 6 fields but the header has 8 (check for a stray comma or quote)"
        " [CSV_FIELD_COUNT]",
        files(),
    ),
    Case(
        "two-exports-joined",
        files(None, episodes([*EPISODES[:2], EPISODE_COLUMNS, *EPISODES[2:]])),
        "episodes.csv:4: -: the header row is repeated here (were two exports joined?) [CSV_HEADER_REPEATED]",
        files(),
    ),
    # ---- columns ---------------------------------------------------------------------------------
    Case(
        "required-column-missing",
        files(None, episodes([r[:1] + r[2:] for r in EPISODES], EPISODE_COLUMNS[:1] + EPISODE_COLUMNS[2:])),
        "episodes.csv:1: DECOM: a required column is missing from the header [COLUMN_MISSING]",
        files(),
    ),
    Case(
        "column-twice",
        files(csv_bytes((*HEADER_COLUMNS, "sex "), [(*r, r[1]) for r in HEADER])),
        "header.csv:1: SEX: the column appears more than once [COLUMN_DUPLICATE]",
        files(),
    ),
    # ---- cells -----------------------------------------------------------------------------------
    Case(
        "start-date-empty",
        files(None, episodes(changed(EPISODES, 4, DECOM=""))),
        "episodes.csv:4: DECOM: a value is required [CELL_REQUIRED]",
        files(),
    ),
    Case(
        "child-only-spaces",
        files(header([HEADER[0], ("  ", *HEADER[1][1:]), HEADER[2]])),
        "header.csv:3: CHILD: a value is required [CELL_REQUIRED]",
        files(),
        # No EPISODE_ORPHAN for QX0002's episode on line 4: its header row may be line 3.
    ),
    Case(
        "impossible-date",
        files(None, episodes(changed(EPISODES, 5, DEC="31/02/2019"))),
        "episodes.csv:5: DEC: '31/02/2019' is not a real date [CELL_DATE]",
        files(None, episodes(changed(EPISODES, 5, DEC="28/02/2019"))),
    ),
    Case(
        "month-first-date",
        files(None, episodes(changed(EPISODES, 5, DEC="10/31/2019"))),
        "episodes.csv:5: DEC: '10/31/2019' is not a real date: is it written month first? Dates must be dd/mm/yyyy"
        " [CELL_DATE]",
        files(),
    ),
    Case(
        "two-digit-year",
        files(None, episodes(changed(EPISODES, 4, DECOM="05/05/19"))),
        "episodes.csv:4: DECOM: '05/05/19' has a two-digit year: write dates as dd/mm/yyyy [CELL_DATE]",
        files(),
    ),
    Case(
        "date-with-a-time",
        files(None, episodes(changed(EPISODES, 4, DECOM="05/05/2019 00:00"))),
        "episodes.csv:4: DECOM: '05/05/2019 00:00' has a time of day: write the date only, as dd/mm/yyyy [CELL_DATE]",
        files(),
    ),
    Case(
        "ambiguous-short-date",
        files(None, episodes(changed(EPISODES, 4, DECOM="5/5/2019"))),
        "episodes.csv:4: DECOM: '5/5/2019' is ambiguous: write the day and month with two digits, dd/mm/yyyy"
        " (a spreadsheet may have rewritten it month first) [CELL_DATE]",
        files(),
    ),
    Case(
        "spreadsheet-day-number",
        files(None, episodes(changed(EPISODES, 4, DECOM="43590"))),
        "episodes.csv:4: DECOM: '43590' looks like a spreadsheet's day number: format the column as dates"
        " (dd/mm/yyyy) [CELL_DATE]",
        files(),
    ),
    Case(
        "not-a-date-at-all",
        files(None, episodes(changed(EPISODES, 4, DECOM="next week"))),
        "episodes.csv:4: DECOM: 'next week' is not a date in the form dd/mm/yyyy or yyyy-mm-dd [CELL_DATE]",
        files(),
    ),
    Case(
        "date-of-birth-never-quoted",
        files(header([HEADER[0], (*HEADER[1][:2], "5/5/2012"), HEADER[2]])),
        "header.csv:3: DOB: the value is ambiguous: write the day and month with two digits, dd/mm/yyyy"
        " (a spreadsheet may have rewritten it month first) [CELL_DATE]",
        files(),
    ),
    Case(
        "year-mistyped",
        files(None, episodes(changed(EPISODES, 4, DEC="09/09/1019"))),
        "episodes.csv:4: DEC: '09/09/1019' is before 1900: a mistyped year? [CELL_DATE_TOO_EARLY]",
        files(),
    ),
    Case(
        "date-in-the-future",
        files(None, episodes(changed(EPISODES, 4, DEC="09/09/2029"))),
        "episodes.csv:4: DEC: '09/09/2029' is after today (24/11/2026): a keying mistake? [CELL_FUTURE_DATE]",
        files(),
    ),
    Case(
        "unknown-placement",
        files(None, episodes(changed(EPISODES, 3, PLACE="U9"))),
        "episodes.csv:3: PLACE: 'U9' is not a known PLACE code (expected A3, A4, A5, A6, H5, K1, K2, K3, P1, P2,"
        " P3, R1, ...) [CELL_CODE]",
        files(),
    ),
    Case(
        "unknown-reason-ceased",
        files(None, episodes(changed(EPISODES, 4, REC="E99"))),
        "episodes.csv:4: REC: 'E99' is not a known REC code (expected X1, E11, E12, E2, E3, E4, E41, E43, E44, E45,"
        " E46, E47, ...) [CELL_CODE]",
        files(),
    ),
    Case(
        "unknown-sex",
        files(header([("QX0001", "X", "01/02/2010"), *HEADER[1:]])),
        "header.csv:2: SEX: 'X' is not a known SEX code (expected 1, 2, M, F, U) [CELL_CODE]",
        files(),
    ),
    Case(
        "identifier-rewritten-as-a-number",
        files(
            header([("1.23E+05", *HEADER[0][1:]), *HEADER[1:]]),
            episodes([("1.23E+05", *r[1:]) if r[0] == "QX0001" else r for r in EPISODES]),
        ),
        "header.csv:2: CHILD: the identifier looks like a number a spreadsheet rewrote (such as 1.2E+05 or 123.0):"
        " export the column as text [CELL_ID_NUMBER]",
        files(),
        also=tuple(
            f"episodes.csv:{line}: CHILD: the identifier looks like a number a spreadsheet rewrote (such as 1.2E+05 or"
            " 123.0): export the column as text [CELL_ID_NUMBER]"
            for line in (2, 3)
        ),
    ),
    # ---- header.csv across rows ------------------------------------------------------------------
    Case(
        "child-twice-in-header",
        files(header([*HEADER, HEADER[0]])),
        "header.csv:5: CHILD: the child already appears on line 2 [HEADER_CHILD_DUPLICATE]",
        files(),
    ),
    # ---- episodes.csv across rows and files ------------------------------------------------------
    Case(
        "orphan-episode",
        files(None, episodes(episode_rows(("QX0009", "01/01/2020", "S", "V2", "U6", "PR4", "", "")))),
        "episodes.csv:6: CHILD: the child is not in header.csv [EPISODE_ORPHAN]",
        files(
            header([*HEADER, ("QX0009", "2", "01/01/2011")]),
            episodes(episode_rows(("QX0009", "01/01/2020", "S", "V2", "U6", "PR4", "", ""))),
        ),
    ),
    Case(
        "care-before-birth",
        files(None, episodes(changed(EPISODES, 5, DECOM="10/10/2014"))),
        "episodes.csv:5: DECOM: the episode starts before the child's date of birth [EPISODE_BEFORE_BIRTH]",
        files(),
    ),
    Case(
        "ends-before-it-starts",
        files(None, episodes(changed(EPISODES, 4, DEC="09/09/2018"))),
        "episodes.csv:4: DEC: the episode ends (09/09/2018) before it starts (05/05/2019) [EPISODE_DEC_BEFORE_DECOM]",
        files(),
    ),
    Case(
        "end-date-without-reason",
        files(None, episodes(changed(EPISODES, 4, REC=""))),
        "episodes.csv:4: REC: the episode has an end date (DEC) but no reason ceased (REC) [EPISODE_DEC_REC_PAIR]",
        files(),
    ),
    Case(
        "reason-without-end-date",
        files(None, episodes(changed(EPISODES, 4, DEC=""))),
        "episodes.csv:4: DEC: the episode has a reason ceased (REC) but no end date (DEC) [EPISODE_DEC_REC_PAIR]",
        files(),
    ),
    Case(
        "episode-listed-twice",
        files(None, episodes(episode_rows(EPISODES[2]))),
        "episodes.csv:6: DECOM: the same episode is already on line 4 [EPISODE_DUPLICATE]",
        files(),
    ),
    Case(
        "overlapping-episodes",
        files(None, episodes(episode_rows(("QX0002", "01/08/2019", "S", "V2", "U6", "PR4", "01/10/2019", "E4A")))),
        "episodes.csv:6: DECOM: the episode (01/08/2019 to 01/10/2019) overlaps the child's episode on line 4"
        " (05/05/2019 to 09/09/2019) [EPISODE_OVERLAP]",
        files(None, episodes(episode_rows(("QX0002", "01/10/2019", "S", "V2", "U6", "PR4", "01/11/2019", "E4A")))),
    ),
    Case(
        "same-dates-two-placements",
        files(None, episodes(episode_rows(changed(EPISODES, 4, PLACE="U4")[2]))),
        # Two lasting episodes of one child starting the same day: one episode listed twice, said once.
        "episodes.csv:6: PLACE: the episode appears twice with different PLACE (lines 4 and 6): 'U6' and 'U4'"
        " [EPISODE_DUPLICATE]",
        files(),
    ),
    Case(
        "two-open-episodes",
        files(
            None,
            episodes(
                changed(episode_rows(("QX0002", "01/01/2020", "S", "V2", "U6", "PR4", "", "")), 4, DEC="", REC="")
            ),
        ),
        "episodes.csv:4: DEC: the episode is open but the child has a later episode (line 6); only the latest may be"
        " open [EPISODE_OPEN_NOT_LATEST]",
        files(None, episodes(episode_rows(("QX0002", "01/01/2020", "S", "V2", "U6", "PR4", "", "")))),
    ),
    Case(
        "x1-chain-broken",
        files(None, episodes(changed(EPISODES, 3, DECOM="02/06/2019"))),
        "episodes.csv:2: REC: REC is X1 (a new episode follows the same day) but no episode of the child starts on"
        " 01/06/2019 [EPISODE_X1_BROKEN]",
        files(),
        also=(
            "episodes.csv:3: RNE: the episode starts a new period of care but RNE is 'P', not S"
            " [EPISODE_NEW_PERIOD_NOT_S]",
        ),
    ),
    Case(
        "care-after-death",
        files(
            None,
            episodes(changed(episode_rows(("QX0002", "01/01/2020", "S", "V2", "U6", "PR4", "", "")), 4, REC="E2")),
        ),
        "episodes.csv:6: DECOM: the episode comes after the one on line 4, which ended with REC 'E2' (died)"
        " [EPISODE_AFTER_FINAL]",
        files(None, episodes(episode_rows(("QX0002", "01/01/2020", "S", "V2", "U6", "PR4", "", "")))),
    ),
    Case(
        "sgo-on-the-18th-birthday",
        files(
            header([*HEADER, ADULT]),
            episodes(episode_rows(("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "01/03/2019", "E46"))),
        ),
        "episodes.csv:6: REC: REC is 'E46' (special guardianship order) but the child was 18 or over on 01/03/2019"
        " [EPISODE_SGO_AFTER_18]",
        files(
            header([*HEADER, ADULT]),
            episodes(episode_rows(("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "28/02/2019", "E46"))),
        ),
    ),
    Case(
        "adopted-after-18",
        files(
            header([*HEADER, ADULT]),
            episodes(episode_rows(("QX0004", "01/01/2018", "S", "E1", "A5", "PR1", "01/03/2019", "E11"))),
        ),
        "episodes.csv:6: REC: REC is 'E11' (adopted) but the child was 18 or over on 01/03/2019"
        " [EPISODE_ADOPTION_AFTER_18]",
        files(
            header([*HEADER, ADULT]),
            episodes(episode_rows(("QX0004", "01/01/2018", "S", "E1", "A5", "PR1", "28/02/2019", "E11"))),
        ),
    ),
    Case(
        "new-period-not-s",
        files(None, episodes(changed(EPISODES, 4, RNE="P"))),
        "episodes.csv:4: RNE: the episode starts a new period of care but RNE is 'P', not S [EPISODE_NEW_PERIOD_NOT_S]",
        files(),
    ),
    Case(
        "continuation-coded-s",
        files(None, episodes(changed(EPISODES, 3, RNE="S"))),
        "episodes.csv:3: RNE: RNE is S (started to be looked after) but the previous episode (line 2) ended X1 that"
        " day: the episode continues the period of care [EPISODE_CONTINUATION_IS_S]",
        files(),
    ),
    Case(
        "staying-put-at-seven",
        files(None, episodes(changed(EPISODES, 4, REC="E17"))),
        "episodes.csv:4: REC: REC is 'E17' (aged 18 and stayed with carers) but the child was under 18 on 09/09/2019"
        " [EPISODE_E17_UNDER_18]",
        files(),
    ),
    Case(
        "fostered-past-18",
        files(
            header([*HEADER, ADULT]),
            episodes(episode_rows(("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "01/06/2019", "E8"))),
        ),
        "episodes.csv:6: LS: the episode goes on past the child's 18th birthday with LS 'C2' and PLACE 'U4': after 18"
        " a child can only stay looked after as V2 in K2 [EPISODE_OVER_18_NOT_V2_K2]",
        files(
            header([*HEADER, ADULT]),
            episodes(episode_rows(("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "01/03/2019", "E8"))),
        ),
    ),
    Case(
        "still-open-past-18",
        files(
            header([*HEADER, ADULT]),
            episodes(episode_rows(("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "", ""))),
        ),
        # Open: it lasts at least to the latest date in the extract (31/10/2019), after the birthday.
        "episodes.csv:6: LS: the episode goes on past the child's 18th birthday with LS 'C2' and PLACE 'U4': after 18"
        " a child can only stay looked after as V2 in K2 [EPISODE_OVER_18_NOT_V2_K2]",
        files(
            header([*HEADER, ("QX0004", "2", "01/03/2002")]),
            episodes(episode_rows(("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "", ""))),
        ),
    ),
    Case(
        "parents-provider-for-foster-care",
        files(None, episodes(changed(EPISODES, 2, PLACE_PROVIDER="PR0"))),
        "episodes.csv:2: PLACE_PROVIDER: PLACE_PROVIDER 'PR0' does not provide placements of type 'U4'"
        " [EPISODE_PROVIDER_PLACE]",
        files(),
    ),
    Case(
        "placed-with-parents-by-a-private-provider",
        files(None, episodes(changed(EPISODES, 3, PLACE="P1"))),
        "episodes.csv:3: PLACE_PROVIDER: PLACE is 'P1' (placed with parents) so PLACE_PROVIDER should be PR0, not"
        " 'PR4' [EPISODE_PROVIDER_PLACE]",
        files(None, episodes(changed(EPISODES, 3, PLACE="P1", PLACE_PROVIDER="PR0"))),
    ),
    Case(
        "foster-care-without-provider",
        files(None, episodes(changed(EPISODES, 4, PLACE_PROVIDER=""))),
        "episodes.csv:4: PLACE_PROVIDER: PLACE_PROVIDER is empty for a foster placement (U6): it is counted as agency"
        " fostering [EPISODE_FOSTER_NO_PROVIDER]",
        files(),
    ),
    Case(
        "withdrawn-placement-code",
        files(None, episodes(episode_rows(("QX0002", "01/01/2023", "S", "V2", "H5", "PR4", "01/12/2023", "E8")))),
        "episodes.csv:6: PLACE: PLACE 'H5' is no longer in use after 28/10/2023: the episode is still open then"
        " [EPISODE_PLACE_WITHDRAWN]",
        files(None, episodes(episode_rows(("QX0002", "01/01/2023", "S", "V2", "H5", "PR4", "28/10/2023", "E8")))),
    ),
    Case(
        "placement-code-before-its-time",
        files(None, episodes(episode_rows(("QX0002", "01/01/2023", "S", "V2", "K3", "PR4", "01/03/2023", "E8")))),
        "episodes.csv:6: PLACE: PLACE 'K3' is only in use from 28/10/2023: the episode starts earlier"
        " [EPISODE_PLACE_NOT_YET]",
        files(None, episodes(episode_rows(("QX0002", "28/10/2023", "S", "V2", "K3", "PR4", "01/12/2023", "E8")))),
    ),
    Case(
        "freeing-order-in-2018",
        files(None, episodes(changed(EPISODES, 5, LS="D1"))),
        "episodes.csv:5: LS: LS 'D1' (freeing order) was replaced by E1 (placement order) on 30/12/2005"
        " [EPISODE_LS_BY_DATE]",
        files(),
    ),
    Case(
        "sgo-to-foster-carers-from-a-childrens-home",
        files(None, episodes(changed(EPISODES, 5, PLACE="K2"))),
        "episodes.csv:5: REC: REC 'E45' is an SGO to former foster carers but the placement is 'K2', not foster care"
        " (U1-U6) [EPISODE_SGO_NOT_FROM_FOSTER]",
        files(),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_broken_extract_is_refused_and_the_mended_one_passes(tmp_path: Path, case: Case) -> None:
    found, loaded = check(write(tmp_path / "broken", case.bad))
    assert [str(p) for p in found] == sorted([case.expected, *case.also])
    messages = "\n".join(p.message for p in found)
    assert "QX00" not in messages and "1.23E+05" not in messages  # no child identifier
    assert [dob for dob in DATES_OF_BIRTH if dob in messages] == []  # no date of birth
    assert loaded is (rule(case.rule).severity is Severity.WARNING)
    mended, loaded = check(write(tmp_path / "mended", case.good))
    assert loaded and [str(p) for p in mended] == []


def test_there_are_at_least_forty_broken_extracts() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


def test_every_problem_of_both_files_is_reported_in_one_run(tmp_path: Path) -> None:
    broken = files(
        header([("QX0001", "X", "01/02/2010"), HEADER[1], HEADER[1]]),
        episodes(
            [
                changed(EPISODES, 2, PLACE="U9")[0],
                EPISODES[1],
                changed(EPISODES, 4, DEC="09/09/2018")[2],
                changed(EPISODES, 5, DECOM="10/31/2018")[3],
                ("QX0009", "01/01/2020", "S", "V2", "U6", "PR4", "", ""),
            ]
        ),
    )
    found, loaded = check(write(tmp_path, broken))
    assert not loaded
    assert [str(p) for p in found] == [
        "episodes.csv:2: PLACE: 'U9' is not a known PLACE code (expected A3, A4, A5, A6, H5, K1, K2, K3, P1, P2, P3,"
        " R1, ...) [CELL_CODE]",
        "episodes.csv:4: DEC: the episode ends (09/09/2018) before it starts (05/05/2019) [EPISODE_DEC_BEFORE_DECOM]",
        "episodes.csv:5: CHILD: the child is not in header.csv [EPISODE_ORPHAN]",  # QX0003's header row was replaced
        "episodes.csv:5: DECOM: '10/31/2018' is not a real date: is it written month first? Dates must be dd/mm/yyyy"
        " [CELL_DATE]",
        "episodes.csv:6: CHILD: the child is not in header.csv [EPISODE_ORPHAN]",
        "header.csv:2: SEX: 'X' is not a known SEX code (expected 1, 2, M, F, U) [CELL_CODE]",
        "header.csv:4: CHILD: the child already appears on line 3 [HEADER_CHILD_DUPLICATE]",
    ]


def test_a_file_that_cannot_be_read_still_lets_the_other_be_checked(tmp_path: Path) -> None:
    found, _ = check(write(tmp_path, files(b"", episodes(changed(EPISODES, 4, DEC="09/09/2018")))))
    assert [str(p) for p in found] == [
        "episodes.csv:4: DEC: the episode ends (09/09/2018) before it starts (05/05/2019) [EPISODE_DEC_BEFORE_DECOM]",
        "header.csv:0: -: the file is empty: it needs at least a header row [FILE_EMPTY]",
    ]


def test_a_missing_extracts_folder_is_named(tmp_path: Path) -> None:
    found, _ = check(tmp_path / "nowhere")
    assert [str(p) for p in found] == [
        f"{tmp_path / 'nowhere'}:0: -: the extracts folder does not exist [FILE_MISSING]"
    ]


@pytest.mark.parametrize(
    ("rec", "dec", "rules"),
    [
        ("E46", "28/02/2022", []),
        ("E46", "01/03/2022", ["EPISODE_SGO_AFTER_18"]),
        ("E17", "28/02/2022", []),
        ("E17", "27/02/2022", ["EPISODE_E17_UNDER_18"]),
    ],
    ids=["sgo-28-february", "sgo-1-march", "staying-put-28-february", "staying-put-27-february"],
)
def test_a_child_born_on_29_february_gets_the_benefit_of_the_doubt(
    tmp_path: Path, rec: str, dec: str, rules: list[str]
) -> None:
    # 18 on 28 February or on 1 March 2022: "18 or over" is judged on the later, "under 18" on the earlier.
    extract = files(
        header([*HEADER, ("QX0004", "2", "29/02/2004")]),
        episodes(episode_rows(("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", dec, rec))),
    )
    found, _ = check(write(tmp_path, extract))
    assert [p.rule for p in found] == rules


# ---- awkward but valid ------------------------------------------------------------------------------


def reordered_lower_case(rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    order = list(reversed(range(len(columns))))
    return csv_bytes([f" {columns[i].lower()} " for i in order], [[row[i] for i in order] for row in rows])


def iso(rows: Sequence[Row]) -> list[Row]:
    def to_iso(value: str) -> str:
        return (
            dt.datetime.strptime(value, "%d/%m/%Y").date().isoformat()
            if re.fullmatch(r"\d\d/\d\d/\d{4}", value)
            else value
        )

    return [tuple(to_iso(v) for v in row) for row in rows]


AWKWARD: dict[str, Files] = {
    "byte-order-mark": files(b"\xef\xbb\xbf" + header(), b"\xef\xbb\xbf" + episodes()),
    "crlf": files(header().replace(b"\n", b"\r\n"), episodes().replace(b"\n", b"\r\n")),
    "cr-only": files(header().replace(b"\n", b"\r"), episodes().replace(b"\n", b"\r")),
    "reordered-lower-case-columns": files(
        reordered_lower_case(HEADER, HEADER_COLUMNS), reordered_lower_case(EPISODES, EPISODE_COLUMNS)
    ),
    "iso-dates": files(header(iso(HEADER)), episodes(iso(EPISODES))),
    "extra-and-trailing-columns": files(
        csv_bytes((*HEADER_COLUMNS, "Worker", ""), [(*r, "A N Other", "") for r in HEADER]),
        csv_bytes((*EPISODE_COLUMNS, "NOTES"), [(*r, "none") for r in EPISODES]),
    ),
    "quoted-commas-newlines-and-quotes": files(
        csv_bytes((*HEADER_COLUMNS, "UPN"), [(*r, '"a, ""b""\nc"') for r in HEADER]),
        csv_bytes(EPISODE_COLUMNS, [tuple(f'"{v}"' for v in r) for r in EPISODES]),
    ),
    "blank-lines-and-no-final-newline": files(
        header().replace(b"\n", b"\n\n", 2), (episodes().replace(b"\n", b"\n   \n", 1)).rstrip(b"\n")
    ),
    "codes-in-lower-case-with-spaces": files(
        header([(r[0], f" {r[1].lower()} ", r[2]) for r in HEADER]),
        episodes([(*r[:2], f" {r[2].lower()}", f"{r[3].lower()} ", *(v.lower() for v in r[4:])) for r in EPISODES]),
    ),
    "extra-column-with-accents-and-a-line-break": files(
        csv_bytes(("CHILD", '"Nom de l\'enfant, é\nü"', "SEX", "DOB"), [(r[0], "Zoë", *r[1:]) for r in HEADER]),
    ),
    "optional-columns-present-but-empty": files(
        csv_bytes((*HEADER_COLUMNS, "ETHNIC", "UPN", "MOTHER", "MC_DOB"), [(*r, "", "", "", "") for r in HEADER]),
        csv_bytes((*EPISODE_COLUMNS, "CIN", "REASON_PLACE_CHANGE", "URN"), [(*r, "", "", "") for r in EPISODES]),
    ),
}
CONTRACT = {"header": list(HEADER_COLUMNS), "episodes": list(EPISODE_COLUMNS)}


def contract_frames(extracts: Extracts) -> dict[str, pl.DataFrame]:
    return {name: getattr(extracts, name).select(columns) for name, columns in CONTRACT.items()}


@pytest.mark.parametrize("name", list(AWKWARD))
def test_awkward_but_valid_files_read_exactly_like_clean_ones(tmp_path: Path, name: str) -> None:
    clean = load_extracts(write(tmp_path / "clean", files()), Mapping(), encoding="utf-8", today=TODAY)
    awkward = load_extracts(write(tmp_path / name, AWKWARD[name]), Mapping(), encoding="utf-8", today=TODAY)
    for table, frame in contract_frames(awkward).items():
        assert frame.equals(contract_frames(clean)[table]), table
    assert awkward.warnings == ()


def test_an_awkward_extract_gives_byte_identical_tables_in_a_full_run(tmp_path: Path) -> None:
    awkward = files(
        b"\xef\xbb\xbf" + reordered_lower_case(iso(HEADER), HEADER_COLUMNS).replace(b"\n", b"\r\n"),
        csv_bytes(
            (*(c.lower() for c in EPISODE_COLUMNS), "Notes"),
            [(r[0], *(f'"{v.lower()}"' for v in r[1:]), '"x, y\r\nz"') for r in iso(EPISODES)],
            newline="\r\n",
        ),
    )
    config = write_config(tmp_path / "config", "\ufeff" + COUNCIL_TOML.replace("\n", "\r\n"))
    tables = {}
    for name, extract in {"clean": files(), "awkward": awkward}.items():
        out = tmp_path / f"out-{name}"
        args = ["run", "--extracts", str(write(tmp_path / name, extract)), "--config", str(config)]
        result = CliRunner().invoke(cli.app, [*args, "--as-at", "2020-10-31", "--out", str(out)])
        assert result.exit_code == 0, result.output
        folder = out / "2020-10-31" / "tables"
        tables[name] = {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}
    assert len(tables["clean"]) >= 6
    assert tables["awkward"] == tables["clean"]


# ---- the config folder ----------------------------------------------------------------------------


def config_problems(folder: Path) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        load_config(folder)
    return [str(p) for p in raised.value.problems]


CONFIG_CASES: list[tuple[str, dict[str, bytes], str]] = [
    ("council-toml-missing", {}, "council.toml:0: -: the config file is missing from {folder} [CONFIG_MISSING]"),
    (
        "toml-syntax",
        {"council.toml": b'[council\nname = "Testshire"\n'},
        "council.toml:1: -: not valid TOML: Expected ']' at the end of a table declaration [CONFIG_SYNTAX]",
    ),
    (
        "key-given-twice",
        {"council.toml": COUNCIL_TOML.replace('name = "Testshire"', 'name = "A"\nname = "B"').encode()},
        "council.toml:3: -: not valid TOML: Cannot overwrite a value [CONFIG_SYNTAX]",
    ),
    (
        "not-utf-8",
        {"council.toml": COUNCIL_TOML.replace("Testshire", "Tëstshire").encode("cp1252")},
        "council.toml:0: -: the config file is not UTF-8 text [CONFIG_SYNTAX]",
    ),
    (
        "misspelt-key",
        {"council.toml": COUNCIL_TOML.replace("threshold = 5", "treshold = 5").encode()},
        "council.toml:0: disclosure.treshold: unknown key (check its spelling against the documented config)"
        " [CONFIG_INVALID]",
    ),
    (
        "wrong-type",
        {"council.toml": COUNCIL_TOML.replace("count = 36850", 'count = "36,850"').encode()},
        "council.toml:0: population.0.count: Input should be a valid integer, unable to parse string as an integer"
        " [CONFIG_INVALID]",
    ),
    (
        "required-key-missing",
        {"council.toml": COUNCIL_TOML.replace('name = "Testshire"', "").encode()},
        "council.toml:0: council.name: a required key is missing [CONFIG_INVALID]",
    ),
    (
        "mapping-onto-an-unknown-column",
        {"council.toml": COUNCIL_TOML.encode(), "mapping.toml": b'[rename.episodes]\n"Start Date" = "STARTED"\n'},
        "mapping.toml:0: rename: episodes.Start Date: 'STARTED' is not a column of episodes.csv [CONFIG_INVALID]",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_a_broken_config_is_refused_and_the_mended_one_passes(
    tmp_path: Path, name: str, content: dict[str, bytes], expected: str
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for file, text in content.items():
        (broken / file).write_bytes(text)
    assert expected.format(folder=broken) in config_problems(broken)
    assert load_config(write_config(tmp_path / "mended")).council_config.council.name == "Testshire"


def test_the_errors_file_of_a_valid_extract_lists_its_warnings(tmp_path: Path) -> None:
    extracts = write(tmp_path / "extracts", files(None, episodes(changed(EPISODES, 4, RNE="P"))))
    errors = tmp_path / "errors.csv"
    args = ["validate", "--extracts", str(extracts), "--config", str(write_config(tmp_path / "config"))]
    result = CliRunner().invoke(cli.app, [*args, "--as-at", "2020-10-31", "--errors", str(errors)])
    assert result.exit_code == 0, result.output
    assert errors.read_text().splitlines() == [
        "file,line,column,message,rule,severity,location",
        "episodes.csv,4,RNE,\"the episode starts a new period of care but RNE is 'P', not S\",EPISODE_NEW_PERIOD_NOT_S,"
        "warning,",
    ]


def test_changes_on_one_day_are_chained_whatever_the_order_of_the_rows(tmp_path: Path) -> None:
    # Two zero-length episodes on 1 January (legal status, then placement), then the placement that lasts.
    same_day = [
        ("QX0002", "01/01/2020", "S", "V2", "U6", "PR4", "01/01/2020", "X1"),
        ("QX0002", "01/01/2020", "L", "C1", "U6", "PR4", "01/01/2020", "X1"),
        ("QX0002", "01/01/2020", "P", "C1", "U4", "PR1", "01/06/2020", "E4A"),
    ]
    forwards = load_extracts(
        write(tmp_path / "f", files(None, episodes(episode_rows(*same_day)))), Mapping(), encoding="utf-8", today=TODAY
    )
    backwards = load_extracts(
        write(tmp_path / "b", files(None, episodes(episode_rows(*reversed(same_day))))),
        Mapping(),
        encoding="utf-8",
        today=TODAY,
    )
    assert forwards.warnings == backwards.warnings == ()
    from pipeline.care.periods import periods_of_care

    periods = [
        periods_of_care(e.episodes).filter(pl.col("CHILD") == "QX0002").drop("period") for e in (forwards, backwards)
    ]
    assert periods[0].equals(periods[1])
    assert periods[0].select("period_start", "period_end", "rec").rows() == [
        (dt.date(2019, 5, 5), dt.date(2019, 9, 9), "E4A"),
        (dt.date(2020, 1, 1), dt.date(2020, 6, 1), "E4A"),
    ]
