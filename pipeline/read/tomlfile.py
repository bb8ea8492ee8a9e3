"""Config files as TOML validated into typed, frozen objects (pydantic): reading the text, and
turning what pydantic finds into problems named by file, key and (where known) line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.core.problems import Problem


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def read_toml(path: Path, *, required: bool, problems: list[Problem]) -> dict[str, Any] | None:
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


def validated(model: type[M], data: dict[str, Any] | None, file: str, problems: list[Problem]) -> M | None:
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems += config_problems(error, file)
        return None


def config_problems(error: ValidationError, file: str) -> list[Problem]:
    """A problem for each error pydantic found, named by its key (``population.0.count``)."""
    problems = []
    for detail in error.errors():
        key = ".".join(str(part) for part in detail["loc"]) or "-"
        message = _MESSAGES.get(detail["type"], str(detail["msg"]).removeprefix("Value error, "))
        problems.append(Problem(file, 0, key, message, "CONFIG_INVALID"))
    return problems


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
