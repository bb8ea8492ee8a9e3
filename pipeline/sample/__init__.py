"""Deterministic synthetic Mosaic-style SSDA903 extracts for a fictional council.

``generate`` writes a complete extract folder (``header.csv``, ``episodes.csv``,
``echo.csv``, ``legal.csv``, ``flags.csv``, ``factors.csv``) in the input contract's
format, with the matching ``config/council.toml`` and a ``README.md`` saying the data is
made up. The same (seed, children, extract date) always gives the same bytes. The default
size resembles the order of magnitude of a shire county in 2020 (about 330 children in
care, 100 starting and 100 ceasing a year); ``children=600000`` makes a national-scale
extract for benchmarks.

How it is made: :mod:`~pipeline.sample.cohort` plans who comes into care and how each
period of care ends; :mod:`~pipeline.sample.care` turns a period into placements and
episodes; :mod:`~pipeline.sample.echo`, :mod:`~pipeline.sample.legal`,
:mod:`~pipeline.sample.flags` and :mod:`~pipeline.sample.factors` derive the service
files from those children; :mod:`~pipeline.sample.build` writes everything.

A side package: it may import only ``pipeline.core``, and only ``pipeline.cli`` imports it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from pipeline.core.dates import collection_year_label
from pipeline.sample.build import SampleSummary, write_sample
from pipeline.sample.returns import LAYOUTS, write_returns

__all__ = ["LAYOUTS", "SampleSummary", "generate"]
SINGLE = "single"


def generate(
    out: Path,
    *,
    seed: int = 2020,
    children: int = 1300,
    extract_date: dt.date = dt.date(2020, 11, 2),  # noqa: B008 - an immutable default
    layout: str = SINGLE,
    uasc: bool = False,
) -> SampleSummary:
    """Write a synthetic extract folder into ``out`` (created if needed) and summarise it.

    ``children`` is the number of children in ``header.csv`` (everyone looked after at some
    time in the ten years to ``extract_date``), to within a few per cent. No date in any file
    is after ``extract_date``. ``layout`` other than ``single`` writes the same history as annual
    SSDA903 returns and a year-to-date extract (``pipeline.sample.returns``); ``uasc`` adds the
    UASC table (``uasc.csv``, or in the returns).
    """
    summary = write_sample(Path(out), seed=seed, children=children, extract_date=extract_date, uasc=uasc)
    if layout == SINGLE:
        return summary
    years = write_returns(Path(out), layout, extract_date)
    laid_out = (
        f"written as {len(years)} annual returns ({collection_year_label(years[0])} to"
        f" {collection_year_label(years[-1])}, {layout}) and a year-to-date extract"
    )
    return dataclasses.replace(summary, layout=laid_out)
