"""A messy extract made from the sample one, the way real SSDA903 files written by others are messy.

- Annual returns joined together: an episode open at one year end and closed in the next return
  is listed twice, once open and once closed, or closed on two different days.
- Episodes that overlap: a short episode recorded inside a longer one (a respite stay keyed as an
  episode), and episodes whose start was keyed a few weeks early.
- With ``unreadable``: end dates with two-digit years and placement codes from a test file.
- Every row shuffled, and files the run does not read (``reviews.csv``, ``missing.csv``).
- With ``untidy``, every other file's cells too (``untidy_rows``): codes in lower case or with
  spaces around them, unknown codes, dates written every wrong way, empty required cells,
  identifiers a spreadsheet turned into numbers, a child listed twice, blank rows and a header
  repeated; header.csv saved by Excel (a byte-order mark and CRLF line ends).

``python -m tests.messy OUT [--readable] [--untidy] [--seed N]`` writes it; the tests build it in a temporary
folder, so no big file is committed. The sample is synthetic: so is everything made from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def _text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def messy_episodes(rows: list[dict[str, str]], shuffle: random.Random, *, unreadable: bool) -> list[dict[str, str]]:
    """The sample's episodes with the faults above, shuffled."""
    out = [dict(row) for row in rows]
    closed = [row for row in out if row["DEC"] and _day(row["DEC"]) > _day(row["DECOM"])]
    for row in shuffle.sample(closed, len(closed) // 20):  # joined returns: the same episode twice
        twin = dict(row)
        if shuffle.random() < 0.6:
            twin["DEC"], twin["REC"] = "", ""  # open at the first return's year end
        else:
            twin["DEC"] = _text(_day(row["DEC"]) + dt.timedelta(days=shuffle.randint(1, 90)))
        out.append(twin)
    for row in shuffle.sample(closed, len(closed) // 40):  # a short stay keyed inside a longer episode
        length = (_day(row["DEC"]) - _day(row["DECOM"])).days
        if length > 4:
            first = _day(row["DECOM"]) + dt.timedelta(days=shuffle.randint(1, length - 3))
            stay = dict(row) | {"DECOM": _text(first), "DEC": _text(first + dt.timedelta(days=2)), "RNE": "T"}
            out.append(stay | {"REC": "E8"})
    for row in shuffle.sample(out, len(out) // 50):  # a start keyed a few weeks early
        row["DECOM"] = _text(_day(row["DECOM"]) - dt.timedelta(days=shuffle.randint(1, 40)))
    if unreadable:
        for row in shuffle.sample([r for r in out if r["DEC"]], len(out) // 100):
            row["DEC"] = _day(row["DEC"]).strftime("%d/%m/%y")  # a two-digit year
        for row in shuffle.sample(out, len(out) // 200):
            row["PLACE"] = shuffle.choice(["U9", "XX", "Q1"])  # codes from a test file
    shuffle.shuffle(out)
    return out


BAD_DATES = ("2008-13-01", "1/2/2008", "13/25/2009", "43831", "01/02/08", "01/02/2008 10:30", "31/02/2010", "yesterday")
BAD_DATES += ("01/01/1899", "01/01/2099")  # readable but before 1900, or after today
DATE_COLUMNS = {"DOB", "MC_DOB", "REFERRAL_DATE", "START_DATE", "END_DATE", "PLANNED_DATE", "REFERRED_DATE"}
DATE_COLUMNS |= {"ISSUED_DATE", "CONCLUDED_DATE", "ASSESSMENT_DATE"}
CODE_COLUMNS = {"SEX", "ETHNIC", "MOTHER", "STRAND", "OUTCOME", "ROUTE", "FLAG", "LEVEL", "FACTORS"}


def untidy_rows(rows: list[dict[str, str]], shuffle: random.Random) -> list[dict[str, str]]:
    """``rows`` of a file other than episodes.csv with the cell faults of ``untidy``, and a row listed twice."""
    out = [dict(row) for row in rows]
    for row in out:
        for column, value in row.items():
            draw = shuffle.random()
            if column in CODE_COLUMNS and value and draw < 0.05:
                row[column] = f" {value.lower()} "  # tidied when read: not a problem
            elif column in CODE_COLUMNS and value and draw < 0.06:
                row[column] = shuffle.choice(["ZZ", "9", "n/a", "x1;2b"])
            elif column in DATE_COLUMNS and value and draw < 0.02:
                row[column] = shuffle.choice(BAD_DATES)
            elif column in ("CHILD", "FAMILY") and draw < 0.005 and "DOB" not in row:  # not header.csv's
                row[column] = shuffle.choice(["1.2E+05", "3312.0", "", "9999999"])  # the last: no such child
            elif column in ("SEX", "STRAND", "FLAG") and draw < 0.01:
                row[column] = ""  # a required cell left empty
    out += [dict(row) for row in shuffle.sample(out, max(1, len(out) // 100))]  # listed twice
    shuffle.shuffle(out)
    return out


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, columns: list[str], rows: list[dict[str, str]], *, excel: bool = False) -> None:
    with path.open("w", newline="", encoding="utf-8-sig" if excel else "utf-8") as file:
        writer = csv.DictWriter(file, columns, lineterminator="\r\n" if excel else "\n")
        writer.writeheader()
        writer.writerows(rows)


def write_messy(
    out: Path, *, unreadable: bool = True, untidy: bool = False, seed: int = 903, samples: Path = SAMPLES
) -> Path:
    """Write the messy extract to ``out`` (created); the other files are the sample's, messed up too if ``untidy``."""
    out.mkdir(parents=True, exist_ok=True)
    shuffle = random.Random(seed)
    columns, rows = _rows(samples / "episodes.csv")
    _write(out / "episodes.csv", columns, messy_episodes(rows, shuffle, unreadable=unreadable))
    for path in sorted(samples.glob("*.csv")):
        if path.name == "episodes.csv":
            continue
        if not untidy:
            shutil.copyfile(path, out / path.name)
            continue
        columns, rows = _rows(path)
        _write(out / path.name, columns, untidy_rows(rows, shuffle), excel=path.name == "header.csv")
    if untidy:
        with (out / "legal.csv").open("a", encoding="utf-8", newline="") as file:
            file.write("\n,,,,,,\nchild,route,planned_date,referred_date,issued_date,concluded_date,outcome\n")
    (out / "reviews.csv").write_text("CHILD,REVIEW_DATE\n", encoding="utf-8")
    (out / "missing.csv").write_text("CHILD,MISSING\n", encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 903
    folder = write_messy(Path(argv[0]), unreadable="--readable" not in argv, untidy="--untidy" in argv, seed=seed)
    print(f"wrote {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
