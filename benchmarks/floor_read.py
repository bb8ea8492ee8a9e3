"""A floor of ``make bench``: the extract files read by Polars as a bare script would read them.

``python benchmarks/floor_read.py EXTRACTS``: every file of the contract in EXTRACTS read as text,
its dates typed, nothing checked, nothing kept. What any reading of the files has to cost; lac-report
also checks every byte, cell and rule, and says where each problem is.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from pipeline.read.schema import FILES, Kind


def read(extracts: Path) -> dict[str, int]:
    rows = {}
    for spec in FILES:
        if not (extracts / spec.name).is_file():
            continue
        scan = pl.scan_csv(extracts / spec.name, infer_schema=False)
        present = set(scan.collect_schema().names())  # a file may lack an optional column
        dates = [c.name for c in spec.columns if c.kind is Kind.DATE and c.name in present]
        frame = scan.with_columns(pl.col(c).str.to_date("%d/%m/%Y", strict=False) for c in dates).collect()
        rows[spec.name] = frame.height
    return rows


if __name__ == "__main__":
    print(read(Path(sys.argv[1])))
