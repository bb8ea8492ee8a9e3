"""A messy extract made from the sample one, the way real SSDA903 files written by others are messy.

- Annual returns joined together: an episode open at one year end and closed in the next return
  is listed twice, once open and once closed, or closed on two different days.
- Episodes that overlap: a short episode recorded inside a longer one (a respite stay keyed as an
  episode), and episodes whose start was keyed a few weeks early.
- With ``unreadable``: end dates with two-digit years and placement codes from a test file.
- Every row shuffled, and files the run does not read (``reviews.csv``, ``missing.csv``).

``python -m tests.messy OUT [--readable] [--seed N]`` writes it; the tests build it in a temporary
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


def write_messy(out: Path, *, unreadable: bool = True, seed: int = 903, samples: Path = SAMPLES) -> Path:
    """Write the messy extract to ``out`` (created); the other files are the sample's."""
    out.mkdir(parents=True, exist_ok=True)
    for path in samples.glob("*.csv"):
        if path.name != "episodes.csv":
            shutil.copyfile(path, out / path.name)
    with (samples / "episodes.csv").open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        columns, rows = list(reader.fieldnames or []), list(reader)
    episodes = messy_episodes(rows, random.Random(seed), unreadable=unreadable)
    with (out / "episodes.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(episodes)
    (out / "reviews.csv").write_text("CHILD,REVIEW_DATE\n", encoding="utf-8")
    (out / "missing.csv").write_text("CHILD,MISSING\n", encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 903
    folder = write_messy(Path(argv[0]), unreadable="--readable" not in argv, seed=seed)
    print(f"wrote {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
