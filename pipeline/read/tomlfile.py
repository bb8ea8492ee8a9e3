"""Config files as TOML validated into typed, frozen objects (pydantic): reading the text, and
turning what pydantic finds into problems named by file, key and (where known) line.

The config folder's files are reported under the CONFIG_* rules; another TOML file (the extract
folder's ``extract.toml``) names its own rule and how it is spoken of.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.core.problems import Problem


class Strict(BaseModel):
    """A TOML table: unknown keys are refused (a misspelt key must not be ignored), values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def read_toml(
    path: Path, *, required: bool, problems: list[Problem], rule: str = "CONFIG_SYNTAX", what: str = "the config file"
) -> dict[str, Any] | None:
    """The TOML in ``path``; ``None``, with a problem under ``rule`` saying why ``what`` cannot be read
    (or under CONFIG_MISSING when a ``required`` file is missing)."""
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
        problems.append(Problem(path.name, 0, "", f"{what} is not UTF-8 text", rule))
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        problems.append(Problem(path.name, int(found[1]) if found else 0, "", f"not valid TOML: {message}", rule))
    return None


M = TypeVar("M", bound=BaseModel)


def validated(
    model: type[M],
    data: dict[str, Any] | None,
    file: str,
    problems: list[Problem],
    *,
    rule: str = "CONFIG_INVALID",
    documented: str = "config",
) -> M | None:
    """``data`` as ``model``; ``None`` when it was unreadable or invalid (each invalid key a problem)."""
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems += config_problems(error, file, rule=rule, documented=documented)
        return None


def config_problems(
    error: ValidationError, file: str, *, rule: str = "CONFIG_INVALID", documented: str = "config"
) -> list[Problem]:
    """A problem for each error pydantic found, named by its key (``population.0.count``); an unknown
    key's message points at where the keys are ``documented``."""
    messages = {
        "extra_forbidden": f"unknown key (check its spelling against the documented {documented})",
        "missing": "a required key is missing",
    }
    problems = []
    for detail in error.errors():
        key = ".".join(str(part) for part in detail["loc"]) or "-"
        message = messages.get(detail["type"], str(detail["msg"]).removeprefix("Value error, "))
        problems.append(Problem(file, 0, key, message, rule))
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
