"""The two things the command line does: validate the inputs, and run the whole report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.checks.as_at import after_the_returns, as_at_problems
from pipeline.checks.validate import load_extracts
from pipeline.core.problems import InvalidInput, Problem, errors, in_order, warnings
from pipeline.measures.tables import Tables, build_tables
from pipeline.read.config import Config, InvalidConfig, load_config
from pipeline.read.extract_date import ExtractDate, extract_date
from pipeline.read.extracts import Extracts
from pipeline.report.figures import ReportInputs
from pipeline.report.suppression import suppress, suppressed_count
from pipeline.run.manifest import build_manifest, extract_provenance, write_manifest
from pipeline.run.outputs import output_lock, staged_folder
from pipeline.run.progress import Silent, Steps
from pipeline.run.tablefiles import write_table

log = logging.getLogger("lac_report")
RUN_STEPS = 4  # the steps ``run`` reports to its progress: read, compute, render, write


@dataclass(frozen=True)
class Request:
    extracts: Path
    as_at: dt.date
    config: Path
    today: dt.date
    encoding: str = "utf-8"
    out: Path = Path("out")
    edition: str = "internal"
    commentary: Path | None = None
    as_at_beyond_extract: bool = False  # go ahead with an as-at the extract cannot know about (a warning)

    @property
    def folder_name(self) -> str:
        suffix = "-public" if self.edition == "public" else ""
        return f"{self.as_at.isoformat()}{suffix}"


@dataclass(frozen=True)
class Validated:
    config: Config
    extracts: Extracts  # its warnings include the published files' and those about the as-at date
    extract_date: ExtractDate | None  # the day the extract was taken, when it says


@dataclass(frozen=True)
class Finished:
    folder: Path
    tables: Tables  # as the run folder holds them: the public edition's suppressed
    warnings: tuple[Problem, ...]


def validate(request: Request) -> Validated:
    """Check the config, every extract and the as-at date; raise ``InvalidInput`` with every problem of them.

    The extracts are read through what can be used of ``mapping.toml`` even when some of it
    cannot, so that a wrong entry does not make the columns it did not touch look missing.
    """
    problems: list[Problem] = []
    config: Config | None = None
    try:
        config = load_config(request.config)
        mapping = config.mapping
    except InvalidConfig as invalid:
        problems += invalid.problems
        mapping = invalid.mapping
    dated = extract_date(request.extracts, request.today)
    problems += dated.problems
    extracts: Extracts | None = None
    notes: list[str] = []
    try:
        extracts = load_extracts(
            request.extracts, mapping, encoding=request.encoding, today=request.today, taken=dated.date
        )
    except InvalidInput as invalid:
        problems += invalid.problems
        notes = invalid.notes
    problems += as_at_problems(
        request.as_at,
        dated,
        extracts.episodes if extracts else None,
        config.council_config.population if config else None,
        beyond_extract=request.as_at_beyond_extract,
    )
    if extracts is not None:
        problems += after_the_returns(request.as_at, extracts.returns, beyond_extract=request.as_at_beyond_extract)
    if config is None or extracts is None or errors(problems):
        raise InvalidInput(problems, notes)
    # The published files' warnings and the as-at date's are reported, counted and listed with the extracts'.
    found = [*extracts.warnings, *config.warnings, *warnings(problems)]
    extracts = dataclasses.replace(extracts, warnings=tuple(in_order(found)))
    for item in extracts.inputs:
        log.info("read %s: %s, sha256 %s", item.name, _rows_read(item.name, item.rows), item.sha256)
        if item.extra_columns:
            log.info("ignored extra columns in %s: %s", item.name, ", ".join(item.extra_columns))
    if dated.date:
        log.info("the extract was taken on %s (%s)", dated.date.taken.isoformat(), dated.date.source)
    for line in extracts.returns.log_lines() if extracts.returns else ():
        log.info("%s", line)
    if extracts.unused:
        log.info("files in the extracts folder that the run did not use: %s", ", ".join(extracts.unused))
    return Validated(config, extracts, dated.date)


def run(request: Request, progress: Steps | None = None) -> Finished:
    """Validate, compute every table, render the report and write the run folder atomically.

    ``progress`` hears of the ``RUN_STEPS`` long steps (a bar on a terminal, log lines under cron).
    """
    from pipeline import __version__
    from pipeline.read.commentary import read_commentary

    steps = progress or Silent()
    memory = _MemoryLog()
    log.addHandler(memory)
    # run.log holds the run's INFO lines whoever called it (the CLI sets INFO; a test or script may not)
    level = log.level
    if log.getEffectiveLevel() > logging.INFO:
        log.setLevel(logging.INFO)
    try:
        log.info("lac-report %s: as at %s, %s edition", __version__, request.as_at.isoformat(), request.edition)
        steps.start("reading and checking the extracts")
        checked = validate(request)
        memory.add(
            f"warning: {warning}" for warning in checked.extracts.warnings
        )  # all of them; the terminal folds them
        council = checked.config.council_config
        commentary = read_commentary(request.commentary) if request.commentary else None
        steps.start("computing the tables")
        own = checked.config.published.own if checked.config.published else None
        tables = build_tables(checked.extracts, council, request.as_at, own)
        log.info("computed %d tables", len(tables.frames))
        published = tables
        if request.edition == "public":
            published = suppress(tables, council.disclosure.threshold)
            log.info(
                "public edition: %d figures shown as c (threshold %d)",
                suppressed_count(published),
                council.disclosure.threshold,
            )
        report = ReportInputs(
            tables=published,
            config=council,
            as_at=request.as_at,
            edition=request.edition,
            inputs=checked.extracts.inputs,
            warnings=checked.extracts.warnings,
            version=__version__,
            config_digest=checked.config.digest,
            published=checked.config.published,
            commentary_html=commentary,
            extract_taken=checked.extract_date.taken if checked.extract_date else None,
            returns=checked.extracts.returns,
        )
        steps.start("rendering the report")
        # The libraries of the report (Jinja2, matplotlib, WeasyPrint: most of a run's start-up) are
        # loaded by ``run`` alone, so that ``validate`` starts as fast as the data libraries allow,
        # and only once the extracts are checked: validation's peak of memory is then not theirs too.
        from pipeline.report.document import render_html
        from pipeline.report.pdf import render_pdf

        html = render_html(report)
        pdf = render_pdf(html, request.as_at)
        log.info("rendered the report: %d bytes of PDF", len(pdf))
        target = request.out / request.folder_name
        steps.start("writing the run folder")
        with output_lock(request.out), staged_folder(target) as stage:
            (stage / "tables").mkdir()
            for name, frame in published.frames.items():
                write_table(frame, stage / "tables" / f"{name}.csv", request.as_at)
            (stage / "report.html").write_text(html, encoding="utf-8")
            (stage / "report.pdf").write_bytes(pdf)
            log.info("wrote %s", target.name)
            (stage / "run.log").write_text(memory.text(), encoding="utf-8")
            manifest = build_manifest(
                folder=stage,
                as_at=request.as_at,
                edition=request.edition,
                config=checked.config,
                inputs=checked.extracts.inputs,
                warnings=checked.extracts.warnings,
                extras={"extract": extract_provenance(request.extracts, checked.extracts, checked.extract_date)},
            )
            write_manifest(stage, manifest)
        steps.finish()
        return Finished(target, published, checked.extracts.warnings)
    finally:
        log.removeHandler(memory)
        log.setLevel(level)


class _MemoryLog(logging.Handler):
    """Collects the run's log lines for run.log (no clock times, so the folder is reproducible)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.add([f"{record.levelname.lower()}: {record.getMessage()}"])

    def add(self, lines: Iterable[str]) -> None:
        """Lines for run.log alone, not the terminal."""
        self.lines.extend(lines)

    def text(self) -> str:
        return "".join(f"{line}\n" for line in self.lines)


def _rows_read(name: str, rows: int) -> str:
    """What a file's rows are: an XML return's are its children (CHILD elements)."""
    if name.lower().endswith(".xml"):
        return f"{rows} {'child' if rows == 1 else 'children'} (CHILD elements)"
    return f"{rows} {'row' if rows == 1 else 'rows'}"
