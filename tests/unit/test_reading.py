"""Reading the core extracts: formats accepted, and every problem reported with its place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipeline.core.problems import InvalidInput
from tests.builders import child, episode, load, write_csv, write_extract

GOOD_HEADER = [child("0001", "1", "01/02/2010"), child("0002", "F", "2012-03-04")]
GOOD_EPISODES = [
    episode("0001", "01/01/2019", dec="01/06/2019", rec="X1"),
    episode("0001", "01/06/2019", rne="P", place="K2", provider="PR4"),
    episode("0002", "2019-05-05", ls="V2", dec="2019-09-09", rec="E4A"),
]


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        load(folder)
    return [str(p) for p in raised.value.problems]


def test_a_clean_extract_loads_into_typed_frames(tmp_path: Path) -> None:
    extracts = load(write_extract(tmp_path, GOOD_HEADER, GOOD_EPISODES))
    assert extracts.header["CHILD"].to_list() == ["0001", "0002"]  # leading zeros kept
    assert extracts.header["DOB"].to_list() == [dt.date(2010, 2, 1), dt.date(2012, 3, 4)]
    assert extracts.episodes.schema["DECOM"] == pl.Date
    assert extracts.episodes["_line"].to_list() == [2, 3, 4]
    assert [(i.name, i.rows) for i in extracts.inputs] == [("header.csv", 2), ("episodes.csv", 3)]
    assert extracts.echo is None and extracts.legal is None


def test_bom_crlf_lower_case_reordered_and_extra_columns_read_the_same(tmp_path: Path) -> None:
    clean = load(write_extract(tmp_path / "clean", GOOD_HEADER, GOOD_EPISODES))
    awkward = tmp_path / "awkward"
    awkward.mkdir()
    header = '\ufeff child , dob,sex,Notes\r\n0001,01/02/2010,1,"likes, commas"\r\n0002,2012-03-04,f,"two\nlines"\r\n'
    (awkward / "header.csv").write_text(header, encoding="utf-8")
    write_csv(
        awkward / "episodes.csv",
        ("rec", "dec", "place_provider", "place", "ls", "rne", "decom", "child"),
        [list(reversed(row)) for row in GOOD_EPISODES],
        newline="\r\n",
    )
    loaded = load(awkward)
    assert loaded.episodes.drop("_line").equals(clean.episodes.drop("_line"))
    assert loaded.header.select("CHILD", "SEX", "DOB").equals(clean.header.select("CHILD", "SEX", "DOB"))
    assert loaded.inputs[0].extra_columns == ("NOTES",)


def test_every_problem_is_reported_at_once_with_file_line_column_and_rule(tmp_path: Path) -> None:
    header = [child("0001", "X", "31/02/2010"), child("0002", "1", "2012/03/04"), child("0001", "2", "01/01/2011")]
    episodes = [
        episode("0001", "01/01/2019", dec="01/06/2019", rec="X1"),
        episode("0001", "02/06/2019", rne="P"),
        episode("0009", "01/01/2019", ls="Q9"),
    ]
    found = problems_of(write_extract(tmp_path, header, episodes))
    assert found == [
        "episodes.csv:2: REC: REC is X1 (a new episode follows the same day) but no episode of the child starts on"
        " 01/06/2019 [EPISODE_X1_BROKEN]",
        "episodes.csv:3: RNE: the episode starts a new period of care but RNE is 'P', not S [EPISODE_NEW_PERIOD_NOT_S]",
        "episodes.csv:4: CHILD: the child is not in header.csv [EPISODE_ORPHAN]",
        "episodes.csv:4: LS: 'Q9' is not a known LS code (expected C1, C2, D1, E1, J1, J2, J3, L1, L2, L3, V2, V3,"
        " ...) [CELL_CODE]",
        "header.csv:2: DOB: the value is not a real date [CELL_DATE]",
        "header.csv:2: SEX: 'X' is not a known SEX code (expected 1, 2, M, F, U) [CELL_CODE]",
        "header.csv:3: DOB: the value is not a date in the form dd/mm/yyyy or yyyy-mm-dd [CELL_DATE]",
        "header.csv:4: CHILD: the child already appears on line 2 [HEADER_CHILD_DUPLICATE]",
    ]


def test_a_new_period_not_starting_with_s_is_only_a_warning(tmp_path: Path) -> None:
    extracts = load(write_extract(tmp_path, GOOD_HEADER, [episode("0001", "01/01/2019", rne="P")]))
    assert [str(w) for w in extracts.warnings] == [
        "episodes.csv:2: RNE: the episode starts a new period of care but RNE is 'P', not S [EPISODE_NEW_PERIOD_NOT_S]"
    ]


def test_line_numbers_are_physical_lines_after_a_quoted_newline(tmp_path: Path) -> None:
    (tmp_path / "header.csv").write_text('CHILD,SEX,DOB,UPN\n0001,1,01/01/2010,"A\nB"\n0002,Z,01/01/2010,\n')
    write_csv(tmp_path / "episodes.csv", ("CHILD", "DECOM", "RNE", "LS", "PLACE"), [])
    assert problems_of(tmp_path) == [
        "header.csv:4: SEX: 'Z' is not a known SEX code (expected 1, 2, M, F, U) [CELL_CODE]"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "header.csv:0: -: the file is empty: it needs at least a header row [FILE_EMPTY]"),
        (
            b"PK\x03\x04\x00\x00binary",
            "header.csv:0: -: this is not a text CSV file (it holds binary data): export it again as CSV [FILE_BINARY]",
        ),
        (b"CHILD,SEX\n0001,1\n", "header.csv:1: DOB: a required column is missing from the header [COLUMN_MISSING]"),
        (
            b"CHILD,SEX,DOB,sex\n0001,1,01/01/2010,1\n",
            "header.csv:1: SEX: the column appears more than once [COLUMN_DUPLICATE]",
        ),
        (
            b"CHILD,SEX,DOB\n0001,1,01/01/2010,extra\n",
            "header.csv:2: -: the row has 4 fields but the header has 3"
            " (check for a stray comma or quote) [CSV_FIELD_COUNT]",
        ),
        (
            b'CHILD,SEX,DOB\n0001,1,"01/01/2010\n',
            'header.csv:2: -: a quoted value is never closed (a " is missing) [CSV_QUOTE]',
        ),
        (
            b"CHILD,SEX,DOB\n0001,1,01/01/2010\n0002,2,01/01/2011 \xe9\n",
            "header.csv:3: -: the line holds bytes that"
            " are not valid utf-8 (if Excel saved it, run again with --encoding cp1252) [FILE_ENCODING]",
        ),
        (
            b"CHILD,SEX,DOB\n0001,1,01/01/2030\n",
            "header.csv:2: DOB: the value is after today (24/11/2026): a keying mistake? [CELL_FUTURE_DATE]",
        ),
        (b"CHILD,SEX,DOB\n,1,01/01/2010\n", "header.csv:2: CHILD: a value is required [CELL_REQUIRED]"),
    ],
)
def test_broken_header_files(tmp_path: Path, content: bytes, expected: str) -> None:
    write_extract(tmp_path, [], [])
    (tmp_path / "header.csv").write_bytes(content)
    assert expected in problems_of(tmp_path)


def test_a_missing_required_file_is_named(tmp_path: Path) -> None:
    write_extract(tmp_path, GOOD_HEADER, GOOD_EPISODES)
    (tmp_path / "episodes.csv").unlink()
    assert problems_of(tmp_path) == ["episodes.csv:0: -: the file is missing from the extracts folder [FILE_MISSING]"]


def test_cp1252_is_read_when_asked(tmp_path: Path) -> None:
    from pipeline.checks.validate import load_extracts
    from pipeline.read.mapping import Mapping

    write_extract(tmp_path, [], GOOD_EPISODES)
    (tmp_path / "header.csv").write_bytes(
        "CHILD,SEX,DOB,UPN\n0001,1,01/02/2010,Zoë\n0002,2,01/01/2012,\n".encode("cp1252")
    )
    extracts = load_extracts(tmp_path, Mapping(), encoding="cp1252", today=dt.date(2026, 11, 24))
    assert extracts.header["UPN"].to_list() == ["Zoë", None]


def test_messages_never_quote_identifiers_or_dates_of_birth(tmp_path: Path) -> None:
    header = [child("SECRET01", "1", "32/13/2010")]
    episodes = [episode("SECRET02", "01/01/2019"), episode("SECRET01", "01/01/2009")]
    text = "\n".join(problems_of(write_extract(tmp_path, header, episodes)))
    assert "SECRET" not in text and "32/13/2010" not in text
    assert "EPISODE_ORPHAN" in text and "CELL_DATE" in text


@pytest.mark.parametrize(
    ("episodes", "rule"),
    [
        ([episode("0001", "01/01/2019", dec="01/01/2018", rec="E4A")], "EPISODE_DEC_BEFORE_DECOM"),
        ([episode("0001", "01/01/2019", dec="01/02/2019")], "EPISODE_DEC_REC_PAIR"),
        ([episode("0001", "01/01/2019", rec="E4A")], "EPISODE_DEC_REC_PAIR"),
        (
            [episode("0001", "01/01/2019", dec="01/03/2019", rec="E4A"), episode("0001", "01/02/2019")],
            "EPISODE_OVERLAP",
        ),
        ([episode("0001", "01/01/2019"), episode("0001", "01/02/2019")], "EPISODE_OPEN_NOT_LATEST"),
        ([episode("0001", "01/01/2019", dec="01/02/2019", rec="X1")], "EPISODE_X1_BROKEN"),
        ([episode("0001", "01/01/2009")], "EPISODE_BEFORE_BIRTH"),
    ],
)
def test_episode_rules(tmp_path: Path, episodes: list[tuple[str, ...]], rule: str) -> None:
    found = problems_of(write_extract(tmp_path, GOOD_HEADER, episodes))
    assert [f for f in found if f.endswith(f"[{rule}]")], found
