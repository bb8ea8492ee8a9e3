"""Every dependency pinned exactly in pyproject.toml, at the version uv.lock installs, so that what a
council installs is what was tested (the lock file pins the rest)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
EXACT = re.compile(r"(?P<name>[A-Za-z0-9._-]+)==(?P<version>\d+(\.\d+)*)")


def requirements() -> list[str]:
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    groups = project.get("dependency-groups", {}).values()
    return [*project["project"]["dependencies"], *(r for group in groups for r in group)]


def test_every_dependency_is_pinned_exactly_at_the_locked_version() -> None:
    lock = tomllib.loads((REPOSITORY / "uv.lock").read_text(encoding="utf-8"))
    locked = {package["name"]: package["version"] for package in lock["package"]}
    found = [EXACT.fullmatch(requirement) for requirement in requirements()]
    assert [r for r, match in zip(requirements(), found, strict=True) if match is None] == []  # no "==2.*"
    pins = {match["name"].lower(): match["version"] for match in found if match}
    assert {name: version for name, version in pins.items() if locked.get(name) != version} == {}
    assert "pydantic" in pins and len(pins) == len(requirements())
