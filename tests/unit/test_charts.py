"""Charts: deterministic SVG in the Analysis Function palette, gaps and c for suppressed figures."""

from __future__ import annotations

import base64
import datetime as dt

from pipeline.report import charts

MONTH_ENDS = [dt.date(2019, 11, 30), dt.date(2019, 12, 31), dt.date(2020, 1, 31), dt.date(2020, 2, 29)]


def svg(drawing: charts.Drawing | str) -> str:
    """The SVG text of a data URI, or of the page drawing of a chart."""
    uri = drawing.page if isinstance(drawing, charts.Drawing) else drawing
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri[len(prefix) :]).decode("utf-8")


def test_the_same_figures_give_the_same_bytes_and_each_chart_its_own_ids() -> None:
    def draw(salt: str) -> charts.Drawing:
        return charts.line_chart(
            MONTH_ENDS,
            {"Looked after": [350, 348, 340, 336]},
            references={"England rate": 235},
            ylabel="Children",
            salt=salt,
        )

    assert draw("trend") == draw("trend")
    first, other = svg(draw("trend")), svg(draw("kinship"))
    assert first != other  # same drawing, ids salted by the chart's name
    assert "<dc:date>" not in first and "Matplotlib v" not in first  # no clock time, no creator stamp


def test_lines_and_references_use_the_analysis_function_palette() -> None:
    drawing = svg(
        charts.line_chart(
            MONTH_ENDS,
            {"Started": [10, 12, 9, 11], "Ceased": [8, 14, 10, 12]},
            references={"England rate": 9.5},
            ylabel="Children",
            salt="t",
        )
    )
    for colour in ("#12436d", "#28a197", "#801650"):  # dark blue, turquoise, dark pink
        assert f"stroke: {colour}" in drawing
    assert "stroke-dasharray" in drawing  # the second line and the reference are dashed, not colour alone


def test_a_suppressed_point_is_a_gap_and_a_suppressed_bar_is_labelled_c() -> None:
    with_gap = svg(charts.line_chart(MONTH_ENDS, {"Started": [10, None, 9, 11]}, ylabel="Children", salt="g"))
    without = svg(charts.line_chart(MONTH_ENDS, {"Started": [10, 8, 9, 11]}, ylabel="Children", salt="g"))
    # with a gap each point is marked, so a figure between two gaps still shows: 3 markers, not 4
    # (tick marks are drawn the same way in both)
    assert with_gap.count('<use xlink:href="#m') - without.count('<use xlink:href="#m') == 3
    bars = charts.bar_chart(["SGO", "Reunification", "CAO"], [9, None, 0], xlabel="Children", salt="b")
    plain = charts.bar_chart(["SGO", "Reunification", "CAO"], [9, 3, 0], xlabel="Children", salt="b")
    assert bars != plain


def test_date_ticks_are_few_enough_not_to_overlap() -> None:
    three_years = [dt.date(2017, 11, 30), dt.date(2020, 10, 31)]
    assert charts.month_starts(three_years, (1,)) == [dt.date(2018, 1, 1), dt.date(2019, 1, 1), dt.date(2020, 1, 1)]
    assert charts.month_starts([dt.date(2020, 2, 29), dt.date(2020, 10, 31)], (1, 4, 7, 10)) == [
        dt.date(2020, 4, 1), dt.date(2020, 7, 1), dt.date(2020, 10, 1),
    ]  # fmt: skip


def test_direct_labels_are_spread_apart_but_keep_their_order() -> None:
    # 296 and 300 are too close for two lines of text: the upper one moves up to the gap
    assert charts.spread_labels([300, 235, 296, 196], gap=20) == [316, 235, 296, 196]
    assert charts.spread_labels([10, 50], gap=5) == [10, 50]


def test_every_chart_is_also_drawn_for_a_phone_with_the_house_text_size() -> None:
    """On a 390 px phone the HTML shows the phone drawing at its own width (3.75 in, 360 px), so its
    9 pt text stays 12 px; the page drawing keeps the A4 text width."""
    line = charts.line_chart(MONTH_ENDS, {"Looked after": [350, 348, 340, 336]}, ylabel="Children", salt="t")
    bars = charts.bar_chart(["SGO", "CAO"], [9, 3], xlabel="Children", salt="b")
    for drawing in (line, bars):
        page, phone = svg(drawing.page), svg(drawing.phone)
        assert 'width="482.4pt"' in page and 'width="270pt"' in phone  # 6.7 in and 3.75 in
        assert "font-size: 9px" in phone and "font-size: 9px" in page  # 9 pt in a drawing measured in points


def test_a_small_count_steps_by_whole_numbers_on_the_page_and_the_phone() -> None:
    """Up to 17 children a month: the axis would step by 2.5, labelled 2, 5, 8 once rounded."""
    import re

    drawing = charts.line_chart(MONTH_ENDS, {"Started": [13, 9, 17, 5]}, ylabel="Children", salt="s")
    for uri in (drawing.page, drawing.phone):
        labels = [int(t) for t in re.findall(r"<text[^>]*>(\d+)</text>", svg(uri))]
        steps = {b - a for a, b in zip(labels, labels[1:], strict=False)}
        assert labels[0] == 0 and len(steps) == 1 and labels[-1] + steps.pop() > 17, labels
