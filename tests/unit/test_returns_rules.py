"""Every rule of a folder of returns fires on a folder broken for it, read as a run reads it; and each
problem of a stitched frame is placed at its own file, line and element."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from pipeline.checks.validate import load_extracts
from pipeline.core.problems import InvalidInput, Problem, Severity
from pipeline.read.csvfile import LINE
from pipeline.read.extract_date import extract_date
from pipeline.read.mapping import Mapping
from pipeline.read.origins import SOURCE_FILE, SOURCE_LINE, SOURCE_LOCATION, Origins, line_ref
from pipeline.read.returns.rules import RETURNS_RULES
from tests.builders import TODAY
from tests.returns import EPISODE_COLUMNS, csv_text, ep, header, write_csv_return, xml_text
from tests.unit.test_returns_xml import BILLION_LAUGHS

Broken = Callable[[Path], None]


def returns(folder: Path, *years: int) -> None:
    for year in years:
        write_csv_return(folder / str(year), [header("A")], [ep("A", "10/01/2019")])


def two_sources(folder: Path) -> None:
    returns(folder, 2019)
    (folder / "return_2019.xml").write_text(xml_text([header("A")], []))


def no_year(folder: Path) -> None:
    returns(folder, 2019)
    (folder / "return.xml").write_text(xml_text([header("A")], []))


def other_year(folder: Path) -> None:
    returns(folder, 2019)
    (folder / "2019" / "return_2018.xml").write_text(xml_text([header("A")], []))


def no_episodes(folder: Path) -> None:
    returns(folder, 2019)
    (folder / "2018").mkdir()
    (folder / "2018" / "header.csv").write_text("CHILD,SEX,DOB\n")


def future(folder: Path) -> None:
    returns(folder, 2019, 2025)


def gap(folder: Path) -> None:
    returns(folder, 2017, 2019)


def xml(text: str) -> Broken:
    def write(folder: Path) -> None:
        returns(folder, 2020)
        (folder / "return_2019.xml").write_text(text)

    return write


def absent(folder: Path) -> None:
    write_csv_return(folder / "2019", [header("A"), header("C")], [ep("A", "10/01/2019"), ep("C", "01/02/2017")])
    returns(folder, 2020)


def elsewhere(folder: Path) -> None:
    write_csv_return(folder / "2019", [header("A")], [ep("A", "01/02/2019")])
    write_csv_return(folder / "2020", [header("A")], [ep("A", "01/03/2019", rne="P", place="R1")])


def corrected(folder: Path) -> None:
    write_csv_return(folder / "2019", [header("A")], [ep("A", "10/01/2019")])
    write_csv_return(folder / "2020", [header("A")], [ep("A", "10/01/2019", place="U4")])


def outside(folder: Path) -> None:
    returns(folder, 2019)
    write_csv_return(
        folder / "2020", [header("A")], [ep("A", "10/01/2019"), ep("A", "01/05/2015", "01/06/2015", "E13")]
    )


DOUBLE_HEADER = "<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID></HEADER><HEADER/></CHILD></EXPSSDA903>"
CASES: dict[str, Broken] = {
    "LAYOUT_AMBIGUOUS": two_sources,
    "LAYOUT_YEAR_UNKNOWN": no_year,
    "LAYOUT_YEAR_CONFLICT": other_year,
    "LAYOUT_FILE_MISSING": no_episodes,
    "LAYOUT_YEAR_FUTURE": future,
    "LAYOUT_YEAR_MISSING": gap,
    "XML_DTD": xml(BILLION_LAUGHS),
    "XML_MALFORMED": xml("<EXPSSDA903><CHILD></EXPSSDA903>"),
    "XML_NOT_A_RETURN": xml("<Message/>"),
    "XML_STRUCTURE": xml(DOUBLE_HEADER),
    "XML_UNKNOWN_ELEMENT": xml("<EXPSSDA903><HEAD/></EXPSSDA903>"),
    "STITCH_CHILD_ABSENT": absent,
    "STITCH_CONTINUED_ELSEWHERE": elsewhere,
    "STITCH_CORRECTED": corrected,
    "STITCH_OUTSIDE_YEAR": outside,
}


def problems_of(folder: Path) -> list[Problem]:
    """What a run reads of ``folder``, taken (as its extract.toml says) on 2020-06-01: 2019-20 is finished."""
    (folder / "extract.toml").write_text("taken = 2020-06-01\n")
    taken = extract_date(folder, TODAY).date
    try:
        return list(load_extracts(folder, Mapping(), encoding="utf-8", today=TODAY, taken=taken).warnings)
    except InvalidInput as invalid:
        return invalid.problems


def test_every_rule_of_a_folder_of_returns_has_a_broken_folder() -> None:
    assert sorted(CASES) == sorted(r.id for r in RETURNS_RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_the_broken_folder_fires_its_rule_with_its_severity(tmp_path: Path, rule: str) -> None:
    CASES[rule](tmp_path)
    found = problems_of(tmp_path)  # taken on 2020-06-01: 2019-20 is finished, 2020/ a return
    severity = next(r.severity for r in RETURNS_RULES if r.id == rule)
    assert rule in {p.rule for p in found if p.severity is severity}, [str(p) for p in found]


def test_a_rule_across_rows_names_the_other_row_in_its_own_return(tmp_path: Path) -> None:
    """Two episodes of a child overlapping inside the 2019 return: the rule reads the stitched frame,
    and its message names the other episode by its line in that return."""
    episodes = [ep("A", "01/05/2018", "01/09/2018", "E13"), ep("A", "01/08/2018", "01/10/2018", "E13")]
    write_csv_return(tmp_path / "2019", [header("A")], episodes)
    returns(tmp_path, 2020)
    (tmp_path / "2020" / "episodes.csv").write_text(csv_text(EPISODE_COLUMNS, [ep("A", "10/01/2020")]))
    found = [str(p) for p in problems_of(tmp_path) if p.rule == "EPISODE_OVERLAP"]
    assert found == [
        "2019/episodes.csv:3: DECOM: the episode (01/08/2018 to 01/10/2018) overlaps the child's episode on line 2"
        " (01/05/2018 to 01/09/2018) [EPISODE_OVERLAP]"
    ]


def test_origins_place_each_problem_and_the_rows_it_names() -> None:
    rows = pl.DataFrame(
        {
            LINE: [1, 2, 3],
            SOURCE_FILE: ["2019/episodes.csv", "return_2020.xml", "return_2020.xml"],
            SOURCE_LINE: [7, 1, 1],
            SOURCE_LOCATION: [None, "CHILD 3, EPISODE 1", "CHILD 3, EPISODE 2"],
        }
    )
    origins = Origins("return_2020.xml", rows)
    ref = pl.select(line_ref(pl.lit(1))).item(), pl.select(line_ref(pl.lit(3))).item()
    found = origins.place(
        [
            Problem("episodes.csv", 2, "DEC", f"the episode overlaps the one on line {ref[0]}", "R", Severity.ERROR),
            Problem("episodes.csv", 2, "DEC", f"the episode comes after the one on line {ref[1]}", "R"),
            Problem("episodes.csv", 0, "", "the file as a whole", "R"),
        ]
    )
    assert [str(p) for p in found] == [
        "return_2020.xml:1: DEC: CHILD 3, EPISODE 1: the episode overlaps the one on line 7 of 2019/episodes.csv [R]",
        "return_2020.xml:1: DEC: CHILD 3, EPISODE 1: the episode comes after the one on line 1 (CHILD 3, EPISODE 2)"
        " [R]",
        "return_2020.xml:0: -: the file as a whole [R]",
    ]
    # one file: only the file's own name, and the row's own line numbers
    single = Origins("2021/echo.csv").place([Problem("echo.csv", 4, "", f"as on line {ref[1]}", "R")])
    assert [str(p) for p in single] == ["2021/echo.csv:4: -: as on line 3 [R]"]


def test_a_return_s_csv_problem_names_the_return_s_file(tmp_path: Path) -> None:
    returns(tmp_path, 2020)
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "header.csv").write_text("CHILD,SEX,DOB\nA,1,01/01/2010\n")
    (tmp_path / "2019" / "episodes.csv").write_text("CHILD,DECOM,RNE,LS\nA,10/01/2019,S,C2\n")
    assert [str(p) for p in problems_of(tmp_path)] == [
        "2019/episodes.csv:1: PLACE: a required column is missing from the header [COLUMN_MISSING]"
    ]


def test_a_current_extract_s_local_codes_are_recoded_before_the_stitch_compares_them(tmp_path: Path) -> None:
    """The 2020 return holds the child's open foster placement as U4; this month's Mosaic extract holds the
    same episode with its local code, which mapping.toml recodes to U4: the same episode, not a correction."""
    write_csv_return(tmp_path / "2020", [header("A")], [ep("A", "10/01/2019", place="U4")])
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2019", place=" fost-ih ")])
    (tmp_path / "extract.toml").write_text("taken = 2020-06-01\n")
    mapping = Mapping(recode={"episodes": {"PLACE": {"FOST-IH": "U4"}}})
    taken = extract_date(tmp_path, TODAY).date
    extracts = load_extracts(tmp_path, mapping, encoding="utf-8", today=TODAY, taken=taken)
    assert [p.rule for p in extracts.warnings if p.rule.startswith("STITCH")] == []
    assert extracts.episodes.select("DECOM", pl.col("PLACE").cast(pl.String)).rows() == [(dt.date(2019, 1, 10), "U4")]
    # a local code the mapping does not know is still quoted as it was written
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2019", place=" fost-xx ")])
    with pytest.raises(InvalidInput) as invalid:
        load_extracts(tmp_path, mapping, encoding="utf-8", today=TODAY, taken=taken)
    assert [p.message for p in invalid.value.problems if p.rule == "CELL_CODE"][0].startswith("'fost-xx' is not")
