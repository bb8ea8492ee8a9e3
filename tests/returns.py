"""Hand-built annual SSDA903 returns for tests: CSV in any naming, the DfE's XML, and text frames in memory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl

from pipeline.core.dates import collection_year_end, collection_year_start
from pipeline.read.csvfile import LINE
from pipeline.read.extract_date import ExtractDate
from pipeline.read.mapping import Mapping
from pipeline.read.returns.layout import Source, discover
from pipeline.read.returns.load import Returns, load_returns
from pipeline.read.returns.stitch import Read
from pipeline.read.returns.tables import FILE, LOCATION, SPECS
from pipeline.read.schema import EPISODES, HEADER

D = dt.date
Row = dict[str, str | None]
HEADER_COLUMNS = tuple(c.name for c in HEADER.columns)
EPISODE_COLUMNS = tuple(c.name for c in EPISODES.columns)
UPN = "A123456789012"
HOME = "HR1 1AA"
PLACED = "HR2 2BB"


def header(child: str, ethnic: str = "WBRI", dob: str = "01/01/2010") -> Row:
    return {"CHILD": child, "SEX": "1", "DOB": dob, "ETHNIC": ethnic, "UPN": UPN, "MOTHER": None, "MC_DOB": None}


def ep(
    child: str,
    decom: str,
    dec: str | None = None,
    rec: str | None = None,
    *,
    rne: str = "S",
    ls: str = "C2",
    place: str = "U1",
) -> Row:
    return {"CHILD": child, "DECOM": decom, "RNE": rne, "LS": ls, "CIN": "N1", "PLACE": place,
            "PLACE_PROVIDER": "PR1", "DEC": dec, "REC": rec, "REASON_PLACE_CHANGE": None,
            "HOME_POST": HOME, "PL_POST": PLACED, "URN": None}  # fmt: skip


def csv_text(columns: tuple[str, ...], rows: list[Row]) -> str:
    lines = [",".join(columns)] + [",".join(row.get(c) or "" for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def write_csv_return(
    folder: Path, headers: list[Row], episodes: list[Row], *, names: tuple[str, str] = ("header.csv", "episodes.csv")
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / names[0]).write_text(csv_text(HEADER_COLUMNS, headers))
    (folder / names[1]).write_text(csv_text(EPISODE_COLUMNS, episodes))
    return folder


XML_HEADER_ORDER = ("CHILDID", "UPN", "SEX", "DOB", "ETHNIC", "UASC", "MOTHER", "MC_DOB")
XML_EPISODE_ORDER = ("DECOM", "RNE", "LS", "CIN", "PL", "PL_POST", "HOME_POST", "URN", "PLACE_PROVIDER", "DEC", "REC",
                     "REASON_PLACE_CHANGE")  # fmt: skip


def _leaf(name: str, value: str | None) -> str:
    return f"<{name} />" if value is None else f"<{name}>{escape(value)}</{name}>"


def xml_text(headers: list[Row], episodes: list[Row], *, pretty: bool = False, extra_header: str = "") -> str:
    """An SSDA903 XML return with the DfE's element names (one CHILD per header row)."""
    nl, i1, i2, i3 = ("\n", "  ", "    ", "      ") if pretty else ("", "", "", "")
    parts = ["<?xml version='1.0' encoding='utf-8'?>" + nl + "<EXPSSDA903>" + nl]
    for h in headers:
        values = {"UASC": None, **h, "CHILDID": h["CHILD"]}
        parts.append(f"{i1}<CHILD>{nl}{i2}<HEADER>{nl}")
        parts += [f"{i3}{_leaf(n, values.get(n))}{nl}" for n in XML_HEADER_ORDER]
        parts.append(f"{i3}{extra_header}{nl}" if extra_header else "")
        parts.append(f"{i2}</HEADER>{nl}")
        for e in (e for e in episodes if e["CHILD"] == h["CHILD"]):
            values = {**e, "PL": e["PLACE"]}
            parts.append(f"{i2}<EPISODE>{nl}")
            parts += [f"{i3}{_leaf(n, values.get(n))}{nl}" for n in XML_EPISODE_ORDER]
            parts.append(f"{i2}</EPISODE>{nl}")
        parts.append(f"{i1}</CHILD>{nl}")
    parts.append("</EXPSSDA903>" + nl)
    return "".join(parts)


def frame(table: str, rows: list[Row], file: str) -> pl.DataFrame:
    """A table's text frame as the stitch takes it (``_file``, ``_line`` from 2, ``_location`` empty)."""
    columns = [c.name for c in SPECS[table].columns]
    return pl.DataFrame(
        {
            FILE: [file] * len(rows),
            LINE: list(range(2, len(rows) + 2)),
            LOCATION: [None] * len(rows),
            **{c: [row.get(c) for row in rows] for c in columns},
        },
        schema={FILE: pl.String, LINE: pl.Int64, LOCATION: pl.String, **dict.fromkeys(columns, pl.String)},
    )


def loaded(year: int, headers: list[Row], episodes: list[Row], *, current: bool = False) -> Read:
    """A source read, built in memory: ``2019/header.csv`` and ``2019/episodes.csv``, or the current
    extract's ``header.csv`` and ``episodes.csv`` (the stitch tests need no files)."""
    prefix = "" if current else f"{year}/"
    names = {"header": f"{prefix}header.csv", "episodes": f"{prefix}episodes.csv"}
    source = Source(current, year, "csv", "the current extract" if current else f"{year}/", {}, names, {})
    tables = {
        "header": frame("header", headers, names["header"]),
        "episodes": frame("episodes", episodes, names["episodes"]),
    }
    return Read(source, tables)


TODAY = D(2026, 1, 1)


def returns_of(folder: Path, taken: dt.date, today: dt.date = TODAY) -> Returns:
    """The folder's returns read and stitched, the day the extract was taken given; fails on an error."""
    returns, problems = load_returns(
        discover(folder),
        Mapping(),
        encoding="utf-8",
        taken=ExtractDate(taken, "extract.toml", "extract.toml"),
        today=today,
    )
    assert returns is not None, [str(p) for p in problems]
    return returns


def year_window(year: int) -> tuple[dt.date, dt.date]:
    return collection_year_start(year), collection_year_end(year)
