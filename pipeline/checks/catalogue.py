"""The rule catalogue: every rule of the pipeline in one registry, and ``docs/validation-rules.md``
generated from it.

Every rule has an id, a severity (an error blocks the run; a warning is reported in the
provenance appendix and ``data_quality.csv``), the file it is about and a one-line summary.
``catalogue()`` is the one registry: the document, the checks ``load_extracts`` runs and the
warning counts of ``data_quality.csv`` all come from it. Many rules follow the DfE's SSDA903
validator; ``reference`` names its rule number.

``python -m pipeline.checks.catalogue`` rewrites the document; ``python -m pipeline.checks.catalogue
--check`` exits 1 when the committed document is out of date (a test runs the same check).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.checks.as_at import AS_AT_RULES
from pipeline.checks.episode_chains import EPISODE_CHAIN_RULES
from pipeline.checks.episode_rows import EPISODE_ROW_RULES
from pipeline.checks.header import HEADER_RULES
from pipeline.checks.optional import OPTIONAL_RULES
from pipeline.core.problems import Severity
from pipeline.core.rules import Rule
from pipeline.read.returns.rules import RETURNS_RULES
from pipeline.read.rules import CONFIG_RULES, EXTRACT_DATE_RULES, READING_RULES

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "validation-rules.md"


def catalogue() -> tuple[Rule, ...]:
    """Every rule of the pipeline, in catalogue order: reading, the annual returns, config, the dates, then
    the rules across rows."""
    return (
        *READING_RULES,
        *RETURNS_RULES,
        *CONFIG_RULES,
        *EXTRACT_DATE_RULES,
        *AS_AT_RULES,
        *HEADER_RULES,
        *EPISODE_ROW_RULES,
        *EPISODE_CHAIN_RULES,
        *OPTIONAL_RULES,
    )


def rule(rule_id: str) -> Rule:
    """The catalogue's rule ``rule_id``."""
    return next(r for r in catalogue() if r.id == rule_id)


INTRO = """\
# Validation rules

<!-- Generated from the rule catalogue by `python -m pipeline.checks.catalogue`: do not edit by hand. -->

Every run checks the extracts and the config against these rules before it computes anything.

- An **error** stops the run (exit status 3) and nothing is written. Every error of the run is
  found at once, each as `FILE:LINE: COLUMN: message [RULE]` (LINE is the physical line of the
  file, the header being line 1; 0 means the file as a whole). The terminal shows the first 200
  and counts the rest by rule; `--errors FILE` writes all of them as CSV.
- A **warning** lets the run go on. Warnings are counted by rule in `tables/data_quality.csv`
  (measure `warnings`, one row for every warning rule, 0 where none fired), listed in the
  report's provenance appendix and written to `run.log`.
- No message ever quotes a child's identifier, date of birth, name or postcode; a code or date
  that is not personal may be quoted so that it can be found.
- The SSDA903 column names the rule of the DfE's SSDA903 validator that a rule follows.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(rules: Sequence[Rule]) -> list[str]:
    lines = ["| rule | severity | file | what it asks | SSDA903 |", "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| `{r.id}` | {r.severity.value} | {r.file} | {_cell(r.summary)} | {_cell(r.reference)} |" for r in rules
    ]
    return lines


def render(rules: Sequence[Rule] | None = None) -> str:
    """The catalogue as Markdown: a count, then the rules in groups, in registry order."""
    rules = tuple(catalogue() if rules is None else rules)
    reading = [r for r in rules if r in READING_RULES]
    returns = [r for r in rules if r in RETURNS_RULES]
    config = [r for r in rules if r in CONFIG_RULES]
    dates = [r for r in rules if r in EXTRACT_DATE_RULES or r in AS_AT_RULES]
    across = [r for r in rules if r not in (*reading, *returns, *config, *dates)]
    errors = sum(r.severity is Severity.ERROR for r in rules)
    lines = [
        INTRO,
        f"The catalogue holds **{len(rules)} rules**: {errors} errors and {len(rules) - errors} warnings.",
        "",
        "## Reading a file: bytes, header and cells",
        "",
        "Checked for every extract file, required or optional (`any` means every extract file), and for the"
        " published statistics that council.toml's `[published]` names (`published files`).",
        "",
        *_table(reading),
        "",
        "## A folder of annual returns",
        "",
        "Checked when the extracts folder holds the council's annual SSDA903 returns, as CSV or the DfE's XML, with"
        " or without the current extract ([starting from your 903 returns](starting-from-903-returns.md)). The"
        " returns' files are then checked cell by cell like any extract; a problem in an XML return starts with"
        " the element it is in (`return_2019.xml:1: DEC: CHILD 12, EPISODE 2: ...`). The stitch's warnings say"
        " where a return disagrees with a newer one, and what was used.",
        "",
        *_table(returns),
        "",
        "## The config folder",
        "",
        *_table(config),
        "",
        "## The day the extract was taken, and the as-at date",
        "",
        "A report cannot be as at a day the extract knows nothing about. The extract's date comes from"
        " `extract.toml` (`taken = 2020-11-02`) or a date in its folder's name (`extracts/2020-11-02/`);"
        " without either, the newest episode start or end stands in for it, with margins"
        " ([mapping.md](mapping.md#when-the-extract-was-taken)).",
        "",
        *_table(dates),
        "",
        "## Across rows and files",
        "",
        "Checked once every file they need has been read. A rule never reasons from a cell that failed to read:"
        " it leaves out that row, or for a rule across a child's episodes that whole child, and the run says how"
        " many children it left out ([errors.md](errors.md)).",
    ]
    for file in dict.fromkeys(r.file for r in across):
        lines += ["", f"### {file}", "", *_table([r for r in across if r.file == file])]
    return "\n".join([*lines, ""])


def main(argv: Sequence[str] = ()) -> int:
    """Write the document, or with ``--check`` say whether it is up to date."""
    text = render()
    if "--check" in argv:
        current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.is_file() else ""
        if current != text:
            print(f"{DOCUMENT} is out of date: run python -m pipeline.checks.catalogue", file=sys.stderr)
            return 1
        return 0
    DOCUMENT.parent.mkdir(parents=True, exist_ok=True)
    DOCUMENT.write_text(text, encoding="utf-8")
    print(f"wrote {DOCUMENT} ({len(catalogue())} rules)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
