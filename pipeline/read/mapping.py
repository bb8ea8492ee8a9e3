"""The extract mapping (``mapping.toml``): a council's column names and local codes mapped onto
the input contract, so the rest of the pipeline only ever sees the contract.

Each wrong entry is reported on its own, and the rest of the mapping still applies to the
extracts read in the same run.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from pipeline.core.problems import Problem
from pipeline.read.schema import FILES, Kind
from pipeline.read.tomlfile import Strict, config_problems

_FILE_STEMS = Literal["header", "episodes", "echo", "legal", "flags", "factors", "uasc"]


_SPECS = {spec.stem: spec for spec in FILES}


def _key(text: str) -> str:
    """Names and codes in mapping.toml are matched like the extracts': trimmed, any case."""
    return text.strip().upper()


class _MappingShape(Strict):
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
            problems += config_problems(error, file)
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
