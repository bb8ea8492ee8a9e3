"""Write a whole synthetic extract folder: the cohort, its episodes and the service files.

Families come out of :mod:`pipeline.sample.cohort` in order of first entry to care and
get increasing child ids, so ``header.csv`` and ``episodes.csv`` are written as they are
generated, already sorted (CHILD, then DECOM), in little memory whatever the size. What
the smaller files need from each child is gathered on the way; they are sorted and written
at the end. Each part draws from its own random stream, seeded from the seed and the
part's name, so the output depends only on (seed, children, extract date).
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import islice
from pathlib import Path
from random import Random
from types import TracebackType

from pipeline.sample import care, cohort, council, echo, factors, flags, legal, published, routes
from pipeline.sample.care import CareRecord
from pipeline.sample.cohort import Child, Family
from pipeline.sample.columns import ECHO, EPISODES, FACTORS, FLAGS, HEADER, LEGAL, UASC
from pipeline.sample.days import MF_SEX_FROM, YEAR, DateText, shift_years
from pipeline.sample.draw import chance
from pipeline.sample.ids import FamilyIds, PersonIds, postcode, upn
from pipeline.sample.placements import Carers
from pipeline.sample.routes import Stay

HISTORY_YEARS = 10  # the extract holds every child looked after in the ten years to its date
WARM_UP_YEARS = 18  # arrivals start this long before the history, so it starts full
IN_CARE_PER_CHILD = 0.2538  # children in care on a day per child in the sample (330 of 1,300)
ARRIVALS_PER_CHILD = 0.05  # expected families a year per child in the sample
SHORT_BREAK_SHARE = 0.015  # children whose only care is an agreed series of short breaks
DEFAULT_SIZE = 1300
# The label of the cohort's random stream. Any label gives a valid, realistic sample, but
# one year's flows vary a lot from label to label (sibling groups come and go together).
# This one was picked, among 120 tried, because with the default seed the reporting year
# (November 2019 to October 2020) comes close to the seed report's figures: about 340 in
# care, some 30 care orders discharged (20 by SGO, 10 home to parents), 17 cases in
# proceedings, 16 planned, kinship care growing, about 40 long-term matches.
COHORT_STREAM = "cohort_105"

Gathered = list[tuple[int, Stay, CareRecord]]  # a child's periods: (family period index, ...)


@dataclass(frozen=True)
class SampleSummary:
    """What :func:`pipeline.sample.generate` wrote: rows per file and children in care."""

    header: int
    episodes: int
    echo: int
    legal: int
    flags: int
    factors: int
    looked_after: int  # children looked after on the extract date (short breaks not counted)
    layout: str = ""  # how the history was laid out, when not as one extract (pipeline.sample.returns)

    def __str__(self) -> str:
        files = [f.name for f in fields(self) if f.name not in ("looked_after", "layout")]
        rows = ", ".join(f"{name}.csv {getattr(self, name):,}" for name in files)
        laid_out = f", {self.layout}" if self.layout else ""
        return f"{rows} rows{laid_out}; {self.looked_after:,} children looked after on the extract date"


def write_sample(out: Path, *, seed: int, children: int, extract_date: dt.date, uasc: bool = False) -> SampleSummary:
    """Generate the sample into ``out`` (see :func:`pipeline.sample.generate`); ``uasc`` also writes
    ``uasc.csv``, the SSDA903 UASC table of the sample's unaccompanied asylum-seeking children."""
    if children < 1:
        raise ValueError("children must be at least 1")
    run = _Run(seed, children, extract_date)
    out.mkdir(parents=True, exist_ok=True)
    with (
        _CsvFile(out / "header.csv", HEADER) as header,
        _CsvFile(out / "episodes.csv", EPISODES) as episodes,
    ):
        for family in run.families():
            run.write_family(family, header, episodes)
    counts = {"header": header.rows, "episodes": episodes.rows}
    for name, columns, rows in (
        ("echo", ECHO, run.echo_rows()),
        ("legal", LEGAL, run.legal_rows()),
        ("flags", FLAGS, run.flag_rows()),
        ("factors", FACTORS, run.factor_rows()),
    ):
        with _CsvFile(out / f"{name}.csv", columns) as file:
            file.write_all(rows)
        counts[name] = file.rows
    if uasc:
        with _CsvFile(out / "uasc.csv", UASC) as file:
            file.write_all(sorted(run.uasc))
    _write_config(out, run)
    return SampleSummary(
        header=counts["header"],
        episodes=counts["episodes"],
        echo=counts["echo"],
        legal=counts["legal"],
        flags=counts["flags"],
        factors=counts["factors"],
        looked_after=run.looked_after,
    )


class _CsvFile:
    """A CSV file written row by row: UTF-8, no BOM, ``\\n`` line ends, quoted only if needed."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self._file = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(columns)
        self._buffer: list[Sequence[str]] = []
        self.rows = 0

    def write(self, row: Sequence[str]) -> None:
        self._buffer.append(row)
        if len(self._buffer) >= 20_000:
            self._flush()

    def write_all(self, rows: Iterable[Sequence[str]]) -> None:
        self._flush()
        pending = iter(rows)
        while batch := list(islice(pending, 20_000)):
            self._writer.writerows(batch)
            self.rows += len(batch)

    def _flush(self) -> None:
        self._writer.writerows(self._buffer)
        self.rows += len(self._buffer)
        self._buffer.clear()

    def __enter__(self) -> _CsvFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._flush()
        self._file.close()


class _Run:
    """One generation run: its settings, random streams and what it has gathered so far."""

    def __init__(self, seed: int, children: int, extract_date: dt.date) -> None:
        self.seed, self.children, self.extract_date = seed, children, extract_date
        self.extract = extract = extract_date.toordinal()
        self.history = shift_years(extract, -HISTORY_YEARS)
        self.scale = children / DEFAULT_SIZE
        self.echo_start = echo.service_start(extract)
        self.text = DateText(shift_years(extract, -60), extract)  # a later date cannot be written
        self.ids = PersonIds(self.rng("ids"), children)
        self.family_ids = FamilyIds(self.rng("families"))
        self.carers = Carers(self.rng("carers"), self.scale)
        self.care_rng, self.services_rng = self.rng("care"), self.rng("services")
        prevention_rng = self.rng("prevention")
        self.prevention = echo.plan_prevention(prevention_rng, self.echo_start, extract, self.scale)
        self.returners = echo.ReunificationCandidates(self.echo_start, extract)
        self.cla_starts = factors.LookedAfterStarts(factors.window_start(extract))
        self.applications: list[legal.Application] = []
        self.flags: list[flags.Flag] = []
        self.looked_after = 0
        self.uasc: list[tuple[str, str, str, str]] = []  # CHILD, SEX, DOB, DUC of each UASC child
        self.own = published.OwnCounts(published.years(extract_date))
        self._family_serial = 0
        self._family_of: dict[tuple[int, int], str] = {}

    def rng(self, stream: str) -> Random:
        """The random stream for one part of the sample."""
        return Random(f"lac-report sample {self.seed} {stream}")  # noqa: S311 - not for secrets

    # --- the cohort: header.csv and episodes.csv ---------------------------------------------

    def families(self) -> Iterator[Family]:
        """Every family, in order of first entry to care."""
        regular = cohort.regular_families(
            self.rng(COHORT_STREAM),
            shift_years(self.history, -WARM_UP_YEARS),
            self.extract,
            self.children * ARRIVALS_PER_CHILD,
            self.children * IN_CARE_PER_CHILD,
        )
        others = (self.prevention.entrants, self._short_breaks())
        yield from heapq.merge(regular, *others, key=lambda family: family.first_start)

    def _short_breaks(self) -> list[Family]:
        rng = self.rng("short breaks")
        count = round(self.children * SHORT_BREAK_SHARE)
        first, last = self.history - round(YEAR), self.extract - 60
        starts = sorted(rng.randint(first, last) for _ in range(count))
        return [cohort.short_breaks_family(rng, start, self.extract) for start in starts]

    def write_family(self, family: Family, header: _CsvFile, episodes: _CsvFile) -> None:
        """Write the children in care during the history, and gather what the other files need."""
        kept = family.overlaps(self.history, self.extract)
        if not kept:
            return
        serial, self._family_serial = self._family_serial, self._family_serial + 1
        homes = self._homes(len(family.stays))
        rng, carers, extract = self.care_rng, self.carers, self.extract
        for child in kept:
            identifier = self.ids.next_header()
            if family.echo_case >= 0:
                self.prevention.involvements[family.echo_case].child = identifier
            gathered: Gathered = []
            for index, stay in enumerate(family.stays):
                if not child.takes_part(stay) or stay.start > extract:
                    continue
                home = homes[index]
                record = care.build(rng, carers, child, stay, home, extract)
                gathered.append((index, stay, record))
                for row in self._episode_rows(identifier, stay, record, home):
                    episodes.write(row)
                if stay.route != routes.SHORT_BREAKS:
                    self._gather((serial, index), identifier, stay, record)
            header.write(self._header_row(identifier, child, family, gathered))
            self.own.add_child(
                [
                    (r.episodes[0].decom, r.episodes[-1].dec)
                    for _, stay, r in gathered
                    if stay.route != routes.SHORT_BREAKS
                ]
            )
            stays = [stay for _, stay, _ in gathered]
            self.flags += flags.other_flags(self.services_rng, identifier, stays)

    def _homes(self, count: int) -> list[str]:
        """The family's home postcode for each period of care (most families stay put)."""
        homes = [postcode(self.care_rng)]
        while len(homes) < count:
            moved = chance(self.care_rng, 0.25)
            homes.append(postcode(self.care_rng) if moved else homes[-1])
        return homes

    def _episode_rows(
        self,
        child: str,
        stay: Stay,
        record: CareRecord,
        home: str,
    ) -> Iterator[list[str]]:
        text = self.text
        for e in record.episodes:
            s, dec = e.spell, text(e.dec) if e.dec else ""
            yield [
                child, text(e.decom), e.rne, e.ls, stay.cin, s.place, s.provider, dec, e.rec,
                e.reason, home, s.post, s.urn,
            ]  # fmt: skip

    def _gather(self, key: tuple[int, int], child: str, stay: Stay, record: CareRecord) -> None:
        """Note what the service files need from one child's period of care."""
        if stay.start <= self.extract < record.end:
            self.looked_after += 1
        rng, extract = self.services_rng, self.extract
        self.applications += legal.applications(rng, child, stay, record, extract)
        self.flags += flags.flags(rng, child, record)
        self.returners.add(key, child, stay.start, record.returned_home, record.end)
        self.cla_starts.add(key, child, stay.start, record.end)

    def _header_row(
        self,
        identifier: str,
        child: Child,
        family: Family,
        gathered: Gathered,
    ) -> list[str]:
        first = gathered[0][1].start
        last = min(max(record.end for _, _, record in gathered), self.extract)
        sex = child.sex if first < MF_SEX_FROM else ("M" if child.sex == "1" else "F")
        age = (last - child.dob) / YEAR
        uasc = any(stay.route == routes.UASC for _, stay, _ in gathered)
        mother, baby = self._motherhood(child, last, age)
        dob, baby_dob = self.text(child.dob), self.text(baby) if baby else ""
        if uasc:  # UASC status ceases at 18 (DUC), empty while that is still ahead
            eighteen = shift_years(child.dob, 18)
            self.uasc.append((identifier, sex, dob, self.text(eighteen) if eighteen <= self.extract else ""))
        return [identifier, sex, dob, family.ethnic, self._upn(age, uasc), mother, baby_dob]

    def _upn(self, age: float, uasc: bool) -> str:
        """A fake UPN, or an SSDA903 "unknown" code (UN1 under school age, UN2 for UASC)."""
        rng = self.care_rng
        if uasc and chance(rng, 0.6):
            return "UN2"
        if age < 5:
            return "UN1" if chance(rng, 0.5) else ""
        draw = rng.random()
        return upn(rng) if draw < 0.9 else "UN5" if draw < 0.92 else ""

    def _motherhood(self, child: Child, last: int, age: float) -> tuple[str, int]:
        """MOTHER and MC_DOB: mostly empty; a few older girls are mothers."""
        rng = self.care_rng
        if child.sex != "2" or age < 13:
            return "", 0
        draw, fifteen = rng.random(), shift_years(child.dob, 15)
        if draw < 0.04 and fifteen < last:
            return "1", rng.randint(fifteen, last)
        return ("0", 0) if draw < 0.4 else ("", 0)

    # --- the service files -------------------------------------------------------------------

    def family_of(self, key: tuple[int, int]) -> str:
        """The FAMILY id of a cohort family's period of care (the same for its siblings)."""
        if key not in self._family_of:
            self._family_of[key] = self.family_ids.new()
        return self._family_of[key]

    def echo_rows(self) -> list[list[str]]:
        involvements = list(self.prevention.involvements)
        for involvement in involvements:
            involvement.child = involvement.child or self.ids.other()
            involvement.family = self.family_ids.new()
        rng = self.rng("reunification")
        involvements += echo.reunification(rng, self.returners, self.scale, self.family_of)
        involvements.sort(key=lambda i: (i.referral, i.family, i.child, i.strand))
        return [self._echo_row(i) for i in involvements]

    def _echo_row(self, i: echo.Involvement) -> list[str]:
        text = self._text_or_empty
        dates = [text(i.referral), text(i.start), text(i.end)]
        return [i.family, i.child, i.strand, *dates, i.outcome]

    def legal_rows(self) -> list[list[str]]:
        return [self._legal_row(a) for a in sorted(self.applications)]

    def _legal_row(self, a: legal.Application) -> list[str]:
        text = self._text_or_empty
        dates = [text(a.planned), text(a.referred), text(a.issued), text(a.concluded)]
        return [a.child, a.route, *dates, a.outcome]

    def flag_rows(self) -> list[list[str]]:
        text = self._text_or_empty
        ordered = sorted(self.flags, key=lambda f: (f.child, f.start, f.flag, f.end))
        return [[f.child, f.flag, text(f.start), text(f.end)] for f in ordered]

    def factor_rows(self) -> Iterator[list[str]]:
        rows = factors.assessments(
            self.rng("factors"),
            self.extract,
            self.scale,
            self.cla_starts,
            self.ids.other,
            self.family_ids.new,
            self.family_of,
        )
        return ([a.child, a.family, self.text(a.day), a.factors, a.level] for a in rows)

    def _text_or_empty(self, day: int) -> str:
        return self.text(day) if day else ""


def _write_config(out: Path, run: _Run) -> None:
    """``config/council.toml`` for the sample, the made-up published files it reads, the extract's
    ``extract.toml`` and the README."""
    config = out / "config"
    (config / published.FOLDER).mkdir(parents=True, exist_ok=True)
    echo_start = dt.date.fromordinal(run.echo_start)
    (config / "council.toml").write_text(council.council_toml(echo_start), encoding="utf-8", newline="\n")
    people = council.population(run.rng("council"), run.children, run.extract_date)
    texts = (
        published.statistics_csv(run.rng("published"), council.SHORT_NAME, people, run.own),
        published.population_csv(council.SHORT_NAME, people),
        published.neighbours_csv(council.SHORT_NAME),
        published.readme(),
    )
    for name, text in zip(published.FILES, texts, strict=True):
        (config / name).write_text(text, encoding="utf-8", newline="\n")
    (out / "extract.toml").write_text(council.extract_toml(run.extract_date), encoding="utf-8", newline="\n")
    readme = council.readme(run.seed, run.children, run.extract_date)
    (out / "README.md").write_text(readme, encoding="utf-8", newline="\n")
