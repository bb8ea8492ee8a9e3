"""One timed step of the benchmark, run in its own process so its peak memory can be read.

Usage: python benchmarks/step.py STEP EXTRACTS AS_AT OUT
Prints one JSON line: {"seconds": ..., "figures": {...}} (figures only for run and pandas).
Imports happen before the clock starts: the steps are timed, not the interpreter.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas_core  # noqa: E402

from pipeline.read.schema import FILES, Kind  # noqa: E402
from pipeline.run import runner  # noqa: E402


def parse_floor(extracts: Path) -> dict[str, int]:
    """The floor: a bare Polars read of every extract file validation reads, with typed dates, nothing checked."""
    rows = {}
    for spec in FILES:
        dates = [c.name for c in spec.columns if c.kind is Kind.DATE]
        frame = (
            pl.scan_csv(extracts / spec.name, infer_schema=False)
            .with_columns(pl.col(c).str.to_date("%d/%m/%Y", strict=False) for c in dates)
            .collect()
        )
        rows[spec.name] = frame.height
    return rows


def figures_from_tables(folder: Path) -> dict[str, int]:
    """The run's figures keyed like pandas_core.core_measures."""
    figures: dict[str, int] = {}
    trend = pl.read_csv(folder / "tables" / "trend.csv", infer_schema=False)
    for day, value in (
        trend.filter((pl.col("measure") == "cla_count") & (pl.col("group") == "all"))
        .select("period_end", "value")
        .iter_rows()
    ):
        figures[f"trend/cla_count/all/{day}"] = int(value)
    headline = pl.read_csv(folder / "tables" / "headline.csv", infer_schema=False)
    for day, value in headline.filter(pl.col("measure") == "cla_count").select("period_end", "value").iter_rows():
        figures[f"trend/cla_count/all/{day}"] = int(value)
    for table, measures in (("flows", ("started", "ceased")), ("discharges", ("care_orders_discharged",))):
        frame = pl.read_csv(folder / "tables" / f"{table}.csv", infer_schema=False)
        for measure, group, value in (
            frame.filter(pl.col("measure").is_in(measures)).select("measure", "group", "value").iter_rows()
        ):
            figures[f"{table}/{measure}/{group}"] = int(value)
    return figures


def main() -> None:
    # The extract's warnings are not the benchmark's output.
    logging.getLogger("lac_report").addHandler(logging.NullHandler())
    logging.getLogger("lac_report").propagate = False
    step, extracts, as_at, out = sys.argv[1], Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[3]), Path(sys.argv[4])
    request = runner.Request(extracts=extracts, as_at=as_at, config=extracts / "config", today=dt.date.today(), out=out)
    started = time.perf_counter()
    figures: dict[str, int] = {}
    if step == "parse":
        parse_floor(extracts)
    elif step == "validate":
        runner.validate(request)
    elif step == "run":
        finished = runner.run(request)
        elapsed = time.perf_counter() - started
        print(json.dumps({"seconds": elapsed, "figures": figures_from_tables(finished.folder)}))
        return
    elif step == "pandas":
        figures = pandas_core.core_measures(extracts, as_at)
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps({"seconds": time.perf_counter() - started, "figures": figures}))


if __name__ == "__main__":
    main()
