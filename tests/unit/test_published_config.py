"""council.toml's ``la_code`` and ``[published]``: comparators and populations from the published
files, hand-typed entries winning, and every problem with its file and line (hand-made files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.core.problems import InvalidInput
from pipeline.read.config import Comparator, Config, Population, key_lines, load_config
from tests.unit.test_published import (
    EDITION_A,
    EDITION_B,
    HEADER_2020_24,
    HEADER_2021_25,
    OLD_HEADER,
    OLD_ROWS,
    ONS_HEADER,
    ONS_ROWS,
    WIDE_HEADER,
    WIDE_ROWS,
    write,
)

PUBLISHED = """\
[council]
name = "Testshire"
la_code = "{code}"

[published]
statistics = ["published/cla_2020_to_2024.csv", "published/cla_2021_to_2025.csv"]
population = "published/ons.csv"
neighbours = "published/{neighbours}"
{extra}"""


def config_folder(tmp_path: Path, *, code: str = "884", neighbours: str = "sn_wide.csv", extra: str = "") -> Path:
    folder = tmp_path / "config"
    files = folder / "published"
    files.mkdir(parents=True)
    write(files, "cla_2020_to_2024.csv", HEADER_2020_24, EDITION_A)
    write(files, "cla_2021_to_2025.csv", HEADER_2021_25, EDITION_B)
    write(files, "ons.csv", ONS_HEADER, ONS_ROWS, bom=False)
    write(files, "sn_wide.csv", WIDE_HEADER, WIDE_ROWS)
    write(files, "sn_2021.csv", OLD_HEADER, OLD_ROWS)
    text = PUBLISHED.format(code=code, neighbours=neighbours, extra=extra)
    (folder / "council.toml").write_text(text, encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        load_config(folder)
    return [str(p) for p in raised.value.problems]


def entry(config: Config, group: str, year: int) -> Comparator:
    [found] = [c for c in config.council_config.comparators if c.group == group and c.date == dt.date(year, 3, 31)]
    return found


def test_comparators_and_population_come_from_the_published_files(tmp_path: Path) -> None:
    config = load_config(config_folder(tmp_path))
    council = config.council_config
    assert council.comparator_groups() == ["England", "West Midlands", "Statistical neighbours"]
    england = entry(config, "England", 2024)
    # 33600 ceased in the year to 31 March 2024 of 82000 looked after on 31 March 2023 (edition B)
    assert (england.rate_per_10k, england.started_rate_per_10k, england.ceased_rate_per_10k) == (71.0, 28.0, 29.0)
    assert (england.ceased_pct_of_cla, england.source, england.notes) == (40.98, "DfE 2024", {})
    region = entry(config, "West Midlands", 2023)  # 3400 / 11000 (2022, from edition A) = 30.909...
    assert (region.rate_per_10k, region.ceased_pct_of_cla) == (88.0, 30.91)
    # 2022 has no previous year in either edition: no percentage, and the note says why
    assert entry(config, "England", 2022).ceased_pct_of_cla is None
    assert entry(config, "England", 2022).notes == {"ceased_pct_of_cla": "no figure for the previous 31 March"}
    assert [p.model_dump() for p in council.population] == [
        {"mid_year": 2022, "count": 33977},
        {"mid_year": 2023, "count": 34260},
    ]
    assert config.published is not None and config.published.council is not None
    assert config.published.council.name == "Herefordshire, County of"


def test_the_neighbours_mean_says_how_many_had_a_figure(tmp_path: Path) -> None:
    config = load_config(config_folder(tmp_path))
    neighbours = entry(config, "Statistical neighbours", 2023)
    # rates looked after: 815 44 (edition B revised 43), 860 33; 943 z, 893 c, 941 no row -> 77 / 2
    # starting: 815 18, 860 23, 893 29 -> 70 / 3 = 23.333...; ceasing: 16, 8, 8 -> 32 / 3 = 10.666...
    assert (neighbours.rate_per_10k, neighbours.started_rate_per_10k, neighbours.ceased_rate_per_10k) == (
        38.5,
        23.33,
        10.67,
    )
    assert neighbours.ceased_pct_of_cla == 24.5  # 815 190 / 475 = 40, 893 45 / 500 = 9
    westmorland, northamptonshire = "943 Westmorland and Furness: not applicable (z)", "941 West Northamptonshire"
    three = f"mean of the 3 of 5 neighbours with a figure; none for {westmorland}, {northamptonshire}: no row in the"
    assert neighbours.notes == {
        "rate_per_10k": f"mean of the 2 of 5 neighbours with a figure; none for {westmorland},"
        f" 893 Shropshire: suppressed (c), {northamptonshire}: no row in the published file",
        "started_rate_per_10k": f"{three} published file",
        "ceased_rate_per_10k": f"{three} published file",
        "ceased_pct_of_cla": f"mean of the 2 of 5 neighbours with a figure; none for {westmorland},"
        f" 860 Staffordshire: previous 31 March not available (x), {northamptonshire}: no row in the published file",
    }
    # 2022: no neighbour has a previous 31 March in the files
    assert entry(config, "Statistical neighbours", 2022).notes["ceased_pct_of_cla"] == (
        "none of the 5 neighbours has a figure (no figure for the previous 31 March; no row in the published file)"
    )


def test_the_new_code_names_the_same_council(tmp_path: Path) -> None:
    old = load_config(config_folder(tmp_path / "old")).council_config
    new = load_config(config_folder(tmp_path / "new", code="E06000019")).council_config
    assert old.comparators == new.comparators and old.population == new.population


def test_hand_typed_entries_win_for_the_years_they_cover(tmp_path: Path) -> None:
    extra = """
[[population]]
mid_year = 2023
count = 34000
[[population]]
mid_year = 2019
count = 33500

[[comparators]]
group = "England"
date = 2024-03-31
rate_per_10k = 70.5
source = "our own figure"
[[comparators]]
group = "Our own group"
date = 2024-03-31
rate_per_10k = 60.0
"""
    council = load_config(config_folder(tmp_path, extra=extra)).council_config
    assert council.population == [
        Population(mid_year=2019, count=33500),
        Population(mid_year=2022, count=33977),
        Population(mid_year=2023, count=34000),
    ]
    england = [c for c in council.comparators if c.group == "England"]
    assert [(c.date.year, c.rate_per_10k, c.started_rate_per_10k, c.source) for c in england] == [
        (2022, 70.0, 27.0, "DfE 2022"),
        (2023, 71.0, 28.0, "DfE 2023"),
        (2024, 70.5, None, "our own figure"),  # the whole entry is the council's: no published starting rate
    ]
    assert council.comparator_groups() == ["England", "West Midlands", "Statistical neighbours", "Our own group"]


def test_published_files_are_part_of_the_config_digest(tmp_path: Path) -> None:
    folder = config_folder(tmp_path)
    before = load_config(folder)
    assert set(before.digests) == {
        "council.toml",
        "published/cla_2020_to_2024.csv",
        "published/cla_2021_to_2025.csv",
        "published/ons.csv",
        "published/sn_wide.csv",
    }
    ons = folder / "published" / "ons.csv"
    ons.write_text(ons.read_text(encoding="utf-8").replace("33977", "33978"), encoding="utf-8")
    assert load_config(folder).digest != before.digest


def test_an_unknown_la_code_names_the_config_line(tmp_path: Path) -> None:
    [problem] = problems_of(config_folder(tmp_path, code="999"))
    assert problem.startswith("council.toml:3: council.la_code: LA code '999' is not a council in published/cla_2020")
    assert problem.endswith("[PUBLISHED_COUNCIL_UNKNOWN]")


def test_a_missing_file_names_the_config_line(tmp_path: Path) -> None:
    folder = config_folder(tmp_path)
    (folder / "published" / "ons.csv").unlink()
    assert problems_of(folder) == [
        f"council.toml:7: published.population: 'published/ons.csv' is not a file in the config folder {folder}"
        " [PUBLISHED_MISSING]"
    ]


def test_a_file_in_the_wrong_layout_is_an_error_at_its_header(tmp_path: Path) -> None:
    folder = config_folder(tmp_path)
    write(folder / "published", "ons.csv", WIDE_HEADER, WIDE_ROWS)  # the neighbour file where the ONS one belongs
    [problem] = problems_of(folder)
    assert problem.startswith("published/ons.csv:1: -: not a layout this reader knows. Expected columns")
    assert problem.endswith("[PUBLISHED_LAYOUT]")


def test_a_neighbour_that_is_no_council_is_an_error_at_its_cell(tmp_path: Path) -> None:
    assert problems_of(config_folder(tmp_path, neighbours="sn_2021.csv")) == [
        "published/sn_2021.csv:3: SN3: neighbour '998' of council 884 is no council in any of the published files"
        " [PUBLISHED_NEIGHBOUR_UNKNOWN]"
    ]


def test_published_needs_an_la_code(tmp_path: Path) -> None:
    folder = config_folder(tmp_path)
    council = folder / "council.toml"
    council.write_text(council.read_text(encoding="utf-8").replace('la_code = "884"\n', ""), encoding="utf-8")
    assert problems_of(folder) == [
        "council.toml:4: published: [published] needs the council's LA code: add la_code to [council] [CONFIG_INVALID]"
    ]


def test_an_la_code_must_look_like_one(tmp_path: Path) -> None:
    [problem] = problems_of(config_folder(tmp_path, code="88"))
    assert problem.startswith("council.toml:0: council.la_code: String should match pattern")


def test_key_lines_finds_keys_in_tables_and_arrays_of_tables() -> None:
    text = '# a comment\n[council]\nname = "x"\n la_code = "884"\n\n[published]\nstatistics = [\n  "a.csv",\n]\n'
    text += "[[population]]\nmid_year = 2019\n"
    assert key_lines(text) == {
        "council": 2,
        "council.name": 3,
        "council.la_code": 4,
        "published": 6,
        "published.statistics": 7,
        "population": 10,
        "population.mid_year": 11,
    }


def test_no_population_for_the_council_is_an_error_at_its_line(tmp_path: Path) -> None:
    # Shropshire (893) is in the statistics but not in the ONS file
    assert problems_of(config_folder(tmp_path, code="893")) == [
        "council.toml:7: published.population: no population 0-17 for council 893: name an ONS file in [published]"
        " or list [[population]] [PUBLISHED_POPULATION_MISSING]"
    ]


def test_a_council_without_neighbours_is_a_warning_not_an_error(tmp_path: Path) -> None:
    config = load_config(config_folder(tmp_path, code="943"))  # Westmorland and Furness: no row in sn_wide.csv
    assert [str(w) for w in config.warnings] == [
        "published/sn_wide.csv:0: -: council 943 has no row: the comparators have no statistical neighbours"
        " [PUBLISHED_NEIGHBOURS_MISSING]"
    ]
    # and these files have no row for its region, the North West, in any year: England alone
    assert config.council_config.comparator_groups() == ["England"]


def test_a_london_council_has_london_and_inner_london(tmp_path: Path) -> None:
    council = load_config(config_folder(tmp_path, code="E09000007")).council_config  # Camden
    assert council.comparator_groups() == ["England", "London", "Inner London", "Statistical neighbours"]
    # 2024 only (the files have no London rows before): London 50, Inner London 55; its one neighbour, 884, 113
    in_2024 = {c.group: c.rate_per_10k for c in council.comparators if c.date == dt.date(2024, 3, 31)}
    assert in_2024 == {"England": 71.0, "London": 50.0, "Inner London": 55.0, "Statistical neighbours": 113.0}
    assert [p.model_dump() for p in council.population] == [{"mid_year": 2023, "count": 40000}]
