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

import datetime as dt
from pathlib import Path

from pipeline.sample.build import SampleSummary, write_sample

__all__ = ["SampleSummary", "generate"]


def generate(
    out: Path,
    *,
    seed: int = 2020,
    children: int = 1300,
    extract_date: dt.date = dt.date(2020, 11, 2),  # noqa: B008 - an immutable default
) -> SampleSummary:
    """Write a synthetic extract folder into ``out`` (created if needed) and summarise it.

    ``children`` is the number of children in ``header.csv`` (everyone looked after at some
    time in the ten years to ``extract_date``), to within a few per cent. No date in any file
    is after ``extract_date``.
    """
    return write_sample(Path(out), seed=seed, children=children, extract_date=extract_date)
