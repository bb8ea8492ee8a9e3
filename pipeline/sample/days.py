"""Day arithmetic for the generator: dates are proleptic ordinals (``int``) until written.

Plain integers keep the per-child loop fast; :class:`DateText` turns them into the
contract's ``dd/mm/yyyy`` strings through a lookup table built once.
"""

from __future__ import annotations

import datetime as dt

YEAR = 365.2425
MONTH = YEAR / 12
NEVER = dt.date(9999, 12, 31).toordinal()  # "no planned end": the child stays until 18

# SSDA903 code changes by collection year (shared/domain/reference.md 1.3.7 and 1.3.9).
SGO_SPLIT_FROM = dt.date(2016, 4, 1).toordinal()  # E43/E44 before, E45-E48 from
P2_NEW_UNTIL = dt.date(2023, 1, 1).toordinal()  # no new P2 placements from 2023
K3_FROM = dt.date(2023, 10, 28).toordinal()  # H5 and P2 end, K3 begins
Z1_UNTIL = dt.date(2025, 4, 1).toordinal()  # Z1 ends, Z11-Z14 begin
MF_SEX_FROM = dt.date(2024, 4, 1).toordinal()  # the 2024-25 specification's M/F/U


def shift_years(day: int, years: int) -> int:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    date = dt.date.fromordinal(day)
    try:
        return date.replace(year=date.year + years).toordinal()
    except ValueError:
        return date.replace(year=date.year + years, day=28).toordinal()


def shift_months(day: int, months: int) -> int:
    """The same day of the month ``months`` later (clamped to the month's last day)."""
    date = dt.date.fromordinal(day)
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    for last in (date.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(date.day, last)).toordinal()
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


class DateText:
    """``dd/mm/yyyy`` for every day in a range, formatted once."""

    def __init__(self, first: int, last: int) -> None:
        self._first = first
        self._text = [dt.date.fromordinal(d).strftime("%d/%m/%Y") for d in range(first, last + 1)]

    def __call__(self, day: int) -> str:
        return self._text[day - self._first]
