"""`make bench`: every step of lac-report timed as a whole process, the way users meet it.

Each command is run from the shell, start-up and imports included, several times: the best and
the median time, and the peak memory of the process (its maximum resident set, from
``os.wait4``). Beside them the floors it is judged against, each a process too: Python importing
Polars, a bare Polars typed read of the same files (``floor_read.py``), a bare WeasyPrint render of
the run's own report.html (``floor_render.py``) and the core measures in pandas
(``pandas_core.py``). The extracts: one council (samples/), a national-scale synthetic one (all six
files, and header and episodes alone), a quarter of it (is the cost linear?) and a messy variant
of it (``tests.messy``: warnings and errors). They are generated once and cached in
benchmarks/data/ (git ignores it). Writes benchmarks/results.md with the targets.
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
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PYTHON = sys.executable
LAC_REPORT = str(Path(PYTHON).with_name("lac-report"))
AS_AT = "2020-10-31"
CONTRACT = ("header.csv", "episodes.csv", "echo.csv", "legal.csv", "flags.csv", "factors.csv")
OUT = "{out}"  # replaced in a command by a fresh output folder for each run of it

sys.path.insert(0, str(ROOT))


@dataclass
class Step:
    """One command, timed as a process: what it is, what it reads (for the memory ratio)."""

    name: str
    argv: list[str]
    reads: list[Path]
    repeats: int
    status: int = 0  # the exit status it should end with (3 for the messy extract)
    env: dict[str, str] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    peaks_mb: list[float] = field(default_factory=list)
    kept: Path | None = None  # the output folder of its last run

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks_mb)

    @property
    def input_mb(self) -> float:
        return sum(size(p) for p in self.reads) / 1e6


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def measure(step: Step) -> Step:
    """Run ``step`` its number of times, each in a fresh output folder; keep the last one's."""
    outs = DATA / "out" / step.name.replace(" ", "-").replace("/", "-")
    for _ in range(step.repeats):
        shutil.rmtree(outs, ignore_errors=True)
        outs.mkdir(parents=True)
        argv = [a.replace(OUT, str(outs)) for a in step.argv]
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=ROOT, env={**os.environ, **step.env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        step.seconds.append(time.perf_counter() - started)
        step.peaks_mb.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != step.status:
            raise SystemExit(f"{step.name}: exit {os.waitstatus_to_exitcode(status)}, not {step.status}: {argv}")
    step.kept = outs
    print(f"{step.name}: best {step.best:.2f} s, median {step.median:.2f} s, peak {step.peak_mb:,.0f} MB", flush=True)
    return step


# ---- the extracts ---------------------------------------------------------------------------------


def national(children: int) -> Path:
    """The synthetic extract of ``children`` (all six files and its config), generated once."""
    folder = DATA / f"children-{children}"
    if not (folder / "factors.csv").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        _generating(folder, [LAC_REPORT, "sample", "--out", str(folder), "--children", str(children)])
    return folder


def core(folder: Path) -> Path:
    """``folder``'s header.csv and episodes.csv alone (linked, not copied), with its extract.toml."""
    alone = folder.with_name(f"{folder.name}-core")
    if not (alone / "episodes.csv").is_file():
        alone.mkdir(parents=True, exist_ok=True)
        for name in ("header.csv", "episodes.csv", "extract.toml"):
            os.link(folder / name, alone / name)
    return alone


def messy(folder: Path) -> Path:
    """``folder`` made messy by ``tests.messy`` (every file's cells, episodes listed twice and overlapping)."""
    out = folder.with_name(f"{folder.name}-messy")
    if not (out / "episodes.csv").is_file():
        code = f"from pathlib import Path; from tests.messy import write_messy; write_messy(Path({str(out)!r}), "
        code += f"unreadable=True, untidy=True, samples=Path({str(folder)!r}))"
        _generating(out, [PYTHON, "-c", code])
    return out


def _generating(folder: Path, argv: list[str]) -> None:
    started = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"generated {folder.name} in {time.perf_counter() - started:.0f} s", flush=True)


def extract_files(folder: Path) -> list[Path]:
    return [folder / name for name in CONTRACT if (folder / name).is_file()]


def command_reads(extracts: Path, config: Path) -> list[Path]:
    """What validate and run read: the contract's files, the extract's date and the config folder."""
    dated = [extracts / "extract.toml"] if (extracts / "extract.toml").is_file() else []
    return [*extract_files(extracts), *dated, config]


# ---- the steps ------------------------------------------------------------------------------------


def lac(command: str, extracts: Path, config: Path, *extra: str) -> list[str]:
    return [LAC_REPORT, command, "--extracts", str(extracts), "--config", str(config), "--as-at", AS_AT, *extra]


def read_floor(label: str, extracts: Path, repeats: int) -> Step:
    argv = [PYTHON, str(HERE / "floor_read.py"), str(extracts)]
    return Step(f"{label} read floor", argv, extract_files(extracts), repeats)


def extract_steps(label: str, extracts: Path, config: Path, repeats: int) -> list[Step]:
    reads = command_reads(extracts, config)
    return [
        read_floor(label, extracts, repeats),
        Step(f"{label} validate", lac("validate", extracts, config), reads, repeats),
        Step(f"{label} run", lac("run", extracts, config, "--out", OUT), reads, repeats),
    ]


def render_floor(label: str, run: Step, repeats: int) -> Step:
    assert run.kept is not None
    html = run.kept / AS_AT / "report.html"
    return Step(f"{label} render floor", [PYTHON, str(HERE / "floor_render.py"), str(html)], [html], repeats)


def pandas_step(label: str, extracts: Path, repeats: int) -> Step:
    argv = [PYTHON, str(HERE / "pandas_core.py"), str(extracts), AS_AT]
    return Step(f"{label} pandas", argv, [extracts / "episodes.csv"], repeats)


def pandas_figures(extracts: Path) -> dict[str, int]:
    done = subprocess.run(
        [PYTHON, str(HERE / "pandas_core.py"), str(extracts), AS_AT], check=True, capture_output=True, text=True
    )
    figures: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run_figures(folder: Path) -> dict[str, int]:
    """The run's figures keyed like ``pandas_core.core_measures``."""
    import polars as pl

    tables = folder / AS_AT / "tables"
    figures: dict[str, int] = {}
    trend = pl.read_csv(tables / "trend.csv", infer_schema=False)
    headline = pl.read_csv(tables / "headline.csv", infer_schema=False)
    for frame in (trend.filter(pl.col("group") == "all"), headline):
        for day, value in frame.filter(pl.col("measure") == "cla_count").select("period_end", "value").iter_rows():
            figures[f"trend/cla_count/all/{day}"] = int(value)
    for table, measures in (("flows", ("started", "ceased")), ("discharges", ("care_orders_discharged",))):
        frame = pl.read_csv(tables / f"{table}.csv", infer_schema=False).filter(pl.col("measure").is_in(measures))
        for measure, group, value in frame.select("measure", "group", "value").iter_rows():
            figures[f"{table}/{measure}/{group}"] = int(value)
    return figures


# ---- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    limit: float
    unit: str = "x"

    def row(self) -> str:
        met = "yes" if self.value <= self.limit else f"NO ({self.value / self.limit:.1f} x the limit)"
        return f"| {self.name} | {self.value:.2f} | {self.limit:g} | {met} |"


def targets(s: dict[str, Step]) -> list[Target]:
    polars = s["import polars"].best
    found = [
        Target("`--help` / import-polars process", s["--help"].best / polars, 1.5),
        Target("one council's `validate` / import-polars process", s["council validate"].best / polars, 2),
        Target(
            "one council's `run` / (bare render of its report + import-polars process)",
            s["council run"].best / (s["council render floor"].best + polars),
            1.25,
        ),
    ]
    for label in ("national", "national core", "quarter"):
        found.append(
            Target(
                f"{label} `validate` / bare typed read of its files",
                s[f"{label} validate"].best / s[f"{label} read floor"].best,
                2.5,
            )
        )
    found += [
        Target("national core `run` / pandas process", s["national core run"].best / s["national pandas"].best, 0.5),
        Target("national `run` / pandas process", s["national run"].best / s["national pandas"].best, 0.5),
    ]
    for name in ("national validate", "national run", "national core validate", "national core run"):
        found.append(Target(f"{name}: peak memory / input", s[name].peak_mb / s[name].input_mb, 4))
    for command in ("validate", "run"):
        full, quarter = s[f"national {command}"], s[f"quarter {command}"]
        linear = f"`{command}`: time for 4 x the data (linear: 4, 10% allowed)"
        found.append(Target(linear, full.best / quarter.best, 4.4))
        found.append(Target(f"`{command}`: memory for 4 x the data", full.peak_mb / quarter.peak_mb, 4.4))
    return found


def machine() -> str:
    from importlib import metadata

    cpus = [line for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line]
    cpu = cpus[0].split(":", 1)[1].strip() if cpus else platform.processor()
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    libraries = ("polars", "weasyprint", "matplotlib", "pandas", "typer")
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in libraries)
    return (
        f"{cpu}, {os.cpu_count()} cores, {int(memory) / 1e6:.0f} GB memory; {platform.system()} {platform.release()};"
        f" Python {platform.python_version()}, {versions}"
    )


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def results(steps: dict[str, Step], folders: dict[str, Path], agree: bool, loads: tuple[str, str], took: float) -> str:
    rows = [
        f"| {s.name} | {len(s.seconds)} | {s.best:.2f} | {s.median:.2f} | {s.peak_mb:,.0f} |"
        + (f" {s.input_mb:,.1f} | {s.peak_mb / s.input_mb:.1f} |" if s.reads else " | |")
        for s in steps.values()
    ]
    extracts = []
    for label, folder in folders.items():
        files = extract_files(folder)
        megabytes = sum(size(p) for p in files) / 1e6
        names = ", ".join(p.name for p in files)
        extracts.append(f"| {label} | `{folder.relative_to(ROOT)}` | {names} | {megabytes:,.0f} MB |")
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"Machine: {machine()}.",
            "",
            f"Generated by `make bench` (`benchmarks/run.py`) in {took / 60:.1f} minutes; load average (1, 5, 15"
            f" minutes) {loads[0]} at the start and {loads[1]} at the end. Every step is a whole process started"
            " from the shell (interpreter start-up and imports included); best and median of its runs, and the"
            " peak memory (maximum resident set) of the process. Input: the files the step reads (the extract"
            " files, extract.toml and the config folder; the floors and pandas their own files).",
            "",
            "| extract | folder | files | size |",
            "| --- | --- | --- | --- |",
            *extracts,
            "",
            "| step | runs | best (s) | median (s) | peak memory (MB) | input (MB) | memory / input |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            'Floors: `import polars` is `python -c "import polars"`; `read floor` a bare Polars typed read of the'
            " same extract files (`floor_read.py`); `render floor` a bare WeasyPrint render of the run's own"
            " report.html with the options of `pipeline/report/pdf.py` (`floor_render.py`); `pandas` the core"
            " measures in plain pandas from episodes.csv (`pandas_core.py`). `core`: header.csv and episodes.csv"
            " alone; `quarter`: a quarter of the children; `messy`: `tests.messy` on the national extract (exit 3).",
            "",
            "The national run and the pandas baseline give the same figures (the headline, the 36-month trend,"
            f" starters, ceased by route, care orders discharged): **{'yes' if agree else 'NO'}**.",
            "",
            "| target | measured | limit | met |",
            "| --- | --- | --- | --- |",
            *(t.row() for t in targets(steps)),
            "",
        ]
    )


def extracts(children: int) -> dict[str, Path]:
    full = national(children)
    return {
        "council": ROOT / "samples",
        "national": full,
        "national core": core(full),
        "quarter": national(children // 4),
        "national messy": messy(full),
    }


def config_of(label: str, folders: dict[str, Path]) -> Path:
    """The sample council's config/, or the generated extract's own (the messy and core ones share the national's)."""
    if label == "council":
        return ROOT / "config"
    return folders["quarter" if label == "quarter" else "national"] / "config"


def first_steps(folders: dict[str, Path], repeats: int, small: int) -> list[Step]:
    """The steps that need nothing but the extracts: start-up, then read, validate and run of each."""
    help_argv = [LAC_REPORT, "--help"]
    steps = [
        Step("import polars", [PYTHON, "-c", "import polars"], [], small),
        Step("--help", help_argv, [], small),
        Step("--help, PYTHONDONTWRITEBYTECODE=1", help_argv, [], small, env={"PYTHONDONTWRITEBYTECODE": "1"}),
    ]
    for label, folder in folders.items():
        config = config_of(label, folders)
        if label == "national messy":
            errors = [*lac("validate", folder, config), "--errors", f"{OUT}/errors.csv"]
            reads = command_reads(folder, config)
            steps += [read_floor(label, folder, repeats), Step(f"{label} validate --errors", errors, reads, repeats, 3)]
        else:
            steps += extract_steps(label, folder, config, small if label == "council" else repeats)
    return steps


def later_steps(done: dict[str, Step], folders: dict[str, Path], repeats: int, small: int) -> list[Step]:
    """The steps that need a run's folder (its report.html, its manifest), and pandas."""
    council, config = done["council run"].kept, ROOT / "config"
    assert council is not None
    folder = str(council / AS_AT)
    return [
        render_floor("council", done["council run"], small),
        render_floor("national", done["national run"], repeats),
        Step("council verify", [LAC_REPORT, "verify", folder], [council / AS_AT], small),
        Step("council compare", [LAC_REPORT, "compare", folder, folder], [council / AS_AT / "tables"], small),
        Step("council published", [LAC_REPORT, "published", "--config", str(config)], [config], small),
        pandas_step("national", folders["national"], repeats),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=600_000)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each national-scale step")
    parser.add_argument("--small", type=int, default=5, help="runs of each start-up and one-council step")
    args = parser.parse_args()
    started, at_start = time.perf_counter(), load()
    if os.getloadavg()[0] > 1.5:
        print(f"warning: the load average is {at_start}: other work will slow the timings", flush=True)
    folders = extracts(args.children)
    done: dict[str, Step] = {}
    for step in first_steps(folders, args.repeats, args.small):
        done[step.name] = measure(step)
    for step in later_steps(done, folders, args.repeats, args.small):
        done[step.name] = measure(step)
    national_run = done["national run"].kept
    assert national_run is not None
    agree = run_figures(national_run) == pandas_figures(folders["national"])
    text = results(done, folders, agree, (at_start, load()), time.perf_counter() - started)
    (HERE / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
