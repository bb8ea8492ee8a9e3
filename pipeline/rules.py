"""The validation rule catalogue, and the rules across rows and files, as Polars expressions.

Every rule has an id, a severity (an error blocks the run; a warning is reported in the
provenance appendix and ``data_quality.csv``), the file it is about and a one-line summary.
Rules checked while a file is read (its bytes, header and cells: ``pipeline.csvfile`` and
``pipeline.parse``) and the config rules (``pipeline.config``) have no ``check`` here; the
rules across rows and files each have a small function taking the typed frames and returning
the failing rows as a problem frame (``_line``, ``column``, ``message``).

``catalogue()`` is the one registry: ``docs/validation-rules.md`` is generated from it
(``python -m pipeline.catalogue``) and ``load_extracts`` runs every rule in it that has a check.
Many rules follow the DfE's SSDA903 validator; ``reference`` names its rule number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

import polars as pl

from pipeline import codes
from pipeline.problems import PROBLEM_SCHEMA, Problem, Severity, problems_from_frame
from pipeline.schema import FILES

Frames = dict[str, pl.DataFrame]
FILE_STEMS = tuple(spec.stem for spec in FILES)  # the frames a run may hold
ORDERED = "_episodes_in_order"  # the key a run's ordered episodes are kept under in its frames
WITH_DOB = "_episodes_with_dob"
PERIODS = "_periods_of_care"

# Dates of the SSDA903 code changes (shared/domain/reference.md 1.3.5 and 1.3.7).
PLACEMENT_ORDERS_FROM = dt.date(2005, 12, 30)  # Adoption and Children Act 2002: E1 replaces D1
SUPPORTED_ACCOMMODATION_FROM = dt.date(2023, 10, 28)  # K3 replaces H5 and P2
Z_CODES_FROM = dt.date(2025, 4, 1)  # Z11-Z14 replace Z1 (2025-26 collection)
NEW_Z_CODES = ("Z11", "Z12", "Z13", "Z14")

FOSTER_PLACES = ("U1", "U2", "U3", "U4", "U5", "U6")
NON_KINSHIP_FOSTER_PLACES = ("U4", "U5", "U6")
ADOPTION_RECS = codes.ROUTES["adoption"]
SGO_RECS = codes.ROUTES["sgo"]
SGO_TO_FOSTER_CARERS = ("E45", "E46")  # SGO made to the child's former foster carers
FINAL_RECS = {"E2": "died", "E15": "age assessed as 18 or over"}
# Placements each provider cannot run (SSDA903 PLACE_PROVIDER combinations, reference.md 1.3.8).
PROVIDER_NOT_WITH: dict[str, tuple[str, ...]] = {
    "PR1": ("P1", "R2", "R5"),
    "PR2": ("P1", "R2", "R5"),
    "PR3": ("P1", "A3", "A4", "A5", "A6", "K1", "K2", *FOSTER_PLACES),
    "PR4": ("P1",),
    "PR5": ("P1",),
}


@dataclass(frozen=True)
class Rule:
    """One named check; ``check`` is ``None`` for the rules applied while reading a file or the config."""

    id: str
    severity: Severity
    file: str
    summary: str
    check: Callable[[Frames], pl.DataFrame] | None = None
    reference: str = ""  # the SSDA903 validator rule it follows, when there is one
    needs: tuple[str, ...] = ()  # the frames ``check`` reads; empty means the rule's own file

    def ready(self, frames: Frames) -> bool:
        """Whether every frame the check reads was loaded (an absent or unreadable file skips it)."""
        needs = self.needs or (PurePath(self.file).stem,)
        return self.check is not None and all(name in frames for name in needs)


def problem_frame(frame: pl.DataFrame, column: str, message: pl.Expr) -> pl.DataFrame:
    # Rechunked first: polars 2.1 can panic formatting a filtered string column left in empty chunks.
    failing = frame.rechunk().select(pl.col("_line"), pl.lit(column).alias("column"), message.alias("message"))
    return failing.cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]


def as_dmy(column: str) -> pl.Expr:
    return pl.col(column).dt.to_string("%d/%m/%Y")


def episodes_in_order(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each child's episodes in date order, with the neighbouring episode's fields.

    The order depends only on what the episodes say, never on the order of the file's rows:
    episodes starting and ending on the same day (zero-length changes) are put in chain order,
    the one starting the period (RNE S) first and an X1 before the one that ends the period;
    any remaining tie is broken by the other fields, so an exact duplicate follows its twin.
    """
    content = [c for c in episodes.columns if c not in ("_line", "CHILD", "DECOM", "DEC")]
    chain_order = [(pl.col("RNE") != "S").fill_null(True), (pl.col("REC") != "X1").fill_null(True)]
    keys = [pl.col("CHILD"), pl.col("DECOM"), pl.col("DEC"), *chain_order]
    dated = episodes.filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null()).rechunk()
    ordered = sorted_by(dated, [*keys, pl.col("_line")])
    # The other fields only break ties, and most extracts have none: sorting by them every time
    # would cost three times as much for the same order.
    tied = ordered.select(pl.all_horizontal(k.eq_missing(k.shift(1)) for k in keys).any()).item()
    if tied:
        ordered = sorted_by(dated, [*keys, *map(pl.col, content), pl.col("_line")])
    # Sorted by child, a neighbour row is the same child's neighbour episode when the CHILD matches:
    # cheaper than a window over every child.
    after = pl.col("CHILD") == pl.col("CHILD").shift(1)
    before = pl.col("CHILD") == pl.col("CHILD").shift(-1)

    def previous(name: str) -> pl.Expr:
        return pl.when(after).then(pl.col(name).shift(1))

    def following(name: str) -> pl.Expr:
        return pl.when(before).then(pl.col(name).shift(-1))

    # A repeat ties on every sort key, so an extract without ties has none: no need to compare every field.
    repeats = pl.all_horizontal(pl.col(c).eq_missing(pl.col(c).shift(1)) for c in ["DECOM", "DEC", *content])
    return ordered.with_columns(
        following("DECOM").alias("next_DECOM"),
        following("_line").alias("next_line"),
        previous("DEC").alias("prev_DEC"),
        previous("REC").alias("prev_REC"),
        previous("_line").alias("prev_line"),
        after.fill_null(False).alias("has_prev"),
        ((after & repeats).fill_null(False) if tied else pl.lit(False)).alias("repeats_prev"),
    )


def sorted_by(frame: pl.DataFrame, keys: list[pl.Expr]) -> pl.DataFrame:
    """``frame`` sorted by ``keys`` (missing values last).

    The order is found on the keys alone, then every column is gathered once: sorting the whole
    frame moves every column at each step and costs several times as much.
    """
    key_names = [f"_key{i}" for i in range(len(keys))]
    order = (
        frame.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
            *(k.alias(n) for k, n in zip(keys, key_names, strict=True)),
        )
        .sort(key_names, nulls_last=True)
        .get_column("_row")
    )
    return frame[order]


def in_order(frames: Frames) -> pl.DataFrame:
    """``episodes_in_order`` of the episodes, worked out once for all the rules of a run."""
    if ORDERED not in frames:
        frames[ORDERED] = episodes_in_order(frames["episodes"])
    return frames[ORDERED]


def starts_new_period() -> pl.Expr:
    """True where an episode begins a period of care (no X1 episode ends on its DECOM)."""
    return (
        ~pl.col("has_prev")
        | (pl.col("prev_REC") != "X1").fill_null(True)
        | (pl.col("prev_DEC") != pl.col("DECOM")).fill_null(True)
    )


def known_end() -> pl.Expr:
    """An episode's end, or for an open one the latest date the extract mentions (about the day it was taken).

    Rules about how long an episode lasts look no further than the extract can see.
    """
    return pl.col("DEC").fill_null(pl.max_horizontal(pl.col("DECOM").max(), pl.col("DEC").max()))


def eighteenth_birthday(dob: pl.Expr, *, leap_day_on: Literal["28 February", "1 March"] = "1 March") -> pl.Expr:
    """The day a child born on ``dob`` turns 18.

    Someone born on 29 February has no birthday in a common year: 28 February or 1 March, as
    ``leap_day_on`` says. The rules take whichever gives the child the benefit of the doubt, so
    they never depend on it: "18 or over" uses 1 March, "under 18" uses 28 February.
    """
    birthday = dob.dt.offset_by("18y")  # 29 February becomes 28 February in a common year
    leap_day = (dob.dt.month() == 2) & (dob.dt.day() == 29) & (birthday.dt.day() == 28)
    if leap_day_on == "28 February":
        return birthday
    return pl.when(leap_day).then(birthday.dt.offset_by("1d")).otherwise(birthday)


def episodes_with_dob(frames: Frames) -> pl.DataFrame:
    """Episodes of children in header.csv, with the child's date of birth and 18th birthday (both readings),
    worked out once for all the rules of a run."""
    if WITH_DOB not in frames:
        frames[WITH_DOB] = _episodes_with_dob(frames)
    return frames[WITH_DOB]


def _episodes_with_dob(frames: Frames) -> pl.DataFrame:
    # The birthdays are worked out per child, before the join: a child has several episodes.
    children = (
        frames["header"]
        .filter(pl.col("CHILD").is_not_null())
        .unique("CHILD", keep="first")
        .select(
            "CHILD",
            "DOB",
            eighteenth_birthday(pl.col("DOB")).alias("eighteen"),
            eighteenth_birthday(pl.col("DOB"), leap_day_on="28 February").alias("eighteen_early"),
        )
    )
    episodes = frames["episodes"].select("_line", "CHILD", "DECOM", "DEC", "LS", "PLACE", "REC")  # what the rules read
    return episodes.join(children, on="CHILD", how="inner")


# ---- header.csv ---------------------------------------------------------------------------------


def header_child_duplicate(frames: Frames) -> pl.DataFrame:
    header = frames["header"].filter(pl.col("CHILD").is_not_null())
    with_first = header.with_columns(pl.col("_line").min().over("CHILD").alias("first"))
    dupes = with_first.filter(pl.col("_line") != pl.col("first"))
    return problem_frame(dupes, "CHILD", pl.format("the child already appears on line {}", pl.col("first")))


# ---- episodes.csv: one row ------------------------------------------------------------------------


def children_not_in_header(frames: Frames, stem: str) -> pl.DataFrame:
    """Rows of ``stem`` whose CHILD is not in header.csv (episodes, legal, flags)."""
    orphans = (
        frames[stem]
        .filter(pl.col("CHILD").is_not_null())
        .join(frames["header"].select("CHILD").unique(), on="CHILD", how="anti")
    )
    return problem_frame(orphans, "CHILD", pl.lit("the child is not in header.csv"))


def episode_orphan(frames: Frames) -> pl.DataFrame:
    return children_not_in_header(frames, "episodes")


def episode_before_birth(frames: Frames) -> pl.DataFrame:
    early = episodes_with_dob(frames).filter(pl.col("DECOM") < pl.col("DOB"))
    return problem_frame(early, "DECOM", pl.lit("the episode starts before the child's date of birth"))


def episode_dec_before_decom(frames: Frames) -> pl.DataFrame:
    bad = frames["episodes"].filter(pl.col("DEC") < pl.col("DECOM"))
    return problem_frame(
        bad,
        "DEC",
        pl.format("the episode ends ({}) before it starts ({})", as_dmy("DEC"), as_dmy("DECOM")),
    )


def episode_dec_rec_pair(frames: Frames) -> pl.DataFrame:
    episodes = frames["episodes"]
    no_rec = episodes.filter(pl.col("DEC").is_not_null() & pl.col("REC").is_null())
    no_dec = episodes.filter(pl.col("DEC").is_null() & pl.col("REC").is_not_null())
    return pl.concat(
        [
            problem_frame(no_rec, "REC", pl.lit("the episode has an end date (DEC) but no reason ceased (REC)")),
            problem_frame(no_dec, "DEC", pl.lit("the episode has a reason ceased (REC) but no end date (DEC)")),
        ]
    )


def episode_sgo_after_18(frames: Frames) -> pl.DataFrame:
    late = episodes_with_dob(frames).filter(pl.col("REC").is_in(SGO_RECS) & (pl.col("DEC") >= pl.col("eighteen")))
    return problem_frame(
        late,
        "REC",
        pl.format("REC is '{}' (special guardianship order) but the child was 18 or over on {}", "REC", as_dmy("DEC")),
    )


def episode_adoption_after_18(frames: Frames) -> pl.DataFrame:
    late = episodes_with_dob(frames).filter(pl.col("REC").is_in(ADOPTION_RECS) & (pl.col("DEC") >= pl.col("eighteen")))
    return problem_frame(
        late, "REC", pl.format("REC is '{}' (adopted) but the child was 18 or over on {}", "REC", as_dmy("DEC"))
    )


def episode_e17_under_18(frames: Frames) -> pl.DataFrame:
    young = episodes_with_dob(frames).filter((pl.col("REC") == "E17") & (pl.col("DEC") < pl.col("eighteen_early")))
    return problem_frame(
        young,
        "REC",
        pl.format("REC is 'E17' (aged 18 and stayed with carers) but the child was under 18 on {}", as_dmy("DEC")),
    )


def episode_over_18_not_v2_k2(frames: Frames) -> pl.DataFrame:
    adult = episodes_with_dob(frames).filter(
        known_end().gt(pl.col("eighteen")) & ~((pl.col("LS") == "V2") & (pl.col("PLACE") == "K2")).fill_null(True)
    )
    return problem_frame(
        adult,
        "LS",
        pl.format(
            "the episode goes on past the child's 18th birthday with LS '{}' and PLACE '{}':"
            " after 18 a child can only stay looked after as V2 in K2",
            pl.col("LS").fill_null(""),
            pl.col("PLACE").fill_null(""),
        ),
    )


def episode_provider_place(frames: Frames) -> pl.DataFrame:
    place, provider = pl.col("PLACE"), pl.col("PLACE_PROVIDER")
    not_with = pl.lit(False)
    for code, places in PROVIDER_NOT_WITH.items():
        not_with = not_with | ((provider == code) & place.is_in(places))
    wrong = ((provider == "PR0") != (place == "P1")) | not_with
    bad = frames["episodes"].filter(wrong.fill_null(False))
    return problem_frame(
        bad,
        "PLACE_PROVIDER",
        pl.when(place == "P1")
        .then(pl.format("PLACE is 'P1' (placed with parents) so PLACE_PROVIDER should be PR0, not '{}'", provider))
        .otherwise(pl.format("PLACE_PROVIDER '{}' does not provide placements of type '{}'", provider, place)),
    )


def episode_foster_no_provider(frames: Frames) -> pl.DataFrame:
    bad = frames["episodes"].filter(
        pl.col("PLACE").is_in(NON_KINSHIP_FOSTER_PLACES) & pl.col("PLACE_PROVIDER").is_null()
    )
    return problem_frame(
        bad,
        "PLACE_PROVIDER",
        pl.format(
            "PLACE_PROVIDER is empty for a foster placement ({}): it is counted as agency fostering", pl.col("PLACE")
        ),
    )


def episode_place_withdrawn(frames: Frames) -> pl.DataFrame:
    open_after = known_end() > pl.col("_until")
    until = (
        pl.when(pl.col("PLACE").is_in(("H5", "P2")))
        .then(pl.lit(SUPPORTED_ACCOMMODATION_FROM))
        .when(pl.col("PLACE") == "Z1")
        .then(pl.lit(Z_CODES_FROM))
    )
    bad = frames["episodes"].with_columns(until.alias("_until")).filter(open_after & pl.col("_until").is_not_null())
    return problem_frame(
        bad,
        "PLACE",
        pl.format("PLACE '{}' is no longer in use after {}: the episode is still open then", "PLACE", as_dmy("_until")),
    )


def episode_place_not_yet(frames: Frames) -> pl.DataFrame:
    since = (
        pl.when(pl.col("PLACE") == "K3")
        .then(pl.lit(SUPPORTED_ACCOMMODATION_FROM))
        .when(pl.col("PLACE").is_in(NEW_Z_CODES))
        .then(pl.lit(Z_CODES_FROM))
    )
    bad = frames["episodes"].with_columns(since.alias("_since")).filter(pl.col("DECOM") < pl.col("_since"))
    return problem_frame(
        bad,
        "PLACE",
        pl.format("PLACE '{}' is only in use from {}: the episode starts earlier", "PLACE", as_dmy("_since")),
    )


def episode_ls_by_date(frames: Frames) -> pl.DataFrame:
    ls, decom, since = pl.col("LS"), pl.col("DECOM"), pl.lit(PLACEMENT_ORDERS_FROM)
    bad = frames["episodes"].filter(((ls == "D1") & (decom > since)) | ((ls == "E1") & (decom < since)))
    when = PLACEMENT_ORDERS_FROM.strftime("%d/%m/%Y")
    return problem_frame(
        bad,
        "LS",
        pl.when(ls == "D1")
        .then(pl.lit(f"LS 'D1' (freeing order) was replaced by E1 (placement order) on {when}"))
        .otherwise(pl.lit(f"LS 'E1' (placement order) only exists from {when}")),
    )


def episode_sgo_not_from_foster(frames: Frames) -> pl.DataFrame:
    bad = frames["episodes"].filter(
        pl.col("REC").is_in(SGO_TO_FOSTER_CARERS) & ~pl.col("PLACE").is_in(FOSTER_PLACES).fill_null(True)
    )
    return problem_frame(
        bad,
        "REC",
        pl.format(
            "REC '{}' is an SGO to former foster carers but the placement is '{}', not foster care (U1-U6)",
            "REC",
            pl.col("PLACE").fill_null(""),
        ),
    )


# ---- episodes.csv: a child's episodes together ------------------------------------------------------


def episode_duplicate(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    dupes = ordered.filter(pl.col("repeats_prev"))
    return problem_frame(dupes, "DECOM", pl.format("the same episode is already on line {}", pl.col("prev_line")))


def episode_overlap(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(
        pl.col("prev_DEC").is_not_null() & (pl.col("DECOM") < pl.col("prev_DEC")) & ~pl.col("repeats_prev")
    )
    return problem_frame(
        bad,
        "DECOM",
        pl.format("the episode starts before the child's previous episode (line {}) ends", pl.col("prev_line")),
    )


def episode_open_not_latest(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(
        pl.col("DEC").is_null()
        & pl.col("next_DECOM").is_not_null()
        & ~pl.col("repeats_prev").shift(-1).fill_null(False)
    )
    return problem_frame(
        bad,
        "DEC",
        pl.format(
            "the episode is open but the child has a later episode (line {}); only the latest may be open",
            pl.col("next_line"),
        ),
    )


def episode_x1_broken(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(
        (pl.col("REC") == "X1")
        & pl.col("DEC").is_not_null()
        & (pl.col("next_DECOM").is_null() | (pl.col("next_DECOM") != pl.col("DEC")))
    )
    return problem_frame(
        bad,
        "REC",
        pl.format(
            "REC is X1 (a new episode follows the same day) but no episode of the child starts on {}", as_dmy("DEC")
        ),
    )


def episode_new_period_not_s(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(starts_new_period() & (pl.col("RNE") != "S"))
    return problem_frame(
        bad,
        "RNE",
        pl.format("the episode starts a new period of care but RNE is '{}', not S", pl.col("RNE")),
    )


def episode_continuation_is_s(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    bad = ordered.filter(~starts_new_period() & (pl.col("RNE") == "S"))
    return problem_frame(
        bad,
        "RNE",
        pl.format(
            "RNE is S (started to be looked after) but the previous episode (line {}) ended X1 that day:"
            " the episode continues the period of care",
            pl.col("prev_line"),
        ),
    )


def episode_after_final(frames: Frames) -> pl.DataFrame:
    ordered = in_order(frames)
    final = pl.col("REC").is_in(tuple(FINAL_RECS)).fill_null(False)
    # The latest final episode before each row (rows are sorted by child), kept when it is the same child's.
    marked = ordered.with_columns(
        pl.when(final).then(pl.col(name)).forward_fill().shift(1).alias(f"final_{name}")
        for name in ("CHILD", "_line", "REC")
    )
    bad = marked.filter(pl.col("final_CHILD") == pl.col("CHILD"))
    meaning = pl.col("final_REC").replace_strict(FINAL_RECS, return_dtype=pl.String)
    return problem_frame(
        bad,
        "DECOM",
        pl.format(
            "the episode comes after the one on line {}, which ended with REC '{}' ({})",
            pl.col("final__line"),
            pl.col("final_REC"),
            meaning,
        ),
    )


_E, _W = Severity.ERROR, Severity.WARNING

READING_RULES: tuple[Rule, ...] = (
    Rule("FILE_MISSING", _E, "any", "A required extract (header.csv, episodes.csv) is in the folder."),
    Rule("FILE_UNREADABLE", _E, "any", "An extract can be opened (it is a file, and the run may read it)."),
    Rule("FILE_EMPTY", _E, "any", "An extract holds at least a header row."),
    Rule("FILE_BINARY", _E, "any", "An extract is a text CSV file, not a spreadsheet or other binary file."),
    Rule(
        "FILE_ENCODING",
        _E,
        "any",
        "Every line is valid UTF-8 (or Windows-1252 with --encoding cp1252); UTF-16 is refused.",
    ),
    Rule("CSV_DELIMITER", _E, "any", "Values are separated by commas (not semicolons or tabs)."),
    Rule("CSV_QUOTE", _E, "any", 'A " only wraps a whole value (doubled inside it), and every quoted value is closed.'),
    Rule("CSV_FIELD_COUNT", _E, "any", "Every row has as many fields as the header."),
    Rule("CSV_HEADER_REPEATED", _E, "any", "The header row is not repeated inside the file (two exports joined)."),
    Rule("COLUMN_MISSING", _E, "any", "Every required column is in the header (any case, any order)."),
    Rule("COLUMN_DUPLICATE", _E, "any", "No contract column appears twice in the header (after mapping.toml)."),
    Rule("CELL_REQUIRED", _E, "any", "A required cell is not empty."),
    Rule(
        "CELL_DATE",
        _E,
        "any",
        "A date is a real date written dd/mm/yyyy or yyyy-mm-dd (no two-digit years, times or month-first dates).",
    ),
    Rule("CELL_DATE_TOO_EARLY", _E, "any", "No date is before 1900 (a mistyped year)."),
    Rule("CELL_FUTURE_DATE", _E, "any", "No date is after the day of the run (a keying mistake)."),
    Rule("CELL_CODE", _E, "any", "A code is one the contract lists for its column (after mapping.toml)."),
    Rule(
        "CELL_ID_NUMBER",
        _E,
        "any",
        "An identifier is not a number a spreadsheet rewrote in scientific notation (1.23E+05).",
    ),
)

CONFIG_RULES: tuple[Rule, ...] = (
    Rule("CONFIG_MISSING", _E, "council.toml", "council.toml is in the config folder."),
    Rule("CONFIG_SYNTAX", _E, "council.toml, mapping.toml", "A config file is UTF-8 text in valid TOML."),
    Rule(
        "CONFIG_INVALID",
        _E,
        "council.toml, mapping.toml",
        "Every key is known, has the right type, and every required key is present;"
        " mapping.toml renames and recodes only onto the contract's columns and codes.",
    ),
)

_EPISODES_AND_HEADER = ("episodes", "header")

EPISODE_RULES: tuple[Rule, ...] = (
    Rule("HEADER_CHILD_DUPLICATE", _E, "header.csv", "Each child appears once in header.csv.", header_child_duplicate),
    Rule(
        "EPISODE_ORPHAN",
        _E,
        "episodes.csv",
        "Every episode's child is in header.csv.",
        episode_orphan,
        needs=_EPISODES_AND_HEADER,
    ),
    Rule(
        "EPISODE_BEFORE_BIRTH",
        _E,
        "episodes.csv",
        "No episode starts before the child's date of birth.",
        episode_before_birth,
        needs=_EPISODES_AND_HEADER,
    ),
    Rule(
        "EPISODE_DEC_BEFORE_DECOM",
        _E,
        "episodes.csv",
        "DEC, when present, is on or after DECOM.",
        episode_dec_before_decom,
    ),
    Rule("EPISODE_DEC_REC_PAIR", _E, "episodes.csv", "REC is present exactly when DEC is.", episode_dec_rec_pair),
    Rule(
        "EPISODE_DUPLICATE",
        _E,
        "episodes.csv",
        "No episode is listed twice (the same row again).",
        episode_duplicate,
    ),
    Rule("EPISODE_OVERLAP", _E, "episodes.csv", "A child's episodes do not overlap.", episode_overlap),
    Rule(
        "EPISODE_OPEN_NOT_LATEST",
        _E,
        "episodes.csv",
        "Only the child's latest episode may be open.",
        episode_open_not_latest,
    ),
    Rule(
        "EPISODE_X1_BROKEN",
        _E,
        "episodes.csv",
        "An episode ending X1 is followed by one starting the same day.",
        episode_x1_broken,
        reference="388",
    ),
    Rule(
        "EPISODE_AFTER_FINAL",
        _E,
        "episodes.csv",
        "No episode follows one that ended E2 (died) or E15 (age assessed as 18 or over).",
        episode_after_final,
        reference="437",
    ),
    Rule(
        "EPISODE_SGO_AFTER_18",
        _E,
        "episodes.csv",
        "A special guardianship order (REC E43-E48) ends care before the child's 18th birthday.",
        episode_sgo_after_18,
        reference="407",
        needs=_EPISODES_AND_HEADER,
    ),
    Rule(
        "EPISODE_ADOPTION_AFTER_18",
        _E,
        "episodes.csv",
        "An adoption (REC E11, E12) ends care before the child's 18th birthday.",
        episode_adoption_after_18,
        reference="386",
        needs=_EPISODES_AND_HEADER,
    ),
    Rule(
        "EPISODE_NEW_PERIOD_NOT_S",
        _W,
        "episodes.csv",
        "The first episode of a period of care has RNE = S; an L, P, T, B or U episode continues an X1 chain.",
        episode_new_period_not_s,
        reference="432",
    ),
    Rule(
        "EPISODE_CONTINUATION_IS_S",
        _W,
        "episodes.csv",
        "An episode that starts the day an X1 episode ended has RNE L, P, T, B or U, not S.",
        episode_continuation_is_s,
    ),
    Rule(
        "EPISODE_E17_UNDER_18",
        _W,
        "episodes.csv",
        "REC E17 (aged 18 and stayed with current carers) is only used on or after the 18th birthday.",
        episode_e17_under_18,
        needs=_EPISODES_AND_HEADER,
    ),
    Rule(
        "EPISODE_OVER_18_NOT_V2_K2",
        _W,
        "episodes.csv",
        "After the 18th birthday a child stays looked after only as V2 in a K2 children's home.",
        episode_over_18_not_v2_k2,
        reference="359",
        needs=_EPISODES_AND_HEADER,
    ),
    Rule(
        "EPISODE_PROVIDER_PLACE",
        _W,
        "episodes.csv",
        "PLACE_PROVIDER fits PLACE: PR0 only and always with P1; PR1/PR2 not with R2, R5;"
        " PR3 not with A3-A6, K1, K2, U1-U6.",
        episode_provider_place,
        reference="PR0-PR5 combinations",
    ),
    Rule(
        "EPISODE_FOSTER_NO_PROVIDER",
        _W,
        "episodes.csv",
        "A U4-U6 foster placement has a PLACE_PROVIDER (without one it counts as agency fostering).",
        episode_foster_no_provider,
    ),
    Rule(
        "EPISODE_PLACE_WITHDRAWN",
        _W,
        "episodes.csv",
        "No episode is still open in H5 or P2 after 28/10/2023, or in Z1 after 01/04/2025 (codes withdrawn).",
        episode_place_withdrawn,
        reference="146, 217t",
    ),
    Rule(
        "EPISODE_PLACE_NOT_YET",
        _W,
        "episodes.csv",
        "No episode starts in K3 before 28/10/2023, or in Z11-Z14 before 01/04/2025 (codes not yet in use).",
        episode_place_not_yet,
        reference="146",
    ),
    Rule(
        "EPISODE_LS_BY_DATE",
        _W,
        "episodes.csv",
        "LS D1 (freeing order) is not used after 30/12/2005, nor E1 (placement order) before.",
        episode_ls_by_date,
        reference="144",
    ),
    Rule(
        "EPISODE_SGO_NOT_FROM_FOSTER",
        _W,
        "episodes.csv",
        "REC E45/E46 (SGO to former foster carers) ends a foster placement (U1-U6).",
        episode_sgo_not_from_foster,
        reference="516",
    ),
)


def catalogue() -> tuple[Rule, ...]:
    """Every rule of the pipeline, in catalogue order: reading, config, then the rules across rows.

    Rules of the optional files are added here, so that the catalogue document, the checks run
    by ``load_extracts`` and the warning counts of ``data_quality.csv`` all come from this one list.
    """
    from pipeline.optional_rules import OPTIONAL_RULES  # imported here: optional_rules builds on this module

    return (*READING_RULES, *CONFIG_RULES, *EPISODE_RULES, *OPTIONAL_RULES)


def rule(rule_id: str) -> Rule:
    """The catalogue's rule ``rule_id``."""
    return next(r for r in catalogue() if r.id == rule_id)


def check_rules(rules: tuple[Rule, ...], frames: Frames) -> list[Problem]:
    """Run every rule whose frames are loaded; all problems, errors and warnings together.

    The rules share the frames they derive (the ordered episodes, the periods of care) by adding
    them to ``frames``, so the caller can use them afterwards.
    """
    problems: list[Problem] = []
    for each in rules:
        if each.check is None or not each.ready(frames):
            continue
        try:
            failing = each.check(frames)
        except KeyError as missing:
            # A rule that also reads a file it did not declare in ``needs``: skipped like the others
            # when that file is absent or unreadable (its own problem is already reported).
            if missing.args and missing.args[0] in FILE_STEMS and missing.args[0] not in frames:
                continue
            raise
        problems += problems_from_frame(failing, file=each.file, rule=each.id, severity=each.severity)
    return problems
