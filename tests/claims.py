"""Is each message true of the lines it names? A reading of the extract files of its own (the
``csv`` module and ``datetime``, nothing of ``pipeline.read``), and for each rule that speaks of
another episode, or says that no episode of the child does something, a check of that claim.

``python -m tests.claims FOLDER ERRORS.csv`` counts, rule by rule, the messages of an errors file
written by ``lac-report validate --errors`` and how many of them are false: the before and after
of issue 12's closing note.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

Row = dict[str, str]
DATE = re.compile(r"\d\d/\d\d/\d{4}")
DATES = r"(\d\d/\d\d/\d{4})"
LINE = re.compile(r"\blines? (\d+)")


def read_lines(path: Path) -> dict[int, Row]:
    """Each record of a CSV file by its physical line (the header is line 1), cells trimmed."""
    rows: dict[int, Row] = {}
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        names = [n.strip().upper() for n in next(reader)]
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                rows[start] = {n: v.strip() for n, v in zip(names, record, strict=False)}
            start = reader.line_num + 1
    return rows


def day(text: str) -> dt.date | None:
    """A date cell as the contract writes it (dd/mm/yyyy or yyyy-mm-dd); None when empty or not a date."""
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


def quoted_day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


DATE_COLUMNS = {"DECOM", "DEC"}


def value(row: Row, column: str) -> object:
    """A cell as the rules compare it: dates as dates, codes in capitals, empty as None."""
    cell = row.get(column, "").strip()
    if not cell:
        return None
    return day(cell) if column in DATE_COLUMNS else cell.upper()


@dataclass(frozen=True)
class Message:
    file: str
    line: int
    column: str
    text: str
    rule: str


class Extract:
    """The episodes and header rows of an extract folder, by line and by child."""

    def __init__(self, folder: Path) -> None:
        self.episodes = read_lines(folder / "episodes.csv")
        self.header = read_lines(folder / "header.csv")
        self.by_child: dict[str, list[int]] = {}
        for line, row in self.episodes.items():
            self.by_child.setdefault(row.get("CHILD", ""), []).append(line)

    def others(self, line: int) -> list[Row]:
        """The child's other episodes, leaving out exact copies of this one (the same episode)."""
        row = self.episodes[line]
        return [
            self.episodes[n]
            for n in self.by_child[row["CHILD"]]
            if n != line and any(value(self.episodes[n], c) != value(row, c) for c in row)
        ]

    def same_child(self, line: int, other: int) -> bool:
        return other in self.episodes and self.episodes[other]["CHILD"] == self.episodes[line]["CHILD"]


def end(row: Row) -> dt.date:
    return value(row, "DEC") or dt.date.max  # type: ignore[return-value]


def start(row: Row) -> dt.date:
    return value(row, "DECOM")  # type: ignore[return-value]


def dates_of(row: Row) -> str:
    """An episode's dates as the messages quote them."""
    dec = value(row, "DEC")
    first = start(row).strftime("%d/%m/%Y")
    return f"{first} to {dec.strftime('%d/%m/%Y')}" if isinstance(dec, dt.date) else f"from {first}, still open"


def _named(message: Message) -> list[int]:
    return [int(n) for n in LINE.findall(message.text)]


# ---- one check for each claim: None when true, else why it is false ---------------------------


def _duplicate(x: Extract, m: Message) -> str | None:
    row = x.episodes[m.line]
    if (same := re.fullmatch(r"the same episode is already on line (\d+)", m.text)) is not None:
        other = x.episodes.get(int(same[1]))
        if other is None or any(value(other, c) != value(row, c) for c in row):
            return "the two lines differ"
        return None
    found = re.fullmatch(r"the episode appears twice with different (.+) \(lines (\d+) and (\d+)\): (.+)", m.text)
    if found is None or int(found[3]) != m.line:
        return "not a duplicate message of this line"
    first = x.episodes.get(int(found[2]))
    if first is None or first["CHILD"] != row["CHILD"] or start(first) != start(row):
        return "not the same child and start"
    differing = {c for c in row if value(first, c) != value(row, c)}
    named = set(re.split(r", | and ", found[1]))
    if named != differing:
        return f"the lines differ in {sorted(differing)}, not {sorted(named)}"
    return None


def _overlap(x: Extract, m: Message) -> str | None:
    row = x.episodes[m.line]
    (other_line,) = _named(m)
    if not x.same_child(m.line, other_line):
        return "not an episode of the same child"
    other = x.episodes[other_line]
    new = re.fullmatch(r"the episode \((.+)\) overlaps the child's episode on line \d+ \((.+)\)", m.text)
    if new is not None and (new[1] != dates_of(row) or new[2] != dates_of(other)):
        return "the dates quoted are not the lines' dates"
    # An episode lasts from its start to the day before it ends: one starting and ending on a day
    # overlaps only an episode going on across that day.
    if not (start(other) < end(row) and start(row) < end(other)):
        return "the episodes do not overlap"
    return None


def _open_not_latest(x: Extract, m: Message) -> str | None:
    (other_line,) = _named(m)
    if value(x.episodes[m.line], "DEC") is not None:
        return "the episode is not open"
    if not x.same_child(m.line, other_line) or not start(x.episodes[other_line]) > start(x.episodes[m.line]):
        return "the other episode does not start later"
    return None


def _x1_broken(x: Extract, m: Message) -> str | None:
    row = x.episodes[m.line]
    found = re.search(DATES + r"$", m.text)
    if value(row, "REC") != "X1" or found is None or value(row, "DEC") != quoted_day(found[1]):
        return "the episode does not end X1 on the day quoted"
    starting = [o for o in x.others(m.line) if start(o) == quoted_day(found[1])]
    return "another episode of the child starts that day" if starting else None


def _new_period_not_s(x: Extract, m: Message) -> str | None:
    row = x.episodes[m.line]
    found = re.search(r"RNE is '(\w+)'", m.text)
    if found is None or value(row, "RNE") != found[1]:
        return "RNE is not as quoted"
    into = [o for o in x.others(m.line) if value(o, "REC") == "X1" and value(o, "DEC") == start(row)]
    return "an episode of the child ends X1 the day it starts" if into else None


def _continuation_is_s(x: Extract, m: Message) -> str | None:
    row = x.episodes[m.line]
    (other_line,) = _named(m)
    other = x.episodes.get(other_line)
    if value(row, "RNE") != "S" or other is None or not x.same_child(m.line, other_line):
        return "not an S episode and another of the same child"
    if value(other, "REC") != "X1" or value(other, "DEC") != start(row) or not start(other) < start(row):
        return "the other episode does not end X1 the day this one starts, having started before it"
    return None


def _after_final(x: Extract, m: Message) -> str | None:
    row = x.episodes[m.line]
    (other_line,) = _named(m)
    other = x.episodes.get(other_line)
    found = re.search(r"REC '(\w+)'", m.text)
    if other is None or not x.same_child(m.line, other_line) or found is None or value(other, "REC") != found[1]:
        return "the other episode is not the child's, or did not end as quoted"
    if not (end(other) <= start(row) and start(other) < start(row)):
        return "the episode does not start after the other ended"
    return None


def _header_duplicate(x: Extract, m: Message) -> str | None:
    (other_line,) = _named(m)
    other = x.header.get(other_line)
    return None if other is not None and other["CHILD"] == x.header[m.line]["CHILD"] else "not the same child"


def _orphan(x: Extract, m: Message) -> str | None:
    children = {row.get("CHILD") for row in x.header.values()}
    return "the child is in header.csv" if x.episodes[m.line]["CHILD"] in children else None


def _ends_before(x: Extract, m: Message) -> str | None:
    row = x.episodes[m.line]
    found = re.fullmatch(rf"the episode ends \({DATES}\) before it starts \({DATES}\)", m.text)
    if found is None or value(row, "DEC") != quoted_day(found[1]) or start(row) != quoted_day(found[2]):
        return "the dates quoted are not the line's"
    return None if quoted_day(found[1]) < quoted_day(found[2]) else "it does not end before it starts"


def eighteenth(dob: dt.date) -> dt.date:
    """The 18th birthday; born on 29 February, 1 March (the later reading: "18 or over" is judged on it)."""
    return dt.date(dob.year + 18, 3, 1) if (dob.month, dob.day) == (2, 29) else dob.replace(year=dob.year + 18)


def _over_18(x: Extract, m: Message) -> str | None:
    row = x.episodes[m.line]
    found = re.search(r"with LS '(\w*)' and PLACE '(\w*)'", m.text)
    if found is None or (found[1], found[2]) != (row.get("LS", "").upper(), row.get("PLACE", "").upper()):
        return "LS and PLACE are not as quoted"
    dob = next((day(h.get("DOB", "")) for h in x.header.values() if h.get("CHILD") == row["CHILD"]), None)
    if dob is None:
        return "the child's date of birth is not known"
    if row.get("DEC") and day(row["DEC"]) is None:
        return "the episode's DEC could not be read: it may have ended before the birthday"
    last = (
        end(row)
        if value(row, "DEC")
        else max(d for r in x.episodes.values() for d in (value(r, "DECOM"), value(r, "DEC")) if isinstance(d, dt.date))
    )
    return None if last > eighteenth(dob) else "the episode does not go on past the 18th birthday"


CHECKS: dict[str, Callable[[Extract, Message], str | None]] = {
    "EPISODE_DUPLICATE": _duplicate,
    "EPISODE_OVERLAP": _overlap,
    "EPISODE_OPEN_NOT_LATEST": _open_not_latest,
    "EPISODE_X1_BROKEN": _x1_broken,
    "EPISODE_NEW_PERIOD_NOT_S": _new_period_not_s,
    "EPISODE_CONTINUATION_IS_S": _continuation_is_s,
    "EPISODE_AFTER_FINAL": _after_final,
    "HEADER_CHILD_DUPLICATE": _header_duplicate,
    "EPISODE_ORPHAN": _orphan,
    "EPISODE_DEC_BEFORE_DECOM": _ends_before,
    "EPISODE_OVER_18_NOT_V2_K2": _over_18,
}


def falsehood(extract: Extract, message: Message) -> str | None:
    """Why ``message`` is false of the extract, or None when it is true (or not a claim checked here).

    A message that names another line must be of a rule checked here."""
    check = CHECKS.get(message.rule)
    if check is None:
        return f"{message.rule} names a line but has no check" if _named(message) else None
    rows = extract.header if message.file == "header.csv" else extract.episodes
    if message.line not in rows:
        return "no such line"
    return check(extract, message)


def false_messages(folder: Path, messages: Iterable[Message]) -> list[tuple[Message, str]]:
    extract = Extract(folder)
    found = [(m, falsehood(extract, m)) for m in messages if m.file in ("episodes.csv", "header.csv")]
    return [(m, why) for m, why in found if why is not None]


def read_errors_file(path: Path) -> list[Message]:
    with path.open(newline="", encoding="utf-8") as file:
        return [
            Message(row["file"], int(row["line"]), row["column"], row["message"], row["rule"])
            for row in csv.DictReader(file)
        ]


def main(argv: list[str]) -> int:
    folder, errors = Path(argv[0]), Path(argv[1])
    messages = read_errors_file(errors)
    wrong = Counter(m.rule for m, _ in false_messages(folder, messages))
    counts = Counter(m.rule for m in messages)
    print("| rule | messages | false |")
    print("| --- | ---: | ---: |")
    for rule, count in sorted(counts.items()):
        checked = "" if rule in CHECKS else " (not checked)"
        print(f"| `{rule}` | {count:,} | {wrong.get(rule, 0):,}{checked} |")
    print(f"| all | {sum(counts.values()):,} | {sum(wrong.values()):,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
