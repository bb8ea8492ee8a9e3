"""verify: a run folder (and, when asked, its extracts and config) against its manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.run.verify import Change, Difference, NotARunFolder, count_rows, describe, summary, verify

# SHA-256 of b"abc" and of nothing, as published (FIPS 180-2 test vector; the empty string).
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
HEADER = "CHILD,SEX,DOB\n0001,1,01/01/2010\n0002,2,01/01/2011\n"
COUNCIL = "[council]\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def run_folder(root: Path) -> Path:
    """A run folder of two files, with the manifest a run would have written for them."""
    folder = root / "2020-10-31"
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "headline.csv").write_text("abc")
    (folder / "run.log").write_text("")
    manifest = {
        "as_at": "2020-10-31",
        "edition": "internal",
        "program": {"name": "lac-report", "version": "0.1.0"},
        "extract": {"folder": "2020-11-02", "latest_date": "2020-11-01"},
        "config": {"files": {"council.toml": f"sha256:{sha(COUNCIL)}"}},
        "inputs": [{"file": "header.csv", "rows": 2, "bytes": len(HEADER), "sha256": sha(HEADER)}],
        "outputs": [
            {"file": "run.log", "bytes": 0, "sha256": EMPTY},
            {"file": "tables/headline.csv", "bytes": 3, "sha256": ABC},
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_a_folder_as_the_run_left_it_verifies(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    result = verify(folder)
    assert result.ok
    assert result.checked == {"output": 2}
    assert summary(folder, result) == f"lac-report: verified: {folder} is as the run left it (2 outputs unchanged)"


def test_changed_missing_and_added_files_are_each_named(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    (folder / "tables" / "headline.csv").write_text("abd")  # same size, different bytes
    (folder / "run.log").unlink()
    (folder / "tables" / "extra.csv").write_text("x")
    result = verify(folder)
    assert [str(d) for d in result.differences] == [
        f"{folder}/run.log: missing",
        f"{folder}/tables/extra.csv: not written by the run",
        f"{folder}/tables/headline.csv: changed since the run (3 bytes then, 3 now)",
    ]
    assert summary(folder, result) == f"lac-report: failed (exit 3): 3 difference(s) between {folder} and its manifest"


def test_a_grown_file_shows_both_sizes(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    (folder / "tables" / "headline.csv").write_text("abc\n")
    assert verify(folder).differences == (
        Difference(f"{folder}/tables/headline.csv", Change.CHANGED, "3 bytes then, 4 now"),
    )


def test_describe_says_what_the_run_was_made_from(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert describe(folder, manifest) == (
        f"lac-report: verify {folder}: as at 2020-10-31, internal edition, lac-report 0.1.0,"
        " from extract folder 2020-11-02 (latest date in it 2020-11-01)"
    )


def test_a_folder_without_a_manifest_is_not_a_run_folder(tmp_path: Path) -> None:
    with pytest.raises(NotARunFolder, match="has no manifest.json: it is not a folder written by lac-report run"):
        verify(tmp_path)


def test_a_damaged_manifest_is_named(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    (folder / "manifest.json").write_text('{"outputs": [')
    with pytest.raises(NotARunFolder, match=r"is not valid JSON \(JSONDecodeError\): it was damaged or edited"):
        verify(folder)
    (folder / "manifest.json").write_text('{"as_at": "2020-10-31"}')
    with pytest.raises(NotARunFolder, match="does not list the run's outputs"):
        verify(folder)


def test_unchanged_extracts_and_config_verify(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    extracts, config = tmp_path / "extracts", tmp_path / "config"
    extracts.mkdir()
    config.mkdir()
    (extracts / "header.csv").write_text(HEADER)
    (extracts / "notes.txt").write_text("not an extract file, so not checked")
    (config / "council.toml").write_text(COUNCIL)
    result = verify(folder, extracts=extracts, config=config)
    assert result.ok
    assert result.checked == {"output": 2, "input": 1, "config file": 1}
    assert summary(folder, result).endswith("(2 outputs, 1 input, 1 config file unchanged)")  # not "1 inputs"


def test_changed_missing_and_unused_extracts_are_named(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    extracts = tmp_path / "extracts"
    extracts.mkdir()
    # A corrected extract: a third child, and a blank line that a run does not count.
    (extracts / "header.csv").write_text(HEADER + "0003,1,01/01/2012\n\n")
    (extracts / "flags.csv").write_text("CHILD,FLAG,START_DATE\n")
    assert [str(d) for d in verify(folder, extracts=extracts).differences] == [
        f"{extracts}/flags.csv: not read by the run",
        f"{extracts}/header.csv: changed since the run (2 rows then, 3 now)",
    ]
    (extracts / "header.csv").unlink()
    assert [str(d) for d in verify(folder, extracts=extracts).differences] == [
        f"{extracts}/flags.csv: not read by the run",
        f"{extracts}/header.csv: missing",
    ]


def test_another_extract_is_named_once_not_file_by_file(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    episodes = "CHILD,DECOM\n0001,01/01/2019\n"
    manifest["inputs"].append({"file": "episodes.csv", "rows": 1, "bytes": len(episodes), "sha256": sha(episodes)})
    (folder / "manifest.json").write_text(json.dumps(manifest))
    # Last month's extract: both files differ, and no date says which extract it is.
    october = tmp_path / "october"
    october.mkdir()
    (october / "header.csv").write_text(HEADER.replace("0002", "0005"))
    (october / "episodes.csv").write_text(episodes.replace("2019", "2018"))
    assert [str(d) for d in verify(folder, extracts=october).differences] == [
        f"{october}: a different extract from the one the run read (none of its 2 files is one the run read"
        " (extract folder 2020-11-02))"
    ]
    # One file the same: the same extract, corrected.
    (october / "episodes.csv").write_text(episodes)
    assert [str(d) for d in verify(folder, extracts=october).differences] == [
        f"{october}/header.csv: changed since the run (2 rows then, 2 now)"
    ]
    # The day each extract was taken tells them apart, whatever their files.
    manifest["extract"]["taken"] = "2020-11-02"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (october / "extract.toml").write_text("taken = 2020-10-02\n")
    assert [str(d) for d in verify(folder, extracts=october).differences] == [
        f"{october}: a different extract from the one the run read (this one was taken 2020-10-02, the run's on"
        " 2020-11-02 (extract folder 2020-11-02))"
    ]
    assert describe(folder, manifest).endswith(
        " from extract folder 2020-11-02 (taken 2020-11-02, latest date in it 2020-11-01)"
    )


def test_changed_and_added_config_files_are_named(tmp_path: Path) -> None:
    folder = run_folder(tmp_path)
    config = tmp_path / "config"
    config.mkdir()
    (config / "council.toml").write_text("[council]\nname = 'x'\n")
    (config / "mapping.toml").write_text("")
    assert [str(d) for d in verify(folder, config=config).differences] == [
        f"{config}/council.toml: changed since the run",
        f"{config}/mapping.toml: not read by the run",
    ]
    (config / "council.toml").unlink()
    assert str(verify(folder, config=config).differences[0]) == f"{config}/council.toml: missing"


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("A,B\n1,2\n3,4\n", "2"),
        ("A,B\n1,2\n\n3,4\n", "2"),  # a blank line is not a row
        ("A,B\n1,2\n,\n", "1"),  # nor is a row of empty cells
        ('A,B\n"x\ny",2\n', "1"),  # a quoted line break stays in its row
        ("A,B\n", "0"),
        ("", "0"),
    ],
)
def test_rows_are_counted_as_a_run_counts_them(tmp_path: Path, text: str, rows: str) -> None:
    path = tmp_path / "file.csv"
    path.write_text(text)
    assert count_rows(path) == rows
