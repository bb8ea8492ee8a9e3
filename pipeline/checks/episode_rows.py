"""Rules on one episode at a time (episodes.csv), some with the child's header row: dates in
order, codes that fit together and fit their time, what an 18th birthday allows."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.checks.frames import (
    CLOSED_BY_STITCH,
    COPIES,
    EVERY_EPISODE_CELL,
    WITH_DOB,
    WITH_HEADER,
    as_dmy,
    children_not_in_header,
    episodes_with_dob,
    known_end,
    problem_frame,
    unpaired,
    without_disputed,
)
from pipeline.core import codes
from pipeline.core.dates import dmy
from pipeline.core.problems import Severity
from pipeline.core.rules import Frames, Rule

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
# Placements each provider cannot run (SSDA903 PLACE_PROVIDER combinations, reference.md 1.3.8).
PROVIDER_NOT_WITH: dict[str, tuple[str, ...]] = {
    "PR1": ("P1", "R2", "R5"),
    "PR2": ("P1", "R2", "R5"),
    "PR3": ("P1", "A3", "A4", "A5", "A6", "K1", "K2", *FOSTER_PLACES),
    "PR4": ("P1",),
    "PR5": ("P1",),
}


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
    # An episode the stitch of annual returns closed has no REC to know (STITCH_CHILD_ABSENT says so).
    episodes = frames["episodes"]
    if CLOSED_BY_STITCH in frames:
        episodes = episodes.join(frames[CLOSED_BY_STITCH], on="_line", how="anti")
    return unpaired(
        episodes,
        "DEC",
        "REC",
        without_second="the episode has an end date (DEC) but no reason ceased (REC)",
        without_first="the episode has a reason ceased (REC) but no end date (DEC)",
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
    adult = without_disputed(episodes_with_dob(frames), frames).filter(
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
    episodes = without_disputed(frames["episodes"], frames)
    bad = episodes.with_columns(until.alias("_until")).filter(open_after & pl.col("_until").is_not_null())
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
    when = dmy(PLACEMENT_ORDERS_FROM)
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


_E, _W = Severity.ERROR, Severity.WARNING
_EPISODES_AND_HEADER = ("episodes", "header")
_DOB = ("header.CHILD", "header.DOB")  # the child's date of birth, from its header row

EPISODE_ROW_RULES: tuple[Rule, ...] = (
    Rule(
        "EPISODE_ORPHAN",
        _E,
        "episodes.csv",
        "Every episode's child is in header.csv.",
        episode_orphan,
        needs=_EPISODES_AND_HEADER,
        reads=("CHILD",),
        across=("header.CHILD",),
        shares=(WITH_HEADER,),
    ),
    Rule(
        "EPISODE_BEFORE_BIRTH",
        _E,
        "episodes.csv",
        "No episode starts before the child's date of birth.",
        episode_before_birth,
        needs=_EPISODES_AND_HEADER,
        reads=("CHILD", "DECOM", *_DOB),
        shares=(WITH_DOB,),
    ),
    Rule(
        "EPISODE_DEC_BEFORE_DECOM",
        _E,
        "episodes.csv",
        "DEC, when present, is on or after DECOM.",
        episode_dec_before_decom,
        reads=("DEC", "DECOM"),
    ),
    Rule(
        "EPISODE_DEC_REC_PAIR",
        _E,
        "episodes.csv",
        "REC is present exactly when DEC is.",
        episode_dec_rec_pair,
        reads=("DEC", "REC"),
    ),
    Rule(
        "EPISODE_SGO_AFTER_18",
        _E,
        "episodes.csv",
        "A special guardianship order (REC E43-E48) ends care before the child's 18th birthday.",
        episode_sgo_after_18,
        reference="407",
        needs=_EPISODES_AND_HEADER,
        reads=("CHILD", "DEC", "REC", *_DOB),
        shares=(WITH_DOB,),
    ),
    Rule(
        "EPISODE_ADOPTION_AFTER_18",
        _E,
        "episodes.csv",
        "An adoption (REC E11, E12) ends care before the child's 18th birthday.",
        episode_adoption_after_18,
        reference="386",
        needs=_EPISODES_AND_HEADER,
        reads=("CHILD", "DEC", "REC", *_DOB),
        shares=(WITH_DOB,),
    ),
    Rule(
        "EPISODE_E17_UNDER_18",
        _W,
        "episodes.csv",
        "REC E17 (aged 18 and stayed with current carers) is only used on or after the 18th birthday.",
        episode_e17_under_18,
        needs=_EPISODES_AND_HEADER,
        reads=("CHILD", "DEC", "REC", *_DOB),
        shares=(WITH_DOB,),
    ),
    Rule(
        "EPISODE_OVER_18_NOT_V2_K2",
        _W,
        "episodes.csv",
        "After the 18th birthday a child stays looked after only as V2 in a K2 children's home.",
        episode_over_18_not_v2_k2,
        reference="359",
        needs=_EPISODES_AND_HEADER,
        reads=("CHILD", "DECOM", "DEC", "LS", "PLACE", *_DOB),
        across=EVERY_EPISODE_CELL,
        shares=(WITH_DOB, COPIES),
    ),
    Rule(
        "EPISODE_PROVIDER_PLACE",
        _W,
        "episodes.csv",
        "PLACE_PROVIDER fits PLACE: PR0 only and always with P1; PR1/PR2 not with R2, R5;"
        " PR3 not with A3-A6, K1, K2, U1-U6.",
        episode_provider_place,
        reference="PR0-PR5 combinations",
        reads=("PLACE", "PLACE_PROVIDER"),
    ),
    Rule(
        "EPISODE_FOSTER_NO_PROVIDER",
        _W,
        "episodes.csv",
        "A U4-U6 foster placement has a PLACE_PROVIDER (without one it counts as agency fostering).",
        episode_foster_no_provider,
        reads=("PLACE", "PLACE_PROVIDER"),
    ),
    Rule(
        "EPISODE_PLACE_WITHDRAWN",
        _W,
        "episodes.csv",
        "No episode is still open in H5 or P2 after 28/10/2023, or in Z1 after 01/04/2025 (codes withdrawn).",
        episode_place_withdrawn,
        reference="146, 217t",
        reads=("PLACE", "DECOM", "DEC"),
        across=EVERY_EPISODE_CELL,
        shares=(COPIES,),
    ),
    Rule(
        "EPISODE_PLACE_NOT_YET",
        _W,
        "episodes.csv",
        "No episode starts in K3 before 28/10/2023, or in Z11-Z14 before 01/04/2025 (codes not yet in use).",
        episode_place_not_yet,
        reference="146",
        reads=("PLACE", "DECOM"),
    ),
    Rule(
        "EPISODE_LS_BY_DATE",
        _W,
        "episodes.csv",
        "LS D1 (freeing order) is not used after 30/12/2005, nor E1 (placement order) before.",
        episode_ls_by_date,
        reference="144",
        reads=("LS", "DECOM"),
    ),
    Rule(
        "EPISODE_SGO_NOT_FROM_FOSTER",
        _W,
        "episodes.csv",
        "REC E45/E46 (SGO to former foster carers) ends a foster placement (U1-U6).",
        episode_sgo_not_from_foster,
        reference="516",
        reads=("REC", "PLACE"),
    ),
)
