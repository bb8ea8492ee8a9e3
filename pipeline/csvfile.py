"""Reading one extract file as text, with the physical line of every record.

The file is checked as bytes first (binary, encoding, quoting, field counts) so that a
problem is reported with its line rather than as a parser crash; then Polars reads
every cell as text. Typed parsing happens later (``pipeline.parse``), so a bad cell
is reported with its file, line and column instead of being silently dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.problems import Problem
from pipeline.schema import FileSpec

LINE = "_line"
UTF8_BOM = b"\xef\xbb\xbf"
ENCODINGS = {"utf-8": "utf-8", "cp1252": "cp1252"}
_SURROGATES = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class RawFile:
    """An extract file as text: ``frame`` has ``_line`` and one String column per contract column."""

    spec: FileSpec
    frame: pl.DataFrame
    sha256: str
    size_bytes: int
    extra_columns: tuple[str, ...] = field(default=())

    @property
    def rows(self) -> int:
        return self.frame.height


def normalise_name(name: str) -> str:
    return name.strip().upper()


def read_raw(
    path: Path, spec: FileSpec, *, encoding: str = "utf-8", rename: dict[str, str] | None = None
) -> tuple[RawFile | None, list[Problem]]:
    """Read ``path`` as the contract's ``spec``; give back the text frame or the problems."""
    if not path.is_file():
        if not spec.required:
            return None, []
        return None, [_file_problem(spec, "the file is missing from the extracts folder", "FILE_MISSING")]
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if b"\x00" in data:
        message = "this is not a text CSV file (it holds binary data): export it again as CSV"
        return None, [_file_problem(spec, message, "FILE_BINARY")]
    text, problems = _decode(data.removeprefix(UTF8_BOM), spec, encoding)
    if not text.strip():
        return None, [*problems, _file_problem(spec, "the file is empty: it needs at least a header row", "FILE_EMPTY")]
    utf8 = text.encode("utf-8")
    starts, lines, quote_problem = _record_starts(utf8, spec)
    if quote_problem:
        return None, [*problems, quote_problem]
    header = _header(text)
    names = [normalise_name((rename or {}).get(normalise_name(n), n)) for n in header]
    problems += _header_problems(names, spec)
    problems += _field_count_problems(utf8, starts, lines, len(names), spec)
    if any(p.rule.startswith("COLUMN_") for p in problems):
        return None, problems
    frame = _text_frame(utf8, names, lines, spec)
    extra = tuple(n for n in names if n not in {c.name for c in spec.columns})
    return RawFile(spec, frame, digest, len(data), extra), problems


def _file_problem(spec: FileSpec, message: str, rule: str, line: int = 0, column: str = "") -> Problem:
    return Problem(spec.name, line, column, message, rule)


def _decode(data: bytes, spec: FileSpec, encoding: str) -> tuple[str, list[Problem]]:
    """Decode the bytes; every line holding bytes that are not valid text is a problem."""
    text = data.decode(ENCODINGS[encoding], errors="surrogateescape")
    bad_lines = sorted({text.count("\n", 0, m.start()) + 1 for m in _SURROGATES.finditer(text)})
    hint = "" if encoding == "cp1252" else " (if Excel saved it, run again with --encoding cp1252)"
    problems = [
        _file_problem(spec, f"the line holds bytes that are not valid {encoding}{hint}", "FILE_ENCODING", line)
        for line in bad_lines
    ]
    return _SURROGATES.sub("\ufffd", text), problems


def _record_starts(utf8: bytes, spec: FileSpec) -> tuple[np.ndarray, np.ndarray, Problem | None]:
    """Byte offset and physical line of every CSV record (header first), honouring quotes."""
    b = np.frombuffer(utf8, dtype=np.uint8)
    in_quotes = (np.cumsum(b == ord('"')) % 2).astype(bool)
    newlines = np.flatnonzero(b == ord("\n"))
    separators = newlines[~in_quotes[newlines]]
    starts = np.concatenate(([0], separators + 1))
    starts = starts[starts < len(b)]
    lines = np.searchsorted(newlines, starts) + 1
    if len(b) and in_quotes[-1]:
        message = 'a quoted value is never closed (a " is missing)'
        return starts, lines, _file_problem(spec, message, "CSV_QUOTE", int(lines[-1]))
    return starts, lines, None


def _header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


def _header_problems(names: list[str], spec: FileSpec) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in names:
        if name in seen and any(c.name == name for c in spec.columns):
            problems.append(_file_problem(spec, "the column appears more than once", "COLUMN_DUPLICATE", 1, name))
        seen.add(name)
    for column in spec.columns:
        if column.required and column.name not in names:
            problems.append(
                _file_problem(spec, "a required column is missing from the header", "COLUMN_MISSING", 1, column.name)
            )
    return problems


def _field_count_problems(
    utf8: bytes, starts: np.ndarray, lines: np.ndarray, expected: int, spec: FileSpec
) -> list[Problem]:
    """Records with more or fewer fields than the header (blank lines are allowed)."""
    b = np.frombuffer(utf8, dtype=np.uint8)
    in_quotes = (np.cumsum(b == ord('"')) % 2).astype(bool)
    commas = np.flatnonzero((b == ord(",")) & ~in_quotes)
    fields = np.bincount(np.searchsorted(starts, commas, side="right") - 1, minlength=len(starts)) + 1
    ends = np.append(starts[1:] - 1, len(b))
    blank = (ends - starts == 0) | ((ends - starts == 1) & (b[np.minimum(starts, len(b) - 1)] == ord("\r")))
    wrong = np.flatnonzero((fields != expected) & ~blank)
    return [
        _file_problem(
            spec,
            f"the row has {fields[i]} fields but the header has {expected} (check for a stray comma or quote)",
            "CSV_FIELD_COUNT",
            int(lines[i]),
        )
        for i in wrong
        if i > 0
    ]


def _text_frame(utf8: bytes, names: list[str], lines: np.ndarray, spec: FileSpec) -> pl.DataFrame:
    placeholders = [f"_c{i}" for i in range(len(names))]
    raw = pl.read_csv(
        io.BytesIO(utf8),
        has_header=True,
        new_columns=placeholders,
        infer_schema=False,
        truncate_ragged_lines=True,
        quote_char='"',
    )
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    columns = [
        (pl.col(f"_c{position[c.name]}") if c.name in position else pl.lit(None, pl.String)).alias(c.name)
        for c in spec.columns
    ]
    frame = raw.select(pl.Series(LINE, lines[1 : raw.height + 1], dtype=pl.Int64), *columns)
    contract = [c.name for c in spec.columns]
    blank = pl.all_horizontal(pl.col(contract).str.strip_chars().replace("", None).is_null())
    return frame.filter(~blank)
