"""Tests for published.py on small hand-made files (made-up figures, real file layouts).

Every quirk of the real DfE / ONS files is reproduced here: byte-order marks, quoted names
holding commas, both statistics column sets and both 31 March labels, z / c / x, the two
neighbour layouts (repeated SNP names, trailing empty column, blank rows, "Old SNs:" block,
a repeated header row, trailing spaces), a figure revised between editions, a council whose
ONS code differs from its DfE code, and a London council.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.read.published import councils as pcouncils
from pipeline.read.published import figures as pfigures
from pipeline.read.published import load as pload
from pipeline.read.published import neighbours as pneighbours
from pipeline.read.published import population as ppopulation
from pipeline.read.published import statistics as pstatistics
from pipeline.read.published import text as ptext

BOM = "\ufeff"

# ---- statistics editions -------------------------------------------------------------------

HEADER_2020_24 = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,la_name,new_la_code,population_count,population_estimate,number,rate_per_10000"
)
HEADER_2021_25 = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,la_name,new_la_code,population_type,population_estimate,children_count,rate_per_10000"
)
AT = "Children looked after at 31 March each year"  # 2020-24 wording
ON = "Children looked after on 31 March each year"  # 2021-25 wording
START = "Children starting to be looked after each year"
CEASE = "Children ceasing to be looked after each year"

# geographic_level, country_code, country_name, region_code, region_name, old_la_code, la_name, new_la_code
ENG = ("National", "E92000001", "England", "", "", "", "", "")
WM = ("Regional", "E92000001", "England", "E12000005", "West Midlands", "", "", "")
LONDON = ("Regional", "E92000001", "England", "E12000007", "London", "", "", "")
INNER = ("Regional", "E92000001", "England", "E13000001", "Inner London", "", "", "")
HEREFORD = (
    "Local authority",
    "E92000001",
    "England",
    "E12000005",
    "West Midlands",
    "884",
    '"Herefordshire, County of"',
    "E06000019",
)
# The DfE gives North Yorkshire its 2023 unitary code for every year; the ONS does not.
NYORKS = (
    "Local authority",
    "E92000001",
    "England",
    "E12000003",
    "Yorkshire and The Humber",
    "815",
    "North Yorkshire",
    "E06000065",
)
STAFFS = ("Local authority", "E92000001", "England", "E12000005", "West Midlands", "860", "Staffordshire", "E10000028")
SHROPS = ("Local authority", "E92000001", "England", "E12000005", "West Midlands", "893", "Shropshire", "E06000051")
WESTMORLAND = (
    "Local authority",
    "E92000001",
    "England",
    "E12000002",
    "North West",
    "943",
    "Westmorland and Furness",
    "E06000064",
)
CAMDEN = ("Local authority", "E92000001", "England", "E13000001", "Inner London", "202", "Camden", "E09000007")


def row(year: str, geo: tuple, label: str, pop: str, count: str, rate: str) -> str:
    return ",".join([year, "Reporting year", *geo, label, pop, count, rate])


def three(year: str, geo: tuple, on: str, pop: str, figures: tuple) -> list[str]:
    """The three measure rows of one geography and year; figures = (count, rate) x 3."""
    (c1, r1), (c2, r2), (c3, r3) = figures
    return [row(year, geo, on, pop, c1, r1), row(year, geo, START, pop, c2, r2), row(year, geo, CEASE, pop, c3, r3)]


# Edition 2020-24 layout, years 2022 and 2023 (lines 2-37).
EDITION_A = [
    *three("2022", ENG, AT, "11500000", (("80000", "70"), ("31000", "27"), ("30000", "26"))),  # 2-4
    *three("2022", WM, AT, "1260000", (("11000", "87"), ("3500", "28"), ("3300", "26"))),  # 5-7
    *three("2022", HEREFORD, AT, "33900", (("380", "112"), ("120", "35"), ("100", "29"))),  # 8-10
    *three("2022", NYORKS, AT, "113000", (("475", "42"), ("190", "17"), ("180", "16"))),  # 11-13
    *three("2022", STAFFS, AT, "180000", (("x", "x"), ("400", "22"), ("350", "19"))),  # 14-16
    *three("2022", SHROPS, AT, "55000", (("500", "91"), ("150", "27"), ("140", "25"))),  # 17-19
    *three("2023", ENG, AT, "11600000", (("82000", "71"), ("32000", "28"), ("31000", "27"))),  # 20-22
    *three("2023", WM, AT, "1270000", (("11200", "88"), ("3600", "28"), ("3400", "27"))),  # 23-25
    *three("2023", HEREFORD, AT, "33950", (("410", "121"), ("130", "38"), ("105", "31"))),  # 26-28
    *three("2023", NYORKS, AT, "113500", (("490", "43"), ("200", "18"), ("185", "16"))),  # 29-31
    *three("2023", STAFFS, AT, "181000", (("600", "33"), ("410", "23"), ("144", "8"))),  # 32-34
    *three("2023", SHROPS, AT, "55500", (("c", "c"), ("160", "29"), ("45", "8"))),  # 35-37
]
# Edition 2021-25 layout, years 2023 and 2024 (lines 2-52). Revises 2023: Herefordshire's
# population (all three rows), North Yorkshire's 31 March count and rate, and its ceased count.
EDITION_B = [
    *three("2023", ENG, ON, "11600000", (("82000", "71"), ("32000", "28"), ("31000", "27"))),  # 2-4
    *three("2023", WM, ON, "1270000", (("11200", "88"), ("3600", "28"), ("3400", "27"))),  # 5-7
    *three("2023", HEREFORD, ON, "33977", (("410", "121"), ("130", "38"), ("105", "31"))),  # 8-10
    *three("2023", NYORKS, ON, "113500", (("500", "44"), ("200", "18"), ("190", "16"))),  # 11-13
    *three("2023", STAFFS, ON, "181000", (("600", "33"), ("410", "23"), ("144", "8"))),  # 14-16
    *three("2023", SHROPS, ON, "55500", (("c", "c"), ("160", "29"), ("45", "8"))),  # 17-19
    *three("2023", WESTMORLAND, ON, "x", (("z", "z"), ("z", "z"), ("z", "z"))),  # 20-22
    *three("2024", ENG, ON, "11700000", (("83000", "71"), ("33000", "28"), ("33600", "29"))),  # 23-25
    *three("2024", WM, ON, "1280000", (("11300", "88"), ("3700", "29"), ("3500", "27"))),  # 26-28
    *three("2024", LONDON, ON, "1900000", (("9500", "50"), ("4000", "21"), ("4700", "25"))),  # 29-31
    *three("2024", INNER, ON, "600000", (("3300", "55"), ("1500", "25"), ("1650", "28"))),  # 32-34
    *three("2024", HEREFORD, ON, "34260", (("387", "113"), ("96", "28"), ("122", "36"))),  # 35-37
    *three("2024", NYORKS, ON, "115000", (("520", "45"), ("210", "18"), ("200", "17"))),  # 38-40
    *three("2024", STAFFS, ON, "182000", (("620", "34"), ("420", "23"), ("150", "8"))),  # 41-43
    # 520 / 56000 * 10,000 = 92.9: the published 92 must be taken as it is, not recomputed.
    *three("2024", SHROPS, ON, "56000", (("520", "92"), ("170", "30"), ("60", "11"))),  # 44-46
    *three("2024", WESTMORLAND, ON, "39000", (("240", "61"), ("70", "18"), ("80", "21"))),  # 47-49
    *three("2024", CAMDEN, ON, "40000", (("200", "50"), ("90", "23"), ("85", "21"))),  # 50-52
]

# ---- ONS population (no BOM in the real file; old_la_code,new_la_code,la_name order) ---------

ONS_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,age_group,population_estimate"
)
AGE = "Children aged 0 to 17 years"
LA = "Reporting year,Local authority,E92000001,England"


def ons(year: str, region: str, old: str, new: str, name: str, population: str) -> str:
    return ",".join([year, LA, region, old, new, name, AGE, population])


HEREFORD_ONS = ("E12000005,West Midlands", "884", "E06000019", '"Herefordshire, County of"')
NYORKS_ONS = "E12000003,Yorkshire and The Humber"
ONS_ROWS = [
    f"2023,Reporting year,National,E92000001,England,,,,,,{AGE},11700000",  # 2
    ons("2023", *HEREFORD_ONS, "34260"),  # 3
    ons("2022", *HEREFORD_ONS, "33977"),  # 4
    ons("2023", NYORKS_ONS, "815", "E06000065", "North Yorkshire", "115000"),  # 5: unitary from April 2023
    ons("2022", NYORKS_ONS, "815", "E10000023", "North Yorkshire", "113500"),  # 6: the county's code before
    ons("2021", NYORKS_ONS, "815", "E10000023", "North Yorkshire", "113000"),  # 7
    ons("2023", "E12000004,East Midlands", "941", "E06000062", "West Northamptonshire", "80000"),  # 8
    ons("2023", "E12000002,North West", "943", "E06000064", "Westmorland and Furness", "39000"),  # 9
    ons("2018", "E12000009,South West", "837", "E06000028", "Bournemouth", "x"),  # 10: before it was abolished
    ons("2023", "E13000001,Inner London", "202", "E09000007", "Camden", "40000"),  # 11
]

# ---- neighbours ---------------------------------------------------------------------------

WIDE_HEADER = "old_la_code,la_name,region_ind,region_name," + ",".join(f"SN_{r},SN_{r}P" for r in range(1, 11))
WIDE_ROWS = [
    # 5 neighbours, the rest blank; closeness with the trailing spaces of the real file.
    '884,"Herefordshire, County of",8,West Midlands,943,Very close,815,Very close,860,Close ,893,Close '
    + ",941,Somewhat close"
    + ",," * 5,  # 2
    WIDE_HEADER,  # 3: a repeated header row
    "202,Camden,3,London,884,Not close" + ",," * 9,  # 4
]
OLD_HEADER = "LA num,LA Name,LA number,GOInd,GOReg," + ",".join(f"SN{r},SNP" for r in range(1, 11)) + ","
OLD_ROWS = [
    "202,Camden,202,3,London (Inner),884,Not Close,815,Close" + ",," * 8 + ",",  # 2
    "884,Herefordshire,884,8,West Midlands,893,Extremely Close,860,Very Close,998,Very Close" + ",," * 7 + ",",  # 3
    "," * 25,  # 4 blank
    ",Old SNs:" + "," * 24,  # 5
    "," * 25,  # 6 blank
    "928,Northamptonshire,928,1,East Midlands,884,Very Close,815,Close" + ",," * 8 + ",",  # 7
]


def write(tmp_path: Path, name: str, header: str, rows: list[str], *, bom: bool = True) -> Path:
    path = tmp_path / name
    path.write_text((BOM if bom else "") + "\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "a": write(tmp_path, "cla_2020_to_2024.csv", HEADER_2020_24, EDITION_A),
        "b": write(tmp_path, "cla_2021_to_2025.csv", HEADER_2021_25, EDITION_B),
        "ons": write(tmp_path, "ons.csv", ONS_HEADER, ONS_ROWS, bom=False),
        "wide": write(tmp_path, "sn_wide.csv", WIDE_HEADER, WIDE_ROWS),
        "old": write(tmp_path, "sn_2021.csv", OLD_HEADER, OLD_ROWS),
    }


def load_files(
    files: dict[str, Path], code: str = "884", sn: str = "wide", order: tuple[str, ...] = ("a", "b")
) -> pload.Published:
    return pload.load_published(
        files["a"].parent,
        code,
        statistics=[files[k].name for k in order],
        population=files["ons"].name,
        neighbours=files[sn].name,
    )


def read(reader, path: Path):  # each reader takes the path and the name messages use
    return reader(path, path.name)


def value(frame: pl.DataFrame, **where) -> dict:
    found = frame.filter(**where)
    assert found.height == 1, found
    return found.row(0, named=True)


# ---- reading text ---------------------------------------------------------------------------


def test_text_reader_keeps_physical_lines(tmp_path: Path) -> None:
    text = BOM + 'a,b,c\n1,"x, y",3\n\n4,"two\nlines",6\na,b,c\n  ,  ,  \n7, 8 ,9\n'
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    header, rows, problems = ptext.read_csv_text(path, path.name)
    assert problems == []
    assert header == ["a", "b", "c"]  # no BOM left on "a"
    # blank line 3, repeated header line 6 and whitespace-only line 7 are dropped;
    # the quoted line break makes "7, 8 ,9" line 8, not 7.
    assert rows.rows() == [(2, "1", "x, y", "3"), (4, "4", "two\nlines", "6"), (8, "7", "8", "9")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.booleans()), min_size=1, max_size=12))
def test_text_reader_line_numbers_any_blank_and_multiline_mix(tmp_path_factory, layout) -> None:
    # Each record: k blank lines before it, and maybe a quoted cell spanning two lines.
    lines, expected = ["h1,h2"], []
    for i, (blanks, multiline) in enumerate(layout):
        lines += [""] * blanks
        expected.append((len(lines) + 1, str(i)))
        lines += [f'{i},"a\nb"'] if multiline else [f"{i},v"]
    path = tmp_path_factory.mktemp("h") / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rows, _ = ptext.read_csv_text(path, path.name)
    # a multi-line record occupies two physical lines, shifting the ones after it
    physical, line = [], 2
    for i, (blanks, multiline) in enumerate(layout):
        line += blanks
        physical.append((line, str(i)))
        line += 2 if multiline else 1
    assert rows.select("line", "h1").rows() == physical


def test_row_longer_than_header_is_a_layout_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    _, rows, problems = ptext.read_csv_text(path, path.name)
    assert rows is None
    assert [(p.line, p.rule) for p in problems] == [(3, "PUBLISHED_LAYOUT")]


def test_duplicate_and_blank_column_names_get_positions() -> None:
    assert ptext.unique_names(["LA num", "SN1", "SNP", "SN2", "SNP", ""]) == [
        "LA num",
        "SN1",
        "SNP@3",
        "SN2",
        "SNP@5",
        "column@6",
    ]


# ---- statistics ---------------------------------------------------------------------------


def test_both_editions_layouts_and_labels(files) -> None:
    a, pa = read(pstatistics.read_statistics, files["a"])
    b, pb = read(pstatistics.read_statistics, files["b"])
    assert pa == [] and pb == []
    assert a.height == 36 and b.height == 51
    assert set(a["measure"]) == set(b["measure"]) == {"cla_31_march", "started", "ceased"}
    hereford_a = value(a, time_period=2022, geo_code="884", measure="cla_31_march")
    assert (hereford_a["line"], hereford_a["la_name"], hereford_a["count"], hereford_a["rate_per_10k"]) == (
        8,
        "Herefordshire, County of",
        380,
        112.0,
    )
    camden = value(b, time_period=2024, geo_code="202", measure="ceased")
    assert (camden["line"], camden["region_code"], camden["count"]) == (52, "E13000001", 85)


def test_z_c_x_are_statuses_not_numbers(files) -> None:
    a, _ = read(pstatistics.read_statistics, files["a"])
    b, _ = read(pstatistics.read_statistics, files["b"])
    staffs = value(a, time_period=2022, geo_code="860", measure="cla_31_march")
    assert (staffs["count"], staffs["count_status"], staffs["rate_status"], staffs["line"]) == (None, "x", "x", 14)
    shrops = value(b, time_period=2023, geo_code="893", measure="cla_31_march")
    assert (shrops["count"], shrops["count_status"], shrops["rate_per_10k"], shrops["rate_status"]) == (
        None,
        "c",
        None,
        "c",
    )
    westmorland = value(b, time_period=2023, geo_code="943", measure="started")
    assert (westmorland["population_estimate_status"], westmorland["count_status"], westmorland["rate_status"]) == (
        "x",
        "z",
        "z",
    )


def test_unreadable_numbers_are_problems_with_line_and_column(tmp_path: Path) -> None:
    rows = [
        row("2024", HEREFORD, ON, "34260", "38 7", "113"),  # 2: not a number
        row("2024", HEREFORD, START, "34260", "96", ""),  # 3: empty rate
        row("2024", HEREFORD, CEASE, "34260", "k", "36"),
    ]  # 4: a symbol this reader does not accept
    path = write(tmp_path, "bad.csv", HEADER_2021_25, rows)
    stats, problems = read(pstatistics.read_statistics, path)
    assert sorted((p.line, p.column, p.rule) for p in problems) == [
        (2, "children_count", "PUBLISHED_NUMBER_UNREADABLE"),
        (3, "rate_per_10000", "PUBLISHED_NUMBER_UNREADABLE"),
        (4, "children_count", "PUBLISHED_NUMBER_UNREADABLE"),
    ]
    assert value(stats, measure="cla_31_march")["count_status"] == "invalid"


def test_wrong_layout_lists_expected_and_found(tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.csv", "time_period,geographic_level,old_la_code,count", ["2024,National,,5"])
    stats, problems = read(pstatistics.read_statistics, path)
    assert stats is None
    [p] = problems
    assert (p.line, p.rule) == (1, "PUBLISHED_LAYOUT")
    assert (
        "children_count" in p.message
        and "population_count" in p.message
        and "Found: time_period, geographic_level" in p.message
    )


def test_unknown_measure_label_and_bad_year(tmp_path: Path) -> None:
    rows = [
        row("2024", ENG, "Children adopted each year", "1", "1", "1"),
        row("24", ENG, ON, "1", "1", "1"),
        row("202324", ENG, START, "1", "7", "1"),
    ]
    stats, problems = read(pstatistics.read_statistics, write(tmp_path, "t.csv", HEADER_2021_25, rows))
    assert sorted((p.line, p.rule) for p in problems) == [
        (2, "PUBLISHED_MEASURE_UNKNOWN"),
        (3, "PUBLISHED_YEAR_UNREADABLE"),
    ]
    assert stats.select("time_period", "measure", "count").rows() == [
        (2024, "started", 7)
    ]  # 202324 = year to 31 March 2024


# ---- editions -----------------------------------------------------------------------------


def test_later_edition_wins_and_revisions_are_counted(files) -> None:
    a, _ = read(pstatistics.read_statistics, files["a"])
    b, _ = read(pstatistics.read_statistics, files["b"])
    combined, revisions = pstatistics.combine_editions([a, b])
    nyorks = value(combined, time_period=2023, geo_code="815", measure="cla_31_march")
    assert (nyorks["count"], nyorks["rate_per_10k"], nyorks["line"], nyorks["file"]) == (500, 44.0, 11, files["b"].name)
    assert (
        value(combined, time_period=2022, geo_code="815", measure="cla_31_march")["count"] == 475
    )  # only edition A has 2022
    assert combined.height == 18 + 51  # 2022 from A, 2023-2024 from B
    assert pstatistics.revision_summary(revisions) == {
        "shared_rows": 18,
        "revised_rows": 5,
        "revised_count_or_rate": 2,
        "revised_population": 3,
        "revised_count": 2,
        "revised_rate": 1,
    }
    ceased = value(revisions, time_period=2023, geo_code="815", measure="ceased")
    assert (ceased["count_old"], ceased["count_new"], ceased["line_old"], ceased["line_new"]) == (185, 190, 31, 13)


def test_edition_order_decides(files) -> None:
    a, _ = read(pstatistics.read_statistics, files["a"])
    b, _ = read(pstatistics.read_statistics, files["b"])
    combined, _ = pstatistics.combine_editions([b, a])  # A listed last: A wins 2023
    assert value(combined, time_period=2023, geo_code="815", measure="cla_31_march")["count"] == 490
    # 943 is only in B for 2023: B's rows stay, there is nothing to replace them
    assert value(combined, time_period=2023, geo_code="943", measure="cla_31_march")["count_status"] == "z"


# ---- councils -------------------------------------------------------------------------------


def test_resolve_by_old_or_new_code(files) -> None:
    for code in ("884", "E06000019", " e06000019 "):
        result = load_files(files, code)
        assert result.council == pcouncils.Council(
            "884", "E06000019", "Herefordshire, County of", "E12000005", "West Midlands", None, None, ()
        )
        assert result.problems == ()


def test_council_whose_ons_code_differs(files) -> None:
    result = load_files(files, "E10000023")  # North Yorkshire's pre-2023 code, only in the ONS file
    council = result.council
    assert (council.old_la_code, council.new_la_code, council.other_new_codes) == ("815", "E06000065", ("E10000023",))
    assert result.population.select("mid_year", "population", "ons_new_la_code", "code_differs").rows() == [
        (2021, 113000, "E10000023", True),
        (2022, 113500, "E10000023", True),
        (2023, 115000, "E06000065", False),
    ]


def test_london_council_gets_london_region_and_inner_london(files) -> None:
    result = load_files(files, "E09000007")
    council = result.council
    assert (
        council.old_la_code,
        council.region_code,
        council.region_name,
        council.london_code,
        council.london_name,
    ) == ("202", "E12000007", "London", "E13000001", "Inner London")
    comp = result.comparators.filter(pl.col("figure") == "cla_rate_per_10k", pl.col("time_period") == 2024)
    assert dict(comp.select("group_kind", "value").iter_rows()) == {
        "council": 50.0,
        "england": 71.0,
        "region": 50.0,
        "london": 55.0,
        "neighbours": 113.0,
    }
    london_2023 = value(result.comparators, figure="cla_rate_per_10k", time_period=2023, group_kind="london")
    assert (london_2023["value"], london_2023["status"], london_2023["reason"]) == (
        None,
        "no_row",
        "no row in the published file",
    )


def test_unknown_la_code_is_a_problem(files) -> None:
    result = load_files(files, "999")
    assert result.council is None
    [p] = result.problems
    assert (p.file, p.line, p.column, p.rule) == ("council.toml", 0, "council.la_code", "PUBLISHED_COUNCIL_UNKNOWN")
    assert files["b"].name in p.message and files["old"].name not in p.message


# ---- neighbours ---------------------------------------------------------------------------


def test_wide_neighbour_layout(files) -> None:
    sns, problems = read(pneighbours.read_neighbours, files["wide"])
    assert problems == []
    hereford = sns.filter(pl.col("old_la_code") == "884")
    assert hereford.select("rank", "neighbour_code", "closeness", "line").rows() == [
        (1, "943", "Very close", 2),
        (2, "815", "Very close", 2),
        (3, "860", "Close", 2),
        (4, "893", "Close", 2),
        (5, "941", "Somewhat close", 2),
    ]
    assert hereford["la_name"][0] == "Herefordshire, County of"
    assert sns.filter(pl.col("old_la_code") == "202")["line"].to_list() == [4]  # repeated header on line 3 skipped


def test_april_2021_neighbour_layout(files) -> None:
    sns, problems = read(pneighbours.read_neighbours, files["old"])
    assert problems == []
    assert sns.select("old_la_code", "block", "line").unique().sort("line").rows() == [
        ("202", "current", 2),
        ("884", "current", 3),
        ("928", "old", 7),
    ]
    hereford = sns.filter(pl.col("old_la_code") == "884")
    assert hereford.select("rank", "neighbour_code", "closeness").rows() == [
        (1, "893", "Extremely close"),
        (2, "860", "Very close"),
        (3, "998", "Very close"),
    ]
    assert hereford["region_label"][0] == "West Midlands"
    assert sns.filter(pl.col("old_la_code") == "202")["region_label"][0] == "London (Inner)"


def test_neighbour_code_matching_no_council(files) -> None:
    result = load_files(files, "884", sn="old")
    assert result.neighbours["neighbour_code"].to_list() == ["893", "860"]
    [p] = result.problems
    assert (p.file, p.line, p.column, p.rule) == (files["old"].name, 3, "SN3", "PUBLISHED_NEIGHBOUR_UNKNOWN")


def test_wrong_neighbour_layout(tmp_path: Path) -> None:
    sns, [p] = read(pneighbours.read_neighbours, write(tmp_path, "sn.csv", "la,sn1", ["884,893"]))
    assert sns is None and p.rule == "PUBLISHED_LAYOUT" and "SN_1P" in p.message and "GOReg" in p.message


# ---- comparators ----------------------------------------------------------------------------


def test_neighbour_mean_of_published_rates(files) -> None:
    comp = load_files(files).comparators
    sn = {y: value(comp, group_kind="neighbours", figure="cla_rate_per_10k", time_period=y) for y in (2022, 2023, 2024)}
    # 2022: 815 42, 893 91; 860 x, 943 and 941 have no row
    assert (sn[2022]["value"], sn[2022]["n_neighbours"], sn[2022]["n_with_figure"]) == (66.5, 5, 2)
    assert sn[2022]["missing"] == [
        "943 Westmorland and Furness: no row in the published file",
        "860 Staffordshire: not available (x)",
        "941 West Northamptonshire: no row in the published file",
    ]
    # 2023 (edition B): 815 44 (revised from 43), 860 33; 943 z, 893 c, 941 no row
    assert (sn[2023]["value"], sn[2023]["n_with_figure"]) == (38.5, 2)
    assert sn[2023]["missing"] == [
        "943 Westmorland and Furness: not applicable (z)",
        "893 Shropshire: suppressed (c)",
        "941 West Northamptonshire: no row in the published file",
    ]
    # 2024: (61 + 45 + 34 + 92) / 4
    assert (sn[2024]["value"], sn[2024]["n_with_figure"]) == (58.0, 4)
    started = value(comp, group_kind="neighbours", figure="started_rate_per_10k", time_period=2024)
    assert started["value"] == (18 + 18 + 23 + 30) / 4
    # no "mean count" for neighbours: their sizes differ
    assert comp.filter(pl.col("group_kind") == "neighbours", pl.col("figure").str.ends_with("_count")).is_empty()


def test_england_region_and_council_as_published(files) -> None:
    comp = load_files(files).comparators
    got = {
        (r["group_kind"], r["figure"]): r["value"]
        for r in comp.filter(pl.col("time_period") == 2024).iter_rows(named=True)
    }
    assert got[("england", "cla_rate_per_10k")] == 71.0 and got[("region", "ceased_rate_per_10k")] == 27.0
    assert got[("council", "cla_count")] == 387 and got[("england", "started_count")] == 33000
    assert ("london", "cla_rate_per_10k") not in got  # Herefordshire is not in London


def test_rates_are_not_recomputed(files) -> None:
    editions = [read(pstatistics.read_statistics, files[k])[0] for k in ("a", "b")]
    combined, _ = pstatistics.combine_editions(editions)
    per_sn = pfigures.neighbour_figures(combined, load_files(files).neighbours)
    assert value(per_sn, geo_code="893", time_period=2024, figure="cla_rate_per_10k")["value"] == 92.0


def test_ceased_as_percentage_of_previous_31_march(files) -> None:
    comp = load_files(files).comparators
    pct = {
        (r["group_kind"], r["time_period"]): r
        for r in comp.filter(pl.col("figure") == "ceased_pct_of_previous_cla").iter_rows(named=True)
    }
    # rounded half up to two decimals: 122 / 410 = 29.7560..., 105 / 380 = 27.6315..., 33600 / 82000 = 40.9756...
    assert pct[("council", 2024)]["value"] == 29.76
    assert pct[("council", 2023)]["value"] == 27.63  # 2023 from B, 2022 from A
    assert pct[("england", 2024)]["value"] == 40.98
    assert pct[("council", 2022)]["status"] == "no_previous"  # no 2021 in either edition
    # neighbours 2023: 815 190/475 = 40, 893 45/500 = 9; 860 previous x, 943 z, 941 no row
    assert pct[("neighbours", 2023)]["value"] == 24.5
    assert pct[("neighbours", 2023)]["missing"] == [
        "943 Westmorland and Furness: not applicable (z)",
        "860 Staffordshire: previous 31 March not available (x)",
        "941 West Northamptonshire: no row in the published file",
    ]
    # 2024: 815 200/500 = 40, 860 150/600 = 25; 893 previous c, 943 previous z
    assert pct[("neighbours", 2024)]["value"] == 32.5
    assert pct[("neighbours", 2024)]["n_with_figure"] == 2
    assert pct[("neighbours", 2022)]["status"] == "no_neighbour_figure"


def test_council_own_figures_for_reconciliation(files) -> None:
    own = load_files(files).own.filter(pl.col("figure").is_in(["cla_count", "started_count", "ceased_count"]))
    assert own.sort("time_period", "figure").select("time_period", "figure", "value", "line").rows() == [
        (2022, "ceased_count", 100.0, 10),
        (2022, "cla_count", 380.0, 8),
        (2022, "started_count", 120.0, 9),
        (2023, "ceased_count", 105.0, 10),
        (2023, "cla_count", 410.0, 8),
        (2023, "started_count", 130.0, 9),
        (2024, "ceased_count", 122.0, 37),
        (2024, "cla_count", 387.0, 35),
        (2024, "started_count", 96.0, 36),
    ]
    assert own["period_end"].max().isoformat() == "2024-03-31"


def test_population_for_council(files) -> None:
    population = load_files(files).population
    assert population.select("mid_year", "population", "line").rows() == [(2022, 33977, 4), (2023, 34260, 3)]
    people, problems = read(ppopulation.read_population, files["ons"])
    assert problems == []
    assert value(people, old_la_code="837")["population_status"] == "x"
