"""The sample's history written as the annual SSDA903 returns a council holds, plus a year-to-date extract.

Each return is cut at 31 March the way a return is built: it holds every episode open at any
time in its collection year (DECOM on or before 31 March, DEC empty or on or after 1 April),
with DEC and REC left empty for an episode still open on 31 March, and the header (and UASC)
rows of the children it holds. The returns run from the year of the first episode to the last
finished year; the year-to-date extract (the year in progress, to the extract date) holds the
episodes open since 1 April, the header rows of its children and of any child no return holds,
and the Mosaic files (echo, legal, flags, factors) as they are.

Layouts (``LAYOUTS``): ``returns-csv`` (year folders ``2019/header.csv``, the year in progress
too), ``returns-flat`` (``2019-header.csv``), ``returns-suffixed`` (``header_2019.csv``) and
``returns-xml`` (the DfE's XML, ``return_2019.xml``, one CHILD a line); the last three keep the
year-to-date extract's files at the top of the folder.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.core.dates import collection_year, collection_year_end, collection_year_start
from pipeline.sample.columns import EPISODES, HEADER, UASC

LAYOUTS = ("returns-csv", "returns-flat", "returns-suffixed", "returns-xml")
STITCHED = ("header", "episodes", "uasc")
MOSAIC = ("echo", "legal", "flags", "factors")
COLUMNS = {"header": HEADER, "episodes": EPISODES, "uasc": UASC}
Row = dict[str, str]
# The DfE's element names: CHILDID and PL for the CSV's CHILD and PLACE.
XML_NAMES = {"CHILD": "CHILDID", "PLACE": "PL"}


def write_returns(folder: Path, layout: str, extract_date: dt.date) -> list[int]:
    """Rewrite the single extract in ``folder`` as returns and a year-to-date extract; the years written."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout}: one of {', '.join(LAYOUTS)}")
    tables = {name: _read(folder / f"{name}.csv") for name in STITCHED if (folder / f"{name}.csv").is_file()}
    header, episodes = tables["header"], tables["episodes"]
    in_progress = collection_year(extract_date)
    first = min((collection_year(_day(e["DECOM"])) for e in episodes), default=in_progress)
    years = list(range(first, in_progress))
    held: set[str] = set()
    for year in years:
        cut = returned(episodes, collection_year_start(year), collection_year_end(year))
        children = {e["CHILD"] for e in cut}
        held |= children
        _write(folder, layout, year, {name: _of(rows, children) for name, rows in tables.items()} | {"episodes": cut})
    current = returned(episodes, collection_year_start(in_progress), extract_date)
    children = {e["CHILD"] for e in current} | {h["CHILD"] for h in header if h["CHILD"] not in held}
    ytd = {name: _of(rows, children) for name, rows in tables.items()} | {"episodes": current}
    if layout == "returns-csv":
        (folder / str(in_progress)).mkdir()
        for name in MOSAIC:
            (folder / f"{name}.csv").rename(folder / str(in_progress) / f"{name}.csv")
        _write(folder, layout, in_progress, ytd)
        for name in tables:
            (folder / f"{name}.csv").unlink()
    else:
        for name, rows in ytd.items():
            _write_csv(folder / f"{name}.csv", name, rows)
    return years


def returned(episodes: Sequence[Row], start: dt.date, end: dt.date) -> list[Row]:
    """The episodes a return for ``start`` to ``end`` holds: open at any time in it, DEC and REC empty
    when still open on ``end``."""
    held = []
    for e in episodes:
        dec = _day(e["DEC"]) if e["DEC"] else None
        if _day(e["DECOM"]) <= end and (dec is None or dec >= start):
            still_open = dec is None or dec > end
            held.append({**e, "DEC": "" if still_open else e["DEC"], "REC": "" if still_open else e["REC"]})
    return held


def _of(rows: Sequence[Row], children: set[str]) -> list[Row]:
    return [r for r in rows if r["CHILD"] in children]


def _day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def _read(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _write_csv(path: Path, table: str, rows: Sequence[Row]) -> None:
    """A table as the sample writes every CSV: UTF-8, ``\n`` line ends, quoted only if needed."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, COLUMNS[table], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _write(folder: Path, layout: str, year: int, tables: dict[str, list[Row]]) -> None:
    if layout == "returns-xml":
        (folder / f"return_{year}.xml").write_text(xml_return(tables), encoding="utf-8", newline="\n")
        return
    for name, rows in tables.items():
        path = {
            "returns-csv": folder / str(year) / f"{name}.csv",
            "returns-flat": folder / f"{year}-{name}.csv",
            "returns-suffixed": folder / f"{name}_{year}.csv",
        }[layout]
        path.parent.mkdir(exist_ok=True)
        _write_csv(path, name, rows)


def xml_return(tables: dict[str, list[Row]]) -> str:
    """A return in the DfE's XML: one CHILD a line, its HEADER then its EPISODEs; UASC and DUC in the
    HEADER when the sample has a UASC table (UASC 1 for a child in it, else 0)."""
    uasc = {r["CHILD"]: r for r in tables["uasc"]} if "uasc" in tables else None
    by_child: dict[str, list[Row]] = {}
    for e in tables["episodes"]:
        by_child.setdefault(e["CHILD"], []).append(e)
    lines = ["<?xml version='1.0' encoding='utf-8'?>", "<EXPSSDA903>"]
    for h in tables["header"]:
        extra = (
            {}
            if uasc is None
            else {"UASC": "1" if h["CHILD"] in uasc else "0", "DUC": uasc.get(h["CHILD"], {}).get("DUC", "")}
        )
        header = _leaves({**h, **extra})
        episodes = "".join(f"<EPISODE>{_leaves(e, skip=('CHILD',))}</EPISODE>" for e in by_child.get(h["CHILD"], []))
        lines.append(f"<CHILD><HEADER>{header}</HEADER>{episodes}</CHILD>")
    lines.append("</EXPSSDA903>")
    return "\n".join(lines) + "\n"


def _leaves(row: Row, skip: Iterable[str] = ()) -> str:
    parts = []
    for column, value in row.items():
        if column in skip:
            continue
        name = XML_NAMES.get(column, column)
        parts.append(f"<{name}>{escape(value)}</{name}>" if value else f"<{name} />")
    return "".join(parts)
