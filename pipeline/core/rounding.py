"""The one rounding rule of lac-report: half up (half away from zero), on the exact decimal value.

93.05 is 93.1 and 92.5 is 93, whatever binary floating point would make of them: a float is taken
as the decimal it prints as (its shortest representation, what a table shows), a whole number, a
``Decimal`` or a ``Fraction`` as exactly what it is. ``half_up`` rounds one number (the report's
words, a measure worked out in Python); ``half_up_expr`` rounds a column by the same rule (the
measures' rates and percentages, the tables' cells), and ``rounded_ratio`` is numerator / denominator
x scale rounded so, worked on exact decimals. ``tests/unit/test_rounding.py`` holds the two to the
same answers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import polars as pl

# Decimals as exact as a column needs: 20 places, and 18 digits before the point. A ratio of whole
# numbers is worked to 20 places (the last rounded), which cannot move it across a half for any
# denominator below 10**18.
EXACT = pl.Decimal(38, 20)


def half_up(value: float | int | Decimal | Fraction, places: int = 0) -> Decimal:
    """Rounded half up to ``places`` decimals (half away from zero, as people mean "half up") on the exact
    decimal, not on binary floating point: 93.05 is 93.1, 92.5 is 93, 2.675 is 2.68 to two."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        exact = Decimal(repr(value))
    else:
        exact = Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def exactly(value: pl.Expr) -> pl.Expr:
    """A numeric column as exact decimals: a float as the decimal it prints as, anything else as it is."""
    return value.cast(pl.String).cast(EXACT)


def half_up_expr(value: pl.Expr, places: int = 0) -> pl.Expr:
    """``half_up`` of each value of a numeric column, as a ``Decimal(38, places)`` column (empty stays empty).

    Cast it to ``Float64`` for the float nearest the rounded figure (2.8, not the 28 * 0.1 =
    2.8000000000000003 of a float division), or to ``String`` for the figure as written ("2.8")."""
    return exactly(value).round(places, mode="half_away_from_zero").cast(pl.Decimal(38, places))


def rounded_ratio(numerator: pl.Expr, denominator: pl.Expr, scale: int = 1, places: int = 1) -> pl.Expr:
    """numerator / denominator x ``scale``, rounded half up to ``places`` decimals, as a float (empty for a
    denominator of 0)."""
    exact = exactly(numerator) * scale / denominator
    return pl.when(denominator != 0).then(half_up_expr(exact, places).cast(pl.Float64))
