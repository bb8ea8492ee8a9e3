"""Unaccompanied asylum-seeking children (UASC): who is one on a day.

The DfE's convention: a child is an unaccompanied asylum-seeking child on day X when the UASC
table (``uasc.csv``, or the UASC table of the annual returns) lists the child and DUC, the day
UASC status ceased, is empty or after X. Councils quote the children looked after excluding them
when their numbers distort a comparison.
"""

from __future__ import annotations

import datetime as dt

import polars as pl


def uasc_on(uasc: pl.DataFrame, days: list[dt.date]) -> pl.DataFrame:
    """Children who are unaccompanied asylum-seeking children on each day (``day``, ``CHILD``): listed in the
    UASC table with DUC, the day UASC status ceased, empty or after the day. One row per day and child."""
    calendar = pl.DataFrame({"day": sorted(set(days))}, schema={"day": pl.Date})
    listed = uasc.filter(pl.col("CHILD").is_not_null()).select("CHILD", "DUC")
    return (
        calendar.join(listed, how="cross")
        .filter(pl.col("DUC").is_null() | (pl.col("DUC") > pl.col("day")))
        .select("day", "CHILD")
        .unique()
        .sort("day", "CHILD")
    )
