"""Small hand-built extracts for tests: write CSV files the way a council would."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.checks.validate import load_extracts
from pipeline.read.config import Config, CouncilConfig, load_config
from pipeline.read.extracts import Extracts
from pipeline.read.mapping import Mapping

HEADER_COLUMNS = ("CHILD", "SEX", "DOB")
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "DEC", "REC")
TODAY = dt.date(2026, 11, 24)
TAKEN = dt.date(2020, 11, 2)  # the day the hand-built extracts were "taken", as the seed report's was

COUNCIL_TOML = """\
[council]
name = "Testshire"

[echo]
start_date = 2020-04-01

[[population]]
mid_year = 2018
count = 36850
[[population]]
mid_year = 2019
count = 36090

[[comparators]]
group = "West Midlands"
date = 2019-03-31
rate_per_10k = 82.0
source = "LAIT 2019"
[[comparators]]
group = "England"
date = 2019-03-31
rate_per_10k = 65.0
source = "LAIT 2019"
[[comparators]]
group = "Statistical neighbours"
date = 2019-03-31
rate_per_10k = 54.44
source = "LAIT 2019"

[costs]
average_per_child = 51000

[costs.placement]
in_house_fostering = 20000
agency_fostering = 45000
residential = 220000

[disclosure]
threshold = 5
"""


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]], *, newline: str = "\n") -> Path:
    """Write rows as CSV (values are written as given: quote them yourself if needed)."""
    lines = [",".join(columns), *(",".join(row) for row in rows)]
    path.write_text(newline.join(lines) + newline, encoding="utf-8")
    return path


def write_extract(
    folder: Path,
    header: Iterable[Sequence[str]],
    episodes: Iterable[Sequence[str]],
    *,
    header_columns: Sequence[str] = HEADER_COLUMNS,
    episode_columns: Sequence[str] = EPISODE_COLUMNS,
    taken: dt.date | None = TAKEN,
) -> Path:
    """header.csv and episodes.csv in ``folder`` (created), and extract.toml saying when it was
    ``taken`` (none when ``None``), as a council's extract does."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "header.csv", header_columns, header)
    write_csv(folder / "episodes.csv", episode_columns, episodes)
    if taken is not None:
        (folder / "extract.toml").write_text(f"taken = {taken.isoformat()}\n", encoding="utf-8")
    return folder


def write_config(folder: Path, text: str = COUNCIL_TOML) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "council.toml").write_text(text, encoding="utf-8")
    return folder


def council(text: str = COUNCIL_TOML) -> CouncilConfig:
    return CouncilConfig.model_validate(tomllib.loads(text))


def config(folder: Path) -> Config:
    return load_config(write_config(folder))


def load(folder: Path, *, today: dt.date = TODAY, mapping: Mapping | None = None) -> Extracts:
    return load_extracts(folder, mapping or Mapping(), encoding="utf-8", today=today)


def episode(
    child: str,
    decom: str,
    rne: str = "S",
    ls: str = "C2",
    place: str = "U4",
    provider: str = "PR1",
    dec: str = "",
    rec: str = "",
) -> tuple[str, ...]:
    """One episodes.csv row in EPISODE_COLUMNS order."""
    return (child, decom, rne, ls, place, provider, dec, rec)


def child(child_id: str, sex: str = "1", dob: str = "01/01/2010") -> tuple[str, ...]:
    return (child_id, sex, dob)
