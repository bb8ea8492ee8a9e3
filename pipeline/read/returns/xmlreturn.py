"""The DfE's XML return (``<EXPSSDA903>``), streamed into the text frames the CSV reader gives.

The element names are the DfE schema's ("Expanded SSDA903 Return") as the Data to Insight
validator reads them (``lac_validator/ingress.py``) and its made-up return shows them: the root
``EXPSSDA903`` holds one ``CHILD`` per child, a ``CHILD`` one ``HEADER`` and its ``EPISODE``
siblings; the XML says ``CHILDID`` and ``PL`` for the CSV's ``CHILD`` and ``PLACE``; the UASC
table is ``HEADER/UASC`` (1) with ``HEADER/DUC``, and the other tables are groups inside HEADER
(``AREVIEW``, ``AMISSING``, ``OC2``, ...), which are counted, not read.

Reading is expat through defusedxml with every unsafe construct refused: a DOCTYPE (so no entity
can be declared and expanded without end, the "billion laughs", and no external DTD is fetched),
entity declarations and external references. The file is fed in 1 MiB chunks and hashed on the
way; no tree is built. Each row keeps the line of its element's start tag (``_line``; a return is
often all on one line) and its place (``_location``: ``CHILD 12, EPISODE 2``, counting CHILD
elements), never a child's identifier.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

import polars as pl
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.expatreader import DefusedExpatParser, create_parser

from pipeline.core.problems import Problem, Severity
from pipeline.read.csvfile import LINE
from pipeline.read.returns.tables import LOCATION, SPECS, XML_GROUPS, XML_HEADER_TABLE_FIELDS

ROOT = "EXPSSDA903"
RENAMED = {"CHILDID": "CHILD", "PL": "PLACE"}
HEADER_FIELDS = {"CHILDID", *(c.name for c in SPECS["header"].columns if c.name != "CHILD")}
EPISODE_FIELDS = {"PL", *(c.name for c in SPECS["episodes"].columns if c.name not in ("CHILD", "PLACE"))}
UASC_FIELDS = {"UASC", "DUC"}
CHUNK = 1 << 20


@dataclass(frozen=True)
class XmlReturn:
    """An XML return read: a text frame per table read (``_line``, ``_location`` and the contract's
    columns as text), the rows of the other tables by table, and what the provenance needs.
    ``tables`` has ``uasc`` only when the return has UASC elements at all."""

    tables: dict[str, pl.DataFrame]
    other_rows: dict[str, int]
    children: int
    sha256: str
    size_bytes: int
    unknown: tuple[str, ...]  # element paths not read, for the run log


@dataclass
class _Row:
    line: int
    location: str
    values: dict[str, str | None] = field(default_factory=dict)


class _Stop(Exception):
    """Reading stops: the file is not an SSDA903 return."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Reader(ContentHandler):
    """SAX events of a return to rows; memory holds the rows and one CHILD's state, never a tree."""

    def __init__(self, name: str, parser: DefusedExpatParser) -> None:
        super().__init__()
        self.name, self.parser = name, parser
        self.stack: list[str] = []
        self.text: list[str] = []
        self.rows: dict[str, list[_Row]] = {"header": [], "episodes": [], "uasc": []}
        self.other_rows: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.unknown: dict[str, tuple[int, int]] = {}  # element path -> (first line, count)
        self.children = 0
        self.uasc_seen = False
        self._new_child(0)

    def _new_child(self, line: int) -> None:
        self.child_line, self.headers, self.episodes = line, 0, 0
        self.header: _Row | None = None
        self.uasc: _Row | None = None
        self.episode_rows: list[_Row] = []
        self.episode: _Row | None = None
        self.tables: set[str] = set()  # the tables whose fields sit directly in this child's HEADER (OC3, AD1)

    def where(self) -> str:
        return f"CHILD {self.children}"

    def startElement(self, qname: str, attrs: Any) -> None:  # noqa: N802 - SAX's name
        name = qname.rsplit(":", 1)[-1]
        depth, line = len(self.stack), self._line()
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        self.text = []
        if depth == 0 and name != ROOT:
            message = f"the root element is {element(name)}, not {ROOT}: this is not an SSDA903 XML return"
            raise _Stop(Problem(self.name, line, "", message, "XML_NOT_A_RETURN"))
        if depth == 1:
            if name == "CHILD":
                self.children += 1
                self._new_child(line)
            else:
                self._unknown(name, line)
        elif depth == 2 and parent == "CHILD":
            self._child_part(name, line)
        elif depth == 3 and parent == "HEADER" and name in XML_GROUPS and self.headers == 1:
            self._count(XML_GROUPS[name])

    def _child_part(self, name: str, line: int) -> None:
        if name == "HEADER":
            self.headers += 1
            if self.headers == 2:
                message = "a CHILD holds one HEADER, this is a second (its fields are left out)"
                self.problems.append(Problem(self.name, line, "", message, "XML_STRUCTURE", location=self.where()))
            elif self.header is None:
                self.header = _Row(line, self.where())
        elif name == "EPISODE":
            self.episodes += 1
            self.episode = _Row(line, f"{self.where()}, EPISODE {self.episodes}")
            self.episode_rows.append(self.episode)
        else:
            self._unknown(f"CHILD/{name}", line)

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElement(self, qname: str) -> None:  # noqa: N802 - SAX's name
        name = self.stack.pop()
        depth, parent = len(self.stack), (self.stack[-1] if self.stack else "")
        value, self.text = "".join(self.text), []
        if depth == 1 and name == "CHILD":
            self._end_child()
        elif depth == 2 and name == "EPISODE":
            self.episode = None
        elif depth == 3 and parent == "HEADER" and name in XML_GROUPS:
            pass  # a group of another table: counted when it started, its fields not read
        elif depth == 3 and parent == "EPISODE":
            self._set(self.episode, name, value, EPISODE_FIELDS, "EPISODE")
        elif depth == 3 and parent == "HEADER" and self.headers == 1:
            self._header_field(name, value)

    def _header_field(self, name: str, value: str) -> None:
        if name in UASC_FIELDS:
            self.uasc_seen = True
            self.uasc = self.uasc or _Row(self._line(), self.where())
            self._set(self.uasc, name, value, UASC_FIELDS, "HEADER")
        elif name in XML_HEADER_TABLE_FIELDS:
            self.tables.add(XML_HEADER_TABLE_FIELDS[name])
        else:
            self._set(self.header, name, value, HEADER_FIELDS, "HEADER")

    def _set(self, row: _Row | None, name: str, value: str, known: set[str], parent: str) -> None:
        if row is None:
            return
        if name not in known:
            self._unknown(f"{parent}/{name}", self._line())
            return
        column = RENAMED.get(name, name)
        if column in row.values:
            message = f"{element(name)} appears twice in one {parent} (the first is used)"
            self.problems.append(
                Problem(self.name, self._line(), column, message, "XML_STRUCTURE", location=row.location)
            )
            return
        row.values[column] = value if value.strip() else None

    def _count(self, table: str) -> None:
        self.other_rows[table] = self.other_rows.get(table, 0) + 1

    def _unknown(self, path: str, line: int) -> None:
        first, seen = self.unknown.get(path, (line, 0))
        self.unknown[path] = (first, seen + 1)

    def _end_child(self) -> None:
        header = self.header
        if header is None:
            message = "the CHILD has no HEADER: its episodes cannot be joined to a child"
            self.problems.append(
                Problem(self.name, self.child_line, "", message, "XML_STRUCTURE", location=self.where())
            )
            header = _Row(self.child_line, self.where())
        else:
            self.rows["header"].append(header)
        child = header.values.get("CHILD")
        for episode in self.episode_rows:
            episode.values["CHILD"] = child
        self.rows["episodes"] += self.episode_rows
        uasc = self.uasc
        if uasc and ((uasc.values.get("UASC") or "").strip() == "1" or uasc.values.get("DUC")):
            uasc.values.update(CHILD=child, SEX=header.values.get("SEX"), DOB=header.values.get("DOB"))
            self.rows["uasc"].append(uasc)
        for table in sorted(self.tables):
            self._count(table)
        self._new_child(0)

    def _line(self) -> int:
        return int(self.parser.getLineNumber())

    def frames(self) -> dict[str, pl.DataFrame]:
        tables = ("header", "episodes", "uasc") if self.uasc_seen else ("header", "episodes")
        return {table: _frame(table, self.rows[table]) for table in tables}


def _frame(table: str, rows: list[_Row]) -> pl.DataFrame:
    columns = [c.name for c in SPECS[table].columns]
    return pl.DataFrame(
        {
            LINE: [r.line for r in rows],
            LOCATION: [r.location for r in rows],
            **{c: [r.values.get(c) for r in rows] for c in columns},
        },
        schema={LINE: pl.Int64, LOCATION: pl.String, **dict.fromkeys(columns, pl.String)},
    )


def element(name: str) -> str:
    """An element's name fit for a message: what a file says is never trusted to be printable."""
    return re.sub(r"[^A-Za-z0-9_.:/-]", "?", name)[:60]


def read_xml(path: Path, name: str) -> tuple[XmlReturn | None, list[Problem]]:
    """The return at ``path`` (named ``name`` in messages), streamed; ``None`` with the problems
    when it cannot be read at all."""
    digest, size = hashlib.sha256(), 0
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    reader = _Reader(name, parser)
    parser.setContentHandler(reader)
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                digest.update(chunk)
                parser.feed(chunk)
        if size == 0:
            return None, [Problem(name, 0, "", "the file is empty", "FILE_EMPTY")]
        parser.close()
    except OSError as error:
        reason = "permission denied" if isinstance(error, PermissionError) else type(error).__name__
        return None, [Problem(name, 0, "", f"the file cannot be read ({reason})", "FILE_UNREADABLE")]
    except _Stop as stop:
        return None, [stop.problem]
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):  # no entity comes without a DTD
        return None, [Problem(name, _line_of(parser), "", _DTD, "XML_DTD")]
    except SAXParseException as error:
        message = f"the XML is not well formed ({error.getMessage()}): is the file complete?"
        return None, [Problem(name, error.getLineNumber() or 0, "", message, "XML_MALFORMED")]
    unknown = sorted(reader.unknown.items())
    problems = reader.problems + [
        Problem(name, line, "", f"the element {element(p)} is not read ({count} times)", "XML_UNKNOWN_ELEMENT", _W)
        for p, (line, count) in unknown
    ]
    read = XmlReturn(
        reader.frames(),
        dict(sorted(reader.other_rows.items())),
        reader.children,
        digest.hexdigest(),
        size,
        tuple(element(p) for p, _ in unknown),
    )
    return read, problems


_W = Severity.WARNING
_DTD = (
    "the file declares a DTD (<!DOCTYPE ...>), which a return never needs and which can make a parser expand"
    " entities without end or read other files: it is refused; export the return again without it"
)


def _line_of(parser: DefusedExpatParser) -> int:
    try:
        return int(parser.getLineNumber())
    except Exception:  # noqa: BLE001 - the line is a courtesy; the refusal stands without it
        return 0
