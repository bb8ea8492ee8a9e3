"""Which sources a folder of annual returns holds: the returns, by collection year, and the current extract.

Names are matched case-insensitively; TABLE is a table of the return (``tables``), YYYY a
collection year, named by the year it ends (``2019`` is 1 April 2018 to 31 March 2019):

- ``TABLE.csv`` at the top, or in ``current/``: the current extract, undated;
- ``YYYY/TABLE.csv`` (or ``YYYY/TABLE_YYYY.csv``): the CSV return for YYYY;
- ``YYYY-TABLE.csv``, ``YYYY_TABLE.csv``, ``TABLE_YYYY.csv``, ``TABLE-YYYY.csv`` at the top: the same;
- ``*.xml`` at the top whose name holds one year (``return_2019.xml``), or any ``*.xml`` in ``YYYY/``:
  the DfE's XML return for YYYY;
- a dated source for the year still in progress on the day the extract was taken (``2021/`` on
  2 November 2020): the current extract.

Hidden entries and folders holding no return (``config/``) are not looked at. Anything that can be
read two ways is a problem listing what was found, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.core.dates import (
    collection_year,
    collection_year_end,
    collection_year_label,
    collection_year_start,
    dmy,
)
from pipeline.core.problems import Problem
from pipeline.read.csvfile import printable
from pipeline.read.extract_date import EXTRACT_TOML
from pipeline.read.returns.tables import FLAT_CSV, MOSAIC_ONLY, OTHER_TABLES, PLAIN_CSV, names_a_table, table_of

Format = Literal["csv", "xml"]
EARLIEST_YEAR, LATEST_YEAR = 1990, 2099
YEAR_FOLDER = re.compile(r"^\d{4}$")
CURRENT_FOLDER = "current"
FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")
YEAR_SPAN = re.compile(r"(?<!\d)(\d{4})[-_ ]?(\d{2})(?!\d)")  # 2018-19, 201819: which year is meant?
XML: Format = "xml"


@dataclass
class Candidate:
    """One source as found, before the year in progress is known: a return, or the current extract.

    ``year`` is ``None`` for the undated current extract (files at the top, or ``current/``).
    ``paths`` maps each table read to its file (an XML return: ``{"xml": path}``) and ``names``
    to the file as messages name it, relative to the extracts folder; ``others`` the other
    SSDA903 tables found as CSV files, which are listed but not read.
    """

    description: str
    label: str
    format: Format
    year: int | None
    paths: dict[str, Path] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    others: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, list[str]] = field(default_factory=dict)

    def add(self, table: str, path: Path, shown: str) -> None:
        if table in self.names:
            self.duplicates.setdefault(table, [self.names[table]]).append(shown)
        elif table in OTHER_TABLES:
            self.others[table] = shown
            self.names[table] = shown
        else:
            self.paths[table], self.names[table] = path, shown


@dataclass(frozen=True)
class Source:
    """A return or the current extract, placed: its collection year and whether it is in progress."""

    current: bool
    year: int
    format: Format
    label: str
    paths: Mapping[str, Path]
    names: Mapping[str, str]
    others: Mapping[str, str]

    def window(self, taken: dt.date) -> tuple[dt.date, dt.date]:
        """The days this source is the truth for: its collection year; for the current extract, 1 April
        of its year to the day it was taken."""
        return collection_year_start(self.year), (taken if self.current else collection_year_end(self.year))

    def name(self, table: str) -> str:
        """The file of ``table`` as messages name it (the XML file for every table of an XML return)."""
        return self.names[XML] if self.format == XML else self.names[table]


@dataclass(frozen=True)
class Layout:
    """What a folder holds: its candidate sources, the files it does not use, and the problems."""

    candidates: tuple[Candidate, ...]
    stray: tuple[str, ...]  # files that are no table of a return (README.md, notes.csv)
    problems: tuple[Problem, ...]
    folder: str = "."  # the folder as given, for a problem about all of it

    @property
    def single(self) -> bool:
        """Today's layout: one extract, its files at the top of the folder (or nothing recognised)."""
        return not self.problems and all(c.year is None and c.label == TOP for c in self.candidates)


TOP = "the current extract"


def discover(folder: Path) -> Layout:
    """The candidate sources in ``folder`` (a folder: ``pipeline.read.extracts`` checks that first)."""
    problems: list[Problem] = []
    stray: list[str] = []
    dated: dict[int, list[Candidate]] = {}
    undated: list[Candidate] = []
    flat: dict[int, Candidate] = {}
    unnamed: list[str] = []
    top = Candidate("the files at the top of the folder", TOP, "csv", None)
    for entry in _entries(folder):
        name = entry.name
        if entry.is_dir():
            _folder(entry, dated, undated, stray, problems)
        elif plain := PLAIN_CSV.match(name):
            top.add(table_of(plain["table"]), entry, name)
        elif match := _flat(name):
            year = int(match["year"])
            if not EARLIEST_YEAR <= year <= LATEST_YEAR:
                problems.append(
                    _year_unknown(name, "the file's", "the number in it is not a plausible collection year")
                )
                continue
            flat.setdefault(year, Candidate(f"the files named {year}", f"{year}-*.csv", "csv", year))
            flat[year].add(table_of(match["table"]), entry, name)
        elif name.lower().endswith(".xml"):
            named, why = year_from_name(name[:-4])
            if named is None:
                problems.append(_year_unknown(name, "the return's", why))
            else:
                dated.setdefault(named, []).append(_xml(entry, name, named))
        elif name.lower().endswith(".csv") and names_a_table(name):
            unnamed.append(name)
        elif name != EXTRACT_TOML:
            stray.append(printable(name, 80))
    for year, candidate in flat.items():
        dated.setdefault(year, []).append(candidate)
    # A file named after a table but for no year is a return whose year cannot be told when the folder
    # holds returns, or its name a number; beside one extract (``header_old.csv``, ``episodes (copy).csv``)
    # it is a file the run does not use, as before returns were read.
    returns = bool(dated or undated or problems)
    for name in unnamed:
        if returns or any(ch.isdigit() for ch in name):
            problems.append(_year_unknown(name, "the file's", year_from_name(name[:-4])[1]))
        else:
            stray.append(printable(name, 80))
    if top.names:
        undated.insert(0, top)
    problems += _ambiguous(dated, undated)
    candidates = [c for year in sorted(dated) if len(dated[year]) == 1 for c in dated[year]]
    candidates += undated[:1] if len(undated) == 1 else []
    for candidate in candidates:
        problems += _duplicates(candidate)
    return Layout(tuple(candidates), tuple(stray), tuple(problems), str(folder))


def _entries(folder: Path) -> list[Path]:
    return sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.name.lower())


def _flat(name: str) -> re.Match[str] | None:
    return next((m for pattern in FLAT_CSV if (m := pattern.match(name))), None)


def _xml(path: Path, shown: str, year: int | None) -> Candidate:
    return Candidate(f"the XML return {shown}", shown, XML, year, {XML: path}, {XML: shown})


def _year_unknown(shown: str, whose: str, why: str) -> Problem:
    return Problem(shown, 0, "", f"{whose} year cannot be told: {why}", "LAYOUT_YEAR_UNKNOWN")


def year_from_name(text: str) -> tuple[int | None, str]:
    """The collection year a file or folder name gives, or why none can be told."""
    span = YEAR_SPAN.search(text)
    if span and (int(span[1]) + 1) % 100 == int(span[2]):
        end = int(span[1]) + 1
        return None, (
            f"'{span[0]}' could be read two ways: name it with the year the collection ends"
            f" ({end} for {collection_year_label(end)})"
        )
    years = {int(y) for y in FOUR_DIGITS.findall(text)}
    if len(years) == 1 and EARLIEST_YEAR <= (year := next(iter(years))) <= LATEST_YEAR:
        return year, ""
    if not years:
        return None, f"the name holds no year (such as return_2019.xml for {collection_year_label(2019)})"
    if len(years) > 1:
        return None, "the name holds more than one number that could be the year"
    return None, "the number in the name is not a plausible collection year"


def _folder(
    folder: Path, dated: dict[int, list[Candidate]], undated: list[Candidate], stray: list[str], problems: list[Problem]
) -> None:
    """A folder's sources: a year folder's return(s), ``current/``'s extract; any other folder holding
    a table of a return is a problem (its year cannot be told), and one holding none is not looked at."""
    name = folder.name
    if YEAR_FOLDER.match(name):
        dated.setdefault(int(name), []).extend(_folder_candidates(folder, int(name), stray, problems))
    elif name.lower() == CURRENT_FOLDER:
        undated.extend(_folder_candidates(folder, None, stray, problems))
    elif any(p.is_file() and _is_table_file(p.name) for p in folder.iterdir()):
        problems.append(_year_unknown(f"{printable(name, 60)}/", "the folder's", year_from_name(name)[1]))


def _is_table_file(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".xml") or (lower.endswith(".csv") and names_a_table(name))


def _folder_candidates(folder: Path, year: int | None, stray: list[str], problems: list[Problem]) -> list[Candidate]:
    """The sources in a year folder (or ``current/``): its CSV tables as one, and each XML file in it."""
    where = f"{folder.name}/"
    description = f"the folder {where}" if year is not None else f"the files in {where}"
    csvs = Candidate(description, where, "csv", year)
    found: list[Candidate] = []
    for entry in (e for e in _entries(folder) if e.is_file()):
        shown = f"{where}{printable(entry.name, 80)}"
        named = _flat(entry.name)
        if plain := PLAIN_CSV.match(entry.name) or named:
            if named and int(named["year"]) != year:
                message = f"the file is named for {named['year']} but is in the folder {where}"
                problems.append(Problem(shown, 0, "", message, "LAYOUT_YEAR_CONFLICT"))
                continue
            csvs.add(table_of(plain["table"]), entry, shown)
        elif entry.name.lower().endswith(".xml"):
            other, _ = year_from_name(entry.name[:-4])
            if other is not None and other != year:
                message = f"the return is named for {other} but is in the folder {where}"
                problems.append(Problem(shown, 0, "", message, "LAYOUT_YEAR_CONFLICT"))
                continue
            found.append(_xml(entry, shown, year))
        elif entry.name != EXTRACT_TOML:
            stray.append(shown)
    return ([csvs] if csvs.names else []) + found


def _ambiguous(dated: dict[int, list[Candidate]], undated: list[Candidate]) -> list[Problem]:
    problems = []
    for year, candidates in sorted(dated.items()):
        if len(candidates) > 1:
            found = "; ".join(c.description for c in candidates)
            message = f"there is more than one source for {collection_year_label(year)} ({found}): keep one"
            problems.append(Problem(candidates[0].label, 0, "", message, "LAYOUT_AMBIGUOUS"))
    if len(undated) > 1:
        found = "; ".join(c.description for c in undated)
        message = f"there is more than one current extract without a year ({found}): keep one"
        problems.append(Problem(undated[0].label, 0, "", message, "LAYOUT_AMBIGUOUS"))
    return problems


def _duplicates(candidate: Candidate) -> list[Problem]:
    return [
        Problem(
            candidate.label,
            0,
            "",
            f"there is more than one {table} file for {candidate.description} ({', '.join(names)}): keep one",
            "LAYOUT_AMBIGUOUS",
        )
        for table, names in candidate.duplicates.items()
    ]


def arrange(layout: Layout, taken: dt.date) -> tuple[list[Source], tuple[str, ...], list[Problem]]:
    """The sources oldest first, the current extract last; the files left unused; or the problems.

    ``taken`` is the day the extract was taken: the collection year holding it is in progress, so
    a source for it is the current extract; a later year is a mistake, and so is a year missing
    between the oldest return and the current extract.
    """
    in_progress = collection_year(taken)
    problems: list[Problem] = []
    sources: list[Source] = []
    currents = [c for c in layout.candidates if c.year is None or c.year == in_progress]
    for candidate in layout.candidates:
        if candidate.year is not None and candidate.year > in_progress:
            message = (
                f"the return is for {collection_year_label(candidate.year)}, which had not started on {dmy(taken)},"
                " the day the extract was taken: is the year in the name the one the collection ends?"
            )
            problems.append(Problem(candidate.label, 0, "", message, "LAYOUT_YEAR_FUTURE"))
        elif candidate not in currents:
            problems += _missing_tables(candidate)
            sources.append(_source(candidate, candidate.year or in_progress, current=False))
    if len(currents) > 1:
        found = "; ".join(c.description for c in currents)
        message = (
            f"there is more than one current extract for {collection_year_label(in_progress)}, the year in progress"
            f" on {dmy(taken)} ({found}): keep one"
        )
        problems.append(Problem(currents[0].label, 0, "", message, "LAYOUT_AMBIGUOUS"))
    elif currents:
        problems += _missing_tables(currents[0])
        sources.append(_source(currents[0], in_progress, current=True))
    problems += _gaps(sources, layout.folder)
    return sources, _unused(layout, sources), problems


def _source(candidate: Candidate, year: int, *, current: bool) -> Source:
    paths = {t: p for t, p in candidate.paths.items() if current or t not in MOSAIC_ONLY}
    names = {t: n for t, n in candidate.names.items() if t in paths or t in candidate.others}
    return Source(current, year, candidate.format, candidate.label, paths, names, dict(candidate.others))


def _missing_tables(candidate: Candidate) -> list[Problem]:
    absent = [t for t in ("header", "episodes") if candidate.format == "csv" and t not in candidate.paths]
    if not absent:
        return []
    present = ", ".join(Path(n).name for n in candidate.names.values())
    message = f"{candidate.description} has {present or 'no table'} but no {' or '.join(t + '.csv' for t in absent)}"
    return [Problem(candidate.label, 0, "", message, "LAYOUT_FILE_MISSING")]


def _gaps(sources: list[Source], folder: str) -> list[Problem]:
    years = sorted(s.year for s in sources)
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years)) if years else []
    if not missing:
        return []
    found = ", ".join(collection_year_label(y) for y in years)
    gaps = ", ".join(collection_year_label(y) for y in missing)
    message = (
        f"the years found ({found}) leave out {gaps}: an episode open at the end of one year cannot be"
        " followed into the next without the return between them; add it"
    )
    return [Problem(folder, 0, "", message, "LAYOUT_YEAR_MISSING")]


def _unused(layout: Layout, sources: list[Source]) -> tuple[str, ...]:
    """The files no source reads: stray files, and the Mosaic-only files beside a return (they come
    from the current extract)."""
    mosaic = [c.names[t] for c in layout.candidates for t in MOSAIC_ONLY if t in c.names and not _used(c, t, sources)]
    return tuple(sorted({*layout.stray, *mosaic}))


def _used(candidate: Candidate, table: str, sources: list[Source]) -> bool:
    return any(s.current and s.names.get(table) == candidate.names[table] for s in sources)
