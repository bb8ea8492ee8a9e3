"""Stitching returns into one history, case by case: each expected value worked out by hand.

The named cases of docs/measures.md ("Annual returns stitched into one history"): the same episode
closed later, a corrected DECOM (later and earlier), an episode deleted in the newer return, a child
absent from the newer return (and from the current extract), care continued in a different episode.
"""

from __future__ import annotations

import polars as pl

from pipeline.core.problems import Severity
from pipeline.read.returns.stitch import Read, Stitched, stitch
from pipeline.read.returns.tables import FILE, STITCH
from tests.returns import D, Row, ep, frame, header, loaded

Rows = list[tuple[object, ...]]


def rows(stitched: Stitched, *columns: str) -> Rows:
    return stitched.tables["episodes"].select(columns or ("CHILD", "DECOM", "DEC", "REC")).rows()


def counts(stitched: Stitched, i: int) -> tuple[int, ...]:
    """(replaced, dropped, closed, trimmed, rejoined, episodes kept) of source ``i``."""
    c = stitched.counts[i]
    return c.replaced, c.dropped, c.closed, c.trimmed, c.rejoined, c.episodes_kept


def messages(stitched: Stitched) -> list[str]:
    return [str(p) for p in stitched.problems]


def test_same_episode_closed_later() -> None:
    """2019 has the episode open at 31 March; 2020 has it (same CHILD and DECOM) with DEC filled in."""
    older = loaded(2019, [header("A")], [ep("A", "10/01/2019")])
    newer = loaded(2020, [header("A")], [ep("A", "10/01/2019", "01/06/2019", "E13")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "CHILD", "DECOM", "DEC", "REC", FILE) == [
        ("A", "10/01/2019", "01/06/2019", "E13", "2020/episodes.csv")
    ]
    assert stitched.tables["header"].select("CHILD", FILE).rows() == [("A", "2020/header.csv")]
    assert counts(stitched, 0) == (1, 0, 0, 0, 0, 0)
    assert counts(stitched, 1) == (0, 0, 0, 0, 0, 1)
    assert stitched.problems == ()


def test_same_episode_with_another_placement_is_a_correction() -> None:
    """The newer return holds the episode (same CHILD and DECOM) with PLACE U4, not U1: it stands, and a
    warning says so at the older line, naming the newer's."""
    older = loaded(2019, [header("A")], [ep("A", "10/01/2019")])
    newer = loaded(2020, [header("A")], [ep("A", "10/01/2019", "01/06/2019", "E13", place="U4")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "PLACE", FILE) == [("U4", "2020/episodes.csv")]
    assert messages(stitched) == [
        "2019/episodes.csv:2: PLACE: 2020/episodes.csv line 2 holds this episode (the same child and DECOM) with a"
        " different PLACE: the newer is used [STITCH_CORRECTED]"
    ]


def test_corrected_decom_later_rejoins_the_x1_before_it() -> None:
    """2019: P 01/05/2018-10/01/2019 X1, then E from 10/01/2019 open in U1. The 2020 return corrects E's
    DECOM to 12/01/2019: one episode, not two overlapping, and P now ends on 12/01/2019."""
    older = loaded(2019, [header("A")], [ep("A", "01/05/2018", "10/01/2019", "X1", place="R1"),
                                         ep("A", "10/01/2019", rne="P")])  # fmt: skip
    newer = loaded(2020, [header("A")], [ep("A", "12/01/2019", "01/06/2019", "E13", rne="P")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "DECOM", "DEC", "REC", STITCH) == [
        ("01/05/2018", "12/01/2019", "X1", "rejoined"),
        ("12/01/2019", "01/06/2019", "E13", None),
    ]
    assert counts(stitched, 0) == (0, 1, 0, 0, 1, 1)
    assert messages(stitched) == [
        "2019/episodes.csv:2: DEC: the next episode starts on 12/01/2019 in 2020/episodes.csv (2020/episodes.csv"
        " line 2): the episode's end is moved to that day [STITCH_CORRECTED]",
        "2019/episodes.csv:3: DECOM: 2020/episodes.csv holds this episode as starting on 12/01/2019"
        " (2020/episodes.csv line 2): the newer start is used [STITCH_CORRECTED]",
    ]


def test_corrected_decom_earlier_trims_the_episode_before_it() -> None:
    """The same, corrected to 08/01/2019: P would overlap it for two days, so P ends on 08/01/2019."""
    older = loaded(2019, [header("A")], [ep("A", "01/05/2018", "10/01/2019", "X1", place="R1"),
                                         ep("A", "10/01/2019", rne="P")])  # fmt: skip
    newer = loaded(2020, [header("A")], [ep("A", "08/01/2019", rne="P")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "DECOM", "DEC", "REC", STITCH) == [
        ("01/05/2018", "08/01/2019", "X1", "trimmed"),
        ("08/01/2019", None, None, None),
    ]
    assert counts(stitched, 0) == (0, 1, 0, 1, 0, 1)
    assert [p.rule for p in stitched.problems] == ["STITCH_CORRECTED", "STITCH_CORRECTED"]
    assert stitched.problems[0].message == (
        "the episode runs past 08/01/2019, where the child's episode in 2020/episodes.csv starts (2020/episodes.csv"
        " line 2): it is taken to end that day"
    )


def test_episode_deleted_in_the_newer_return() -> None:
    """2019 recorded a move to R1 on 10/01/2019 that never happened: the 2020 return has the child still in
    the U1 placement from 01/05/2018 and no R1 episode. The R1 episode goes; the U1 one is the 2020 one."""
    older = loaded(2019, [header("A")], [ep("A", "01/05/2018", "10/01/2019", "X1"),
                                         ep("A", "10/01/2019", rne="P", place="R1")])  # fmt: skip
    newer = loaded(2020, [header("A")], [ep("A", "01/05/2018")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "DECOM", "DEC", "REC", "PLACE", FILE) == [
        ("01/05/2018", None, None, "U1", "2020/episodes.csv")
    ]
    assert counts(stitched, 0) == (1, 1, 0, 0, 0, 0)
    # the contradiction is said once, at the deleted episode: not as an overlap, nor a broken X1 chain
    assert messages(stitched) == [
        "2019/episodes.csv:2: DEC: 2020/episodes.csv line 2 holds this episode (the same child and DECOM) with a"
        " different DEC, REC: the newer is used [STITCH_CORRECTED]",
        "2019/episodes.csv:3: DECOM: the episode is not in 2020/episodes.csv, which has the child in care from"
        " 01/05/2018 in another episode (2020/episodes.csv line 2): it is left out [STITCH_CORRECTED]",
    ]


def test_child_absent_from_the_newer_return() -> None:
    """Child C is open at 31 March 2019 but not in the 2020 return, which holds every child looked after in
    2019-20: C was looked after on 31 March 2019 (the 2019 return's truth) and on no day from 1 April 2019
    (the 2020 return's): the episode ends on 01/04/2019, its reason not known, with a warning."""
    older = loaded(2019, [header("A"), header("C")], [ep("A", "10/01/2019"), ep("C", "01/02/2017")])
    newer = loaded(2020, [header("A")], [ep("A", "10/01/2019")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "CHILD", "DECOM", "DEC", "REC", STITCH) == [
        ("A", "10/01/2019", None, None, None),
        ("C", "01/02/2017", "01/04/2019", None, "closed"),
    ]
    assert stitched.tables["header"].select("CHILD", FILE).rows() == [
        ("A", "2020/header.csv"),
        ("C", "2019/header.csv"),
    ]
    assert messages(stitched) == [
        "2019/episodes.csv:3: DEC: the episode is open at the end of the older source, but the child is not in"
        " 2020/episodes.csv, which holds every child looked after from 01/04/2019: it is taken to end on 01/04/2019;"
        " its reason is not known: counted as other [STITCH_CHILD_ABSENT]"
    ]
    assert stitched.problems[0].severity is Severity.WARNING
    assert counts(stitched, 0) == (1, 0, 1, 0, 0, 1)
    assert stitched.counts[0].header_rows_kept == 1


def test_child_absent_from_the_current_extract() -> None:
    """The same at the current extract's window: open at 31 March 2021 in the 2021 return, not in the
    extract taken on 15/05/2021 (window 01/04/2021 to 15/05/2021): closed on 01/04/2021."""
    ret = loaded(2021, [header("A"), header("D")], [ep("A", "10/01/2021"), ep("D", "03/03/2020")])
    current = loaded(2022, [header("A")], [ep("A", "10/01/2021", "01/05/2021", "E4A")], current=True)
    stitched = stitch([ret, current], taken=D(2021, 5, 15))
    assert rows(stitched) == [("A", "10/01/2021", "01/05/2021", "E4A"), ("D", "03/03/2020", "01/04/2021", None)]
    assert [p.rule for p in stitched.problems] == ["STITCH_CHILD_ABSENT"]
    assert "the child is not in episodes.csv, which holds every child looked after from 01/04/2021" in (
        stitched.problems[0].message
    )


def test_open_episode_not_continued_though_the_child_starts_again_later() -> None:
    """2019: open from 01/02/2019. 2020: the child's only episode starts a new period on 01/09/2019."""
    older = loaded(2019, [header("A")], [ep("A", "01/02/2019")])
    newer = loaded(2020, [header("A")], [ep("A", "01/09/2019", place="R1")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "DECOM", "DEC", "REC", STITCH) == [
        ("01/02/2019", "01/04/2019", None, "closed"),
        ("01/09/2019", None, None, None),
    ]
    assert messages(stitched) == [
        "2019/episodes.csv:2: DEC: the episode is open at the end of the older source, but 2020/episodes.csv, which"
        " holds every child looked after from 01/04/2019, has no episode of the child open that day (its first starts"
        " on 01/09/2019): it is taken to end on 01/04/2019; its reason is not known: counted as other"
        " [STITCH_CHILD_ABSENT]"
    ]


def test_open_episode_continued_by_a_different_episode() -> None:
    """2019: open in U1 from 01/02/2019. 2020: the child's care continues in R1 from 01/03/2019 (a move the
    2019 return missed; another placement, so another episode): the U1 episode ends on 01/03/2019 with X1,
    since the R1 episode is a change (RNE P), not a new period."""
    older = loaded(2019, [header("A")], [ep("A", "01/02/2019")])
    newer = loaded(2020, [header("A")], [ep("A", "01/03/2019", rne="P", place="R1")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "DECOM", "DEC", "REC", "PLACE", STITCH) == [
        ("01/02/2019", "01/03/2019", "X1", "U1", "closed"),
        ("01/03/2019", None, None, "R1", None),
    ]
    assert messages(stitched) == [
        "2019/episodes.csv:2: DEC: the episode is open at the end of the older source, but in 2020/episodes.csv the"
        " child's care continues in a different episode from 01/03/2019 (2020/episodes.csv line 2): the episode is"
        " taken to end that day, with REC X1 [STITCH_CONTINUED_ELSEWHERE]"
    ]


def test_header_from_the_newest_source_with_the_child() -> None:
    r2019 = loaded(
        2019,
        [header("A", "WBRI"), header("B", "WIRI")],
        [ep("A", "10/01/2018"), ep("B", "01/02/2018", "01/03/2018", "E13")],
    )
    r2020 = loaded(2020, [header("A", "MWBA")], [ep("A", "10/01/2018")])
    current = loaded(2021, [header("A", "AIND")], [ep("A", "10/01/2018")], current=True)
    stitched = stitch([r2019, r2020, current], taken=D(2020, 8, 1))
    assert stitched.tables["header"].select("CHILD", "ETHNIC", FILE).rows() == [
        ("A", "AIND", "header.csv"),
        ("B", "WIRI", "2019/header.csv"),
    ]
    assert [c.header_rows_kept for c in stitched.counts] == [1, 0, 1]


def test_uasc_rows_from_the_newest_source_holding_the_child() -> None:
    """2019 lists A and B as UASC; 2020 holds A (not as UASC) and says nothing of B: A is not UASC, B is."""
    r2019 = loaded(2019, [header("A"), header("B")], [ep("A", "10/01/2019"), ep("B", "10/01/2019", "01/02/2019", "E8")])
    r2020 = loaded(2020, [header("A")], [ep("A", "10/01/2019")])
    uasc: list[Row] = [
        {"CHILD": "A", "SEX": "1", "DOB": "01/01/2010", "DUC": None},
        {"CHILD": "B", "SEX": "1", "DOB": "01/01/2010", "DUC": "01/01/2028"},
    ]
    r2019 = Read(r2019.source, {**r2019.tables, "uasc": frame("uasc", uasc, "2019/uasc.csv")})
    r2020 = Read(r2020.source, {**r2020.tables, "uasc": frame("uasc", [], "2020/uasc.csv")})
    stitched = stitch([r2019, r2020], taken=D(2020, 6, 1))
    assert stitched.tables["uasc"].select("CHILD", "DUC", FILE).rows() == [("B", "01/01/2028", "2019/uasc.csv")]


def test_return_episodes_outside_their_year_are_left_out() -> None:
    """The 2020 return holds an episode that ended in 2018: not what a 2020 return can hold."""
    older = loaded(2019, [header("A")], [ep("A", "01/05/2018", "01/06/2018", "E13")])
    newer = loaded(2020, [header("A")], [ep("A", "01/05/2018", "01/06/2018", "E13"), ep("A", "01/02/2020")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "DECOM", FILE) == [("01/05/2018", "2019/episodes.csv"), ("01/02/2020", "2020/episodes.csv")]
    assert messages(stitched) == [
        "2020/episodes.csv:2: DECOM: 1 episode(s) (line 2) are not open at any time in 2019-20 (01/04/2019 to"
        " 31/03/2020), which is all a return for that year holds: they are left out (is the year in the file's name"
        " right?) [STITCH_OUTSIDE_YEAR]"
    ]
    assert stitched.counts[1].outside_window == 1


def test_current_extract_with_full_history() -> None:
    """A Mosaic extract with every episode since 2015 beside returns from 2019: its history before
    2018-19 is kept; its copy of an episode a return covers is not (the return is the truth there)."""
    r2019 = loaded(2019, [header("A")], [ep("A", "01/03/2018", "10/01/2019", "E13")])
    r2020 = loaded(2020, [header("A")], [ep("A", "01/10/2019")])
    current = loaded(2021, [header("A")], [
        ep("A", "01/01/2015", "01/02/2016", "E13"),        # history: no return covers it: kept
        ep("A", "01/03/2018", "12/01/2019", "E13"),        # history in 2018-19: the 2019 return's copy stands
        ep("A", "01/10/2019", "01/05/2020", "E4A"),        # open in the window: replaces the 2020 return's
    ], current=True)  # fmt: skip
    stitched = stitch([r2019, r2020, current], taken=D(2020, 7, 1))
    assert rows(stitched, "DECOM", "DEC", FILE) == [
        ("01/01/2015", "01/02/2016", "episodes.csv"),
        ("01/03/2018", "10/01/2019", "2019/episodes.csv"),
        ("01/10/2019", "01/05/2020", "episodes.csv"),
    ]
    c = stitched.counts[2]
    assert (c.outside_window, c.history_kept, c.episodes_kept) == (2, 1, 2)
    assert stitched.counts[1].replaced == 1


def test_rows_that_cannot_be_placed_pass_through() -> None:
    """A DECOM that is not a date cannot be put in any window: it is passed on for the parser to report."""
    older = loaded(2019, [header("A")], [ep("A", "31/02/2019"), ep("A", "01/05/2018", "03/06/2018", "E13")])
    newer = loaded(2020, [header("A")], [ep("A", "01/02/2020")])
    stitched = stitch([older, newer], taken=D(2020, 6, 1))
    assert rows(stitched, "DECOM", "_line") == [("01/05/2018", 3), ("01/02/2020", 2), ("31/02/2019", 2)]
    assert stitched.counts[0].unplaced == 1


def test_single_current_extract_is_passed_through() -> None:
    """One extract with the full history: stitching changes nothing."""
    episodes_in = [ep("A", "01/01/2015", "01/02/2016", "E13"), ep("A", "01/03/2018", "12/01/2019", "X1"),
                   ep("A", "12/01/2019", rne="P", place="R1"), ep("B", "not a date")]  # fmt: skip
    current = loaded(2021, [header("A"), header("B")], episodes_in, current=True)
    stitched = stitch([current], taken=D(2020, 7, 1))
    assert rows(stitched, "CHILD", "DECOM", "DEC") == [(e["CHILD"], e["DECOM"], e["DEC"]) for e in episodes_in]
    assert stitched.tables["episodes"][STITCH].is_null().all()
    assert stitched.tables["header"].height == 2 and stitched.problems == ()
    assert stitched.tables["episodes"].schema[STITCH] == pl.String
