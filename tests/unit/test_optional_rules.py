"""Rules of the optional extracts: every problem with its file, line, column and rule; warnings
where the contract says the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.problems import InvalidInput
from tests.builders import child, episode, load, write_csv, write_extract

HEADER = [child("0001"), child("0002"), child("0003")]
EPISODES = [
    episode("0001", "01/01/2020"),  # in care from 1 January 2020
    episode("0002", "01/01/2019", dec="01/06/2020", rec="E4A"),  # went home on 1 June 2020
    episode("0003", "01/01/2019", dec="01/03/2020", rec="X1"),
    episode("0003", "01/03/2020", rne="P", place="P1", provider="PR0"),  # placed with parents 1 March 2020
]
LEGAL = ("CHILD", "ROUTE", "PLANNED_DATE", "REFERRED_DATE", "ISSUED_DATE", "CONCLUDED_DATE", "OUTCOME")
ECHO = ("FAMILY", "CHILD", "STRAND", "REFERRAL_DATE", "START_DATE", "END_DATE", "OUTCOME")
FLAGS = ("CHILD", "FLAG", "START_DATE", "END_DATE")
FACTORS = ("CHILD", "FAMILY", "ASSESSMENT_DATE", "FACTORS", "LEVEL")


def extract(folder: Path, **files: tuple[tuple[str, ...], list[tuple[str, ...]]]) -> Path:
    """The core files above plus the optional files given as ``stem=(columns, rows)``."""
    write_extract(folder, HEADER, EPISODES)
    for stem, (columns, rows) in files.items():
        write_csv(folder / f"{stem}.csv", columns, rows)
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        load(folder)
    return [str(p) for p in raised.value.problems]


def test_clean_optional_files_load_with_no_problem(tmp_path: Path) -> None:
    extracts = load(
        extract(
            tmp_path,
            legal=(LEGAL, [("0001", "SGO", "01/02/2020", "01/02/2020", "01/03/2020", "01/03/2020", "GRANTED")]),
            echo=(ECHO, [("F1", "9999", "PREVENTION", "01/04/2020", "01/04/2020", "", "")]),
            flags=(FLAGS, [("0001", "LT_MATCH", "01/05/2020", "01/05/2020")]),
            factors=(FACTORS, [("9999", "F1", "01/05/2020", "3B;21", "CIN")]),
        )
    )
    assert extracts.warnings == ()
    assert extracts.legal is not None and extracts.legal.height == 1


def test_legal_problems(tmp_path: Path) -> None:
    rows = [
        ("0001", "SGO", "01/03/2020", "", "01/02/2020", "", ""),  # issued before planned (no referral)
        ("0001", "CAO", "", "01/02/2020", "01/03/2020", "01/01/2020", "GRANTED"),  # concluded before issued
        ("0002", "SGO", "", "", "", "01/01/2020", ""),  # concluded with no outcome
        ("0002", "SGO", "", "", "", "", "REFUSED"),  # outcome with no date
        ("SECRET", "REUNIFICATION", "01/01/2020", "", "", "", ""),  # not in header.csv
    ]
    order = "the stages go PLANNED <= REFERRED <= ISSUED <= CONCLUDED [LEGAL_DATES_OUT_OF_ORDER]"
    assert problems_of(extract(tmp_path, legal=(LEGAL, rows))) == [
        f"legal.csv:2: ISSUED_DATE: ISSUED_DATE (01/02/2020) is before PLANNED_DATE (01/03/2020): {order}",
        f"legal.csv:3: CONCLUDED_DATE: CONCLUDED_DATE (01/01/2020) is before ISSUED_DATE (01/03/2020): {order}",
        "legal.csv:4: OUTCOME: the application has a CONCLUDED_DATE but no OUTCOME [LEGAL_OUTCOME_PAIR]",
        "legal.csv:5: CONCLUDED_DATE: the application has an OUTCOME but no CONCLUDED_DATE [LEGAL_OUTCOME_PAIR]",
        "legal.csv:6: CHILD: the child is not in header.csv [LEGAL_ORPHAN]",
    ]


def test_echo_errors(tmp_path: Path) -> None:
    rows = [
        ("F1", "0001", "PREVENTION", "01/04/2020", "01/05/2020", "30/04/2020", ""),  # ends before it starts
        ("F1", "0001", "PREVENTION", "01/04/2020", "31/03/2020", "", ""),  # starts before referral
        ("F2", "0002", "PREVENTION", "01/04/2020", "01/05/2020", "01/06/2020", "RETURNED_HOME"),  # other strand's
    ]
    assert problems_of(extract(tmp_path, echo=(ECHO, rows))) == [
        "echo.csv:2: END_DATE: END_DATE (30/04/2020) is before START_DATE (01/05/2020) [ECHO_END_BEFORE_START]",
        "echo.csv:3: START_DATE: START_DATE (31/03/2020) is before REFERRAL_DATE (01/04/2020)"
        " [ECHO_START_BEFORE_REFERRAL]",
        "echo.csv:4: OUTCOME: 'RETURNED_HOME' is not an outcome of the PREVENTION strand"
        " (expected REMAINED_HOME, ENTERED_CARE, WITHDRAWN) [ECHO_OUTCOME_STRAND]",
    ]


def test_recorded_echo_outcomes_the_episodes_contradict_are_warnings(tmp_path: Path) -> None:
    rows = [
        ("F1", "0001", "PREVENTION", "01/12/2019", "01/12/2019", "01/02/2020", "REMAINED_HOME"),  # came into care
        ("F2", "7777", "PREVENTION", "01/12/2019", "01/12/2019", "01/02/2020", "ENTERED_CARE"),  # never in care
        ("F3", "0001", "REUNIFICATION", "01/04/2020", "01/04/2020", "01/05/2020", "RETURNED_HOME"),  # still in care
        ("F4", "0002", "REUNIFICATION", "01/04/2020", "01/04/2020", "", "REMAIN_IN_CARE"),  # went home in June
        ("F5", "0003", "REUNIFICATION", "01/01/2020", "01/01/2020", "01/04/2020", "RETURN_PLANNED"),  # P1 in March
        ("F6", "0002", "REUNIFICATION", "01/04/2020", "01/04/2020", "01/07/2020", "RETURNED_HOME"),  # agrees
        ("F7", "0003", "REUNIFICATION", "01/04/2020", "01/04/2020", "", "WITHDRAWN"),  # nothing to contradict
        ("F8", "0001", "PREVENTION", "01/01/2020", "01/01/2020", "01/02/2020", "ENTERED_CARE"),  # agrees (on START)
    ]
    warnings = [str(w) for w in load(extract(tmp_path, echo=(ECHO, rows))).warnings]
    uses = "the report uses the episodes [ECHO_OUTCOME_CONTRADICTED]"
    assert warnings == [
        "echo.csv:2: OUTCOME: OUTCOME is 'REMAINED_HOME' but the episodes say a period of care started during the"
        f" involvement: {uses}",
        "echo.csv:3: OUTCOME: OUTCOME is 'ENTERED_CARE' but the episodes say no period of care started during the"
        f" involvement: {uses}",
        "echo.csv:4: OUTCOME: OUTCOME is 'RETURNED_HOME' but the episodes say the child did not go home during the"
        f" involvement (no REC E4A/E4B and no P1 placement): {uses}",
        "echo.csv:5: OUTCOME: OUTCOME is 'REMAIN_IN_CARE' but the episodes say the child went home during the"
        f" involvement (REC E4A/E4B or a P1 placement): {uses}",
        "echo.csv:6: OUTCOME: OUTCOME is 'RETURN_PLANNED' but the episodes say the child went home during the"
        f" involvement (REC E4A/E4B or a P1 placement): {uses}",
    ]


def test_flag_problems(tmp_path: Path) -> None:
    rows = [
        ("0001", "LT_MATCH", "01/05/2020", "30/04/2020"),  # ends before it starts
        ("SECRET", "RES_NO_FOSTER", "01/05/2020", ""),  # not in header.csv
        ("0001", "CHILD_PROTECTION", "01/05/2020", ""),  # a flag the report does not use: warning
    ]
    assert problems_of(extract(tmp_path, flags=(FLAGS, rows))) == [
        "flags.csv:2: END_DATE: END_DATE (30/04/2020) is before START_DATE (01/05/2020) [FLAG_END_BEFORE_START]",
        "flags.csv:3: CHILD: the child is not in header.csv [FLAG_ORPHAN]",
        "flags.csv:4: FLAG: 'CHILD_PROTECTION' is not a flag the report uses (LT_MATCH, RES_NO_FOSTER,"
        " RES_ASSESSED_NEED): ignored [FLAG_UNKNOWN]",
    ]


def test_unknown_flags_and_factors_are_warnings_once_per_code(tmp_path: Path) -> None:
    factors = [
        ("9001", "F1", "01/05/2020", "3B;9z;X", "CIN"),  # two unknown codes
        ("9002", "F2", "01/05/2020", '"1b, 4B ,18A"', "CP"),  # all known (18A is historic)
        ("9003", "F3", "01/05/2020", "Q1;9Z", "CLA"),  # 9Z again: counted on the first line's warning
    ]
    flags = [
        ("0001", "lt_match", "01/05/2020", ""),  # codes are matched in any case
        ("0001", "OTHER", "01/05/2020", ""),
        ("0002", "OTHER", "01/06/2020", ""),
        ("0002", "OTHER", "01/07/2020", ""),
    ]
    extracts = load(extract(tmp_path, flags=(FLAGS, flags), factors=(FACTORS, factors)))
    assert [str(w) for w in extracts.warnings] == [
        "factors.csv:2: FACTORS: '9Z' is not a CIN assessment factor code: ignored (on 2 rows, the first here)"
        " [FACTORS_UNKNOWN]",
        "factors.csv:2: FACTORS: 'X' is not a CIN assessment factor code: ignored [FACTORS_UNKNOWN]",
        "factors.csv:4: FACTORS: 'Q1' is not a CIN assessment factor code: ignored [FACTORS_UNKNOWN]",
        "flags.csv:3: FLAG: 'OTHER' is not a flag the report uses (LT_MATCH, RES_NO_FOSTER, RES_ASSESSED_NEED):"
        " ignored (on 3 rows, the first here) [FLAG_UNKNOWN]",
    ]


def test_optional_file_rules_run_even_when_the_core_files_are_broken(tmp_path: Path) -> None:
    extract(tmp_path, legal=(LEGAL, [("0001", "SGO", "01/03/2020", "01/02/2020", "", "", "")]))
    (tmp_path / "episodes.csv").write_text("CHILD,DECOM\n0001,01/01/2020\n")  # columns missing
    found = problems_of(tmp_path)
    assert any(f.endswith("[COLUMN_MISSING]") for f in found)
    assert any(f.startswith("legal.csv:2: REFERRED_DATE:") for f in found)


def test_messages_never_quote_child_or_family_identifiers(tmp_path: Path) -> None:
    text = "\n".join(
        problems_of(
            extract(
                tmp_path,
                legal=(LEGAL, [("SECRET1", "SGO", "", "", "", "01/01/2020", "")]),
                echo=(ECHO, [("SECRET2", "SECRET3", "PREVENTION", "01/04/2020", "01/05/2020", "01/01/2020", "")]),
                flags=(FLAGS, [("SECRET4", "LT_MATCH", "01/05/2020", "")]),
            )
        )
    )
    assert "SECRET" not in text
    assert "[LEGAL_ORPHAN]" in text and "[ECHO_END_BEFORE_START]" in text and "[FLAG_ORPHAN]" in text
