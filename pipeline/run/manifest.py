"""manifest.json: what a run read, with what config and program, and what it wrote.

Deterministic: keys sorted, no clock time, no absolute paths, so the same inputs give the
same manifest byte for byte; ``lac-report verify`` re-checks it against the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.core.problems import Problem
from pipeline.read.config import Config
from pipeline.read.extract_date import ExtractDate
from pipeline.read.extracts import Extracts, InputFile
from pipeline.read.schema import FILES, Kind

MANIFEST = "manifest.json"
LIBRARIES = ("polars", "weasyprint", "pydyf", "jinja2", "matplotlib", "typer", "pydantic")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_manifest(
    *,
    folder: Path,
    as_at: dt.date,
    edition: str,
    config: Config,
    inputs: Sequence[InputFile],
    warnings: Sequence[Problem],
    extras: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of a finished run folder (every file in it except the manifest itself)."""
    from pipeline import __version__

    outputs = [
        {"file": path.relative_to(folder).as_posix(), "bytes": path.stat().st_size, "sha256": sha256_file(path)}
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    ]
    return {
        "as_at": as_at.isoformat(),
        "edition": edition,
        "program": {"name": "lac-report", "version": __version__},
        "environment": {
            "python": platform.python_version(),
            "libraries": {name: _version(name) for name in LIBRARIES},
        },
        "config": {
            "council": config.council_config.council.name,
            "digest": f"sha256:{config.digest}",
            "files": {name: f"sha256:{digest}" for name, digest in sorted(config.digests.items())},
        },
        "inputs": [{"file": i.name, "rows": i.rows, "bytes": i.size_bytes, "sha256": i.sha256} for i in inputs],
        "warnings": dict(sorted(Counter(w.rule for w in warnings).items())),
        "outputs": outputs,
        **(extras or {}),
    }


def extract_provenance(directory: Path, extracts: Extracts, dated: ExtractDate | None) -> dict[str, Any]:
    """Which extract a run used: its folder's name (never the full path, which differs between
    machines), the day it was taken and where that was read (``None`` when the extract does not
    say), and the latest date recorded in it, which shows a month regenerated from a later
    extract. Dates of birth are left out: they are personal data, not events of care. A folder of
    annual returns adds ``returns``: per source its year, files and what the stitch took from it."""
    provenance: dict[str, Any] = {
        "folder": directory.resolve().name,
        "latest_date": _latest_event(extracts),
        "taken": dated.taken.isoformat() if dated else None,
        "taken_from": dated.source if dated else None,
    }
    if extracts.returns:
        provenance["returns"] = extracts.returns.manifest()
    return provenance


def _latest_event(extracts: Extracts) -> str | None:
    latest = [
        frame[column.name].max()
        for spec in FILES
        if (frame := getattr(extracts, spec.stem)) is not None
        for column in spec.columns
        if column.kind is Kind.DATE and not column.personal and not column.may_be_future
    ]
    found = [day for day in latest if isinstance(day, dt.date)]
    return max(found).isoformat() if found else None


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")


def _version(name: str) -> str:
    from importlib import metadata  # slow to load, and only a finished run needs it

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
