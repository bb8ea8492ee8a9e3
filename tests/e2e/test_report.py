"""The report end to end: an accessible tagged PDF, its HTML twin, the public edition, commentary."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pdfua import validate
from typer.testing import CliRunner

from pipeline import cli
from tests.builders import write_config, write_extract
from tests.e2e.test_cli import EPISODES, HEADER

AS_AT = "2020-10-31"
TITLE = "Looked after children reduction update: Testshire, 31 October 2020"
COMMENTARY = "## Progress\n\nNumbers are **down**. See [the plan](file:///etc/passwd).\n\n<script>x()</script>\n"


def run_saying(extracts: Path, config: Path, out: Path, *extra: str | Path) -> tuple[Path, str]:
    """The run folder, and what the run printed."""
    args = ["run", "--extracts", extracts, "--config", config, "--as-at", AS_AT, "--out", out, *extra]
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return out / (f"{AS_AT}-public" if "public" in extra else AS_AT), result.output


def run(extracts: Path, config: Path, out: Path, *extra: str | Path) -> Path:
    return run_saying(extracts, config, out, *extra)[0]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("inputs")
    commentary = root / "commentary.md"
    commentary.write_text(COMMENTARY, encoding="utf-8")
    return write_extract(root / "extracts", HEADER, EPISODES), write_config(root / "config"), commentary


@pytest.fixture(scope="module")
def internal(inputs: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    extracts, config, commentary = inputs
    return run(extracts, config, tmp_path_factory.mktemp("internal"), "--commentary", commentary)


@pytest.fixture(scope="module")
def public_run(inputs: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    extracts, config, _ = inputs
    return run_saying(extracts, config, tmp_path_factory.mktemp("public"), "--edition", "public")


@pytest.fixture(scope="module")
def public(public_run: tuple[Path, str]) -> Path:
    return public_run[0]


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every element of the PDF's structure tree, in document order."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for item in node:
                walk(item)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def test_the_pdf_passes_the_accessibility_checks(internal: Path) -> None:
    with pikepdf.open(internal / "report.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo["/Title"]) == TITLE
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == TITLE
            assert xmp["pdfuaid:part"] == "1"
        elements = structure(pdf)
        kinds = Counter(str(e.S) for e in elements)
        figures = [e for e in elements if e.S == "/Figure"]
        html = (internal / "report.html").read_text(encoding="utf-8")
        # every chart is a tagged figure with its alternative text; every table and heading is tagged
        assert len(figures) == html.count("<img ") >= 5  # trend, starters and leavers, discharges, placements, kinship
        assert all(str(f.get("/Alt", "")).strip() for f in figures)
        assert str(figures[0].Alt).startswith("Line chart of the number of children looked after at each month end.")
        assert kinds["/Table"] == html.count("<table") and kinds["/TH"] > 0
        assert kinds["/H1"] == 1 and kinds["/H2"] == html.count("<h2")
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20201031000000")  # the as-at date, not the clock


@pytest.mark.parametrize("edition", ["internal", "public"])
def test_the_machine_checkable_pdf_ua_rules_find_nothing(edition: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(edition)
    report = validate(str(folder / "report.pdf"))
    assert [(f.rule_id, f.message) for f in report.findings] == []


def test_every_table_header_cell_has_its_scope(internal: Path) -> None:
    with pikepdf.open(internal / "report.pdf") as pdf:
        headers = [e for e in structure(pdf) if e.S == "/TH"]
        scopes = Counter(str(e.A.Scope) for e in headers)
        assert set(scopes) == {"/Column", "/Row"} and sum(scopes.values()) == len(headers)


def test_the_html_twin_has_the_commentary_after_the_headline_and_no_active_content(internal: Path) -> None:
    html = (internal / "report.html").read_text(encoding="utf-8")
    assert html.index("Headline figures") < html.index("<h3>Progress</h3>") < html.index('id="comparators"')
    assert "Numbers are <strong>down</strong>. See the plan." in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "file:///etc/passwd" not in html and "<script" not in html


def test_the_public_edition_hides_small_numbers_everywhere(public: Path) -> None:
    headline = (public / "tables" / "headline.csv").read_text().splitlines()
    assert headline[1:] == [
        "2020-10-31,cla_count,all,,2019-10-31,c,count,,",
        "2020-10-31,cla_count,all,,2020-10-31,c,count,,",
        "2020-10-31,cla_rate_per_10k,all,,2019-10-31,c,rate_per_10k,36090,",
        "2020-10-31,cla_rate_per_10k,all,,2020-10-31,c,rate_per_10k,36090,",
        "2020-10-31,population_0_17,all,,2020-10-31,36090,count,,",
    ]
    comparators = (public / "tables" / "comparators.csv").read_text()
    assert "comparator_implied_count,England,,2020-10-31,235,count,36090," in comparators
    assert "comparator_gap,England,,2020-10-31,c,count,," in comparators
    html = (public / "report.html").read_text(encoding="utf-8")
    assert '<p class="big">c</p>' in html
    assert "Public edition" in html


def test_the_public_editions_summary_line_says_what_its_report_says(public_run: tuple[Path, str]) -> None:
    """The line the scheduled job mails: the public report hides the 1 child looked after on D, so must the line."""
    folder, output = public_run
    assert output.strip().splitlines()[-1] == (
        f"lac-report: done: {folder} (the number of children looked after on 2020-10-31 is not published, 0 warnings)"
    )


def test_two_public_runs_give_identical_files(inputs: tuple[Path, Path, Path], public: Path, tmp_path: Path) -> None:
    extracts, config, _ = inputs
    again = run(extracts, config, tmp_path, "--edition", "public")

    def digests(folder: Path) -> dict[str, str]:
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    assert digests(again) == digests(public)


SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_no_sentence_of_the_sample_s_public_edition_reads_c_as_a_number(tmp_path: Path) -> None:
    """The sample council's October 2020, where ECHo, legal and discharge figures are hidden."""
    import re

    folder = run(SAMPLES, SAMPLES / "config", tmp_path, "--edition", "public")
    html = (folder / "report.html").read_text(encoding="utf-8")
    sentences = [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p(?: class=\"summary\")?>(.*?)</p>", html, re.S)]
    assert len(sentences) >= 18  # every paragraph of the body, cover summary included
    assert [s for s in sentences if re.search(r"(?<![\w-])c(?![\w-])", s) and "shown as c" not in s] == []
    assert "The number of applications with legal services is not published" in html
    assert "So far c" not in html and " less " not in html
