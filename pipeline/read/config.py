"""The council's configuration (``council.toml``) and extract mapping (``mapping.toml``).

Both are TOML, validated at start-up into typed, frozen objects: an unknown key, a wrong
type or a missing required key is an invalid-config problem naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.core import codes
from pipeline.core.problems import InvalidInput, Problem
from pipeline.read.schema import FILES, Kind
from pipeline.read.tomlfile import M, Strict, read_toml, validate_toml

PlacementGroup = Literal[
    "kinship_fostering",
    "in_house_fostering",
    "agency_fostering",
    "residential",
    "placed_with_parents",
    "placed_for_adoption",
    "supported_or_independent",
    "other",
]
assert set(PlacementGroup.__args__) == set(codes.PLACEMENT_ORDER)  # type: ignore[attr-defined]


class Council(Strict):
    name: Annotated[str, Field(min_length=1)]
    ons_code: str | None = None
    region: str | None = None
    synthetic: bool = False  # extension: the sample council says its data is made up


class Echo(Strict):
    start_date: dt.date


class Population(Strict):
    mid_year: Annotated[int, Field(ge=1990, le=2100)]
    count: Annotated[int, Field(gt=0)]

    @property
    def date(self) -> dt.date:
        """ONS mid-year estimates refer to 30 June of their year."""
        return dt.date(self.mid_year, 6, 30)


class Comparator(Strict):
    group: Annotated[str, Field(min_length=1)]
    date: dt.date
    rate_per_10k: Annotated[float, Field(ge=0)]
    source: str | None = None


class Costs(Strict):
    average_per_child: Annotated[int, Field(ge=0)] | None = None
    placement: dict[PlacementGroup, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)


class Disclosure(Strict):
    threshold: Annotated[int, Field(ge=1, le=100)] = 5


class CouncilConfig(Strict):
    """Everything in ``council.toml``."""

    council: Council
    echo: Echo | None = None
    population: Annotated[list[Population], Field(min_length=1)]
    comparators: list[Comparator] = Field(default_factory=list)
    costs: Costs = Field(default_factory=Costs)
    disclosure: Disclosure = Field(default_factory=Disclosure)

    @model_validator(mode="after")
    def _one_estimate_a_year(self) -> CouncilConfig:
        years = [p.mid_year for p in self.population]
        if len(years) != len(set(years)):
            raise ValueError("population: each mid_year may appear only once")
        return self

    def comparator_groups(self) -> list[str]:
        """Comparator groups in the order first listed."""
        return list(dict.fromkeys(c.group for c in self.comparators))


_FILE_STEMS = Literal["header", "episodes", "echo", "legal", "flags", "factors"]
_SPECS = {spec.stem: spec for spec in FILES}


def _key(text: str) -> str:
    """Names and codes in mapping.toml are matched like the extracts': trimmed, any case."""
    return text.strip().upper()


class Mapping(Strict):
    """Council column names and local codes mapped onto the input contract (``mapping.toml``).

    ``[rename.episodes]`` maps a council's column name to the contract's (``"Start Date" = "DECOM"``);
    ``[recode.episodes.PLACE]`` maps a local code to the contract's (``"FOST-IH" = "U4"``).
    """

    rename: dict[_FILE_STEMS, dict[str, str]] = Field(default_factory=dict)
    recode: dict[_FILE_STEMS, dict[str, dict[str, str]]] = Field(default_factory=dict)

    @field_validator("rename")
    @classmethod
    def _renames_onto_contract_columns(cls, rename: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for stem, renames in rename.items():
            columns = {c.name for c in _SPECS[stem].columns}
            targets: dict[str, str] = {}
            for source, target in renames.items():
                if _key(target) not in columns:
                    raise ValueError(f"{stem}.{source}: '{target}' is not a column of {stem}.csv")
                if _key(target) in targets:
                    raise ValueError(
                        f"{stem}: '{targets[_key(target)]}' and '{source}' are both renamed to {_key(target)}"
                    )
                targets[_key(target)] = source
        return rename

    @field_validator("recode")
    @classmethod
    def _recodes_onto_contract_codes(
        cls, recode: dict[str, dict[str, dict[str, str]]]
    ) -> dict[str, dict[str, dict[str, str]]]:
        for stem, columns in recode.items():
            for name, values in columns.items():
                column = next((c for c in _SPECS[stem].columns if c.name == _key(name)), None)
                if column is None:
                    raise ValueError(f"{stem}.{name}: not a column of {stem}.csv")
                if column.kind is not Kind.CODE:
                    raise ValueError(f"{stem}.{name}: only code columns can be recoded ({name} is a {column.kind})")
                if len({_key(local) for local in values}) != len(values):
                    raise ValueError(f"{stem}.{name}: a local code is listed twice (codes are matched in any case)")
                for local, code in values.items():
                    if column.codes and _key(code) not in column.codes:
                        raise ValueError(f"{stem}.{name}.{local}: '{code}' is not a {column.name} code")
        return recode

    def renames_for(self, stem: str) -> dict[str, str]:
        return {_key(k): _key(v) for k, v in self.rename.get(stem, {}).items()}  # type: ignore[call-overload]

    def recodes_for(self, stem: str) -> dict[str, dict[str, str]]:
        return {_key(k): v for k, v in self.recode.get(stem, {}).items()}  # type: ignore[call-overload]


class Config(BaseModel):
    """The validated config folder, with digests of the files it came from."""

    model_config = ConfigDict(frozen=True)

    council_config: CouncilConfig
    mapping: Mapping
    digests: dict[str, str]

    @property
    def digest(self) -> str:
        joined = "".join(f"{name}:{digest}\n" for name, digest in sorted(self.digests.items()))
        return hashlib.sha256(joined.encode()).hexdigest()


def load_config(directory: Path) -> Config:
    """Read and validate ``council.toml`` (required) and ``mapping.toml`` (optional)."""
    problems: list[Problem] = []
    council_path = directory / "council.toml"
    mapping_path = directory / "mapping.toml"
    council_data, digests = _read_config_file(council_path, required=True, problems=problems), {}
    mapping_data = _read_config_file(mapping_path, required=False, problems=problems)
    for path in (council_path, mapping_path):
        if path.is_file():
            digests[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    council = _validate(CouncilConfig, council_data, council_path.name, problems)
    mapping = _validate(Mapping, mapping_data or {}, mapping_path.name, problems)
    if problems or council is None or mapping is None:
        raise InvalidInput(problems)
    return Config(council_config=council, mapping=mapping, digests=digests)


def _read_config_file(path: Path, *, required: bool, problems: list[Problem]) -> dict[str, Any] | None:
    if not path.is_file():
        if required:
            problems.append(
                Problem(path.name, 0, "", f"the config file is missing from {path.parent}", "CONFIG_MISSING")
            )
        return None
    return read_toml(path, problems, rule="CONFIG_SYNTAX", what="the config file")


def _validate(model: type[M], data: dict[str, Any] | None, file: str, problems: list[Problem]) -> M | None:
    return validate_toml(model, data, file, problems, rule="CONFIG_INVALID", documented="config")
