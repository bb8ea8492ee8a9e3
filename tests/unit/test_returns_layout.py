"""Which sources a folder of annual returns holds, and every ambiguity as a problem listing what was found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.core.problems import Problem
from pipeline.read.returns.layout import Source, arrange, discover
from tests.returns import EPISODE_COLUMNS, HEADER_COLUMNS, csv_text, ep, header, write_csv_return, xml_text

D = dt.date


def placed(folder: Path, taken: dt.date) -> tuple[list[Source], tuple[str, ...], list[Problem]]:
    layout = discover(folder)
    sources, unused, problems = arrange(layout, taken)
    return sources, unused, [*layout.problems, *problems]


def test_year_subfolders(tmp_path: Path) -> None:
    write_csv_return(tmp_path / "2019", [header("A")], [ep("A", "10/01/2019")])
    write_csv_return(tmp_path / "2020", [header("A")], [ep("A", "10/01/2019")])
    sources, _, problems = placed(tmp_path, D(2020, 3, 1))  # 2019-20 is in progress: 2020/ is the current extract
    assert problems == []
    assert [(s.current, s.year, s.label) for s in sources] == [(False, 2019, "2019/"), (True, 2020, "2020/")]
    assert dict(sources[0].names) == {"header": "2019/header.csv", "episodes": "2019/episodes.csv"}
    assert sources[0].window(D(2020, 3, 1)) == (D(2018, 4, 1), D(2019, 3, 31))
    assert sources[1].window(D(2020, 3, 1)) == (D(2019, 4, 1), D(2020, 3, 1))
    # 2020 is finished once the extract is taken in 2020-21: a return, with no current extract
    sources, _, problems = placed(tmp_path, D(2020, 4, 1))
    assert problems == [] and [(s.current, s.year) for s in sources] == [(False, 2019), (False, 2020)]


def test_flat_names_both_ways(tmp_path: Path) -> None:
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2019")], names=("2019-header.csv", "2019-Episodes.csv"))
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2019")], names=("header_2020.csv", "episodes_2020.csv"))
    sources, _, problems = placed(tmp_path, D(2020, 6, 1))
    assert problems == []
    assert [(s.year, s.label, dict(s.names)) for s in sources] == [
        (2019, "2019-*.csv", {"header": "2019-header.csv", "episodes": "2019-Episodes.csv"}),
        (2020, "2020-*.csv", {"header": "header_2020.csv", "episodes": "episodes_2020.csv"}),
    ]


def test_xml_return_named_with_its_year(tmp_path: Path) -> None:
    (tmp_path / "return_2019.xml").write_text(xml_text([header("A")], [ep("A", "10/01/2019")]))
    (tmp_path / "E06000019_2018.xml").write_text(xml_text([header("A")], [ep("A", "10/01/2018")]))
    sources, _, problems = placed(tmp_path, D(2019, 6, 1))
    assert problems == []
    assert [(s.format, s.year, s.label, s.name("episodes")) for s in sources] == [
        ("xml", 2018, "E06000019_2018.xml", "E06000019_2018.xml"),
        ("xml", 2019, "return_2019.xml", "return_2019.xml"),
    ]


def test_current_extract_beside_returns_takes_the_mosaic_files(tmp_path: Path) -> None:
    write_csv_return(tmp_path / "2020", [header("A")], [ep("A", "10/01/2019")])
    (tmp_path / "2020" / "echo.csv").write_text("FAMILY,CHILD,STRAND,REFERRAL_DATE\n")  # beside a return: not used
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2019")])
    (tmp_path / "legal.csv").write_text("CHILD,ROUTE\n")
    (tmp_path / "2020" / "reviews.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\n")
    (tmp_path / "README.md").write_text("notes")
    (tmp_path / "config").mkdir()  # a folder without returns is not looked at
    sources, unused, problems = placed(tmp_path, D(2020, 9, 1))
    assert problems == []
    assert [(s.current, s.year, s.label, sorted(s.paths)) for s in sources] == [
        (False, 2020, "2020/", ["episodes", "header"]),
        (True, 2021, "the current extract", ["episodes", "header", "legal"]),  # 2020-21 in progress on 1 September
    ]
    assert sources[1].window(D(2020, 9, 1)) == (D(2020, 4, 1), D(2020, 9, 1))
    assert dict(sources[0].others) == {"reviews": "2020/reviews.csv"}
    assert unused == ("2020/echo.csv", "README.md")


def test_todays_single_folder_is_the_single_layout(tmp_path: Path) -> None:
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2015")])
    (tmp_path / "echo.csv").write_text("FAMILY,CHILD,STRAND,REFERRAL_DATE\n")
    (tmp_path / "extract.toml").write_text("taken = 2020-11-02\n")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "config").mkdir()
    assert discover(tmp_path).single
    assert discover(tmp_path / "config").single  # nothing at all: today's reading says what is missing
    # copies beside the extract, named after a table but for no year, are files the run does not use
    for copy in ("header_old.csv", "episodes (copy).csv", "header .csv"):
        (tmp_path / copy).write_text("")
    assert discover(tmp_path).single
    assert sorted(discover(tmp_path).stray) == ["episodes (copy).csv", "header .csv", "header_old.csv", "notes.txt"]
    (tmp_path / "return_2019.xml").write_text(xml_text([header("A")], []))
    assert not discover(tmp_path).single
    # among returns, the same copies are returns whose year cannot be told
    assert [p.file for p in discover(tmp_path).problems if p.rule == "LAYOUT_YEAR_UNKNOWN"] == [
        "episodes (copy).csv", "header .csv", "header_old.csv"
    ]  # fmt: skip


def test_two_sources_for_one_year_are_listed(tmp_path: Path) -> None:
    write_csv_return(tmp_path / "2019", [header("A")], [ep("A", "10/01/2019")])
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2019")], names=("2019-header.csv", "2019-episodes.csv"))
    (tmp_path / "return_2019.xml").write_text(xml_text([header("A")], [ep("A", "10/01/2019")]))
    layout = discover(tmp_path)
    assert layout.candidates == ()
    assert [str(p) for p in layout.problems] == [
        "2019/:0: -: there is more than one source for 2018-19 (the folder 2019/; the XML return return_2019.xml;"
        " the files named 2019): keep one [LAYOUT_AMBIGUOUS]"
    ]


def test_mixed_layouts_for_one_year_conflict(tmp_path: Path) -> None:
    (tmp_path / "2019-header.csv").write_text(csv_text(HEADER_COLUMNS, [header("A")]))
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "episodes.csv").write_text(csv_text(EPISODE_COLUMNS, [ep("A", "10/01/2019")]))
    problems = discover(tmp_path).problems
    assert [p.rule for p in problems] == ["LAYOUT_AMBIGUOUS"]
    assert "(the folder 2019/; the files named 2019)" in problems[0].message


def test_the_same_table_named_both_ways(tmp_path: Path) -> None:
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2019")], names=("2019-header.csv", "2019-episodes.csv"))
    (tmp_path / "header_2019.csv").write_text(csv_text(HEADER_COLUMNS, [header("A")]))
    assert [str(p) for p in discover(tmp_path).problems] == [
        "2019-*.csv:0: -: there is more than one header file for the files named 2019 (2019-header.csv,"
        " header_2019.csv): keep one [LAYOUT_AMBIGUOUS]"
    ]


def test_two_current_extracts(tmp_path: Path) -> None:
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2019")])
    write_csv_return(tmp_path / "current", [header("A")], [ep("A", "10/01/2019")])
    assert [p.message for p in discover(tmp_path).problems] == [
        "there is more than one current extract without a year (the files at the top of the folder; the files in"
        " current/): keep one"
    ]
    # and a year folder for the year in progress beside the undated extract
    (tmp_path / "current" / "header.csv").unlink()
    (tmp_path / "current" / "episodes.csv").unlink()
    write_csv_return(tmp_path / "2020", [header("A")], [ep("A", "10/01/2019")])
    _, _, problems = placed(tmp_path, D(2019, 6, 1))
    assert [p.message for p in problems] == [
        "there is more than one current extract for 2019-20, the year in progress on 01/06/2019 (the folder 2020/;"
        " the files at the top of the folder): keep one"
    ]


def test_files_whose_year_cannot_be_told(tmp_path: Path) -> None:
    (tmp_path / "return.xml").write_text("<EXPSSDA903/>")
    (tmp_path / "header_19.csv").write_text("")
    (tmp_path / "episodes_2018-19.csv").write_text("")
    (tmp_path / "placed_for_adoption 2019 2020.csv").write_text("")
    (tmp_path / "notes.csv").write_text("")  # names no table of a return: left as a file not used
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "header.csv").write_text("")
    layout = discover(tmp_path)
    assert sorted((p.file, p.rule, p.message) for p in layout.problems) == [
        ("episodes_2018-19.csv", "LAYOUT_YEAR_UNKNOWN", "the file's year cannot be told: '2018-19' could be read two"
         " ways: name it with the year the collection ends (2019 for 2018-19)"),
        ("header_19.csv", "LAYOUT_YEAR_UNKNOWN", "the file's year cannot be told: the name holds no year (such as"
         " return_2019.xml for 2018-19)"),
        ("old/", "LAYOUT_YEAR_UNKNOWN", "the folder's year cannot be told: the name holds no year (such as"
         " return_2019.xml for 2018-19)"),
        ("placed_for_adoption 2019 2020.csv", "LAYOUT_YEAR_UNKNOWN", "the file's year cannot be told: the name holds"
         " more than one number that could be the year"),
        ("return.xml", "LAYOUT_YEAR_UNKNOWN", "the return's year cannot be told: the name holds no year (such as"
         " return_2019.xml for 2018-19)"),
    ]  # fmt: skip
    assert layout.stray == ("notes.csv",)


def test_a_missing_year_between_returns(tmp_path: Path) -> None:
    write_csv_return(tmp_path / "2018", [header("A")], [ep("A", "10/01/2018")])
    write_csv_return(tmp_path / "2020", [header("A")], [ep("A", "10/01/2018")])
    write_csv_return(tmp_path, [header("A")], [ep("A", "10/01/2018")])
    _, _, problems = placed(tmp_path, D(2021, 6, 1))
    assert [str(p) for p in problems] == [
        f"{tmp_path}:0: -: the years found (2017-18, 2019-20, 2021-22) leave out 2018-19, 2020-21: an episode open at"
        " the end of one year cannot be followed into the next without the return between them; add it"
        " [LAYOUT_YEAR_MISSING]"
    ]


def test_a_return_without_episodes_and_one_from_the_future(tmp_path: Path) -> None:
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "header.csv").write_text(csv_text(HEADER_COLUMNS, [header("A")]))
    write_csv_return(tmp_path / "2022", [header("A")], [ep("A", "10/01/2019")])
    _, _, problems = placed(tmp_path, D(2018, 6, 1))  # 2019/ is the year in progress, the current extract
    assert sorted(str(p) for p in problems) == [
        "2019/:0: -: the folder 2019/ has header.csv but no episodes.csv [LAYOUT_FILE_MISSING]",
        "2022/:0: -: the return is for 2021-22, which had not started on 01/06/2018, the day the extract was taken:"
        " is the year in the name the one the collection ends? [LAYOUT_YEAR_FUTURE]",
    ]


def test_an_xml_or_csv_in_a_folder_of_another_year(tmp_path: Path) -> None:
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "return_2018.xml").write_text("<EXPSSDA903/>")
    (tmp_path / "2019" / "header_2017.csv").write_text("")
    assert sorted((p.file, p.rule, p.message) for p in discover(tmp_path).problems) == [
        ("2019/header_2017.csv", "LAYOUT_YEAR_CONFLICT", "the file is named for 2017 but is in the folder 2019/"),
        ("2019/return_2018.xml", "LAYOUT_YEAR_CONFLICT", "the return is named for 2018 but is in the folder 2019/"),
    ]


def test_an_empty_year_folder_is_nothing_found(tmp_path: Path) -> None:
    """Today's reading then says which files are missing (FILE_MISSING): nothing to stitch."""
    (tmp_path / "2019").mkdir()
    layout = discover(tmp_path)
    assert layout.single and layout.candidates == () and layout.problems == ()
