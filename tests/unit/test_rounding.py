"""One rounding rule, in one place: half up on the exact decimal, for a number (``half_up``), a column
(``half_up_expr``) and a ratio of columns (``rounded_ratio``), giving the same answers."""

from __future__ import annotations

import ast
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core import rounding
from pipeline.core.rounding import half_up, half_up_expr, rounded_ratio

PIPELINE = Path(rounding.__file__).parents[1]
# Rounding that is not the report's rule, and why.
NOT_THE_RULE = {
    ("report/suppression.py", "round"): "the nearest whole count behind a rate, to suppress: no figure is shown",
}


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (93.05, 1, "93.1"),  # the float nearest 93.05 is 93.04999...: taken as the 93.05 it prints as
        (92.5, 0, "93"),  # half up, not to even
        (-2.5, 0, "-3"),  # half away from zero
        (0.1 + 0.2, 1, "0.3"),
        (2.675, 2, "2.68"),  # Python's round() gives 2.67
        (1234, 0, "1234"),
        (Decimal("234.585"), 0, "235"),
        (Fraction(1, 8), 2, "0.13"),
    ],
)
def test_half_up(value: float | int | Decimal | Fraction, places: int, expected: str) -> None:
    assert str(half_up(value, places)) == expected


def column(values: list[float | None], places: int) -> list[Decimal | None]:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Float64})
    return frame.select(half_up_expr(pl.col("v"), places))["v"].to_list()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e9, 1e9, allow_nan=False) | st.decimals("-1e6", "1e6", places=3).map(float)),
    st.integers(min_value=0, max_value=2),
)
def test_a_column_rounds_as_a_number_does(values: list[float], places: int) -> None:
    assert column(values, places) == [half_up(v, places) for v in values]


def test_a_column_keeps_its_empty_cells_and_writes_as_the_report_prints() -> None:
    assert column([None, 92.5, 0.05, -0.04], 1) == [None, Decimal("92.5"), Decimal("0.1"), Decimal("0.0")]
    frame = pl.DataFrame({"v": [2.8, 93.05]}).select(half_up_expr(pl.col("v"), 1).cast(pl.String))
    assert frame["v"].to_list() == ["2.8", "93.1"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10**7), st.integers(1, 10**8)), min_size=1),
    st.sampled_from([1, 100, 10_000]),
    st.integers(min_value=0, max_value=2),
)
def test_a_ratio_is_rounded_exactly(pairs: list[tuple[int, int]], scale: int, places: int) -> None:
    frame = pl.DataFrame(pairs, schema={"n": pl.Int64, "d": pl.Int64}, orient="row")
    got = frame.select(rounded_ratio(pl.col("n"), pl.col("d"), scale, places))["n"].to_list()
    assert got == [float(half_up(Fraction(n * scale, d), places)) for n, d in pairs]


def test_a_ratio_on_a_half_rounds_up_and_on_nothing_is_empty() -> None:
    frame = pl.DataFrame({"n": [1, 3, 9305, 1], "d": [40_000, 40_000, 1_000_000, 0]})
    # 0.25 and 0.75 exactly (binary floating point makes 0.75 0.7499...), 93.05 exactly; nothing of 0
    assert frame.select(rounded_ratio(pl.col("n"), pl.col("d"), 10_000))["n"].to_list() == [0.3, 0.8, 93.1, None]


def rounding_calls(path: Path) -> set[str]:
    """The rounding a module does: ``round(...)``, ``.round(...)``, ``.quantize(...)``, ``ROUND_HALF_UP``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round":
            found.add("round")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("round", "quantize")
        ):
            found.add(node.func.attr)
        elif isinstance(node, ast.Name) and node.id.startswith("ROUND_"):
            found.add(node.id)
    return found


def test_every_figure_is_rounded_by_the_one_rule() -> None:
    """No module rounds a figure its own way (there were four: care.rates.round_half_up and ratio_expr,
    report.format.half_up, run.tablefiles.format_value; and the published statistics' own two)."""
    elsewhere = {
        (path.relative_to(PIPELINE).as_posix(), call)
        for path in sorted(PIPELINE.rglob("*.py"))
        if path != Path(rounding.__file__) and path.parent.name != "sample"  # the generator makes data, not figures
        for call in rounding_calls(path)
    }
    assert elsewhere == set(NOT_THE_RULE)
