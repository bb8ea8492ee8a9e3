"""A folder of annual returns (and the current extract) read and stitched into text frames of one history.

The frames are a ``RawFile`` as ``pipeline.read.csvfile`` gives for one file (``_line`` and the
contract's columns, here all as text, a local code already recoded), with ``_line`` numbering
the stitched rows; ``Origins`` says where each row came from, so the typed parser and the rules
read them like any extract and report each problem at its own file and line (and element, in
XML). The current extract's own files (echo, legal, flags, factors) are read as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.core.problems import Problem, errors
from pipeline.read.csvfile import LINE, RawFile, read_raw
from pipeline.read.extract_date import ExtractDate, newest_event
from pipeline.read.mapping import Mapping
from pipeline.read.origins import SOURCE_FILE, SOURCE_LINE, SOURCE_LOCATION, Origins
from pipeline.read.parse import clean_text, parse_date
from pipeline.read.returns.layout import XML, Candidate, Layout, Source, arrange
from pipeline.read.returns.provenance import Counts, Provenance, SourceFile, SourceRecord
from pipeline.read.returns.stitch import Read, stitch
from pipeline.read.returns.tables import FILE, LOCATION, MOSAIC_ONLY, SPECS, STITCH
from pipeline.read.returns.xmlreturn import read_xml
from pipeline.read.schema import FILES_BY_NAME

NEWEST_EVENT = "the newest episode start or end"
RECODED_BEFORE_STITCH = tuple(SPECS)  # the tables whose local codes ``recoded`` writes as codes


@dataclass(frozen=True)
class Returns:
    """The stitched history: a text file per table, where its rows came from, the episodes the
    stitch closed (their ``_line``), every file read, and the provenance."""

    raws: dict[str, RawFile]
    origins: dict[str, Origins]
    closed: pl.Series
    files: tuple[SourceFile, ...]
    provenance: Provenance


@dataclass(frozen=True)
class _Candidate:
    candidate: Candidate
    tables: dict[str, pl.DataFrame]
    files: tuple[SourceFile, ...]
    other_rows: dict[str, int]


def load_returns(
    layout: Layout, mapping: Mapping, *, encoding: str, taken: ExtractDate | None, today: dt.date
) -> tuple[Returns | None, list[Problem]]:
    """Read every source of ``layout``, place them by the day the extract was taken (``taken``, or
    the newest episode start or end of them all), and stitch them; ``None`` and the problems when
    an error stops it."""
    problems = list(layout.problems)
    read = [_read(c, mapping, encoding, problems) for c in layout.candidates]
    if errors(problems):
        return None, problems
    day, taken_from = (taken.taken, taken.source) if taken else (_newest(read) or today, NEWEST_EVENT)
    sources, unused, arranged = arrange(layout, day)
    problems += arranged
    if errors(problems):
        return None, problems
    by_label = {r.candidate.label: r for r in read}
    placed = [Read(s, by_label[s.label].tables) for s in sources]
    stitched = stitch(placed, taken=day)
    problems += stitched.problems
    raws, origins = _numbered(stitched.tables, placed)
    closed = stitched.tables["episodes"].select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).filter(pl.col(STITCH) == "closed")
    )
    files = [f for s in sources for f in by_label[s.label].files]
    if sources[-1].current:
        files += _mosaic_files(sources[-1], mapping, encoding, raws, origins, problems)
    records = tuple(
        _record(s, by_label[s.label], count, day) for s, count in zip(sources, stitched.counts, strict=True)
    )
    returns = Returns(raws, origins, closed.to_series(), tuple(files), Provenance(day, taken_from, records, unused))
    return returns, problems


def _read(candidate: Candidate, mapping: Mapping, encoding: str, problems: list[Problem]) -> _Candidate:
    """A candidate's header, episodes and UASC as text frames with ``_file``, ``_line`` and ``_location``."""
    if candidate.format == XML:
        name = candidate.names[XML]
        xml, found = read_xml(candidate.paths[XML], name)
        problems += found
        if xml is None:
            return _Candidate(candidate, {}, (), {})
        tables = {t: _framed(frame, name, t, mapping) for t, frame in xml.tables.items()}
        info = SourceFile(name, xml.children, xml.sha256, xml.size_bytes, xml.unknown)
        return _Candidate(candidate, tables, (info,), xml.other_rows)
    tables, files = {}, []
    for table in (t for t in SPECS if t in candidate.paths):
        raw, info = _raw(candidate.paths[table], candidate.names[table], table, mapping, encoding, problems)
        if raw is not None:
            # The stitch compares cells as text, as the XML's are (a CSV's codes and dates are read as categories).
            without_elements = raw.frame.with_columns(
                pl.col(pl.Categorical).cast(pl.String), pl.lit(None, pl.String).alias(LOCATION)
            )
            tables[table] = _framed(without_elements, candidate.names[table], table, mapping)
            files.append(info)
    return _Candidate(candidate, tables, tuple(files), {})


def _raw(
    path: Path, shown: str, table: str, mapping: Mapping, encoding: str, problems: list[Problem]
) -> tuple[RawFile | None, SourceFile]:
    spec = FILES_BY_NAME[f"{table}.csv"]
    raw, found = read_raw(path, spec, encoding=encoding, rename=mapping.renames_for(table))
    problems += [dataclasses.replace(p, file=shown) for p in found]
    if raw is None:
        return None, SourceFile(shown, 0, "", 0)
    return raw, SourceFile(shown, raw.rows, raw.sha256, raw.size_bytes, raw.extra_columns)


def _framed(frame: pl.DataFrame, shown: str, table: str, mapping: Mapping) -> pl.DataFrame:
    """A table's text frame as the stitch takes it: ``_file`` (as messages name it), ``_line``, ``_location``,
    and mapping.toml's local codes already recoded (``recoded``)."""
    columns = [c.name for c in SPECS[table].columns]
    recodes = mapping.recodes_for(table)
    return frame.select(
        pl.lit(shown).alias(FILE), pl.col(LINE), pl.col(LOCATION), *(recoded(c, recodes.get(c)) for c in columns)
    )


def recoded(column: str, recode: dict[str, str] | None) -> pl.Expr:
    """``column`` with each cell that is one of mapping.toml's local codes (trimmed, any case) written as the
    code it stands for, every other cell as written: so the stitch compares a Mosaic extract's codes with a
    return's, and the parser still quotes a wrong cell as it was written (``pipeline.read.parse``, which is
    then given no recodes for these tables)."""
    cell = pl.col(column)
    if not recode:
        return cell
    local = clean_text(cell).str.to_uppercase()
    upper = {k.strip().upper(): v.strip().upper() for k, v in recode.items()}
    return pl.when(local.is_in(list(upper))).then(local.replace(upper)).otherwise(cell).alias(column)


def _newest(read: Sequence[_Candidate]) -> dt.date | None:
    """The newest episode start or end of every source: the day the extract was taken, when nothing says."""
    episodes = [r.tables["episodes"] for r in read if "episodes" in r.tables]
    if not episodes:
        return None
    dates = pl.concat(episodes).select(
        parse_date(pl.col("DECOM")).alias("DECOM"), parse_date(pl.col("DEC")).alias("DEC")
    )
    newest = newest_event(dates)
    return newest[0] if newest else None


def _numbered(tables: dict[str, pl.DataFrame], placed: Sequence[Read]) -> tuple[dict[str, RawFile], dict[str, Origins]]:
    """Each stitched table as a text file whose rows are numbered from 1, and where each row came from."""
    raws, origins = {}, {}
    for table, frame in tables.items():
        spec = SPECS[table]
        key = pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(LINE)
        raws[table] = RawFile(spec, frame.select(key, *(c.name for c in spec.columns)), "", 0)
        where = frame.select(
            key,
            pl.col(FILE).alias(SOURCE_FILE),
            pl.col(LINE).alias(SOURCE_LINE),
            pl.col(LOCATION).alias(SOURCE_LOCATION),
        )
        # A problem about the whole table (line 0) is placed at the newest source holding it.
        whole = next((r.source.name(table) for r in reversed(placed) if table in r.tables), spec.name)
        origins[table] = Origins(whole, where)
    return raws, origins


def _mosaic_files(
    current: Source,
    mapping: Mapping,
    encoding: str,
    raws: dict[str, RawFile],
    origins: dict[str, Origins],
    problems: list[Problem],
) -> list[SourceFile]:
    """The current extract's own files (echo, legal, flags, factors), read as they are."""
    files = []
    for table in MOSAIC_ONLY:
        if table in current.paths:
            raw, info = _raw(current.paths[table], current.names[table], table, mapping, encoding, problems)
            if raw is not None:
                raws[table], origins[table] = raw, Origins(current.names[table])
                files.append(info)
    return files


def _record(source: Source, read: _Candidate, counts: Counts, taken: dt.date) -> SourceRecord:
    others = tuple(sorted(source.others.items())) + tuple(
        (table, f"{rows:,} rows in {source.name(XML)}") for table, rows in read.other_rows.items()
    )
    return SourceRecord(
        label=source.label,
        current=source.current,
        format=source.format,
        year=source.year,
        window=source.window(taken),
        files=read.files,
        header_rows=read.tables["header"].height,
        episode_rows=read.tables["episodes"].height,
        counts=counts,
        other_tables=others,
    )
