"""The synthetic extract generator (pipeline.sample): deterministic, valid, realistic in size."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import polars as pl
import pytest

from pipeline.checks.validate import load_extracts
from pipeline.measures.tables import build_tables
from pipeline.read.config import load_config
from pipeline.sample import SampleSummary, generate, published
from pipeline.sample.returns import returned

EXTRACT = dt.date(2020, 11, 2)
LATER = dt.date(2026, 3, 31)  # after the H5/P2 -> K3 and Z1 -> Z11-Z14 code changes
SMALL = 300

COLUMNS = {
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes": [
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
    ],
    "echo": ["FAMILY", "CHILD", "STRAND", "REFERRAL_DATE", "START_DATE", "END_DATE", "OUTCOME"],
    "legal": [
        "CHILD", "ROUTE", "PLANNED_DATE", "REFERRED_DATE", "ISSUED_DATE", "CONCLUDED_DATE",
        "OUTCOME",
    ],
    "flags": ["CHILD", "FLAG", "START_DATE", "END_DATE"],
    "factors": ["CHILD", "FAMILY", "ASSESSMENT_DATE", "FACTORS", "LEVEL"],
}  # fmt: skip
DATES = {
    "header": ["DOB", "MC_DOB"],
    "episodes": ["DECOM", "DEC"],
    "echo": ["REFERRAL_DATE", "START_DATE", "END_DATE"],
    "legal": ["PLANNED_DATE", "REFERRED_DATE", "ISSUED_DATE", "CONCLUDED_DATE"],
    "flags": ["START_DATE", "END_DATE"],
    "factors": ["ASSESSMENT_DATE"],
}


def words(text: str) -> set[str]:
    return set(text.split())


# Code lists of the input contract (shared/contract/inputs.md, shared/domain/reference.md 1.3, 4).
CODES = {
    ("header", "SEX"): {"1", "2", "M", "F", "U"},
    ("header", "ETHNIC"): words("WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND")
    | words("APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT"),
    ("header", "MOTHER"): {"0", "1"},
    ("episodes", "RNE"): {"S", "L", "P", "T", "U", "B"},
    ("episodes", "LS"): words("C1 C2 D1 E1 J1 J2 J3 L1 L2 L3 V2 V3 V4"),
    ("episodes", "CIN"): {f"N{n}" for n in range(1, 9)},
    ("episodes", "PLACE"): words("A3 A4 A5 A6 H5 K1 K2 K3 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2")
    | words("T3 T4 U1 U2 U3 U4 U5 U6 Z1 Z11 Z12 Z13 Z14"),
    ("episodes", "PLACE_PROVIDER"): {f"PR{n}" for n in range(6)},
    ("episodes", "REC"): words("X1 E11 E12 E2 E3 E4 E41 E43 E44 E45 E46 E47 E48 E4A E4B")
    | words("E5 E6 E7 E8 E9 E13 E14 E15 E16 E17"),
    ("episodes", "REASON_PLACE_CHANGE"): words("CARPL CLOSE ALLEG STAND APPRR CREQB CREQO")
    | words("CHILD LAREQ PLACE CUSTOD OTHER"),
    ("echo", "STRAND"): {"PREVENTION", "REUNIFICATION"},
    ("echo", "OUTCOME"): words("REMAINED_HOME ENTERED_CARE RETURNED_HOME REMAIN_IN_CARE")
    | words("RETURN_PLANNED WITHDRAWN"),
    ("legal", "ROUTE"): {"SGO", "REUNIFICATION", "CAO"},
    ("legal", "OUTCOME"): {"GRANTED", "REFUSED", "WITHDRAWN"},
    ("flags", "FLAG"): {"LT_MATCH", "RES_NO_FOSTER", "RES_ASSESSED_NEED", "DISABILITY_REG"},
    ("factors", "LEVEL"): {"BELOW_THRESHOLD", "CIN", "CP", "CLA"},
}
CIN_FACTORS = (
    {f"{n}{s}" for n in range(1, 7) for s in "ABC"}
    | {"7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A"}
    | {"16A", "17A", "18B", "18C", "19B", "19C", "20", "21", "22A", "23A", "24A"}
)
FILES = [
    *COLUMNS, "config/council.toml", "extract.toml", "README.md", *(f"config/{name}" for name in published.FILES),
]  # fmt: skip


def read(folder: Path, name: str) -> pl.DataFrame:
    """A generated CSV as text columns, dates parsed (empty cells are nulls)."""
    frame = pl.read_csv(folder / f"{name}.csv", infer_schema=False)
    return frame.with_columns(pl.col(c).str.to_date("%d/%m/%Y") for c in DATES[name])


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SampleSummary]:
    folder = tmp_path_factory.mktemp("small")
    return folder, generate(folder, seed=7, children=SMALL, extract_date=EXTRACT)


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("later")
    generate(folder, seed=7, children=SMALL, extract_date=LATER)
    return folder


@pytest.fixture(params=["small", "later"])
def sample(request: pytest.FixtureRequest) -> tuple[Path, dt.date]:
    """Both samples, with their extract dates, for the checks every sample must pass."""
    if request.param == "small":
        return request.getfixturevalue("small")[0], EXTRACT
    return request.getfixturevalue("later"), LATER


Small = tuple[Path, SampleSummary]


def test_the_same_seed_gives_the_same_bytes(small: Small, tmp_path: Path) -> None:
    folder, summary = small
    again = generate(tmp_path, seed=7, children=SMALL, extract_date=EXTRACT)
    assert again == summary
    for name in FILES:
        path = name if "." in name else f"{name}.csv"
        assert (tmp_path / path).read_bytes() == (folder / path).read_bytes(), path


def test_another_seed_gives_other_children(small: Small, tmp_path: Path) -> None:
    generate(tmp_path, seed=8, children=SMALL, extract_date=EXTRACT)
    assert (tmp_path / "episodes.csv").read_bytes() != (small[0] / "episodes.csv").read_bytes()


def test_files_follow_the_contract_format(sample: tuple[Path, dt.date]) -> None:
    folder, _ = sample
    for name, columns in COLUMNS.items():
        raw = (folder / f"{name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw, name
        assert raw.decode("utf-8").split("\n", 1)[0] == ",".join(columns), name
        frame = pl.read_csv(folder / f"{name}.csv", infer_schema=False)
        assert frame.height > 0, name
        for column in DATES[name]:
            values = frame[column].drop_nulls()
            assert values.str.contains(r"^\d{2}/\d{2}/\d{4}$").all(), (name, column)


def test_the_summary_counts_the_rows(small: Small) -> None:
    folder, summary = small
    for name in COLUMNS:
        assert getattr(summary, name) == read(folder, name).height, name
    assert abs(summary.header - SMALL) <= 0.1 * SMALL


def test_every_code_is_in_the_contract_lists(sample: tuple[Path, dt.date]) -> None:
    folder, _ = sample
    for (name, column), allowed in CODES.items():
        found = set(read(folder, name)[column].drop_nulls())
        assert found <= allowed, (name, column, found - allowed)
    listed = read(folder, "factors")["FACTORS"].to_list()
    codes = {code for cell in listed for code in re.split("[;,]", cell)}
    assert codes <= CIN_FACTORS, codes - CIN_FACTORS


def test_identifiers_are_opaque_text(small: Small) -> None:
    header = read(small[0], "header")
    assert header["CHILD"].is_unique().all()
    assert header["CHILD"].str.contains(r"^\d{7}$").all()
    assert header["CHILD"].str.starts_with("0").any()  # leading zeros that a number would lose
    assert header["UPN"].drop_nulls().str.contains(r"^(A\d{12}|UN[1-5])$").all()
    postcodes = read(small[0], "episodes").select(pl.concat_list("HOME_POST", "PL_POST").explode())
    assert postcodes.to_series().drop_nulls().str.contains(r"^ZZ99 \d[A-Z]{2}$").all()


def test_no_date_is_after_the_extract_date(sample: tuple[Path, dt.date]) -> None:
    folder, extract = sample
    for name, columns in DATES.items():
        frame = read(folder, name)
        for column in columns:
            late = frame.filter(pl.col(column) > extract)
            assert late.height == 0, (name, column)


def test_episodes_follow_the_contract_rules(sample: tuple[Path, dt.date]) -> None:
    folder, _ = sample
    header, episodes = read(folder, "header"), read(folder, "episodes")
    assert set(episodes["CHILD"]) <= set(header["CHILD"])
    assert set(header["CHILD"]) <= set(episodes["CHILD"])
    chain = episodes.sort("CHILD", "DECOM").with_columns(
        next_decom=pl.col("DECOM").shift(-1).over("CHILD"),
        next_rne=pl.col("RNE").shift(-1).over("CHILD"),
        first=pl.col("DECOM").cum_count().over("CHILD") == 1,
    )
    following, x1 = pl.col("next_decom"), pl.col("REC") == "X1"
    problems = {
        "DEC before DECOM": chain.filter(pl.col("DEC") < pl.col("DECOM")),
        "REC without DEC": chain.filter(pl.col("DEC").is_null() != pl.col("REC").is_null()),
        "overlap": chain.filter(following < pl.col("DEC")),
        "open but not latest": chain.filter(pl.col("DEC").is_null() & following.is_not_null()),
        "X1 without next": chain.filter(x1 & (following != pl.col("DEC"))),
        "X1 at the end": chain.filter(x1 & following.is_null()),
        "X1 then S": chain.filter(x1 & (pl.col("next_rne") == "S")),
        "gap without S": chain.filter(
            (pl.col("REC") != "X1") & pl.col("next_rne").is_not_null() & (pl.col("next_rne") != "S")
        ),
        "first not S": chain.filter(pl.col("first") & (pl.col("RNE") != "S")),
        "before birth": chain.join(header, on="CHILD").filter(pl.col("DECOM") < pl.col("DOB")),
    }
    assert {rule: frame.height for rule, frame in problems.items() if frame.height} == {}


def test_providers_fit_the_placements(sample: tuple[Path, dt.date]) -> None:
    episodes = read(sample[0], "episodes")
    place, provider = pl.col("PLACE"), pl.col("PLACE_PROVIDER")
    assert episodes.filter((place == "P1") != (provider == "PR0").fill_null(False)).height == 0
    no_provider = place.str.starts_with("T") | place.is_in(["Z11", "Z12", "Z13", "Z14"])
    assert episodes.filter(no_provider & provider.is_not_null()).height == 0
    assert episodes.filter(place.str.contains("^[UAK]") & (provider == "PR3")).height == 0
    no_urn = place.is_in(["P1", "R1", "R2", "R5"])
    assert episodes.filter(no_urn & pl.col("URN").is_not_null()).height == 0


def test_codes_follow_the_national_changes(later: Path) -> None:
    episodes = read(later, "episodes")
    k3_from, z1_until = dt.date(2023, 10, 28), dt.date(2025, 4, 1)
    lasting = pl.col("DEC").is_null() | (pl.col("DEC") > k3_from)
    assert episodes.filter(pl.col("PLACE").is_in(["H5", "P2"]) & lasting).height == 0
    assert episodes.filter((pl.col("PLACE") == "K3") & (pl.col("DECOM") < k3_from)).height == 0
    z1_lasting = pl.col("DEC").is_null() | (pl.col("DEC") > z1_until)
    assert episodes.filter((pl.col("PLACE") == "Z1") & z1_lasting).height == 0
    assert "K3" in set(episodes["PLACE"])


def test_short_breaks_are_in_the_data(small: Small) -> None:
    episodes = read(small[0], "episodes")
    breaks = episodes.filter(pl.col("LS") == "V3")
    assert breaks.height > 0
    assert (breaks["DEC"] - breaks["DECOM"]).dt.total_days().is_between(1, 7).all()


def test_service_files_line_up_with_the_episodes(sample: tuple[Path, dt.date]) -> None:
    folder, _ = sample
    header = set(read(folder, "header")["CHILD"])
    assert set(read(folder, "legal")["CHILD"]) <= header
    assert set(read(folder, "flags")["CHILD"]) <= header
    legal = read(folder, "legal")
    stages = ["PLANNED_DATE", "REFERRED_DATE", "ISSUED_DATE", "CONCLUDED_DATE"]
    for earlier, later_stage in zip(stages, stages[1:], strict=False):
        assert legal.filter(pl.col(earlier) > pl.col(later_stage)).height == 0
    concluded = pl.col("CONCLUDED_DATE").is_not_null()
    assert legal.filter(concluded != pl.col("OUTCOME").is_not_null()).height == 0
    echo = read(folder, "echo")
    assert echo.filter(pl.col("START_DATE") < pl.col("REFERRAL_DATE")).height == 0
    assert echo.filter(pl.col("END_DATE") < pl.col("START_DATE")).height == 0
    reunification = echo.filter(pl.col("STRAND") == "REUNIFICATION")
    assert set(reunification["CHILD"]) <= header


def test_the_config_describes_a_fictional_council(small: Small) -> None:
    folder = small[0] / "config"
    config = tomllib.loads((folder / "council.toml").read_text(encoding="utf-8"))
    assert config["council"] == {
        "name": "Northmoor (synthetic sample)",
        "region": "West Midlands",
        "la_code": "E10999999",
        "synthetic": True,
    }
    assert config["echo"]["start_date"] == dt.date(2020, 4, 1)
    assert config["disclosure"] == {"threshold": 5}
    assert "synthetic" in (small[0] / "README.md").read_text(encoding="utf-8").lower()
    assert "synthetic" in (folder / "published" / "README.md").read_text(encoding="utf-8").lower()
    # the population and comparators come from the made-up published files
    council = load_config(folder).council_config
    years = [p.mid_year for p in council.population]
    assert years == list(range(2010, 2021))
    assert abs(council.population[-1].count - SMALL * 27.7) < 1
    england = {c.date: c.rate_per_10k for c in council.comparators if c.group == "England"}
    assert england[dt.date(2019, 3, 31)] == 65.0
    assert council.comparator_groups() == ["England", "West Midlands", "Statistical neighbours"]


def test_the_made_up_comparators_are_the_illustrative_rates_typed_before(small: Small) -> None:
    # Until the published files, the sample's config listed these rates by hand (LAIT-like,
    # illustrative) for the four 31 Marches up to the extract date; the files give the same.
    typed = {
        "England": (62.0, 64.0, 65.0, 67.0),
        "West Midlands": (77.0, 80.0, 82.0, 84.0),
        "Statistical neighbours": (50.9, 52.6, 54.44, 55.8),  # 2019: 490 / 9, one neighbour's figures x
    }
    council = load_config(small[0] / "config").council_config
    for group, rates in typed.items():
        derived = {c.date.year: c.rate_per_10k for c in council.comparators if c.group == group}
        assert tuple(derived[year] for year in range(2017, 2021)) == rates, group


def test_the_made_up_own_figures_are_near_the_samples_own_counts(small: Small) -> None:
    # Each published count is the generator's count moved by -2 to +3 (a return made earlier than
    # the extract): the reconciliation's differences stay that small.
    folder = small[0]
    config = load_config(folder / "config")
    assert config.published is not None and config.published.own is not None
    extracts = load_extracts(folder, config.mapping, encoding="utf-8", today=EXTRACT)
    tables = build_tables(extracts, config.council_config, EXTRACT, config.published.own)
    differences = tables["reconciliation"].filter(pl.col("measure") == "difference")["value"].to_list()
    assert len(differences) == 15 and all(-3 <= d <= 2 for d in differences)


def test_the_default_sample_has_a_shire_countys_numbers(tmp_path: Path) -> None:
    summary = generate(tmp_path)
    episodes = read(tmp_path, "episodes").filter(~pl.col("LS").is_in(["V3", "V4"]))
    open_on = (pl.col("DECOM") <= EXTRACT) & (pl.col("DEC").is_null() | (pl.col("DEC") > EXTRACT))
    looked_after = episodes.filter(open_on)["CHILD"].n_unique()
    assert looked_after == summary.looked_after
    assert 300 <= looked_after <= 360
    assert 1200 <= summary.header <= 1400


def test_a_sample_return_is_cut_at_31_march_as_a_return_is_built() -> None:
    """The 2019 return (1 April 2018 to 31 March 2019): episodes open at any time in it, DEC and REC empty
    for one still open on 31 March."""

    def row(decom: str, dec: str = "", rec: str = "") -> dict[str, str]:
        return {"CHILD": "A", "DECOM": decom, "DEC": dec, "REC": rec}

    episodes = [
        row("01/01/2017", "31/03/2018", "E13"),  # ended the day before the year: not held
        row("01/01/2017", "01/04/2018", "E13"),  # ended on its first day: held as it is
        row("10/01/2019"),  # open: held
        row("10/01/2019", "15/06/2019", "E4A"),  # ended after 31 March: held as still open
        row("01/04/2019", "02/04/2019", "E8"),  # started after the year: not held
    ]
    start, end = dt.date(2018, 4, 1), dt.date(2019, 3, 31)
    assert [(e["DECOM"], e["DEC"], e["REC"]) for e in returned(episodes, start, end)] == [
        ("01/01/2017", "01/04/2018", "E13"),
        ("10/01/2019", "", ""),
        ("10/01/2019", "", ""),
    ]
