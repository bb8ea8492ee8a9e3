"""Charts as SVG (matplotlib), deterministic and in the Analysis Function's palette.

Every chart comes back as an ``Chart``: the SVG as a data URI for an ``<img>`` (so the
tagged PDF gives it alternative text), the alternative text itself, and a table of the
figures drawn, for readers who cannot see the chart.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# Government Analysis Function categorical palette (colour-blind safe, in this order).
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
INK = "#0B0C0C"
GRID = "#B1B4B6"

STYLE: dict[str, Any] = {
    "svg.hashsalt": "lac-report",  # fixed ids: the same figures give the same bytes
    "svg.fonttype": "path",  # glyphs as outlines: no dependence on fonts at render time
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#E5E6E7",
    "legend.frameon": False,
}


@dataclass(frozen=True)
class Chart:
    title: str
    data_uri: str
    alt: str
    table_head: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]


def svg_data_uri(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")


def line_chart(
    days: list[dt.date],
    series: dict[str, list[float]],
    *,
    references: dict[str, float] | None = None,
    ylabel: str,
) -> str:
    """Lines over time, with optional dashed reference levels (e.g. comparator implied counts)."""
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(6.6, 3.0), dpi=100)
        for colour, (label, values) in zip(PALETTE, series.items(), strict=False):
            axes.plot(
                days,
                values,
                color=colour,
                linewidth=2,
                label=label,
            )
        for colour, (label, level) in zip(PALETTE[2:], (references or {}).items(), strict=False):
            axes.axhline(level, color=colour, linewidth=1.2, linestyle=(0, (4, 3)), label=label)
        axes.set_ylabel(ylabel)
        axes.set_ylim(bottom=0)
        axes.legend(loc="lower left", ncols=2, fontsize=8)
        figure.autofmt_xdate(rotation=0, ha="center")
        return svg_data_uri(figure)


def bar_chart(labels: list[str], series: dict[str, list[float]], *, ylabel: str, horizontal: bool = False) -> str:
    """Grouped bars, one colour per series."""
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(6.6, 3.0), dpi=100)
        width = 0.8 / max(len(series), 1)
        positions = list(range(len(labels)))
        for index, (colour, (label, values)) in enumerate(zip(PALETTE, series.items(), strict=False)):
            shifted = [p + (index - (len(series) - 1) / 2) * width for p in positions]
            if horizontal:
                axes.barh(shifted, values, height=width, color=colour, label=label)
            else:
                axes.bar(shifted, values, width=width, color=colour, label=label)
        if horizontal:
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.set_xlabel(ylabel)
            axes.grid(axis="x")
            axes.grid(axis="y", visible=False)
        else:
            axes.set_xticks(positions, labels)
            axes.set_ylabel(ylabel)
        if len(series) > 1:
            axes.legend(fontsize=8)
        return svg_data_uri(figure)
