"""The council's configuration (``council.toml``) and extract mapping (``mapping.toml``).

Both are TOML, validated at start-up into typed, frozen objects: an unknown key, a wrong
type or a missing required key is an invalid-config problem naming the file and the key.

With ``[published]``, the comparators and populations are read from the DfE and ONS files it
names (``pipeline.read.published``) and become ``[[comparators]]`` and ``[[population]]``
entries like hand-typed ones; a hand-typed entry wins for the group and date (or mid-year) it
covers, so a council may use its own figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pipeline.core import codes
from pipeline.core.problems import InvalidInput, Problem, errors, warnings
from pipeline.read.published.entries import comparator_entries, population_entries
from pipeline.read.published.load import Published, load_published
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
    ons_code: str | None = None  # for the record; la_code is the one the published files are read by
    region: str | None = None
    la_code: Annotated[str, Field(pattern=r"^\s*(\d{3}|[A-Za-z]\d{8})\s*$")] | None = None  # 884 or E06000019
    synthetic: bool = False  # extension: the sample council says its data is made up


class PublishedFiles(_Strict):
    """``[published]``: the DfE and ONS files, by path relative to the config folder."""

    statistics: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]  # last listed wins a year
    population: Annotated[str, Field(min_length=1)] | None = None
    neighbours: Annotated[str, Field(min_length=1)] | None = None


class Echo(_Strict):
    start_date: dt.date


class Population(_Strict):
    mid_year: Annotated[int, Field(ge=1990, le=2100)]
    count: Annotated[int, Field(gt=0)]

    @property
    def date(self) -> dt.date:
        """ONS mid-year estimates refer to 30 June of their year."""
        return dt.date(self.mid_year, 6, 30)


Rate = Annotated[float, Field(ge=0)]
ComparatorFigure = Literal["rate_per_10k", "started_rate_per_10k", "ceased_rate_per_10k", "ceased_pct_of_cla"]


class Comparator(_Strict):
    """A comparator group's published figures for the year to ``date`` (31 March).

    ``rate_per_10k`` is required (an entry from the published files has None when nothing was
    published that year); the starting and ceasing rates and the percentage ceased are optional.
    ``notes`` are said beside a figure: why it is missing, or how many neighbours a mean is of.
    """

    group: Annotated[str, Field(min_length=1)]
    date: dt.date
    rate_per_10k: Rate | None
    started_rate_per_10k: Rate | None = None
    ceased_rate_per_10k: Rate | None = None
    ceased_pct_of_cla: Annotated[float, Field(ge=0, le=100)] | None = None
    source: str | None = None
    notes: dict[ComparatorFigure, str] = Field(default_factory=dict)


class Costs(_Strict):
    average_per_child: Annotated[int, Field(ge=0)] | None = None
    placement: dict[PlacementGroup, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)


class Disclosure(_Strict):
    threshold: Annotated[int, Field(ge=1, le=100)] = 5


class CouncilConfig(_Strict):
    """Everything in ``council.toml``."""

    council: Council
    echo: Echo | None = None
    published: PublishedFiles | None = None
    population: list[Population] = Field(default_factory=list, validate_default=True)  # optional with [published]
    comparators: list[Comparator] = Field(default_factory=list)
    costs: Costs = Field(default_factory=Costs)
    disclosure: Disclosure = Field(default_factory=Disclosure)

    @field_validator("population")
    @classmethod
    def _population_given(cls, population: list[Population], info: ValidationInfo) -> list[Population]:
        # Required unless [published] names the files it comes from (then it may still add years).
        if not population and info.data.get("published") is None:
            raise PydanticCustomError("missing", "a required key is missing")
        return population

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


class Mapping(_Strict):
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
    """The validated config folder, with digests of the files it came from (published files included)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    council_config: CouncilConfig  # with [published], the comparators and populations the files give
    mapping: Mapping
    digests: dict[str, str]
    published: Published | None = None  # what the published files say, for the reconciliation and report
    warnings: tuple[Problem, ...] = ()  # about the published files
    hand_typed: tuple[tuple[str, dt.date], ...] = ()  # (group, date) of council.toml's own [[comparators]]

    @property
    def digest(self) -> str:
        joined = "".join(f"{name}:{digest}\n" for name, digest in sorted(self.digests.items()))
        return hashlib.sha256(joined.encode()).hexdigest()


def load_config(directory: Path) -> Config:
    """Read and validate ``council.toml`` (required) and ``mapping.toml`` (optional), and the
    published files ``[published]`` names."""
    problems: list[Problem] = []
    council_path = directory / "council.toml"
    mapping_path = directory / "mapping.toml"
    council_data, digests = _read_toml(council_path, required=True, problems=problems), {}
    mapping_data = _read_toml(mapping_path, required=False, problems=problems)
    for path in (council_path, mapping_path):
        if path.is_file():
            digests[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    council = _validate(CouncilConfig, council_data, council_path.name, problems)
    mapping = _validate(Mapping, mapping_data or {}, mapping_path.name, problems)
    published, typed = None, tuple((c.group, c.date) for c in council.comparators) if council else ()
    if council is not None and council.published is not None:
        lines = key_lines(council_path.read_text(encoding="utf-8-sig"))
        if council.council.la_code is None:
            message = "[published] needs the council's LA code: add la_code to [council]"
            raise InvalidInput(
                [*problems, Problem(council_path.name, lines["published"], "published", message, "CONFIG_INVALID")]
            )
        published = read_published(directory, council, council_path.name, lines)
        digests |= {f.name: f.sha256 for f in published.files}
        problems += errors(list(published.problems))
        if not errors(list(published.problems)):
            council = with_published(council, published, problems, lines.get("published.population", 0))
    if problems or council is None or mapping is None:
        raise InvalidInput(problems)
    found = tuple(warnings(list(published.problems))) if published else ()
    return Config(
        council_config=council, mapping=mapping, digests=digests, published=published, warnings=found, hand_typed=typed
    )


def read_published(directory: Path, council: CouncilConfig, file: str, lines: dict[str, int]) -> Published:
    """The published files of ``[published]`` read for the council's ``la_code``; ``lines`` are
    the config keys' lines (``key_lines``), for problems about the config."""
    files, code = council.published, council.council.la_code
    assert files is not None and code is not None  # the caller checks both
    return load_published(
        directory,
        code,
        statistics=files.statistics,
        population=files.population,
        neighbours=files.neighbours,
        config_file=file,
        lines=lines,
    )


def with_published(
    council: CouncilConfig, published: Published, problems: list[Problem], line: int = 0
) -> CouncilConfig:
    """``council`` with the comparators and populations the published files give, where
    ``council.toml`` lists none for the same group and date (or mid-year). No population at
    all is a problem (at ``line``, that of ``published.population``)."""
    entries = comparator_entries(published.comparators) if published.comparators is not None else []
    derived = [Comparator.model_validate(e) for e in entries]
    typed = {(c.group, c.date) for c in council.comparators}
    comparators = [c for c in derived if (c.group, c.date) not in typed] + list(council.comparators)
    estimates = population_entries(published.population) if published.population is not None else []
    years = {p.mid_year for p in council.population}
    people = [p for p in (Population.model_validate(e) for e in estimates) if p.mid_year not in years]
    population = sorted([*people, *council.population], key=lambda p: p.date)
    if not population:
        message = f"no population 0-17 for council {council.council.la_code}: name an ONS file in [published]"
        message += " or list [[population]]"
        problems.append(Problem("council.toml", line, "published.population", message, "PUBLISHED_POPULATION_MISSING"))
    return council.model_copy(update={"comparators": comparators, "population": population})


def key_lines(text: str) -> dict[str, int]:
    """The line of each key of a TOML text, as ``table.key`` (``council.la_code``) -> line; the
    first occurrence. Only for pointing a message at its line: tomllib gives no positions."""
    table, lines = "", dict[str, int]()
    for number, line in enumerate(text.splitlines(), start=1):
        if header := re.match(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?", line):
            table = header[1]
            lines.setdefault(table, number)
        elif key := re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", line):
            lines.setdefault(f"{table}.{key[1]}" if table else key[1], number)
    return lines


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
        for detail in error.errors():
            key = ".".join(str(part) for part in detail["loc"]) or "-"
            message = _MESSAGES.get(detail["type"], str(detail["msg"]).removeprefix("Value error, "))
            problems.append(Problem(file, 0, key, message, "CONFIG_INVALID"))
        return None
