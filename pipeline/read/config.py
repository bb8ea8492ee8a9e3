"""The council's configuration (``council.toml``) and extract mapping (``mapping.toml``).

Both are TOML, validated at start-up into typed, frozen objects: an unknown key, a wrong
type or a missing required key is an invalid-config problem naming the file and the key.
Each wrong entry of mapping.toml is reported on its own, and the rest of the mapping still
applies to the extracts read in the same run (``InvalidConfig.mapping``).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.core import codes
from pipeline.core.problems import InvalidInput, Problem
from pipeline.read.schema import FILES, Kind

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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Council(_Strict):
    name: Annotated[str, Field(min_length=1)]
    ons_code: str | None = None
    region: str | None = None
    synthetic: bool = False  # extension: the sample council says its data is made up


class Echo(_Strict):
    start_date: dt.date


class Population(_Strict):
    mid_year: Annotated[int, Field(ge=1990, le=2100)]
    count: Annotated[int, Field(gt=0)]

    @property
    def date(self) -> dt.date:
        """ONS mid-year estimates refer to 30 June of their year."""
        return dt.date(self.mid_year, 6, 30)


class Comparator(_Strict):
    group: Annotated[str, Field(min_length=1)]
    date: dt.date
    rate_per_10k: Annotated[float, Field(ge=0)]
    source: str | None = None


class Costs(_Strict):
    average_per_child: Annotated[int, Field(ge=0)] | None = None
    placement: dict[PlacementGroup, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)


class Disclosure(_Strict):
    threshold: Annotated[int, Field(ge=1, le=100)] = 5


class CouncilConfig(_Strict):
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


class _MappingShape(_Strict):
    """mapping.toml's shape: tables of text, before its names and codes are checked against the contract."""

    rename: dict[_FILE_STEMS, dict[str, str]] = Field(default_factory=dict)
    recode: dict[_FILE_STEMS, dict[str, dict[str, str]]] = Field(default_factory=dict)


class Mapping(_MappingShape):
    """Council column names and local codes mapped onto the input contract (``mapping.toml``).

    ``[rename.episodes]`` maps a council's column name to the contract's (``"Start Date" = "DECOM"``);
    ``[recode.episodes.PLACE]`` maps a local code to the contract's (``"FOST-IH" = "U4"``).
    """

    @field_validator("rename")
    @classmethod
    def _renames_onto_contract_columns(cls, rename: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for _, message in _rename_mistakes(rename)[:1]:
            raise ValueError(message)
        return rename

    @field_validator("recode")
    @classmethod
    def _recodes_onto_contract_codes(
        cls, recode: dict[str, dict[str, dict[str, str]]]
    ) -> dict[str, dict[str, dict[str, str]]]:
        for _, message in _recode_mistakes(recode)[:1]:
            raise ValueError(message)
        return recode

    def renames_for(self, stem: str) -> dict[str, str]:
        return {_key(k): _key(v) for k, v in self.rename.get(stem, {}).items()}  # type: ignore[call-overload]

    def recodes_for(self, stem: str) -> dict[str, dict[str, str]]:
        return {_key(k): v for k, v in self.recode.get(stem, {}).items()}  # type: ignore[call-overload]


Path_ = tuple[str, ...]  # where an entry sits in mapping.toml: ("episodes", "Start Date")
Mistakes = list[tuple[list[Path_], str]]  # the entries to leave out, and why


def _rename_mistakes(rename: dict[str, dict[str, str]]) -> Mistakes:
    """Each rename that cannot be applied: onto a column the file does not have, or two onto one."""
    mistakes: Mistakes = []
    for stem, renames in rename.items():
        columns = {c.name for c in _SPECS[stem].columns}
        sources: dict[str, list[str]] = {}
        for source, target in renames.items():
            if _key(target) not in columns:
                mistakes.append(([(stem, source)], f"{stem}.{source}: '{target}' is not a column of {stem}.csv"))
            else:
                sources.setdefault(_key(target), []).append(source)
        for target, names in sources.items():
            if len(names) > 1:
                message = f"{stem}: '{names[0]}' and '{names[1]}' are both renamed to {target}"
                mistakes.append(([(stem, name) for name in names], message))
    return mistakes


def _recode_mistakes(recode: dict[str, dict[str, dict[str, str]]]) -> Mistakes:
    """Each recode that cannot be applied: of a column the file does not have or that holds no codes,
    a local code listed twice, or onto a code the column does not know."""
    mistakes: Mistakes = []
    for stem, columns in recode.items():
        for name, values in columns.items():
            column = next((c for c in _SPECS[stem].columns if c.name == _key(name)), None)
            if column is None:
                mistakes.append(([(stem, name)], f"{stem}.{name}: not a column of {stem}.csv"))
                continue
            if column.kind is not Kind.CODE:
                message = f"{stem}.{name}: only code columns can be recoded ({name} is a {column.kind})"
                mistakes.append(([(stem, name)], message))
                continue
            spellings: dict[str, list[str]] = {}
            for local in values:
                spellings.setdefault(_key(local), []).append(local)
            for twice in (locals_ for locals_ in spellings.values() if len(locals_) > 1):
                message = f"{stem}.{name}: a local code is listed twice (codes are matched in any case)"
                mistakes.append(([(stem, name, local) for local in twice], message))
            for local, code in values.items():
                if column.codes and _key(code) not in column.codes:
                    mistakes.append(
                        ([(stem, name, local)], f"{stem}.{name}.{local}: '{code}' is not a {column.name} code")
                    )
    return mistakes


def mapping_from(data: dict[str, Any], file: str = "mapping.toml") -> tuple[Mapping, list[Problem]]:
    """The part of mapping.toml's ``data`` that can be applied, and a problem for each entry that
    cannot: one wrong entry never takes the others with it (the renames that are right still
    apply, so no column they rename is reported missing)."""
    problems: list[Problem] = []
    data = copy.deepcopy(data)
    for _ in range(3):  # the shape's errors come at once; pruning them leaves a valid shape
        try:
            _MappingShape.model_validate(data)
            break
        except ValidationError as error:
            problems += _config_problems(error, file)
            for detail in error.errors():
                _drop(data, tuple(str(part) for part in detail["loc"] if part != "[key]"))
    for field, mistakes in (("rename", _rename_mistakes), ("recode", _recode_mistakes)):
        for paths, message in mistakes(data.get(field, {})):
            problems.append(Problem(file, 0, field, message, "CONFIG_INVALID"))
            for path in paths:
                _drop(data, (field, *path))
    return Mapping.model_validate(data), problems


def _drop(data: dict[str, Any], path: Path_) -> None:
    """Remove the entry at ``path`` from nested tables, if it is still there."""
    *parents, last = path
    table: Any = data
    for part in parents:
        table = table.get(part) if isinstance(table, dict) else None
    if isinstance(table, dict):
        table.pop(last, None)


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


class InvalidConfig(InvalidInput):
    """The config folder cannot be used; ``mapping`` is the part of mapping.toml that can, so that
    the extracts are still read through it and checked in the same run."""

    def __init__(self, problems: list[Problem], mapping: Mapping) -> None:
        super().__init__(problems)
        self.mapping = mapping


def load_config(directory: Path) -> Config:
    """Read and validate ``council.toml`` (required) and ``mapping.toml`` (optional); raise
    ``InvalidConfig`` with every problem of both."""
    problems: list[Problem] = []
    council_path = directory / "council.toml"
    mapping_path = directory / "mapping.toml"
    council_data, digests = _read_toml(council_path, required=True, problems=problems), {}
    mapping_data = _read_toml(mapping_path, required=False, problems=problems)
    for path in (council_path, mapping_path):
        if path.is_file():
            digests[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    council = _validate(CouncilConfig, council_data, council_path.name, problems)
    mapping, mapping_problems = mapping_from(mapping_data or {}, mapping_path.name)
    problems += mapping_problems
    if problems or council is None:
        raise InvalidConfig(problems, mapping)
    return Config(council_config=council, mapping=mapping, digests=digests)


def _read_toml(path: Path, *, required: bool, problems: list[Problem]) -> dict[str, Any] | None:
    if not path.is_file():
        if required:
            problems.append(
                Problem(path.name, 0, "", f"the config file is missing from {path.parent}", "CONFIG_MISSING")
            )
        return None
    try:
        # Notepad saves UTF-8 with a byte-order mark: harmless, so it is dropped.
        return tomllib.loads(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        problems.append(Problem(path.name, 0, "", "the config file is not UTF-8 text", "CONFIG_SYNTAX"))
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        problems.append(
            Problem(path.name, int(found[1]) if found else 0, "", f"not valid TOML: {message}", "CONFIG_SYNTAX")
        )
    return None


M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "extra_forbidden": "unknown key (check its spelling against the documented config)",
    "missing": "a required key is missing",
}


def _validate(model: type[M], data: dict[str, Any] | None, file: str, problems: list[Problem]) -> M | None:
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems += _config_problems(error, file)
        return None


def _config_problems(error: ValidationError, file: str) -> list[Problem]:
    """A problem for each error pydantic found, named by its key (``population.0.count``)."""
    problems = []
    for detail in error.errors():
        key = ".".join(str(part) for part in detail["loc"]) or "-"
        message = _MESSAGES.get(detail["type"], str(detail["msg"]).removeprefix("Value error, "))
        problems.append(Problem(file, 0, key, message, "CONFIG_INVALID"))
    return problems
