"""Made-up published statistics for the fictional council, in the real files' layouts.

``config/published/`` gets three files like the DfE and ONS open data (byte-order marks, a
quoted name holding a comma, the 2021-25 column names, a neighbour whose figures are ``x`` one
year), with figures of the right order that describe nothing real:

- the statistics: England, the West Midlands, Northmoor and its ten made-up neighbours, for the
  years the comparators were typed for before (the last four 31 Marches up to the extract date)
  and the year before them (so that each has a previous 31 March). England's, the region's and
  the neighbours' average rates looked after are the illustrative rates the sample has always
  used; Northmoor's own counts are the generator's own count of its children, each moved by up
  to three at random, as a return made in the summer differs from a later extract.
- the ONS-style population 0-17 of Northmoor: the mid-year estimates the sample has always had.
- the 2025-model neighbour file, with Northmoor's row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from random import Random

OLD_CODE, NEW_CODE = "999", "E10999999"  # made up: no council has either code
REGION = ("E12000005", "West Midlands")
FOLDER = "published"
STATISTICS = f"{FOLDER}/cla_number_and_rate_per_10k_children_synthetic.csv"
POPULATION = f"{FOLDER}/ons_mid-year_population_estimates_synthetic.csv"
NEIGHBOURS = f"{FOLDER}/sn_model_synthetic_wide.csv"
FILES = (STATISTICS, POPULATION, NEIGHBOURS, f"{FOLDER}/README.md")
YEARS = 5  # the comparator years, and the year before them

# Illustrative rates per 10,000 by the year of their 31 March (the nearest year is used).
CLA_RATES = {
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
STARTED_RATES = {
    "England": {2010: 26, 2016: 26, 2017: 28, 2018: 27, 2019: 27, 2020: 26, 2021: 24, 2022: 26, 2023: 28, 2025: 26},
    "West Midlands": {2010: 27, 2016: 27, 2017: 28, 2018: 28, 2019: 27, 2020: 24, 2021: 25, 2022: 27, 2025: 25},
    "Statistical neighbours": {2010: 20, 2016: 21, 2017: 22, 2018: 22, 2019: 23, 2020: 22, 2022: 23, 2025: 24},
}
CEASED_RATES = {
    "England": {2010: 25, 2016: 26, 2017: 26, 2018: 26, 2019: 26, 2020: 25, 2021: 24, 2022: 26, 2024: 28},
    "West Midlands": {2010: 24, 2016: 25, 2017: 25, 2018: 24, 2019: 23, 2020: 24, 2021: 22, 2022: 25, 2025: 28},
    "Statistical neighbours": {2010: 20, 2016: 21, 2017: 21, 2018: 22, 2019: 22, 2020: 23, 2022: 23, 2025: 24},
}
PEOPLE = {"England": (11_700_000, 60_000), "West Midlands": (1_290_000, 5_000)}  # 0-17 in 2016, growth a year


@dataclass(frozen=True)
class Neighbour:
    code: str
    name: str
    region: tuple[str, str]
    closeness: str
    population: int  # children 0-17 in 2016
    offset: tuple[int, int, int]  # from the neighbours' mean rate: looked after, starting, ceasing


# Made-up councils. The offsets add up to 0, and to 0 without Gorsebury (not available in 2019),
# so that the neighbours' mean is the illustrative rate.
NEIGHBOUR_COUNCILS = (
    Neighbour("990", "Ashvale", REGION, "Very close", 31_000, (14, 5, 4)),
    Neighbour("991", "Brindlemoor", ("E12000004", "East Midlands"), "Very close", 58_000, (-9, -3, -3)),
    Neighbour("992", "Carrowdale", ("E12000002", "North West"), "Very close", 47_000, (9, 3, 3)),
    Neighbour("993", "Dunmere, County of", ("E12000009", "South West"), "Very close", 39_000, (-6, -2, -2)),
    Neighbour("994", "Elderwick", ("E12000006", "East of England"), "Very close", 120_000, (-14, -5, -4)),
    Neighbour("995", "Fenmarsh", ("E12000006", "East of England"), "Close ", 75_000, (3, 1, 1)),
    Neighbour("996", "Gorsebury", ("E12000008", "South East"), "Close ", 66_000, (0, 0, 0)),
    Neighbour("997", "Hartwold", ("E12000003", "Yorkshire and The Humber"), "Close ", 52_000, (-3, -1, -1)),
    Neighbour("998", "Ivymead", ("E12000009", "South West"), "Somewhat close", 88_000, (6, 2, 2)),
    Neighbour("989", "Juniper Fells", ("E12000001", "North East"), "Somewhat close", 28_000, (0, 0, 0)),
)
NOT_AVAILABLE = ("996", 2019)  # a neighbour that sent no return one year: its figures are x
LABELS = {
    "cla_31_march": "Children looked after on 31 March each year",
    "started": "Children starting to be looked after each year",
    "ceased": "Children ceasing to be looked after each year",
}
MEASURES = tuple(LABELS)


def years(extract: dt.date) -> list[int]:
    """The years to 31 March written: the last ``YEARS`` 31 Marches on or before the extract date."""
    last = extract.year if extract >= dt.date(extract.year, 3, 31) else extract.year - 1
    return list(range(last - YEARS + 1, last + 1))


@dataclass
class OwnCounts:
    """Northmoor's own counts, as its returns would give them: per year to 31 March, children
    looked after on the day and children starting and ceasing in the year (each child once)."""

    years: list[int]
    counts: Counter[tuple[int, str]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        # (year, its first day, its 31 March) as day numbers, worked out once: this runs per child
        self._bounds = [(y, dt.date(y - 1, 4, 1).toordinal(), dt.date(y, 3, 31).toordinal()) for y in self.years]

    def add_child(self, periods: Sequence[tuple[int, int]]) -> None:
        """One child's periods of care as (first day, day it ended or 0 while open), short breaks left out."""
        found: set[tuple[int, str]] = set()
        for start, end in periods:
            for year, first, last in self._bounds:
                if start <= last and (end == 0 or end > last):
                    found.add((year, "cla_31_march"))
                if first <= start <= last:
                    found.add((year, "started"))
                if first <= end <= last:
                    found.add((year, "ceased"))
        self.counts.update(found)


def _nearest(rates: Mapping[int, float], year: int) -> float:
    return rates[min(rates, key=lambda known: abs(known - year))]


def _round(value: float, step: int = 1) -> int:
    """Half up to a multiple of ``step`` (10 for the DfE's England and regional counts)."""
    return int(value / step + 0.5) * step


def _csv(rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return "\ufeff" + out.getvalue()  # the DfE's files begin with a byte-order mark


STATISTICS_HEADER = (
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
    "region_name", "old_la_code", "la_name", "new_la_code", "population_type", "population_estimate",
    "children_count", "rate_per_10000",
)  # fmt: skip


def statistics_csv(rng: Random, name: str, population: Sequence[tuple[int, int]], own: OwnCounts) -> str:
    """The statistics file: newest year first, then England, the region and the councils by code."""
    estimates = dict(population)
    rows: list[Sequence[object]] = [STATISTICS_HEADER]
    for year in sorted(own.years, reverse=True):
        for group, level in (("England", "National"), ("West Midlands", "Regional")):
            people = PEOPLE[group][0] + PEOPLE[group][1] * (year - 2016)
            geography = ("E92000001", "England", *(REGION if level == "Regional" else ("", "")), "", "", "")
            for measure, rate in _rates(group, year).items():
                count = _round(rate * people / 10_000, 10)
                rows.append(_row(year, level, geography, measure, people, count, rate))
        councils = [(OLD_CODE, name, REGION, estimates[year - 1], None), *_neighbour_rows(year)]
        for code, council, region, people, rates in sorted(councils, key=lambda c: c[0]):
            geography = (
                "E92000001",
                "England",
                *region,
                code,
                council,
                NEW_CODE if code == OLD_CODE else f"E06999{code}",
            )
            for measure in sorted(MEASURES, key=lambda m: LABELS[m]):
                if rates is None:  # Northmoor: its own count, moved a little, and the rate of that
                    count = max(0, own.counts[(year, measure)] + rng.choice((0, 0, 0, 0, 1, -1, 2, -2, 3)))
                    rows.append(_row(year, "Local authority", geography, measure, people, count, None))
                elif (code, year) == NOT_AVAILABLE:
                    rows.append(_row(year, "Local authority", geography, measure, people, "x", "x"))
                else:
                    count = _round(rates[measure] * people / 10_000)
                    rows.append(_row(year, "Local authority", geography, measure, people, count, rates[measure]))
    return _csv(rows)


def _rates(group: str, year: int) -> dict[str, float]:
    return {
        "cla_31_march": _nearest(CLA_RATES[group], year),
        "started": _nearest(STARTED_RATES[group], year),
        "ceased": _nearest(CEASED_RATES[group], year),
    }


def _row(
    year: int,
    level: str,
    geography: Sequence[str],
    measure: str,
    people: int,
    count: int | str,
    rate: float | str | None,
) -> list[object]:
    if rate is None:  # worked out from the count, as the DfE does for a council
        rate = _round(int(count) * 10_000 / people)
    shown = int(rate) if isinstance(rate, float) and rate.is_integer() else rate
    return [year, "Reporting year", level, *geography, LABELS[measure], people, count, shown]


def _neighbour_rows(year: int) -> list[tuple[str, str, tuple[str, str], int, dict[str, float]]]:
    """Each neighbour's rates, whole numbers whose mean (of those available) is the illustrative rate."""
    present = [n for n in NEIGHBOUR_COUNCILS if (n.code, year) != NOT_AVAILABLE]
    rates: dict[str, dict[str, float]] = {n.code: {} for n in NEIGHBOUR_COUNCILS}
    for index, measure in enumerate(MEASURES):
        total = _round(_rates("Statistical neighbours", year)[measure] * len(present))
        base, extra = divmod(total, len(present))
        for rank, neighbour in enumerate(present):
            rates[neighbour.code][measure] = base + neighbour.offset[index] + (rank < extra)
    rows = []
    for n in NEIGHBOUR_COUNCILS:
        people = _round(n.population * (1 + 0.002 * (year - 2016)))
        rows.append((n.code, n.name, n.region, people, rates[n.code]))
    return rows


def population_csv(name: str, population: Sequence[tuple[int, int]]) -> str:
    """The ONS-style file: Northmoor's children aged 0-17 at each mid-year (no byte-order mark, as the ONS's)."""
    header = (
        "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
        "region_name", "old_la_code", "new_la_code", "la_name", "age_group", "population_estimate",
    )  # fmt: skip
    rows = [
        (year, "Reporting year", "Local authority", "E92000001", "England", *REGION, OLD_CODE, NEW_CODE, name,
         "Children aged 0 to 17 years", count)
        for year, count in sorted(population, reverse=True)
    ]  # fmt: skip
    return _csv([header, *rows]).removeprefix("\ufeff")


def neighbours_csv(name: str) -> str:
    """The 2025-model file with Northmoor's row: its ten neighbours and their closeness."""
    header = ["old_la_code", "la_name", "region_ind", "region_name"]
    header += [c for rank in range(1, 11) for c in (f"SN_{rank}", f"SN_{rank}P")]
    row: list[object] = [OLD_CODE, name, 8, REGION[1]]
    for neighbour in NEIGHBOUR_COUNCILS:
        row += [neighbour.code, neighbour.closeness]
    return _csv([header, row])


def readme() -> str:
    """``config/published/README.md``: these files are made up."""
    return f"""# Made-up published statistics: not real figures

The files here are **synthetic**, written by `lac-report sample` for the fictional council
Northmoor (LA code {NEW_CODE}, old code {OLD_CODE}: no real council has either). They follow the
layouts of the DfE's "children looked after: numbers and rates per 10,000" open data, the ONS
mid-year estimates of children aged 0-17 and the DfE's statistical-neighbour model, so that the
sample shows comparators, populations and the reconciliation read from published files. Every
council in them, every figure and every neighbour is invented.

| file | what it holds |
| --- | --- |
| `{STATISTICS.removeprefix(FOLDER + "/")}` | England, the West Midlands, Northmoor and its ten neighbours: \
looked after on 31 March, starting and ceasing in the year, number and rate per 10,000 |
| `{POPULATION.removeprefix(FOLDER + "/")}` | Northmoor's children aged 0-17 at each mid-year |
| `{NEIGHBOURS.removeprefix(FOLDER + "/")}` | Northmoor's ten statistical neighbours |

England's, the region's and the neighbours' average rates looked after are the illustrative
rates the sample's config listed by hand before. Northmoor's own counts are the generator's
count of the sample's children, each moved by up to three at random, as a council's return
made in the summer differs from a later extract: the report's reconciliation shows it.
"""
