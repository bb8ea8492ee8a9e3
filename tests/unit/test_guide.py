"""The analyst guide (docs/) says what the code does: its column tables and its mapping example."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.read.config import load_config
from pipeline.read.schema import FILES
from tests.builders import COUNCIL_TOML, load, write_csv

DOCS = Path(__file__).resolve().parents[2] / "docs"
MAPPING = (DOCS / "mapping.md").read_text(encoding="utf-8")


def documented_columns(file: str) -> list[tuple[str, bool]]:
    """The rows of the guide's table under '### <file>': (column, required)."""
    section = MAPPING.split(f"### {file}\n", 1)[1].split("\n#", 1)[0]
    return [(name, flag == "required") for name, flag in re.findall(r"^\| `(\w+)` \| (required)? ?\|", section, re.M)]


def test_the_guide_lists_every_column_of_every_extract_file_as_the_code_reads_it() -> None:
    for spec in FILES:
        assert documented_columns(spec.name) == [(c.name, c.required) for c in spec.columns], spec.name


def test_the_mapping_example_reads_a_mosaic_export_with_other_names_and_codes(tmp_path: Path) -> None:
    example = re.search(r"```toml\n(.*?)```", MAPPING, re.S)
    assert example is not None
    config = tmp_path / "config"
    config.mkdir()
    (config / "council.toml").write_text(COUNCIL_TOML)
    (config / "mapping.toml").write_text(example[1])
    mapping = load_config(config).mapping
    extract = tmp_path / "extract"
    extract.mkdir()
    write_csv(extract / "header.csv", ("Person ID", "Gender", "Date of Birth"), [("0001", "Female", "01/01/2010")])
    episodes = ("Person ID", "Episode Start", "Reason New Episode", "Legal Status", "Placement Type", "Provider")
    episodes += ("Episode End", "Reason Ceased")
    write_csv(
        extract / "episodes.csv",
        episodes,
        [
            ("0001", "01/01/2019", "S", "interim care order", "U4", "PR1", "01/03/2019", "X1"),
            ("0001", "01/03/2019", "L", " Full care order ", "U4", "PR1", "", ""),
        ],
    )
    loaded = load(extract, mapping=mapping)
    assert loaded.header.select("CHILD", "SEX").rows() == [("0001", "2")]
    assert loaded.episodes["LS"].to_list() == ["C1", "C2"]
    assert loaded.warnings == ()


def test_every_link_in_the_guide_leads_to_a_file() -> None:
    pages = [*DOCS.glob("*.md"), DOCS.parent / "README.md", DOCS.parent / "deploy" / "README.md"]
    broken = [
        f"{page.name}: {target}"
        for page in pages
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]
    assert broken == []
