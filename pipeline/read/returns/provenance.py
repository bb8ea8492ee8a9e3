"""What each source gave to the stitched history: for the run log, the manifest and the report's appendix.

Per source (oldest first, the current extract last): its collection year and window, the files
read (rows, bytes, SHA-256), the rows read, and what a newer source did to its episodes:

- ``replaced``: a newer source holds the same episode (same CHILD and DECOM): the newer's stands;
- ``dropped``: a newer source says otherwise for its window (a corrected DECOM, a deleted episode);
- ``closed``: open at the end of this source's window, ended by the stitch where the next source
  shows the child's care stopped or continued in a different episode;
- ``trimmed``: cut short where a newer source's continuing episode starts;
- ``rejoined``: an X1 episode whose end was moved to a newer source's corrected DECOM;
- ``outside_window``: not open at any time in the source's window (a return: left out, with a
  warning; the current extract: its history, of which ``history_kept`` fill days no return covers);
- ``unplaced``: rows without a CHILD or a readable DECOM or DEC, passed on for the parser to report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from pipeline.core.dates import collection_year_label, dmy


@dataclass
class Counts:
    """What the stitch did with one source's rows (filled in as the sources are applied)."""

    replaced: int = 0
    dropped: int = 0
    closed: int = 0
    trimmed: int = 0
    rejoined: int = 0
    outside_window: int = 0
    history_kept: int = 0
    unplaced: int = 0
    episodes_kept: int = 0
    header_rows_kept: int = 0

    def add(self, action: str, rows: int) -> None:
        setattr(self, action, getattr(self, action) + rows)


@dataclass(frozen=True)
class SourceFile:
    """One file read: its name relative to the extracts folder, its rows (CHILD elements, for an
    XML return), digest and size, and the columns (elements) in it that are not read."""

    name: str
    rows: int
    sha256: str
    size_bytes: int
    extra_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceRecord:
    """One return, or the current extract, as the provenance tells it."""

    label: str
    current: bool
    format: str
    year: int
    window: tuple[dt.date, dt.date]
    files: tuple[SourceFile, ...]
    header_rows: int
    episode_rows: int
    counts: Counts
    other_tables: tuple[tuple[str, str], ...] = ()  # (table, where: the CSV file, or "N rows in the XML")

    @property
    def year_label(self) -> str:
        return collection_year_label(self.year)

    @property
    def what(self) -> str:
        """``the return for 2018-19`` or ``the current extract, 2020-21 to 02/11/2020``."""
        if self.current:
            return f"the current extract, {self.year_label} to {dmy(self.window[1])}"
        return f"the return for {self.year_label}"

    def log_line(self) -> str:
        """What the source gave, for run.log (its files' digests are on the run's ``read`` lines)."""
        c = self.counts
        files = ", ".join(f.name for f in self.files)
        line = (
            f"stitched {self.what} ({self.format.upper()}: {files}): {_n(self.header_rows, 'header row')}"
            f" ({c.header_rows_kept:,} kept), {_n(self.episode_rows, 'episode')}: {c.episodes_kept:,} kept,"
            f" {c.replaced:,} replaced and {c.dropped:,} dropped by a newer source, {c.closed:,} closed,"
            f" {c.trimmed:,} trimmed and {c.rejoined:,} rejoined by the stitch"
        )
        if c.outside_window and self.current:
            line += f", {c.outside_window:,} before its year ({c.history_kept:,} kept where no return covers them)"
        elif c.outside_window:
            line += f", {c.outside_window:,} outside its year, left out"
        if c.unplaced:
            line += f", {c.unplaced:,} without a child or a readable date"
        return line

    def manifest(self) -> dict[str, Any]:
        return {
            "source": self.label,
            "kind": "current extract" if self.current else "return",
            "format": self.format,
            "year": self.year_label,
            "window": [day.isoformat() for day in self.window],
            "files": [{"file": f.name, "rows": f.rows, "bytes": f.size_bytes, "sha256": f.sha256} for f in self.files],
            "header_rows": self.header_rows,
            "episode_rows": self.episode_rows,
            **{f.name: getattr(self.counts, f.name) for f in fields(self.counts)},
            "other_tables_not_used": dict(self.other_tables),
        }


@dataclass(frozen=True)
class Provenance:
    """The sources stitched into one history, and the day their windows end at."""

    taken: dt.date
    taken_from: str  # "extract.toml", "the folder's name" or "the newest episode start or end"
    sources: tuple[SourceRecord, ...]
    unused: tuple[str, ...] = field(default=())  # files in the folder that no source reads

    @property
    def until(self) -> str:
        """Where the day the windows end was read: ``the day the extract was taken (extract.toml)``."""
        if self.taken_from in ("extract.toml", "the folder's name"):
            return f"the day the extract was taken ({self.taken_from})"
        return f"{self.taken_from}, as the extract does not say when it was taken"

    def summary(self) -> str:
        """``27 annual returns (1993-94 to 2019-20) and the current extract``."""
        returns = [s for s in self.sources if not s.current]
        span = f" ({returns[0].year_label} to {returns[-1].year_label})" if len(returns) > 1 else ""
        if len(returns) == 1:
            span = f" ({returns[0].year_label})"
        current = " and the current extract" if self.sources[-1].current else ""
        return f"{len(returns)} annual return{'s' if len(returns) != 1 else ''}{span}{current}"

    def log_lines(self) -> list[str]:
        lines = [
            f"the extracts folder holds {self.summary()}, stitched up to {self.taken.isoformat()}, {self.until}:"
            " each the truth for its own year, newer over older"
        ]
        lines += [s.log_line() for s in self.sources]
        others = [f"{table} ({where})" for s in self.sources for table, where in s.other_tables]
        if others:
            lines.append(f"SSDA903 tables recognised but not used by the report: {', '.join(others)}")
        return lines

    def manifest(self) -> dict[str, Any]:
        return {
            "taken": self.taken.isoformat(),
            "taken_from": self.taken_from,
            "sources": [s.manifest() for s in self.sources],
        }


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
