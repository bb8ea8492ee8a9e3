"""Messages that state only what the data shows: one regression test for each false message the
first users found (issue 12), and the cells a rule reads checked mechanically.

- A chain of episodes is judged on all of the child's episodes, whatever their order.
- A cell that failed to read is never taken for an empty one (a bad DEC for an open episode),
  and a child with such a cell is left out of the rules across its episodes, with a note.
- The same episode listed twice with different content is one error naming both lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks.catalogue import catalogue, rule
from pipeline.checks.readable import cells_of
from pipeline.checks.validate import load_extracts
from pipeline.core.problems import InvalidInput
from pipeline.read.mapping import Mapping
from pipeline.read.schema import FILES_BY_NAME, Kind
from tests.builders import EPISODE_COLUMNS, TODAY
from tests.unit.test_bad_inputs import CASES, HEADER, Case, csv_bytes, files, header, write

Row = tuple[str, ...]
ADULT = ("QX0004", "2", "01/03/2001")  # 18 on 1 March 2019
# The rules of episodes.csv that look at all of a child's episodes, in catalogue order.
ACROSS_EPISODES = ", ".join(
    r.id for r in catalogue() if r.file == "episodes.csv" and any(a.startswith("episodes.") for a in r.across)
)


def outcome(folder: Path) -> tuple[list[str], list[str]]:
    """Every problem of the extract as text, and the notes of what was not checked."""
    try:
        loaded = load_extracts(folder, Mapping(), encoding="utf-8", today=TODAY)
    except InvalidInput as invalid:
        return [str(p) for p in invalid.problems], invalid.notes
    return [str(p) for p in loaded.warnings], []


def extract(tmp_path: Path, rows: list[Row], people: list[Row] = HEADER) -> Path:
    return write(tmp_path, files(header(people), csv_bytes(EPISODE_COLUMNS, rows)))


# ---- chains judged on the whole set of the child's episodes -----------------------------------

OUT_OF_STEP = [
    ("QX0002", "01/01/2017", "S", "C2", "U4", "PR1", "16/09/2017", "X1"),  # line 2
    ("QX0002", "16/09/2017", "P", "C2", "U4", "PR1", "", ""),  # line 3: follows line 2 the same day
    ("QX0002", "01/03/2017", "S", "C2", "U6", "PR4", "01/04/2017", "E4A"),  # line 4: inside line 2
]


def test_an_x1_chain_is_not_broken_by_an_overlapping_episode_between_its_links(tmp_path: Path) -> None:
    # By start date line 4 comes between lines 2 and 3; line 3 still starts the day line 2 ends X1.
    found, notes = outcome(extract(tmp_path, OUT_OF_STEP))
    assert found == [
        "episodes.csv:4: DECOM: the episode (01/03/2017 to 01/04/2017) overlaps the child's episode on line 2"
        " (01/01/2017 to 16/09/2017) [EPISODE_OVERLAP]"
    ]
    assert notes == []


def test_the_same_episodes_in_any_order_give_the_same_messages(tmp_path: Path) -> None:
    found, _ = outcome(extract(tmp_path, list(reversed(OUT_OF_STEP))))  # lines 4, 3, 2 become 2, 3, 4
    assert found == [
        "episodes.csv:2: DECOM: the episode (01/03/2017 to 01/04/2017) overlaps the child's episode on line 4"
        " (01/01/2017 to 16/09/2017) [EPISODE_OVERLAP]"
    ]


def test_an_episode_overlapping_an_earlier_one_is_named_even_when_another_lies_between(tmp_path: Path) -> None:
    rows = [
        ("QX0002", "01/01/2017", "S", "C2", "U4", "PR1", "01/12/2017", "E4A"),  # line 2: all year
        ("QX0002", "01/02/2017", "S", "C2", "U6", "PR4", "01/03/2017", "E4A"),  # line 3: inside it
        ("QX0002", "01/05/2017", "S", "C2", "U6", "PR4", "01/06/2017", "E4A"),  # line 4: inside line 2, after line 3
    ]
    found, _ = outcome(extract(tmp_path, rows))
    assert found == [
        "episodes.csv:3: DECOM: the episode (01/02/2017 to 01/03/2017) overlaps the child's episode on line 2"
        " (01/01/2017 to 01/12/2017) [EPISODE_OVERLAP]",
        "episodes.csv:4: DECOM: the episode (01/05/2017 to 01/06/2017) overlaps the child's episode on line 2"
        " (01/01/2017 to 01/12/2017) [EPISODE_OVERLAP]",
    ]


def test_an_x1_change_on_one_day_with_nothing_after_it_says_no_other_episode(tmp_path: Path) -> None:
    rows = [("QX0002", "01/01/2017", "S", "C2", "U4", "PR1", "01/01/2017", "X1")]
    found, _ = outcome(extract(tmp_path, rows))
    assert found == [
        "episodes.csv:2: REC: REC is X1 (a new episode follows the same day) but no other episode of the child"
        " starts on 01/01/2017 [EPISODE_X1_BROKEN]"
    ]


# ---- a cell that failed to read is not an empty one -------------------------------------------


def test_an_end_date_that_failed_to_read_is_not_an_open_episode(tmp_path: Path) -> None:
    rows = [
        ("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "22/02/19", "E8"),  # line 2: ended before 18, year cut short
        ("QX0002", "01/01/2017", "S", "C2", "U4", "PR1", "16/09/17", "X1"),  # line 3: its next link is line 4
        ("QX0002", "16/09/2017", "P", "C2", "U4", "PR1", "", ""),  # line 4
        ("QX0003", "01/01/2019", "S", "C2", "U4", "PR1", "01/02/2019", "E4A"),  # line 5: another child
        ("QX0003", "01/01/2020", "P", "C2", "U4", "PR1", "", ""),  # line 6: a new period, not RNE S
    ]
    found, notes = outcome(extract(tmp_path, rows, [*HEADER, ADULT]))
    # Not "goes on past the 18th birthday" for line 2, not "a new period of care" for line 4.
    assert found == [
        "episodes.csv:2: DEC: '22/02/19' has a two-digit year: write dates as dd/mm/yyyy [CELL_DATE]",
        "episodes.csv:3: DEC: '16/09/17' has a two-digit year: write dates as dd/mm/yyyy [CELL_DATE]",
        "episodes.csv:6: RNE: the episode starts a new period of care but RNE is 'P', not S [EPISODE_NEW_PERIOD_NOT_S]",
    ]
    assert notes == [
        f"2 children were not checked by {ACROSS_EPISODES}, as a cell of their rows failed to read"
        " (episodes.csv: DEC on 2 rows): fix those cells and run again to check them"
    ]


def test_a_child_that_failed_to_read_leaves_every_child_unchecked_across_episodes(tmp_path: Path) -> None:
    rows = [
        ("QX0002", "01/01/2017", "S", "C2", "U4", "PR1", "16/09/2017", "X1"),  # line 2: its next link may be line 3
        ("", "16/09/2017", "P", "C2", "U4", "PR1", "", ""),  # line 3: whose?
    ]
    found, notes = outcome(extract(tmp_path, rows))
    assert found == ["episodes.csv:3: CHILD: a value is required [CELL_REQUIRED]"]
    assert len(notes) == 1
    assert notes == [
        f"no child was checked by {ACROSS_EPISODES}, as a CHILD failed to read and its row could be any child's"
        " (episodes.csv: CHILD on 1 row): fix those cells and run again to check them"
    ]


# ---- the same episode listed twice ------------------------------------------------------------


def test_an_episode_listed_twice_with_different_end_dates_is_one_error_naming_both_lines(tmp_path: Path) -> None:
    # Two annual returns joined: the episode was open at the first year end and closed in the second.
    rows = [
        ("QX0002", "01/04/2017", "S", "C2", "U4", "PR1", "", ""),  # line 2: the first return
        ("QX0002", "16/09/2017", "P", "C2", "U6", "PR4", "03/02/2018", "X1"),  # line 3
        ("QX0002", "03/02/2018", "P", "C2", "U6", "PR4", "", ""),  # line 4
        ("QX0002", "01/04/2017", "S", "C2", "U4", "PR1", "16/09/2017", "X1"),  # line 5: the second return
    ]
    found, _ = outcome(extract(tmp_path, rows))
    assert found == [
        "episodes.csv:5: DEC: the episode appears twice with different DEC and REC (lines 2 and 5):"
        " DEC empty and 16/09/2017, REC empty and 'X1' [EPISODE_DUPLICATE]"
    ]


def test_an_episode_listed_twice_with_one_difference_quotes_both_values(tmp_path: Path) -> None:
    rows = [
        ("QX0002", "01/04/2017", "S", "C2", "U4", "PR1", "16/09/2017", "X1"),  # line 2
        ("QX0002", "16/09/2017", "P", "C2", "U6", "PR4", "", ""),  # line 3
        ("QX0002", "01/04/2017", "S", "C2", "U4", "PR1", "03/02/2018", "X1"),  # line 4
        ("QX0002", "01/04/2017", "S", "C2", "U4", "PR1", "16/09/2017", "X1"),  # line 5: line 2 again
    ]
    found, _ = outcome(extract(tmp_path, rows))
    assert found == [
        "episodes.csv:4: DEC: the episode appears twice with different DEC (lines 2 and 4): 16/09/2017 and 03/02/2018"
        " [EPISODE_DUPLICATE]",
        "episodes.csv:5: DECOM: the same episode is already on line 2 [EPISODE_DUPLICATE]",
    ]


def test_an_episode_listed_open_and_closed_is_not_judged_as_still_open(tmp_path: Path) -> None:
    rows = [
        ("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "01/02/2019", "E8"),  # line 2: ended before 18
        ("QX0004", "01/01/2018", "S", "C2", "U4", "PR1", "", ""),  # line 3: the same, from an earlier return
    ]
    found, _ = outcome(extract(tmp_path, rows, [*HEADER, ADULT]))
    # Not also "goes on past the child's 18th birthday" for line 3, nor an overlap.
    assert found == [
        "episodes.csv:3: DEC: the episode appears twice with different DEC and REC (lines 2 and 3):"
        " DEC 01/02/2019 and empty, REC 'E8' and empty [EPISODE_DUPLICATE]"
    ]


def test_changes_on_one_day_are_not_an_episode_listed_twice(tmp_path: Path) -> None:
    rows = [
        ("QX0002", "01/01/2020", "L", "C1", "U6", "PR4", "01/01/2020", "X1"),  # line 2: legal status changes
        ("QX0002", "01/01/2020", "S", "V2", "U6", "PR4", "01/01/2020", "X1"),  # line 3: the period starts
        ("QX0002", "01/01/2020", "P", "C1", "U4", "PR1", "", ""),  # line 4: the placement that lasts
    ]
    assert outcome(extract(tmp_path, rows)) == ([], [])


# ---- each rule's cells, checked mechanically --------------------------------------------------

UNREADABLE = {Kind.DATE: "22/02/16", Kind.CODE: "??", Kind.ID: "1.2E+05"}  # a value of each kind that cannot be read


def corrupted(case: Case, stem: str, column: str, line: int) -> dict[str, bytes | None] | None:
    """The case's broken extract with ``stem``'s ``column`` unreadable on ``line``, if it has that cell."""
    content = case.bad.get(f"{stem}.csv")
    kind = FILES_BY_NAME[f"{stem}.csv"].column(column).kind
    if not isinstance(content, bytes) or kind not in UNREADABLE:
        return None
    rows = [row.split(",") for row in content.decode().splitlines()]
    names = [name.strip().upper() for name in rows[0]]
    if column not in names or not 2 <= line <= len(rows):
        return None
    rows[line - 1][names.index(column)] = UNREADABLE[kind]
    return case.bad | {f"{stem}.csv": ("\n".join(",".join(r) for r in rows) + "\n").encode()}


def rule_messages(problems: list[str], rule_id: str) -> list[str]:
    return [p for p in problems if p.endswith(f"[{rule_id}]")]


ACROSS_CASES = [c for c in CASES if rule(c.rule).check is not None]


def cells_to_corrupt(case: Case, line: int) -> list[tuple[str, str, int]]:
    """Every cell of the reported line, and of its child's header row: (stem, column, line)."""
    stem = Path(rule(case.rule).file).stem
    cells = [(stem, c.name, line) for c in FILES_BY_NAME[f"{stem}.csv"].columns]
    content = case.bad.get(f"{stem}.csv")
    people = case.bad.get("header.csv")
    if stem != "header" and isinstance(content, bytes) and isinstance(people, bytes):
        child = content.decode().splitlines()[line - 1].split(",")[0]
        ids = [row.split(",")[0] for row in people.decode().splitlines()]
        if child in ids:
            cells += [("header", c.name, ids.index(child) + 1) for c in FILES_BY_NAME["header.csv"].columns]
    return cells


@pytest.mark.parametrize("case", ACROSS_CASES, ids=[c.name for c in ACROSS_CASES])
def test_a_rule_never_reasons_from_a_cell_that_failed_to_read(tmp_path: Path, case: Case) -> None:
    """For each broken extract, make each cell of the reported line (and of its child's header row)
    unreadable in turn: a cell the rule reads silences its message about that line; a cell it does
    not read changes nothing."""
    checked = rule(case.rule)
    line = int(case.expected.split(":")[1])
    own = Path(checked.file).stem
    before, _ = outcome(write(tmp_path / "before", case.bad))
    reads, across = cells_of(checked.reads, own), cells_of(checked.across, own)
    tried = 0
    for stem, column, row in cells_to_corrupt(case, line):
        extract_ = corrupted(case, stem, column, row)
        if extract_ is None:
            continue
        tried += 1
        after, _ = outcome(write(tmp_path / f"{stem}-{column}", extract_))
        messages = rule_messages(after, case.rule)
        # A row whose CHILD failed to read could be any child's: a rule across a child's rows skips them all.
        read = column in reads.get(stem, ()) or column in across.get(stem, ()) or (column == "CHILD" and stem in across)
        if read:
            assert not [m for m in messages if m.split(":")[1] == str(line)], (stem, column, messages)
        else:
            assert messages == rule_messages(before, case.rule), (stem, column)
    assert tried >= 3


def test_every_rule_across_rows_says_which_cells_it_reads() -> None:
    checked = [r for r in catalogue() if r.check is not None]
    assert [r.id for r in checked if not r.reads and not r.across] == []
    for each in checked:
        for refs in (each.reads, each.across):
            for stem, columns in cells_of(refs, Path(each.file).stem).items():
                known = {c.name for c in FILES_BY_NAME[f"{stem}.csv"].columns}
                assert columns <= known, (each.id, columns - known)
