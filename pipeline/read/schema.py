"""The input contract (shared/contract/inputs.md) as data: files, columns and their kinds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pipeline.core import codes


class Kind(StrEnum):
    ID = "id"  # opaque identifier, kept as text (leading zeros matter)
    CODE = "code"  # trimmed, upper-cased, checked against a list when one is given
    DATE = "date"  # dd/mm/yyyy or yyyy-mm-dd
    TEXT = "text"  # free text, passed through
    LIST = "list"  # codes separated by ';' or ','


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    codes: tuple[str, ...] | None = None
    personal: bool = False  # never quoted in a message and never written to an output
    may_be_future: bool = False  # a date that may lie after the day of the run (a planned end)
    in_header: bool = False  # the column must be in the header, though its cells may be empty

    @property
    def categorical(self) -> bool:
        """Read as a category (``pl.Categorical``), a code kept as one: codes and dates repeat from row
        to row, so each distinct value is judged once (``pipeline.read.parse``). Identifiers, free
        text and lists are mostly distinct and stay text: a category of 600,000 children costs more
        to build than it saves (measured: ``benchmarks/README.md``)."""
        return self.kind in (Kind.CODE, Kind.DATE)


@dataclass(frozen=True)
class FileSpec:
    name: str
    required: bool
    columns: tuple[Column, ...]

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".csv")

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


HEADER = FileSpec(
    "header.csv",
    required=True,
    columns=(
        Column("CHILD", Kind.ID, required=True, personal=True),
        Column("SEX", Kind.CODE, required=True, codes=codes.SEX),
        Column("DOB", Kind.DATE, required=True, personal=True),
        Column("ETHNIC", Kind.CODE, codes=codes.ETHNIC),
        Column("UPN", Kind.TEXT, personal=True),
        Column("MOTHER", Kind.CODE, codes=codes.YES_NO),
        Column("MC_DOB", Kind.DATE, personal=True),
    ),
)

EPISODES = FileSpec(
    "episodes.csv",
    required=True,
    columns=(
        Column("CHILD", Kind.ID, required=True, personal=True),
        Column("DECOM", Kind.DATE, required=True),
        Column("RNE", Kind.CODE, required=True, codes=codes.RNE),
        Column("LS", Kind.CODE, required=True, codes=codes.LS),
        Column("CIN", Kind.CODE, codes=codes.CIN),
        Column("PLACE", Kind.CODE, required=True, codes=codes.PLACE),
        Column("PLACE_PROVIDER", Kind.CODE, codes=codes.PLACE_PROVIDER),
        Column("DEC", Kind.DATE),
        Column("REC", Kind.CODE, codes=codes.REC),
        Column("REASON_PLACE_CHANGE", Kind.CODE, codes=codes.REASON_PLACE_CHANGE),
        Column("HOME_POST", Kind.TEXT, personal=True),
        Column("PL_POST", Kind.TEXT, personal=True),
        Column("URN", Kind.TEXT),
    ),
)

ECHO = FileSpec(
    "echo.csv",
    required=False,
    columns=(
        Column("FAMILY", Kind.ID, required=True, personal=True),
        Column("CHILD", Kind.ID, required=True, personal=True),
        Column("STRAND", Kind.CODE, required=True, codes=codes.ECHO_STRANDS),
        Column("REFERRAL_DATE", Kind.DATE, required=True),
        Column("START_DATE", Kind.DATE),
        Column("END_DATE", Kind.DATE),
        Column("OUTCOME", Kind.CODE, codes=codes.ECHO_OUTCOMES),
    ),
)

LEGAL = FileSpec(
    "legal.csv",
    required=False,
    columns=(
        Column("CHILD", Kind.ID, required=True, personal=True),
        Column("ROUTE", Kind.CODE, required=True, codes=codes.LEGAL_ROUTES),
        Column("PLANNED_DATE", Kind.DATE),
        Column("REFERRED_DATE", Kind.DATE),
        Column("ISSUED_DATE", Kind.DATE),
        Column("CONCLUDED_DATE", Kind.DATE),
        Column("OUTCOME", Kind.CODE, codes=codes.LEGAL_OUTCOMES),
    ),
)

FLAGS = FileSpec(
    "flags.csv",
    required=False,
    columns=(
        Column("CHILD", Kind.ID, required=True, personal=True),
        Column("FLAG", Kind.CODE, required=True),  # unknown flags are a warning, not an error
        Column("START_DATE", Kind.DATE, required=True),
        Column("END_DATE", Kind.DATE),
    ),
)

FACTORS = FileSpec(
    "factors.csv",
    required=False,
    columns=(
        Column("CHILD", Kind.ID, required=True, personal=True),
        Column("FAMILY", Kind.ID, required=True, personal=True),
        Column("ASSESSMENT_DATE", Kind.DATE, required=True),
        Column("FACTORS", Kind.LIST, required=True),
        Column("LEVEL", Kind.CODE, required=True, codes=codes.ASSESSMENT_LEVELS),
    ),
)

# The SSDA903 UASC table (an optional file beyond the contract's six): the children who were
# unaccompanied asylum-seeking children, and the day that ceased (DUC, often the 18th birthday,
# which may lie ahead; empty while it has not). DUC must be a column, so that a file of another
# layout is refused rather than read as every child an asylum seeker for ever. The annual
# returns carry the table too (``pipeline.read.returns``).
UASC = FileSpec(
    "uasc.csv",
    required=False,
    columns=(
        Column("CHILD", Kind.ID, required=True, personal=True),
        Column("SEX", Kind.CODE, codes=codes.SEX),
        Column("DOB", Kind.DATE, personal=True),
        Column("DUC", Kind.DATE, may_be_future=True, in_header=True),
    ),
)

FILES: tuple[FileSpec, ...] = (HEADER, EPISODES, ECHO, LEGAL, FLAGS, FACTORS, UASC)
FILES_BY_NAME = {spec.name: spec for spec in FILES}
