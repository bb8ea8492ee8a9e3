"""The code groups of an episode or a period (measures.md "Groups of codes"), as expressions:
placement, legal status, the route out of care; and the short breaks never counted."""

from __future__ import annotations

import polars as pl

from pipeline.core import codes


def not_short_break() -> pl.Expr:
    return ~pl.col("LS").is_in(codes.SHORT_BREAK_LS)


def first_match(cases: list[tuple[pl.Expr, str]], default: str) -> pl.Expr:
    """The label of the first condition that holds, else ``default`` (a CASE WHEN as a coalesce)."""
    return pl.coalesce([pl.when(condition).then(pl.lit(label)) for condition, label in cases] + [pl.lit(default)])


def placement_group() -> pl.Expr:
    """The placement group id of an episode (measures.md), from PLACE and PLACE_PROVIDER."""
    place, groups = pl.col("PLACE"), codes.PLACEMENT_GROUPS
    in_house = pl.col("PLACE_PROVIDER").is_in(codes.IN_HOUSE_PROVIDERS).fill_null(False)
    cases = [
        (place.is_in(groups["kinship_fostering"]), "kinship_fostering"),
        (place.is_in(groups["in_house_fostering"]) & in_house, "in_house_fostering"),
        (place.is_in(groups["agency_fostering"]), "agency_fostering"),
    ]
    cases += [
        (place.is_in(groups[group]), group)
        for group in ("residential", "placed_with_parents", "placed_for_adoption", "supported_or_independent")
    ]
    return first_match(cases, "other")


def legal_group() -> pl.Expr:
    """The legal status group id of an episode's LS."""
    return first_match([(pl.col("LS").is_in(ls), group) for group, ls in codes.LEGAL_GROUPS.items()], "other")


def route(rec: str = "rec") -> pl.Expr:
    """The route out of care of a period, from the REC that ended it."""
    return first_match([(pl.col(rec).is_in(recs), name) for name, recs in codes.ROUTES.items()], "other")
