"""``lac-report verify OUT/<as-at>``: is a run folder still exactly what the run wrote?

The manifest lists every file the run wrote with its size and SHA-256. Verifying re-reads
each one and reports any that changed, went missing or was added since. The extracts are
not in the run folder (they may have moved or been replaced by a newer extract), so they
are re-checked only when asked (``--extracts DIR``), and the config likewise (``--config DIR``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.core.words import counted
from pipeline.read.extract_date import extract_date
from pipeline.read.schema import FILES
from pipeline.run.manifest import MANIFEST, sha256_file


class NotARunFolder(Exception):
    """The folder has no readable manifest.json, so there is nothing to verify against."""


class Change(StrEnum):
    CHANGED = "changed since the run"
    MISSING = "missing"
    ADDED = "not written by the run"
    UNUSED = "not read by the run"
    OTHER_EXTRACT = "a different extract from the one the run read"


@dataclass(frozen=True, order=True)
class Difference:
    """One file that is not as the manifest recorded it."""

    file: str  # the file's path as given on the command line, e.g. out/2020-10-31/tables/headline.csv
    change: Change
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.file}: {self.change.value}{f' ({self.detail})' if self.detail else ''}"


@dataclass(frozen=True)
class Verification:
    """What was checked and what differs."""

    manifest: dict[str, Any]
    checked: dict[str, int]  # "output", "input", "config file" -> files compared
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        return not self.differences


def read_manifest(folder: Path) -> dict[str, Any]:
    """The run folder's manifest; ``NotARunFolder`` saying why when it cannot be read."""
    path = folder / MANIFEST
    if not path.is_file():
        raise NotARunFolder(f"{folder} has no {MANIFEST}: it is not a folder written by lac-report run")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotARunFolder(f"{path} is not valid JSON ({type(error).__name__}): it was damaged or edited") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("outputs"), list):
        raise NotARunFolder(f"{path} does not list the run's outputs: it was damaged or edited")
    return manifest


def verify(folder: Path, *, extracts: Path | None = None, config: Path | None = None) -> Verification:
    """Compare the run folder (and, when given, the extracts and config folders) with its manifest."""
    manifest = read_manifest(folder)
    checked = {"output": len(manifest["outputs"])}
    differences = check_outputs(folder, manifest)
    if extracts is not None:
        checked["input"] = len(manifest.get("inputs", []))
        differences += check_inputs(extracts, manifest)
    if config is not None:
        checked["config file"] = len(manifest.get("config", {}).get("files", {}))
        differences += check_config(config, manifest)
    return Verification(manifest, checked, tuple(differences))


def check_outputs(folder: Path, manifest: dict[str, Any]) -> list[Difference]:
    """Every output the manifest lists, by size and SHA-256; and any file the run did not write."""
    expected = {item["file"]: item for item in manifest["outputs"]}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST}
    differences = [Difference(str(folder / name), Change.ADDED) for name in sorted(present - set(expected))]
    for name, item in sorted(expected.items()):
        path = folder / name
        if name not in present:
            differences.append(Difference(str(path), Change.MISSING))
        elif (size := path.stat().st_size) != item["bytes"] or sha256_file(path) != item["sha256"]:
            differences.append(Difference(str(path), Change.CHANGED, f"{item['bytes']} bytes then, {size} now"))
    return sorted(differences)


def check_inputs(extracts: Path, manifest: dict[str, Any]) -> list[Difference]:
    """Every extract the run read, by SHA-256 (rows are shown for a changed file); and any
    contract file in the folder now that the run did not read (an optional file added since).

    Another extract altogether (last month's, say) is said once, rather than every file being
    "changed": one taken on another day than the run's, or, where the days are not known, one
    none of whose files (two or more) is one the run read."""
    read = {item["file"]: item for item in manifest.get("inputs", [])}
    if other := _another_extract(extracts, manifest, read):
        return [Difference(str(extracts), Change.OTHER_EXTRACT, other)]
    differences = [
        Difference(str(extracts / spec.name), Change.UNUSED)
        for spec in FILES
        if spec.name not in read and (extracts / spec.name).is_file()
    ]
    for name, item in read.items():
        path = extracts / name
        if not path.is_file():
            differences.append(Difference(str(path), Change.MISSING))
        elif sha256_file(path) != item["sha256"]:
            # an XML return's rows are its children, which counting CSV records would not give
            detail = "" if path.suffix.lower() == ".xml" else f"{item['rows']} rows then, {count_rows(path)} now"
            differences.append(Difference(str(path), Change.CHANGED, detail))
    return sorted(differences)


def _another_extract(extracts: Path, manifest: dict[str, Any], read: dict[str, dict[str, Any]]) -> str:
    """Why ``extracts`` is not the extract the run read ("" when it may be the same one, changed)."""
    recorded = manifest.get("extract", {})
    folder = f" (extract folder {recorded['folder']})" if recorded.get("folder") else ""
    dated = extract_date(extracts, dt.date.max).date
    if recorded.get("taken") and dated and dated.taken.isoformat() != recorded["taken"]:
        return f"this one was taken {dated.taken.isoformat()}, the run's on {recorded['taken']}{folder}"
    present = [name for name in read if (extracts / name).is_file()]
    if len(present) > 1 and all(sha256_file(extracts / name) != read[name]["sha256"] for name in present):
        return f"none of its {len(present)} files is one the run read{folder}"
    return ""


def check_config(config: Path, manifest: dict[str, Any]) -> list[Difference]:
    """council.toml (and mapping.toml, and the published files [published] names) by SHA-256,
    including a mapping.toml added or removed since."""
    recorded: dict[str, str] = manifest.get("config", {}).get("files", {})
    differences = []
    for name in dict.fromkeys(["council.toml", "mapping.toml", *sorted(recorded)]):
        path, digest = config / name, recorded.get(name)
        if digest is None:
            if path.is_file():
                differences.append(Difference(str(path), Change.UNUSED))
        elif not path.is_file():
            differences.append(Difference(str(path), Change.MISSING))
        elif f"sha256:{sha256_file(path)}" != digest:
            differences.append(Difference(str(path), Change.CHANGED))
    return differences


def count_rows(path: Path) -> str:
    """Records after the header that hold any value, as a run counts them ("?" if unreadable)."""
    data = path.read_bytes()
    if not data.strip():
        return "0"
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False, truncate_ragged_lines=True, encoding="utf8-lossy")
    except pl.exceptions.PolarsError:
        return "?"
    if not frame.width:
        return "0"
    blank = pl.all_horizontal(pl.all().str.strip_chars().replace("", None).is_null())
    return str(frame.filter(~blank).height)


def describe(folder: Path, manifest: dict[str, Any]) -> str:
    """The first line: which run the folder holds and what it was made from."""
    extract = manifest.get("extract", {})
    made_from = f", from extract folder {extract['folder']}" if extract.get("folder") else ""
    about = [f"taken {extract['taken']}"] if extract.get("taken") else []
    about += [f"latest date in it {extract['latest_date']}"] if extract.get("latest_date") else []
    latest = f" ({', '.join(about)})" if about else ""
    program = manifest.get("program", {}).get("version", "?")
    return (
        f"lac-report: verify {folder}: as at {manifest.get('as_at', '?')}, {manifest.get('edition', '?')} edition,"
        f" lac-report {program}{made_from}{latest}"
    )


def summary(folder: Path, verification: Verification) -> str:
    """The last line: what was verified, or how many differences were found."""
    if verification.ok:
        counts = ", ".join(counted(n, what) for what, n in verification.checked.items())
        return f"lac-report: verified: {folder} is as the run left it ({counts} unchanged)"
    count = len(verification.differences)
    return f"lac-report: failed (exit 3): {count} difference(s) between {folder} and its manifest"
