"""`make bench`: lac-report at national scale, side by side with the parse floor and pandas.

Generates a national-scale synthetic extract (and one a quarter of its size) with the
sample generator, then times, each several times in its own process: (a) a bare Polars
parse of the same CSVs with typed dates, (b) validation, (c) the whole run (every table and
the PDF), (d) the core measures in plain pandas; checks (c) and (d) agree; times one
council's monthly run end to end; and writes benchmarks/results.md with the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PYTHON = sys.executable
LAC_REPORT = str(Path(PYTHON).with_name("lac-report"))
AS_AT = "2020-10-31"
STEPS = ("parse", "validate", "run", "pandas")


@dataclass
class Timing:
    step: str
    seconds: list[float]
    peak_mb: float
    figures: dict[str, int]

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def generate(children: int) -> Path:
    """The synthetic extract for ``children`` (cached: the generator is deterministic)."""
    folder = DATA / f"children-{children}"
    if not (folder / "episodes.csv").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([LAC_REPORT, "sample", "--out", str(folder), "--children", str(children)], check=True)
        print(f"generated {children:,} children in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def timed_step(step: str, extracts: Path, repeats: int) -> Timing:
    seconds, peaks, figures = [], [], {}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as out:
            process = subprocess.Popen(
                [PYTHON, str(HERE / "step.py"), step, str(extracts), AS_AT, out], stdout=subprocess.PIPE, cwd=ROOT
            )
            assert process.stdout is not None
            output = process.stdout.read()
            _, status, usage = os.wait4(process.pid, 0)
            if status != 0:
                raise SystemExit(f"step {step} failed on {extracts}")
            result = json.loads(output.decode().strip().splitlines()[-1])
            seconds.append(result["seconds"])
            peaks.append(usage.ru_maxrss / 1024)
            figures = result["figures"]
    return Timing(step, seconds, max(peaks), figures)


def council_run_seconds(repeats: int) -> list[float]:
    """One council's monthly run, end to end from the shell (interpreter start-up included)."""
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            subprocess.run(
                [LAC_REPORT, "run", "--extracts", "samples", "--config", "config", "--as-at", AS_AT, "--out", out],
                check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            times.append(time.perf_counter() - started)
    return times


def line_count(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def input_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    import pandas
    import polars

    return (
        f"{cpu}, {os.cpu_count()} cores, {int(memory) / 1e6:.0f} GB memory; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, polars {polars.__version__}, pandas {pandas.__version__}"
    )


def report(sizes: dict[int, dict[str, Timing]], folders: dict[int, Path], council: list[float], repeats: int) -> str:
    full, quarter = max(sizes), min(sizes)
    t, q = sizes[full], sizes[quarter]
    rows = []
    for children, timings in sorted(sizes.items(), reverse=True):
        for step in STEPS:
            timing = timings[step]
            rows.append(f"| {children:,} | {step} | {timing.best:.2f} | {timing.median:.2f} | {timing.peak_mb:,.0f} |")
    agree = t["run"].figures == t["pandas"].figures and q["run"].figures == q["pandas"].figures
    targets = [
        ("whole run <= 0.5 x pandas core measures", t["run"].best / t["pandas"].best, 0.5),
        ("validation <= 2.5 x parse floor", t["validate"].best / t["parse"].best, 2.5),
        ("run time growth for 4 x the data <= 4.4 x (linear)", t["run"].best / q["run"].best, 4.4),
        ("peak memory of the run <= 4 x input size", t["run"].peak_mb / input_mb(folders[full]), 4.0),
        ("one council's monthly run end to end <= 3 s", min(council), 3.0),
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        "",
        f"Generated by `make bench` (`benchmarks/run.py`): national-scale synthetic extracts from `lac-report sample"
        f" --children N`, as-at {AS_AT}; each step in its own process, {repeats} runs, imports excluded from the"
        " timings, peak memory is the process's maximum resident set.",
        "",
        "| extract | children | episodes | input size |",
        "| --- | --- | --- | --- |",
        *(
            f"| children-{n} | {n:,} | {line_count(folders[n] / 'episodes.csv') - 1:,} |"
            f" {input_mb(folders[n]):,.0f} MB |"
            for n in sorted(folders, reverse=True)
        ),
        "",
        "| children | step | best (s) | median (s) | peak memory (MB) |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
        "Steps: `parse` a bare Polars read of the six extract files with typed dates (the floor); `validate`"
        " `lac-report validate` (every file read, parsed and checked); `run` `lac-report run` (every table, the"
        " charts and the PDF); `pandas` the core measures in plain pandas (`benchmarks/pandas_core.py`).",
        "",
        f"The run and the pandas baseline give the same figures (headline, 36-month trend, starters, ceased by route,"
        f" care orders discharged): **{'yes' if agree else 'NO'}**.",
        "",
        f"One council's monthly run from the shell (samples/, interpreter start-up included), {len(council)} runs:"
        f" best {min(council):.2f} s, median {statistics.median(council):.2f} s.",
        "",
        "| target | measured | limit | met |",
        "| --- | --- | --- | --- |",
        *(
            f"| {name} | {value:.2f} | {limit} | {'yes' if value <= limit else 'NO'} |"
            for name, value, limit in targets
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=600_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sizes, folders = {}, {}
    for children in (args.children, args.children // 4):
        folders[children] = generate(children)
        sizes[children] = {}
        for step in STEPS:
            sizes[children][step] = timed_step(step, folders[children], args.repeats)
            print(f"{children:,} {step}: best {sizes[children][step].best:.2f} s", flush=True)
    council = council_run_seconds(args.repeats)
    text = report(sizes, folders, council, args.repeats)
    (HERE / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
