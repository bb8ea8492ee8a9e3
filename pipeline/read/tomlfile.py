"""A small TOML file read into a typed, frozen pydantic model, its problems as ``FILE:LINE: KEY``.

Shared by the config folder (``council.toml``, ``mapping.toml``) and the extract folder's
``extract.toml``: each names the rule its problems are reported under.
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


def read_toml(path: Path, problems: list[Problem], *, rule: str, what: str) -> dict[str, Any] | None:
    """The TOML in ``path`` (which must exist), or ``None`` with a problem saying why ``what`` cannot be read."""
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


def validate_toml(
    model: type[M], data: dict[str, Any] | None, file: str, problems: list[Problem], *, rule: str, documented: str
) -> M | None:
    """``data`` as ``model``; ``None`` when it was unreadable or invalid (each invalid key a problem).

    ``documented`` names where the keys are documented, for the message about an unknown key."""
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        messages = {
            "extra_forbidden": f"unknown key (check its spelling against the documented {documented})",
            "missing": "a required key is missing",
        }
        for detail in error.errors():
            key = ".".join(str(part) for part in detail["loc"]) or "-"
            message = messages.get(detail["type"], str(detail["msg"]).removeprefix("Value error, "))
            problems.append(Problem(file, 0, key, message, rule))
        return None
