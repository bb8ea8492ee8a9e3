"""The fictional council's ``config/council.toml`` and the sample folder's README.

Northmoor is made up: a made-up LA code, a population of about 27.7 children aged 0-17 per
child in the sample (36,000 for the default 1,300), comparators like the West Midlands
figures of the time read from made-up published files (``pipeline.sample.published``), and
unit costs of the right order.
"""

from __future__ import annotations

import datetime as dt
from random import Random

from pipeline.sample import published

NAME = "Northmoor (synthetic sample)"
SHORT_NAME = "Northmoor"  # as the made-up published files name it
REGION = "West Midlands"
POPULATION_PER_CHILD = 27.7
PLACEMENT_COSTS = {
    "in_house_fostering": 20000,
    "agency_fostering": 45000,
    "kinship_fostering": 15000,
    "residential": 220000,
    "placed_with_parents": 5000,
    "placed_for_adoption": 12000,
    "supported_or_independent": 40000,
    "other": 60000,
}
AVERAGE_COST = 51000
DISCLOSURE_THRESHOLD = 5


def council_toml(echo_start: dt.date) -> str:
    """The text of ``council.toml``: the comparators and population come from ``published/``."""
    lines = [
        "# Synthetic sample council: made-up data for tests and demonstrations (no real children).",
        "# Written by `lac-report sample`; regenerate it rather than editing it.",
        "",
        "[council]",
        f'name = "{NAME}"',
        f'region = "{REGION}"',
        f'la_code = "{published.NEW_CODE}"  # made up: no council has it (old code {published.OLD_CODE})',
        "synthetic = true",
        "",
        "# Comparators and the population 0-17 from made-up files in the layouts of the DfE and ONS",
        f"# open data ({published.FOLDER}/README.md): figures of the right order, not real statistics.",
        "[published]",
        f'statistics = ["{published.STATISTICS}"]',
        f'population = "{published.POPULATION}"',
        f'neighbours = "{published.NEIGHBOURS}"',
        "",
        "[echo]",
        f"start_date = {echo_start.isoformat()}",
    ]
    lines += ["", "[costs]", f"average_per_child = {AVERAGE_COST}", "", "[costs.placement]"]
    lines += [f"{group} = {cost}" for group, cost in PLACEMENT_COSTS.items()]
    lines += ["", "[disclosure]", f"threshold = {DISCLOSURE_THRESHOLD}", ""]
    return "\n".join(lines)


def population(rng: Random, children: int, extract: dt.date) -> list[tuple[int, int]]:
    """Mid-year estimates for the ten years to the last 30 June on or before ``extract``.

    The latest is about 27.7 per child in the sample; earlier years drift by under 1% a year.
    """
    last = extract.year if extract >= dt.date(extract.year, 6, 30) else extract.year - 1
    counts = {last: round(children * POPULATION_PER_CHILD)}
    for year in range(last - 1, extract.year - 11, -1):
        counts[year] = round(counts[year + 1] / (1 + rng.uniform(-0.009, 0.009)))
    return sorted(counts.items())


def extract_toml(extract: dt.date) -> str:
    """``extract.toml``: the day the synthetic extract was taken, as a council's extract says it."""
    comment = "# The day this synthetic extract was taken (docs/mapping.md): no report may be as at a later day."
    return f"{comment}\ntaken = {extract.isoformat()}\n"


def readme(seed: int, children: int, extract: dt.date) -> str:
    """``README.md`` for the sample folder."""
    options = f"--seed {seed} --children {children} --extract-date {extract.isoformat()}"
    command = f"lac-report sample --out DIR {options}"
    return f"""# Synthetic sample extracts: no real children

Everything in this folder is **synthetic**. It was made up by a program
(`lac-report sample`, seed {seed}, {children:,} children, extract date {extract.isoformat()})
for testing and demonstrating the pipeline. It describes no real child, family, carer or
council: identifiers, dates of birth, postcodes (all in the pseudo area `ZZ99`), pupil
numbers and Ofsted references are invented, and the council
"{NAME}" does not exist. The figures only resemble the order of magnitude
of a real shire county's.

| file | what it holds |
| --- | --- |
| `header.csv` | one row per child looked after at some time in the ten years to the extract date |
| `episodes.csv` | every episode of care of those children (SSDA903 episodes) |
| `echo.csv` | involvements of the Edge of Care / Home (ECHo) service |
| `legal.csv` | applications to discharge care orders and their stages |
| `flags.csv` | dated person flags (long-term match, reasons for residential care, ...) |
| `factors.csv` | factors identified at the end of children-in-need assessments |
| `extract.toml` | the day the extract was taken (`taken = {extract.isoformat()}`): no report may be as at a later day |
| `config/council.toml` | the fictional council's configuration (its made-up LA code, costs, the files it reads) |
| `config/published/` | made-up published statistics in the DfE and ONS layouts: comparators, population, neighbours |

To regenerate it (the same seed, size and date give the same bytes):

```sh
.venv/bin/{command}
```

`make sample` does this for the repository's `samples/` folder and copies
`config/council.toml` and `config/published/` to the repository's `config/`.
"""
