"""What the stitch says when a return disagrees with a newer source: one warning for each older
episode it left out, cut short, moved or closed, at that episode's own file and line, naming the
newer row it gave way to. So a corrected return reads as a correction, never as the overlaps and
broken chains that joining the files by hand would show.

Every message states what the two sources say and what was used; none quotes a child's
identifier or a personal value (the postcodes are not compared at all: the report uses none).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.core.dates import collection_year_label, dmy
from pipeline.core.problems import Problem, Severity
from pipeline.read.csvfile import LINE
from pipeline.read.parse import clean_code
from pipeline.read.returns.layout import Source
from pipeline.read.returns.tables import FILE, LOCATION, STITCH

_W = Severity.WARNING
# What telling the same episode apart compares, beyond CHILD and DECOM (DEC and REC only when the
# older source had the episode ended: a return leaves them empty for an episode open on 31 March).
COMPARED = ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REASON_PLACE_CHANGE", "URN")


def source_name(source: Source) -> str:
    """A source as a message names it: its episodes' file (the XML file of an XML return)."""
    return source.name("episodes")


def row(file: str, line: int, location: str | None) -> str:
    """Another row named in a message: ``2020/episodes.csv line 3``, ``return_2020.xml line 1 (CHILD 3, EPISODE 1)``."""
    return f"{file} line {line}" + (f" ({location})" if location else "")


def outside_window(source: Source, outside: pl.DataFrame, start: dt.date, end: dt.date) -> Problem:
    """One warning for a return's episodes not open in its own year, which are left out."""
    ordered = outside.sort(LINE, LOCATION)
    lines = ordered[LINE].to_list()
    # an XML return is often one line: its episodes are named by their element
    places = ordered[LOCATION].to_list() if source.format == "xml" else [f"line {n}" for n in lines]
    shown = ", ".join(map(str, places[:10])) + (", ..." if len(places) > 10 else "")
    message = (
        f"{len(lines)} episode(s) ({shown}) are not open at any time in {collection_year_label(source.year)}"
        f" ({dmy(start)} to {dmy(end)}), which is all a return for that year holds: they are left out"
        " (is the year in the file's name right?)"
    )
    return Problem(source_name(source), lines[0], "DECOM", message, "STITCH_OUTSIDE_YEAR", _W)


def problems(work: pl.DataFrame, newer: pl.DataFrame, source: Source, start: dt.date) -> list[Problem]:
    """The warnings for the older episodes ``work`` marked under the newer ``source`` (its episodes ``newer``)."""
    named = source_name(source)
    return [*_closed(work, newer, named, start), *_corrected(work, named), *_replaced_otherwise(work, newer)]


def _problem(r: dict[str, object], column: str, message: str, rule: str) -> Problem:
    return Problem(str(r[FILE]), int(str(r[LINE])), column, message, rule, _W, str(r[LOCATION] or ""))


def _closed(work: pl.DataFrame, newer: pl.DataFrame, named: str, start: dt.date) -> list[Problem]:
    closed = work.filter(pl.col("_action").is_in(["closed", "closed_reach"]))
    if closed.is_empty():
        return []
    first = newer.group_by("_child").agg(pl.col("_d0").min().alias("_first"))
    found = []
    for r in closed.join(first, on="_child", how="left").sort(FILE, LINE).iter_rows(named=True):
        if r["_action"] == "closed":
            if r["_first"] is None:
                why = f"the child is not in {named}, which holds every child looked after from {dmy(start)}"
            else:
                why = (
                    f"{named}, which holds every child looked after from {dmy(start)}, has no episode of the child"
                    f" open that day (its first starts on {dmy(r['_first'])})"
                )
            message = (
                f"the episode is open at the end of the older source, but {why}: it is taken to end on"
                f" {dmy(start)}; its reason is not known: counted as other"
            )
            found.append(_problem(r, "DEC", message, "STITCH_CHILD_ABSENT"))
        else:
            ended = (
                "with REC X1"
                if r["_A_rne"] != "S"
                else "without a reason (counted as other), as that one starts a new period"
            )
            message = (
                f"the episode is open at the end of the older source, but in {named} the child's care continues in a"
                f" different episode from {dmy(r['_A'])} ({row(r['_A' + FILE], r['_A' + LINE], r['_A' + LOCATION])}):"
                f" the episode is taken to end that day, {ended}"
            )
            found.append(_problem(r, "DEC", message, "STITCH_CONTINUED_ELSEWHERE"))
    return found


def _corrected(work: pl.DataFrame, named: str) -> list[Problem]:
    """An older episode a newer source left out, cut short or moved: STITCH_CORRECTED."""
    changed = work.filter(pl.col("_action").is_in(["dropped", "trimmed", "rejoined"])).sort(FILE, LINE)
    found = []
    for r in changed.iter_rows(named=True):
        newer = row(r["_A" + FILE], r["_A" + LINE], r["_A" + LOCATION])
        start = dmy(r["_A"])
        if r["_action"] == "rejoined":
            column = "DEC"
            message = f"the next episode starts on {start} in {named} ({newer}): the episode's end is moved to that day"
        elif r["_action"] == "trimmed":
            column = "DEC"
            message = (
                f"the episode runs past {start}, where the child's episode in {named} starts ({newer}):"
                " it is taken to end that day"
            )
        elif r["_same_episode"] and r["_d0"] != r["_A"]:
            column = "DECOM"
            message = f"{named} holds this episode as starting on {start} ({newer}): the newer start is used"
        else:
            column = "DECOM"
            message = (
                f"the episode is not in {named}, which has the child in care from {start} in another episode"
                f" ({newer}): it is left out"
            )
        found.append(_problem(r, column, message, "STITCH_CORRECTED"))
    return found


def _replaced_otherwise(work: pl.DataFrame, newer: pl.DataFrame) -> list[Problem]:
    """An episode a newer source holds (same CHILD and DECOM) with other codes: STITCH_CORRECTED.

    An older row agrees with the newer when one of the newer's rows with its CHILD and DECOM has
    the same codes, and the same DEC and REC if the older had ended it.
    """
    # An episode whose end the stitch itself wrote (closed, trimmed) says nothing a newer source could contradict.
    replaced = work.filter((pl.col("_action") == "replaced") & pl.col(STITCH).is_null()).select(
        "_child", "_d0", "_row", FILE, LINE, LOCATION, *COMPARED, "DEC", "_d1", "REC"
    )
    if replaced.is_empty():
        return []
    theirs = newer.select("_child", "_d0", pl.col(FILE).alias("_n_file"), pl.col(LINE).alias("_n_line"),
                          pl.col(LOCATION).alias("_n_location"), *(pl.col(c).alias(f"_n_{c}") for c in COMPARED),
                          pl.col("_d1").alias("_n_d1"), pl.col("REC").alias("_n_REC"))  # fmt: skip
    pairs = replaced.join(theirs, on=["_child", "_d0"])
    differs = {c: _differs(pl.col(c), pl.col(f"_n_{c}")) for c in COMPARED}
    ended = pl.col("_d1").is_not_null() | clean_code(pl.col("REC")).is_not_null()
    differs["DEC"] = ended & ~pl.col("_d1").eq_missing(pl.col("_n_d1"))
    differs["REC"] = ended & _differs(pl.col("REC"), pl.col("_n_REC"))
    pairs = pairs.with_columns(
        pl.concat_list([pl.when(d).then(pl.lit(c)) for c, d in differs.items()]).list.drop_nulls().alias("_differ")
    )
    agreeing = pairs.filter(pl.col("_differ").list.len() == 0).select("_row")
    disputed = pairs.join(agreeing, on="_row", how="anti").sort("_row", "_n_line").unique("_row", keep="first")
    found = []
    for r in disputed.sort(FILE, LINE).iter_rows(named=True):
        columns = r["_differ"]
        message = (
            f"{row(r['_n_file'], r['_n_line'], r['_n_location'])} holds this episode (the same child and DECOM) with a"
            f" different {', '.join(columns)}: the newer is used"
        )
        found.append(_problem(r, columns[0], message, "STITCH_CORRECTED"))
    return found


def _differs(mine: pl.Expr, theirs: pl.Expr) -> pl.Expr:
    return ~clean_code(mine).eq_missing(clean_code(theirs))
