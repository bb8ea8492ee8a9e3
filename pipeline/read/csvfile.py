"""Reading one extract file as written, with the physical line of every record.

The file is checked as bytes first (readable, binary, encoding, separator, quoting, field
counts) so that a problem is reported with its line rather than as a parser crash; then
Polars reads every cell exactly as written: codes and dates as categories
(``Column.categorical``), every other column as text. Typed parsing happens later (``pipeline.read.parse``), so a bad
cell is reported with its file, line and column instead of being silently dropped.

Awkward but valid files read exactly like clean ones: a byte-order mark, CRLF or CR line
ends, column names in any case and order with spaces around them, extra columns, blank
lines, and quoted values holding commas, quotes or line breaks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.core.problems import Problem
from pipeline.read.schema import Column, FileSpec

LINE = "_line"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ENCODINGS = {"utf-8": "utf-8", "cp1252": "cp1252"}
_SURROGATES = re.compile("[\udc80-\udcff]")
OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


@dataclass(frozen=True)
class RawFile:
    """An extract file as written: ``frame`` has ``_line`` and one column per contract column (a category
    for codes and dates, else text)."""

    spec: FileSpec
    frame: pl.DataFrame
    sha256: str
    size_bytes: int
    extra_columns: tuple[str, ...] = field(default=())

    @property
    def rows(self) -> int:
        return self.frame.height


def normalise_name(name: str) -> str:
    """A column name as matched: trimmed (of spaces and stray byte-order marks) and upper-cased."""
    return name.replace("\ufeff", "").strip().upper()


def read_raw(
    path: Path, spec: FileSpec, *, encoding: str = "utf-8", rename: dict[str, str] | None = None
) -> tuple[RawFile | None, list[Problem]]:
    """Read ``path`` as the contract's ``spec``; give back the text frame or the problems."""
    data, problem = _read_bytes(path, spec)
    if data is None:
        return None, [problem] if problem else []
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(UTF16_BOMS):
        message = "the file is saved as UTF-16 ('Unicode text'): save it again as 'CSV UTF-8'"
        return None, [_file_problem(spec, message, "FILE_ENCODING")]
    if b"\x00" in data:
        message = "this is not a text CSV file (it holds binary data): export it again as CSV"
        return None, [_file_problem(spec, message, "FILE_BINARY")]
    utf8, problems = _utf8(data.removeprefix(UTF8_BOM), spec, encoding)
    if utf8.isspace() or not utf8:  # not strip(): that would copy the whole file
        return None, [*problems, _file_problem(spec, "the file is empty: it needs at least a header row", "FILE_EMPTY")]
    if b"\n" not in utf8:
        utf8 = utf8.replace(b"\r", b"\n")  # old Mac line ends: a CR alone ends a line
    lines = _lines(utf8)
    quote_problems = _stray_quotes(lines, spec) if "_quotes" in lines.columns else []
    if quote_problems:
        return None, [*problems, *quote_problems]
    records = _records(lines, utf8)
    del lines  # not kept while the file is read again
    header = _header(utf8[: records.header_end].decode("utf-8"))
    separator = _other_separator(header)
    if separator:
        return None, [*problems, separator_problem(spec, separator)]
    names = [normalise_name((rename or {}).get(normalise_name(n), n)) for n in header]
    problems += _header_problems(names, spec, header)
    problems += _field_count_problems(records, len(names), spec)
    if any(p.rule.startswith(("COLUMN_", "CSV_")) for p in problems):
        return None, problems
    frame, repeated = _text_frame(utf8, header, names, records.counts.get_column("line"), spec)
    problems += [
        _file_problem(spec, "the header row is repeated here (were two exports joined?)", "CSV_HEADER_REPEATED", line)
        for line in repeated
    ]
    contract = {c.name for c in spec.columns}
    extra = tuple(dict.fromkeys(printable(n) for n in names if n and n not in contract))  # they go to the log
    return RawFile(spec, frame, digest, len(data), extra), problems


def separator_problem(spec: FileSpec, separator: str) -> Problem:
    message = (
        f"the values are separated by {OTHER_SEPARATORS[separator]}, not commas:"
        " save the file as 'CSV (comma delimited)'"
    )
    return _file_problem(spec, message, "CSV_DELIMITER", 1)


def printable(text: str, limit: int = 40) -> str:
    """Text from a file fit for a message: no control characters, cut short."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", "?", text)[:limit]


def _file_problem(spec: FileSpec, message: str, rule: str, line: int = 0, column: str = "") -> Problem:
    return Problem(spec.name, line, column, message, rule)


def _read_bytes(path: Path, spec: FileSpec) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or why there are none (a missing optional file is no problem)."""
    if path.is_dir():
        return None, _file_problem(spec, "this is a folder, not a file", "FILE_UNREADABLE")
    if not path.is_file():
        if not spec.required:
            return None, None
        return None, _file_problem(spec, _missing_message(path), "FILE_MISSING")
    try:
        return path.read_bytes(), None
    except OSError as error:
        reason = "permission denied" if isinstance(error, PermissionError) else type(error).__name__
        return None, _file_problem(spec, f"the file cannot be read ({reason})", "FILE_UNREADABLE")


def _missing_message(path: Path) -> str:
    """The file is missing; name a file that differs only in case or spaces (Header.csv, header .csv)."""
    wanted = path.name.lower()
    if path.parent.is_dir():
        for other in sorted(path.parent.iterdir()):
            if other.name.lower().replace(" ", "") == wanted and other.name != path.name:
                shown = printable(other.name, 60)
                return f"the file is missing from the extracts folder (there is '{shown}': rename it {path.name})"
    return "the file is missing from the extracts folder"


def _utf8(data: bytes, spec: FileSpec, encoding: str) -> tuple[bytes, list[Problem]]:
    """The file as UTF-8 bytes; every line holding bytes that are not valid text is a problem.

    A valid UTF-8 file is passed on as it is: decoding it only proves it valid, and encoding it
    again would copy the whole file for nothing.
    """
    try:
        text = data.decode(ENCODINGS[encoding])
    except UnicodeDecodeError:
        text, problems = _decode(data, spec, encoding)  # find every bad line, not only the first
        return text.encode("utf-8"), problems
    return (data if encoding == "utf-8" else text.encode("utf-8")), []


def _decode(data: bytes, spec: FileSpec, encoding: str) -> tuple[str, list[Problem]]:
    """Decode bytes that are not all valid ``encoding``, with a problem for every line holding bad ones."""
    text = data.decode(ENCODINGS[encoding], errors="surrogateescape")
    bad_lines = sorted({text.count("\n", 0, m.start()) + 1 for m in _SURROGATES.finditer(text)})
    hint = "" if encoding == "cp1252" else " (if Excel saved it, run again with --encoding cp1252)"
    problems = [
        _file_problem(spec, f"the line holds bytes that are not valid {encoding}{hint}", "FILE_ENCODING", line)
        for line in bad_lines
    ]
    return _SURROGATES.sub("\ufffd", text), problems


def _lines(utf8: bytes) -> pl.DataFrame:
    """What the checks need of each physical line (``line``, from 1): its commas (``_commas``) and
    whether it holds nothing but spaces (``_blank``); in a file with quotes, also its quotes
    (``_quotes``), whether it starts inside a quoted value (``_inside``) and the ``text`` of the
    lines holding quotes. A line feed ends a line (a CRLF's CR goes with it); there is no NUL in a
    text file (checked before), so each line is one cell. Polars reads the lines in one lazy
    pass, in parallel, never holding every line's text at once (a national file's lines would be
    as large as the file)."""
    text = pl.col("text")
    scan = pl.scan_csv(
        io.BytesIO(utf8), has_header=False, separator="\x00", quote_char=None, new_columns=["text"], infer_schema=False
    ).with_row_index("line", offset=1)
    facts = [pl.col("line").cast(pl.Int64), text.str.count_matches(",", literal=True).fill_null(0).alias("_commas")]
    if b'"' not in utf8:
        return _in_order(scan.select(*facts, (text.is_null() | text.str.contains(r"^\s*$")).alias("_blank")))
    quotes = text.str.count_matches('"', literal=True).fill_null(0)
    blank = text.is_null() | text.str.contains(r"^[ \t\r\x0b\x0c]*$")  # as Python's bytes.strip() sees spaces
    lines = _in_order(
        scan.select(*facts, blank.alias("_blank"), quotes.alias("_quotes"), pl.when(quotes > 0).then(text))
    )
    # The quotes of the file pair up in order: an odd number of them before a line leaves one open.
    inside = (pl.col("_quotes").cum_sum() - pl.col("_quotes")) % 2 == 1
    return lines.with_columns(inside.alias("_inside"))


def _in_order(lines: pl.LazyFrame) -> pl.DataFrame:
    """``lines`` collected, in the order of their ``line``."""
    found = lines.collect()
    return found if found.get_column("line").is_sorted() else found.sort("line")


# The quotes of a file pair up in order (RFC 4180): one opening a value comes first on its line or
# after a comma (or a CR, or the quote closing the value before: a doubled quote), one closing it
# last or before a comma (or a CR, or the next quote). So on a line, the text outside quotes
# between a closing quote and the next opening one is empty, or starts and ends with a comma or a
# CR; the text before the first opening quote ends with one; the text after the last closing quote
# starts with one. A line starting inside a quoted value (``_inside``) starts with a closing quote's
# value; a line ending inside one ends with an opening quote's.
_INSIDE_FIRST = r'[^"]*(?:"(?:[,\r](?:[^"]*[,\r])?)?"[^"]*)*(?:"(?:[,\r][^"]*)?)?$'
WHOLE_VALUES_INSIDE_FIRST = "^" + _INSIDE_FIRST
WHOLE_VALUES = r'^(?:[^"]*[,\r])?"' + _INSIDE_FIRST
QUOTED_PART = r'"[^"]*(?:"|$)'  # a quoted value on a line starting outside one, or its first line


def _stray_quotes(lines: pl.DataFrame, spec: FileSpec) -> list[Problem]:
    """Quotes that do not wrap a whole value (RFC 4180), and a quoted value never closed.

    Checked before anything else: a stray quote would otherwise join lines into one record.
    ``lines`` has its quotes counted (``_lines``); a line with quotes is read against
    ``WHOLE_VALUES`` (or ``WHOLE_VALUES_INSIDE_FIRST``).
    """
    quoted = lines.filter(pl.col("_quotes") > 0)
    whole = (
        pl.when(pl.col("_inside"))
        .then(pl.col("text").str.contains(WHOLE_VALUES_INSIDE_FIRST))
        .otherwise(pl.col("text").str.contains(WHOLE_VALUES))
    )
    message = 'a " is inside a value that is not quoted as a whole: quote the whole value and double the " inside'
    problems = [
        _file_problem(spec, message, "CSV_QUOTE", line) for line in quoted.filter(~whole).get_column("line").to_list()
    ]
    if quoted.get_column("_quotes").sum() % 2 and not problems:
        line = quoted.get_column("line").item(-1)
        problems.append(_file_problem(spec, 'a quoted value is never closed (a " is missing)', "CSV_QUOTE", line))
    return problems


@dataclass(frozen=True)
class _Records:
    """Where the CSV records are: ``counts``, the physical ``line`` and the number of ``fields`` of
    each (the header first); ``blank``, the lines of the records holding nothing but spaces
    (allowed, whatever their field count); ``header_end``, the byte just after the header row."""

    counts: pl.DataFrame
    blank: pl.Series
    header_end: int


def _records(lines: pl.DataFrame, utf8: bytes) -> _Records:
    """The file's records, counted by Polars over its ``_lines``: each a line when no value is quoted."""
    if "_quotes" in lines.columns:
        return _quoted_records(lines, utf8)
    # Without quotes a record is a line and every comma separates two fields.
    counts = lines.select("line", (pl.col("_commas") + 1).alias("fields"))
    newline = utf8.find(b"\n")
    blank = lines.filter(pl.col("_blank")).get_column("line")
    return _Records(counts, blank, len(utf8) if newline < 0 else newline + 1)


def _quoted_records(lines: pl.DataFrame, utf8: bytes) -> _Records:
    """The records of a file with quoted values, which may hold commas and line breaks.

    A record starts on each line that does not start inside a quoted value (``_lines``). Its
    fields are one more than its commas outside quotes: those left on each of its lines once
    the quoted values are taken out.
    """
    text = pl.col("text")
    outside_quotes = pl.when(pl.col("_inside")).then(text.str.replace(r'^[^"]*(?:"|$)', "")).otherwise(text)
    quoted = lines.filter(pl.col("_quotes") > 0)
    outside = quoted.select(outside_quotes.str.replace_all(QUOTED_PART, "").str.count_matches(",", literal=True))
    commas = lines.select(pl.when(pl.col("_inside")).then(0).otherwise(pl.col("_commas"))).to_series()
    commas = commas.scatter(quoted.get_column("line") - 1, outside.to_series())
    # Commas before each line, summed: a record's are those before the next record's first line, less its own.
    starts = lines.select("line", "_inside", "_blank", (commas.cum_sum() - commas).alias("_before")).filter(
        ~pl.col("_inside")
    )
    fields = pl.col("_before").shift(-1).fill_null(commas.sum()) - pl.col("_before") + 1
    counts = starts.select("line", fields.alias("fields"))
    # Only a record without a separator can be blank.
    blank = starts.filter(pl.col("_blank") & (counts.get_column("fields") == 1)).get_column("line")
    second = counts.get_column("line").item(1) if counts.height > 1 else None
    return _Records(counts, blank, _after_lines(utf8, second - 1) if second else len(utf8))


def _after_lines(utf8: bytes, lines: int) -> int:
    """The byte just after the first ``lines`` lines of ``utf8``."""
    end = 0
    for _ in range(lines):
        end = utf8.index(b"\n", end) + 1
    return end


def _header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


def _other_separator(header: list[str]) -> str | None:
    """The separator a one-column header uses instead of commas, if it uses one."""
    if len(header) != 1:
        return None
    return next((s for s in OTHER_SEPARATORS if s in header[0]), None)


def _header_problems(names: list[str], spec: FileSpec, header: list[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in names:
        if name in seen and any(c.name == name for c in spec.columns):
            renamed = [h.strip() for n, h in zip(names, header, strict=True) if n == name and normalise_name(h) != name]
            hint = f" (mapping.toml renames '{printable(renamed[0])}' to it)" if renamed else ""
            message = f"the column appears more than once{hint}"
            problems.append(_file_problem(spec, message, "COLUMN_DUPLICATE", 1, name))
        seen.add(name)
    for column in spec.columns:
        if (column.required or column.in_header) and column.name not in names:
            problems.append(
                _file_problem(spec, "a required column is missing from the header", "COLUMN_MISSING", 1, column.name)
            )
    return problems


def _field_count_problems(records: _Records, expected: int, spec: FileSpec) -> list[Problem]:
    """Records with more or fewer fields than the header (blank lines are allowed)."""
    wrong = records.counts.slice(1).filter(
        (pl.col("fields") != expected) & ~pl.col("line").is_in(records.blank.implode())
    )
    return [
        _file_problem(
            spec,
            f"the row has {fields} fields but the header has {expected} (check for a stray comma or quote)",
            "CSV_FIELD_COUNT",
            line,
        )
        for line, fields in wrong.iter_rows()
    ]


def _text_frame(
    utf8: bytes, header: list[str], names: list[str], lines: pl.Series, spec: FileSpec
) -> tuple[pl.DataFrame, list[int]]:
    """The contract's columns as read, with their lines (blank rows dropped), and the lines repeating the header.

    Every cell holds its text exactly as written; codes and dates as a category
    (``Column.categorical``): four bytes a cell where text takes sixteen, and
    ``pipeline.read.parse`` then judges each distinct value once rather than every cell.
    """
    placeholders = [f"_c{i}" for i in range(len(names))]
    kept = {c.name: c for c in spec.columns}
    raw = pl.read_csv(
        io.BytesIO(utf8),
        has_header=True,
        new_columns=placeholders,
        schema={p: _read_as(kept.get(n)) for p, n in zip(placeholders, names, strict=True)},
        truncate_ragged_lines=True,
        quote_char='"',
    )
    if raw.height != lines.len() - 1:
        raise AssertionError("the CSV reader and the line count disagree")  # guarded by the quote checks above
    raw = raw.with_columns(lines.slice(1).alias(LINE))
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    columns = [
        (pl.col(f"_c{position[c.name]}") if c.name in position else pl.lit(None, _read_as(c))).alias(c.name)
        for c in spec.columns
    ]
    repeated, blank = _repeated_header_lines(raw, header), _blank_lines(raw.select(LINE, *columns))
    dropped = pl.col(LINE).is_in(repeated + blank)
    frame = raw.select(LINE, *columns)
    return (frame.filter(~dropped) if repeated or blank else frame), repeated


def _read_as(column: Column | None) -> pl.DataType:
    """How a cell of ``column`` (None: a column outside the contract) is read: its text exactly as written."""
    return pl.Categorical() if column and column.categorical else pl.String()


def _text(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String)


def _rows_where_first(frame: pl.DataFrame, column: str, holds: pl.Expr, hint: pl.Expr | None = None) -> pl.DataFrame:
    """The rows of ``frame`` whose ``column`` has a value for which ``holds`` (an expression of
    ``column``'s text). For a category it is decided once for each distinct value, not for each
    cell; a column of text, mostly distinct, is judged cell by cell, on the rows ``hint`` (cheaper,
    true wherever ``holds`` is) lets through."""
    if frame.schema[column] != pl.Categorical():
        return (frame if hint is None else frame.filter(hint.fill_null(False))).filter(holds.fill_null(False))
    values = frame.select(pl.col(column).unique()).filter(holds.fill_null(False)).get_column(column)
    return frame.filter(pl.col(column).is_in(values.implode(), nulls_equal=True))


def _repeated_header_lines(raw: pl.DataFrame, header: list[str]) -> list[int]:
    """The lines that repeat the header row (two exports joined into one file).

    Every cell is compared only on the rows whose first cell is the first column's name:
    comparing every cell of a large file would cost more than reading it.
    """

    def is_name(column: str, name: str) -> pl.Expr:
        return _text(column).str.replace_all("\ufeff", "").str.strip_chars().str.to_uppercase() == normalise_name(name)

    first = normalise_name(header[0])
    # The name's letters anywhere in the cell: a quick first look at a column of text.
    hint = _text("_c0").str.contains_any([first], ascii_case_insensitive=True) if first and first.isascii() else None
    could_be = _rows_where_first(raw, "_c0", is_name("_c0", header[0]), hint)
    repeats = pl.all_horizontal(is_name(f"_c{i}", h) for i, h in enumerate(header))
    return could_be.filter(repeats.fill_null(False))[LINE].to_list()


def _blank_lines(frame: pl.DataFrame) -> list[int]:
    """The lines whose contract columns are all empty (a blank line, or a row of commas).

    Only the rows whose first column is empty are looked at in full, for the same reason.
    """

    def empty(column: str) -> pl.Expr:
        return pl.col(column).is_null() | (_text(column).str.strip_chars() == "")

    contract = [c for c in frame.columns if c != LINE]
    could_be = _rows_where_first(frame, contract[0], empty(contract[0]))
    return could_be.filter(pl.all_horizontal(empty(c) for c in contract))[LINE].to_list()
