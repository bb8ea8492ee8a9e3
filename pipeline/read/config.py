"""The council's configuration (``council.toml``), loaded with the extract mapping
(``pipeline.read.mapping``) as one config folder.

Both are TOML, validated at start-up into typed, frozen objects: an unknown key, a wrong
type or a missing required key is an invalid-config problem naming the file and the key.

With ``[published]``, the comparators and populations are read from the DfE and ONS files it
names (``pipeline.read.published``) and become ``[[comparators]]`` and ``[[population]]``
entries like hand-typed ones; a hand-typed entry wins for the group and date (or mid-year) it
covers, so a council may use its own figures.

Each wrong entry of mapping.toml is reported on its own, and the rest of the mapping still
applies to the extracts read in the same run (``InvalidConfig.mapping``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pipeline.core import codes
from pipeline.core.problems import InvalidInput, Problem, errors, warnings
from pipeline.read.mapping import Mapping, mapping_from
from pipeline.read.published.entries import comparator_entries, population_entries
from pipeline.read.published.load import Published, load_published
from pipeline.read.tomlfile import Strict, key_lines, read_toml, validated

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
    ons_code: str | None = None  # for the record; la_code is the one the published files are read by
    region: str | None = None
    la_code: Annotated[str, Field(pattern=r"^\s*(\d{3}|[A-Za-z]\d{8})\s*$")] | None = None  # 884 or E06000019
    synthetic: bool = False  # extension: the sample council says its data is made up


class PublishedFiles(Strict):
    """``[published]``: the DfE and ONS files, by path relative to the config folder."""

    statistics: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]  # last listed wins a year
    population: Annotated[str, Field(min_length=1)] | None = None
    neighbours: Annotated[str, Field(min_length=1)] | None = None


class Echo(Strict):
    start_date: dt.date


class Population(Strict):
    mid_year: Annotated[int, Field(ge=1990, le=2100)]
    count: Annotated[int, Field(gt=0)]

    @property
    def date(self) -> dt.date:
        """ONS mid-year estimates refer to 30 June of their year."""
        return dt.date(self.mid_year, 6, 30)


Rate = Annotated[float, Field(ge=0)]
ComparatorFigure = Literal["rate_per_10k", "started_rate_per_10k", "ceased_rate_per_10k", "ceased_pct_of_cla"]


class Comparator(Strict):
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


class Costs(Strict):
    average_per_child: Annotated[int, Field(ge=0)] | None = None
    placement: dict[PlacementGroup, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)


class Disclosure(Strict):
    threshold: Annotated[int, Field(ge=1, le=100)] = 5


class CouncilConfig(Strict):
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


class InvalidConfig(InvalidInput):
    """The config folder cannot be used; ``mapping`` is the part of mapping.toml that can, so that
    the extracts are still read through it and checked in the same run."""

    def __init__(self, problems: list[Problem], mapping: Mapping) -> None:
        super().__init__(problems)
        self.mapping = mapping


def load_config(directory: Path) -> Config:
    """Read and validate ``council.toml`` (required) and ``mapping.toml`` (optional), and the
    published files ``[published]`` names; raise ``InvalidConfig`` with every problem of them all."""
    problems: list[Problem] = []
    council_path = directory / "council.toml"
    mapping_path = directory / "mapping.toml"
    council_data, digests = read_toml(council_path, required=True, problems=problems), {}
    mapping_data = read_toml(mapping_path, required=False, problems=problems)
    for path in (council_path, mapping_path):
        if path.is_file():
            digests[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    council = validated(CouncilConfig, council_data, council_path.name, problems)
    mapping, mapping_problems = mapping_from(mapping_data or {}, mapping_path.name)
    problems += mapping_problems
    published, typed = None, tuple((c.group, c.date) for c in council.comparators) if council else ()
    if council is not None and council.published is not None:
        lines = key_lines(council_path.read_text(encoding="utf-8-sig"))
        if council.council.la_code is None:
            message = "[published] needs the council's LA code: add la_code to [council]"
            raise InvalidConfig(
                [*problems, Problem(council_path.name, lines["published"], "published", message, "CONFIG_INVALID")],
                mapping,
            )
        published = read_published(directory, council, council_path.name, lines)
        digests |= {f.name: f.sha256 for f in published.files}
        problems += errors(list(published.problems))
        if not errors(list(published.problems)):
            council = with_published(council, published, problems, lines.get("published.population", 0))
    if problems or council is None:
        raise InvalidConfig(problems, mapping)
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
