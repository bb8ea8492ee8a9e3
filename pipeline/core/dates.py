"""Calendar arithmetic of the measure definitions (measures.md): years and months back and
forward, month ends, the 12 months to D and the trend's days, and the SSDA903 collection years
(1 April to 31 March) the annual returns are made for, and a day written as the extracts write it."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

OPEN_END = dt.date(9999, 12, 31)  # the end of an episode, flag or involvement still open
DMY_FORMAT = "%d/%m/%Y"  # how the extracts write a day, and how a message quotes one


def dmy(day: dt.date) -> str:
    """A day as the extracts write it and messages quote it: ``02/11/2020``."""
    return day.strftime(DMY_FORMAT)


def minus_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February becomes 28 February."""
    year = day.year - years
    return day.replace(year=year, day=min(day.day, monthrange(year, day.month)[1]))


def plus_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def twelve_months_to(day: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months to D: from D minus 12 months plus one day, to D."""
    return plus_months(day, -12) + dt.timedelta(days=1), day


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def trend_days(day: dt.date, months: int = 36) -> list[dt.date]:
    """The last ``months`` month ends on or before D, then D itself when it is not a month end."""
    last = month_end(day) if month_end(day) == day else month_end(plus_months(day.replace(day=1), -1))
    ends = [month_end(plus_months(last.replace(day=1), -k)) for k in range(months - 1, -1, -1)]
    return ends if ends[-1] == day else [*ends, day]


def collection_year(day: dt.date) -> int:
    """The SSDA903 collection year holding ``day``, named by the year it ends: 1 April 2018 to
    31 March 2019 is 2019."""
    return day.year + 1 if day.month >= 4 else day.year


def collection_year_start(year: int) -> dt.date:
    """1 April of the collection year ``year`` (2019: 1 April 2018)."""
    return dt.date(year - 1, 4, 1)


def collection_year_end(year: int) -> dt.date:
    """31 March of the collection year ``year`` (2019: 31 March 2019)."""
    return dt.date(year, 3, 31)


def collection_year_label(year: int) -> str:
    """The collection year as the DfE writes it: 2019 is ``2018-19``."""
    return f"{year - 1}-{year % 100:02d}"
