"""The fictional council's ``config/council.toml`` and the sample folder's README.

Northmoor is made up: no ONS code, a population of about 27.7 children aged 0-17 per
child in the sample (36,000 for the default 1,300), comparator rates like the West
Midlands figures of the time, marked illustrative, and unit costs of the right order.
"""

from __future__ import annotations

import datetime as dt
from random import Random

NAME = "Northmoor (synthetic sample)"
REGION = "West Midlands"
POPULATION_PER_CHILD = 27.7
# Illustrative comparator rates per 10,000 children, by the year of their 31 March.
COMPARATORS = {
    "England": {
        2010: 55.0, 2011: 58.0, 2012: 59.0, 2013: 60.0, 2014: 60.0, 2015: 60.0, 2016: 60.0,
        2017: 62.0, 2018: 64.0, 2019: 65.0, 2020: 67.0, 2021: 67.0, 2022: 70.0, 2023: 71.0,
        2024: 70.0, 2025: 69.0,
    },
    "West Midlands": {
        2010: 66.0, 2011: 69.0, 2012: 71.0, 2013: 72.0, 2014: 73.0, 2015: 74.0, 2016: 75.0,
        2017: 77.0, 2018: 80.0, 2019: 82.0, 2020: 84.0, 2021: 85.0, 2022: 87.0, 2023: 88.0,
        2024: 87.0, 2025: 86.0,
    },
    "Statistical neighbours": {
        2010: 45.1, 2011: 46.3, 2012: 47.0, 2013: 47.6, 2014: 48.2, 2015: 48.9, 2016: 49.7,
        2017: 50.9, 2018: 52.6, 2019: 54.44, 2020: 55.8, 2021: 57.0, 2022: 58.1, 2023: 59.0,
        2024: 58.5, 2025: 58.0,
    },
}  # fmt: skip
COMPARATOR_YEARS = 4
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


def council_toml(rng: Random, children: int, extract: dt.date, echo_start: dt.date) -> str:
    """The text of ``council.toml`` for a sample of ``children`` taken on ``extract``."""
    lines = [
        "# Synthetic sample council: made-up data for tests and demonstrations (no real children).",
        "# Written by `lac-report sample`; regenerate it rather than editing it.",
        "",
        "[council]",
        f'name = "{NAME}"',
        f'region = "{REGION}"',
        "synthetic = true",
        "",
        "[echo]",
        f"start_date = {echo_start.isoformat()}",
        "",
        "# ONS-style mid-year estimates of the population aged 0-17 (made up).",
    ]
    for year, count in population(rng, children, extract):
        lines += ["[[population]]", f"mid_year = {year}", f"count = {count}"]
    lines += [
        "",
        "# Comparator rates per 10,000 (illustrative values of the right order, not LAIT figures).",
    ]
    for group, year, rate in comparators(extract):
        lines += [
            "[[comparators]]",
            f'group = "{group}"',
            f"date = {year}-03-31",
            f"rate_per_10k = {rate}",
            f'source = "LAIT {year} (illustrative)"',
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


def comparators(extract: dt.date) -> list[tuple[str, int, float]]:
    """(group, year, rate) for the 31 Marches of the few years up to the extract date."""
    last = extract.year if extract >= dt.date(extract.year, 3, 31) else extract.year - 1
    rows = []
    for group, rates in COMPARATORS.items():
        for year in range(last - COMPARATOR_YEARS + 1, last + 1):
            nearest = min(rates, key=lambda known: abs(known - year))
            rows.append((group, year, rates[nearest]))
    return rows


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
| `config/council.toml` | the fictional council's configuration (population, comparators, costs) |

To regenerate it (the same seed, size and date give the same bytes):

```sh
.venv/bin/{command}
```

`make sample` does this for the repository's `samples/` folder and copies
`config/council.toml` to the repository's `config/`.
"""
