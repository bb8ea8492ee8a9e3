"""Charts as SVG (matplotlib), deterministic and in the Analysis Function's palette.

Every chart comes back as a ``Chart``: the SVG as data URIs for an ``<img>`` (so the tagged
PDF gives it alternative text), drawn twice, for the A4 page and for a phone (whose screen would
otherwise shrink the text to 7 px); the alternative text itself; and a table of the figures
drawn, for readers who cannot see the chart. Lines and bars are labelled directly rather than
through a legend (on a phone, a line's label stands below the plot beside a sample of the line),
and reference lines are dashed, so no chart relies on colour alone.

A figure that the public edition suppresses is passed as ``None``: a line has a gap there, a
bar is not drawn and is labelled ``c``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# Government Analysis Function categorical palette (colour-blind safe), in its order of use.
DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE = (
    "#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1",
)  # fmt: skip
PALETTE = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)
SERIES_STYLES = ("solid", (0, (3, 1.2)), (0, (1, 1)))  # a second line is dashed: colour is never the only cue
REFERENCE_COLOURS = (DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)
REFERENCE_DASHES = ((0, (5, 3)), (0, (2, 2)), (0, (8, 2, 2, 2)), (0, (1, 3)))
INK = "#0B0C0C"
AXIS = "#505A5F"
GRID = "#E5E6E7"
WIDTH_INCHES = 6.7  # the text width of an A4 page with the report's margins
# The HTML report on a phone (390 px wide, about 365 px of text width) shows a drawing this wide at
# its own size, so the house 9 pt text stays 12 px: the A4 drawing would shrink it to 7 px.
PHONE_WIDTH_INCHES = 3.75

STYLE: dict[str, Any] = {
    "text.parse_math": False,  # labels come from config text: "$...$" is text, never mathematics
    # Text as text, drawn by WeasyPrint in the report's own DejaVu Sans (templates/static/fonts):
    # the same face as the page, selectable, and a quarter of the PDF's render time saved over
    # drawing every glyph as an outline.
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": AXIS,
    "axes.labelcolor": INK,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,  # grid lines behind bars and lines
    "grid.color": GRID,
    "legend.frameon": False,
}


@dataclass(frozen=True)
class Drawing:
    """One chart drawn twice, as SVG data URIs: for the A4 page (and desktop screens) and for a phone."""

    page: str
    phone: str


@dataclass(frozen=True)
class Chart:
    """A chart ready for the template: ``table_rows`` are the figures drawn, already formatted."""

    title: str
    drawing: Drawing
    alt: str
    table_head: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    table_caption: str = ""
    row_headers: int = 1  # leading cells of each row that label it (th scope=row)


def svg_data_uri(figure: Figure) -> str:
    """The figure at its set size (so its text prints at the house font size), as a data URI."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")


def _style(salt: str) -> dict[str, Any]:
    """The house style, with SVG ids salted by the chart's own name: fixed, and unique per chart."""
    return {**STYLE, "svg.hashsalt": f"lac-report-{salt}"}


def spread_labels(levels: Sequence[float], gap: float) -> list[float]:
    """Label heights near ``levels`` (same order) at least ``gap`` apart, so direct labels never overlap."""
    order = sorted(range(len(levels)), key=lambda i: levels[i])
    placed: dict[int, float] = {}
    previous: float | None = None
    for index in order:
        y = levels[index] if previous is None else max(levels[index], previous + gap)
        placed[index] = previous = y
    return [placed[i] for i in range(len(levels))]


def _last_drawn(values: Sequence[float | None]) -> tuple[int, float] | None:
    for index in range(len(values) - 1, -1, -1):
        value = values[index]
        if value is not None:
            return index, value
    return None


def month_starts(days: Sequence[dt.date], months: tuple[int, ...]) -> list[dt.date]:
    """The first day of each of ``months`` within the range of ``days``."""
    first, last = days[0], days[-1]
    return [
        dt.date(year, month, 1)
        for year in range(first.year, last.year + 1)
        for month in months
        if first <= dt.date(year, month, 1) <= last
    ]


def _date_axis(axes: Axes, days: Sequence[dt.date], *, narrow: bool = False) -> None:
    """Labelled ticks each January (each quarter for a short range), unlabelled ones between:
    few enough labels that they never overlap, however narrow the plot. A phone drawing names
    the year alone, or labels a short range each half year."""
    long_range = len(days) > 18
    labelled = month_starts(days, (1,) if long_range else ((1, 7) if narrow else (1, 4, 7, 10)))
    shown = "%Y" if narrow and long_range else "%b %Y"
    axes.set_xticks(labelled, [f"{d:{shown}}" for d in labelled])
    axes.set_xticks(month_starts(days, (4, 7, 10) if long_range else tuple(range(1, 13))), minor=True)
    axes.spines["bottom"].set_bounds(mdates.date2num(days[0]), mdates.date2num(days[-1]))


def line_chart(
    days: Sequence[dt.date],
    series: dict[str, Sequence[float | None]],
    *,
    references: dict[str, float] | None = None,
    ylabel: str,
    salt: str,
) -> Drawing:
    """Lines over time, each labelled at its end, with optional dashed reference levels (e.g.
    the numbers at comparator rates), also labelled; for the page and for a phone."""
    levels = references or {}
    return Drawing(
        _lines(days, series, levels, ylabel, WIDTH_INCHES, salt),
        _lines(days, series, levels, ylabel, PHONE_WIDTH_INCHES, f"{salt}-phone"),
    )


def _lines(
    days: Sequence[dt.date],
    series: dict[str, Sequence[float | None]],
    references: dict[str, float],
    ylabel: str,
    width: float,
    salt: str,
) -> str:
    """The line chart ``width`` inches wide. On the page each line is labelled at its end, in a
    margin to the right of the last day inside the plot; a phone drawing has no room for that
    margin, so the same labels stand below the plot beside a sample of each line."""
    narrow = width < WIDTH_INCHES
    with rc_context(_style(salt)):
        rows = len(series) + len(references)
        height = 2.4 + 0.22 * rows if narrow else 2.9
        figure = Figure(figsize=(width, height), dpi=100, layout="constrained")  # no pyplot: no global state
        axes = figure.subplots()
        labels: list[tuple[str, float, str]] = []
        handles = []
        for colour, style, (name, values) in zip(PALETTE, SERIES_STYLES, series.items(), strict=False):
            drawn = [float("nan") if v is None else v for v in values]
            # with gaps (suppressed figures), markers keep a figure between two gaps visible
            marker = "o" if None in values else None
            (line,) = axes.plot(
                list(days), drawn, color=colour, linewidth=2.2, linestyle=style, marker=marker, markersize=3.5
            )
            last = _last_drawn(values)
            if last is not None:
                labels.append((f"{name}: {last[1]:,.0f}", last[1], colour))
                handles.append(line)
        end = days[-1]
        for (name, level), colour, dash in zip(references.items(), REFERENCE_COLOURS, REFERENCE_DASHES, strict=False):
            (line,) = axes.plot([days[0], end], [level, level], color=colour, linewidth=1.4, linestyle=dash)
            labels.append((f"{name}: {level:,.0f}", level, colour))
            handles.append(line)
        top = max([v for values in series.values() for v in values if v is not None] + list(references.values()) + [1])
        axes.set_ylim(0, top * 1.12)
        if narrow:
            figure.legend(handles, [text for text, _, _ in labels], loc="outside lower left", handlelength=3.2)
            axes.set_xlim(days[0] - (end - days[0]) * 0.01, end + (end - days[0]) * 0.01)
        else:
            _label_ends(axes, days, labels, top)
        _date_axis(axes, days, narrow=narrow)
        axes.set_ylabel(ylabel)
        axes.yaxis.set_major_formatter(mticker.StrMethodFormatter("{x:,.0f}"))
        if narrow or top <= 30:  # a short plot or a small range would step by 2.5, shown rounded as 2, 5, 8
            axes.yaxis.set_major_locator(mticker.MaxNLocator(nbins=5, integer=True))
        return svg_data_uri(figure)


def _label_ends(axes: Axes, days: Sequence[dt.date], labels: list[tuple[str, float, str]], top: float) -> None:
    """Each line's label at its end, in a margin to the right of the last day, never overlapping."""
    end = days[-1]
    heights = spread_labels([y for _, y, _ in labels], gap=top * 1.12 * 0.08)
    span = (end - days[0]).days
    for (text, _, colour), y in zip(labels, heights, strict=True):
        axes.annotate(text, xy=(end + dt.timedelta(days=span * 0.02), y), va="center", color=colour, fontweight="bold")
    longest = max((len(text) for text, _, _ in labels), default=0)
    # room on the right for the longest label, as a share of the plotted span (about 0.9% a character)
    axes.set_xlim(days[0] - dt.timedelta(days=span * 0.01), end + dt.timedelta(days=span * (0.04 + 0.0105 * longest)))


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    xlabel: str,
    salt: str,
    colours: Sequence[str] | None = None,
    money: bool = False,
) -> Drawing:
    """Horizontal bars, first label at the top, each bar labelled with its figure (``c`` when suppressed);
    for the page and for a phone."""
    shades = list(colours or [DARK_BLUE] * len(labels))
    return Drawing(
        _bars(labels, values, xlabel, shades, money, WIDTH_INCHES, salt),
        _bars(labels, values, xlabel, shades, money, PHONE_WIDTH_INCHES, f"{salt}-phone"),
    )


def _bars(
    labels: Sequence[str],
    values: Sequence[float | None],
    xlabel: str,
    colours: Sequence[str],
    money: bool,
    width: float,
    salt: str,
) -> str:
    with rc_context(_style(salt)):
        height = 0.55 + 0.32 * len(labels)
        figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
        axes = figure.subplots()
        positions = list(range(len(labels)))
        drawn = [0.0 if v is None else v for v in values]
        axes.barh(positions, drawn, height=0.65, color=list(colours))
        top = max(drawn + [1.0])
        for position, value in zip(positions, values, strict=True):
            text = "c" if value is None else (f"£{value:,.0f}" if money else f"{value:,.0f}")
            axes.annotate(
                text,
                xy=(0 if value is None else value, position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                color=INK,
            )
        axes.set_yticks(positions, list(labels))
        axes.tick_params(axis="y", length=0)
        axes.invert_yaxis()
        axes.set_xlim(0, top * 1.15)
        axes.set_xlabel(xlabel)
        axes.grid(axis="x", visible=True)
        axes.grid(axis="y", visible=False)
        axes.spines["left"].set_visible(False)
        formatter = "£{x:,.0f}" if money else "{x:,.0f}"
        axes.xaxis.set_major_formatter(mticker.StrMethodFormatter(formatter))
        # fewer ticks on a phone, where long labels leave the bars a narrow strip
        axes.xaxis.set_major_locator(mticker.MaxNLocator(nbins=3 if width < WIDTH_INCHES else 6, integer=True))
        return svg_data_uri(figure)
