"""mapping.toml: a council's own Mosaic column names and local codes work unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.checks.validate import load_extracts
from pipeline.core.problems import InvalidInput
from pipeline.read.config import InvalidConfig, load_config
from tests.builders import TODAY, write_config
from tests.unit.test_bad_inputs import EPISODES, HEADER, csv_bytes, files, write

MOSAIC_HEADER = ("Person ID", "Gender", "Date of Birth")
MOSAIC_EPISODES = (
    "Person ID", "Episode Start", "Reason New Episode", "Legal Status", "Placement Type", "Provider",
    "Episode End", "Reason Ended",
)  # fmt: skip
MAPPING = """\
[rename.header]
"Person ID" = "CHILD"
Gender = "sex"
"Date of Birth" = "DOB"

[rename.episodes]
"Person ID" = "CHILD"
"Episode Start" = "DECOM"
"Reason New Episode" = "RNE"
"Legal Status" = "LS"
"Placement Type" = "PLACE"
Provider = "PLACE_PROVIDER"
"Episode End" = "DEC"
"Reason Ended" = "REC"

[recode.header.SEX]
Male = "1"
Female = "F"

[recode.episodes.LS]
ICO = "C1"
FCO = "C2"
S20 = "V2"

[recode.episodes.place]
"FOST-IH" = "U4"
"KIN-FOST" = "U1"
"CH-HOME" = "K2"
"FOST-IFA" = "u6"
"""
LOCAL = {
    "1": "Male", "F": "Female", "C1": "ICO", "C2": "FCO", "V2": "S20",
    "U4": " fost-ih ", "U1": "KIN-FOST", "K2": "CH-HOME", "U6": "Fost-IFA",
}  # fmt: skip


def mosaic_extract() -> dict[str, bytes | None]:
    """The clean extract as the council's Mosaic report writes it: its own names and codes."""
    header = [(r[0], LOCAL[r[1]], r[2]) for r in HEADER]
    episodes = [(*r[:3], LOCAL[r[3]], LOCAL[r[4]], *r[5:]) for r in EPISODES]
    return files(csv_bytes(MOSAIC_HEADER, header), csv_bytes(MOSAIC_EPISODES, episodes))


def config_with(folder: Path, mapping: str) -> Path:
    write_config(folder)
    (folder / "mapping.toml").write_text(mapping, encoding="utf-8")
    return folder


def test_a_mapped_council_extract_reads_exactly_like_the_contract_one(tmp_path: Path) -> None:
    config = load_config(config_with(tmp_path / "config", MAPPING))
    mapped = load_extracts(write(tmp_path / "mosaic", mosaic_extract()), config.mapping, encoding="utf-8", today=TODAY)
    clean = load_extracts(
        write(tmp_path / "clean", files()),
        load_config(write_config(tmp_path / "plain")).mapping,
        encoding="utf-8",
        today=TODAY,
    )
    assert mapped.header.equals(clean.header)
    assert mapped.episodes.equals(clean.episodes)
    assert mapped.warnings == () and mapped.inputs[0].extra_columns == ()
    assert sorted(config.digests) == ["council.toml", "mapping.toml"]  # the mapping is part of the run's record


def test_the_command_line_uses_the_mapping_from_the_config_folder(tmp_path: Path) -> None:
    config = config_with(tmp_path / "config", MAPPING)
    extracts = write(tmp_path / "mosaic", mosaic_extract())
    result = CliRunner().invoke(
        cli.app, ["validate", "--extracts", str(extracts), "--config", str(config), "--as-at", "2020-10-31"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "lac-report: valid: header.csv 3, episodes.csv 4; 0 warnings"


def test_a_local_code_the_mapping_does_not_know_is_quoted_as_written(tmp_path: Path) -> None:
    config = load_config(config_with(tmp_path / "config", MAPPING))
    extract = mosaic_extract()
    extract["episodes.csv"] = extract["episodes.csv"].replace(b"CH-HOME", b"CH-SECURE")  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as raised:
        load_extracts(write(tmp_path / "mosaic", extract), config.mapping, encoding="utf-8", today=TODAY)
    assert [str(p) for p in raised.value.problems] == [
        "episodes.csv:3: PLACE: 'CH-SECURE' is not a known PLACE code (expected A3, A4, A5, A6, H5, K1, K2, K3, P1,"
        " P2, P3, R1, ...) [CELL_CODE]"
    ]


def test_a_rename_onto_a_column_the_file_already_has_is_named(tmp_path: Path) -> None:
    config = load_config(config_with(tmp_path / "config", '[rename.episodes]\n"Placement Type" = "PLACE"\n'))
    episodes = csv_bytes(("Placement Type", *[c for c in MOSAIC_EPISODES if c != "Placement Type"]), [])
    extract = files() | {"episodes.csv": episodes.replace(b"Person ID,", b"CHILD,PLACE,")}
    with pytest.raises(InvalidInput) as raised:
        load_extracts(write(tmp_path / "extract", extract), config.mapping, encoding="utf-8", today=TODAY)
    assert (
        "episodes.csv:1: PLACE: the column appears more than once (mapping.toml renames 'Placement Type' to it)"
        " [COLUMN_DUPLICATE]" in [str(p) for p in raised.value.problems]
    )


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        (
            '[rename.header]\n"Person ID" = "CHILD"\nID = "child"\n',
            "mapping.toml:0: rename: header: 'Person ID' and 'ID' are both renamed to CHILD [CONFIG_INVALID]",
        ),
        (
            '[recode.episodes.DECOM]\n"today" = "01/01/2020"\n',
            "mapping.toml:0: recode: episodes.DECOM: only code columns can be recoded (DECOM is a date)"
            " [CONFIG_INVALID]",
        ),
        (
            '[recode.episodes.PLACE]\nFOST = "U7"\n',
            "mapping.toml:0: recode: episodes.PLACE.FOST: 'U7' is not a PLACE code [CONFIG_INVALID]",
        ),
        (
            '[recode.episodes.PLACE]\nfost = "U4"\nFOST = "U5"\n',
            "mapping.toml:0: recode: episodes.PLACE: a local code is listed twice (codes are matched in any case)"
            " [CONFIG_INVALID]",
        ),
        (
            '[recode.episodes.PLACEMENT]\nFOST = "U4"\n',
            "mapping.toml:0: recode: episodes.PLACEMENT: not a column of episodes.csv [CONFIG_INVALID]",
        ),
        (
            '[rename.placements]\nx = "CHILD"\n',
            "mapping.toml:0: rename.placements.[key]: Input should be 'header', 'episodes', 'echo', 'legal', 'flags',"
            " 'factors' or 'uasc' [CONFIG_INVALID]",
        ),
        ('rename = "CHILD"\n', "mapping.toml:0: rename: Input should be a valid dictionary [CONFIG_INVALID]"),
        (
            "[recode.episodes.PLACE]\nFOST = 4\n",
            "mapping.toml:0: recode.episodes.PLACE.FOST: Input should be a valid string [CONFIG_INVALID]",
        ),
        (
            "[rename.header\n",
            "mapping.toml:1: -: not valid TOML: Expected ']' at the end of a table declaration [CONFIG_SYNTAX]",
        ),
    ],
    ids=[
        "two-names-one-column",
        "recode-a-date",
        "recode-onto-an-unknown-code",
        "local-code-twice",
        "recode-an-unknown-column",
        "unknown-file",
        "rename-not-a-table",
        "code-not-text",
        "toml-syntax",
    ],  # fmt: skip
)
def test_a_wrong_mapping_names_the_key_and_what_was_expected(tmp_path: Path, mapping: str, expected: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        load_config(config_with(tmp_path, mapping))
    assert [str(p) for p in raised.value.problems] == [expected]


def test_a_wrong_mapping_entry_is_reported_alone_and_the_rest_of_the_mapping_still_applies(tmp_path: Path) -> None:
    # One rename onto a column that does not exist: the other renames still find their columns.
    wrong = MAPPING.replace('"Reason Ended" = "REC"', '"Reason Ended" = "REC"\n"Worker" = "SOCIAL_WORKER"')
    config = config_with(tmp_path / "config", wrong)
    extracts = write(tmp_path / "mosaic", mosaic_extract())
    result = CliRunner().invoke(
        cli.app, ["validate", "--extracts", str(extracts), "--config", str(config), "--as-at", "2020-10-31"]
    )
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "mapping.toml:0: rename: episodes.Worker: 'SOCIAL_WORKER' is not a column of episodes.csv [CONFIG_INVALID]",
        "lac-report: failed (exit 3): invalid input: 1 error(s) to fix (mapping.toml 1); nothing was written",
    ]


def test_every_wrong_mapping_entry_is_reported_on_its_own(tmp_path: Path) -> None:
    wrong = (
        '[rename.episodes]\n"Start" = "STARTED"\n"End" = "ENDED"\n"Person ID" = "CHILD"\n\n'
        '[recode.episodes.PLACE]\nFOST = "U7"\nKIN = "U1"\nRES = "K9"\n'
    )
    with pytest.raises(InvalidConfig) as raised:
        load_config(config_with(tmp_path, wrong))
    assert [str(p) for p in raised.value.problems] == [
        "mapping.toml:0: recode: episodes.PLACE.FOST: 'U7' is not a PLACE code [CONFIG_INVALID]",
        "mapping.toml:0: recode: episodes.PLACE.RES: 'K9' is not a PLACE code [CONFIG_INVALID]",
        "mapping.toml:0: rename: episodes.End: 'ENDED' is not a column of episodes.csv [CONFIG_INVALID]",
        "mapping.toml:0: rename: episodes.Start: 'STARTED' is not a column of episodes.csv [CONFIG_INVALID]",
    ]
    usable = raised.value.mapping
    assert usable.renames_for("episodes") == {"PERSON ID": "CHILD"}
    assert usable.recodes_for("episodes") == {"PLACE": {"KIN": "U1"}}


def test_a_mapping_of_the_wrong_shape_keeps_its_well_formed_tables(tmp_path: Path) -> None:
    wrong = (
        '[rename.placements]\nx = "CHILD"\n\n[rename.header]\n"Person ID" = "CHILD"\n\n'
        "[recode.episodes.PLACE]\nFOST = 4\n"
    )
    with pytest.raises(InvalidConfig) as raised:
        load_config(config_with(tmp_path, wrong))
    assert [str(p) for p in raised.value.problems] == [
        "mapping.toml:0: recode.episodes.PLACE.FOST: Input should be a valid string [CONFIG_INVALID]",
        "mapping.toml:0: rename.placements.[key]: Input should be 'header', 'episodes', 'echo', 'legal', 'flags',"
        " 'factors' or 'uasc' [CONFIG_INVALID]",
    ]
    assert raised.value.mapping.renames_for("header") == {"PERSON ID": "CHILD"}


def test_the_mapping_names_every_file_of_the_contract_and_no_other() -> None:
    """``_FILE_STEMS`` is written out for the type checker and pydantic: it stays in step with the schema."""
    from typing import get_args

    from pipeline.read import mapping
    from pipeline.read.schema import FILES

    assert set(get_args(mapping._FILE_STEMS)) == {spec.stem for spec in FILES}
