"""Hostile text: commentary and config are text, never code; nothing is fetched; nothing leaks.

A hostile commentary (script, raw HTML, links, images, template syntax) comes out as plain,
escaped text; hostile config text is escaped in the report, never read as chart mathematics,
and neutralised in the CSV tables; WeasyPrint fetches only the project's static files; a
crash names where it happened but never a value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import socket
from pathlib import Path

import pikepdf
import polars as pl
import pytest
from typer.testing import CliRunner
from weasyprint.urls import FatalURLFetchingError

from pipeline import cli
from pipeline.checks.validate import load_extracts
from pipeline.read.commentary import commentary_to_html
from pipeline.read.mapping import Mapping
from pipeline.report.paths import STATIC
from pipeline.report.pdf import StaticOnlyFetcher, render_pdf
from pipeline.run.tablefiles import FORMULA_TRIGGERS, neutralise_formula
from tests.builders import COUNCIL_TOML, TODAY, write_config
from tests.unit.test_bad_inputs import EPISODES, HEADER, changed, check, episodes, files, write

HOSTILE_COMMENTARY = """\
# Summary <script>alert("commentary")</script>

<img src="http://evil.example/pixel.png" onerror="alert(1)"> <iframe src="file:///etc/passwd"></iframe>

[click me](javascript:alert(1)) [secrets](file:///etc/passwd) <https://evil.example/auto>
![chart](http://evil.example/chart.png) [ref][1]

[1]: http://evil.example/reference

{{ 7 * 7 }} {% include '/etc/passwd' %} <style>@import url("https://evil.example/a.css");</style>
<link rel="attachment" href="file:///etc/passwd"> <!-- a hidden comment -->
"""
HOSTILE_COUNCIL = (
    COUNCIL_TOML.replace('name = "Testshire"', "name = \"<script>alert('council')</script> {{ 7 * 7 }} $x^2$\"")
    .replace('group = "West Midlands"', 'group = "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"')
    .replace('group = "Statistical neighbours"', 'group = "$\\\\nocommand{$ neighbours"')
    .replace('source = "LAIT 2019"', "source = \"@SUM(1+1)*cmd|' /C calc'!A0\"", 1)
)


def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and refuse) every attempt to open a network connection."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("the tests have no network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))  # type: ignore[arg-type]
    return attempts


# ---- the commentary -------------------------------------------------------------------------------------


def test_a_hostile_commentary_comes_out_as_plain_escaped_text() -> None:
    html = commentary_to_html(HOSTILE_COMMENTARY)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<style" not in html
    assert re.search(r"<[a-z]+\s[^>]*(href|src)=", html) is None
    assert "<h3>Summary &lt;script&gt;alert(&quot;commentary&quot;)&lt;/script&gt;</h3>" in html
    # links keep their text and lose their address; an autolink is plain text
    assert "<p>click me secrets https://evil.example/auto\nchart ref</p>" in html
    assert "javascript:" not in html
    assert "{{ 7 * 7 }} {% include '/etc/passwd' %}" in html
    assert "&lt;!-- a hidden comment --&gt;" in html


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("hostile")
    extracts = write(root / "extracts", files())
    config = write_config(root / "config", HOSTILE_COUNCIL)
    commentary = root / "commentary.md"
    commentary.write_text(HOSTILE_COMMENTARY, encoding="utf-8")
    args = ["run", "--extracts", extracts, "--config", config, "--as-at", "2020-10-31", "--out", root / "out"]
    result = CliRunner().invoke(cli.app, [str(a) for a in [*args, "--commentary", commentary]])
    return root / "out" / "2020-10-31", result.output


def test_a_hostile_commentary_and_config_still_give_a_report(hostile_run: tuple[Path, str]) -> None:
    folder, output = hostile_run
    assert output.strip().endswith("(1 child looked after on 2020-10-31, 0 warnings)"), output
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_the_report_shows_hostile_text_as_text(hostile_run: tuple[Path, str]) -> None:
    html = (hostile_run[0] / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<iframe" not in html and "<link" not in html and '<img src="http' not in html
    assert "&lt;script&gt;alert(&#39;council&#39;)&lt;/script&gt; {{ 7 * 7 }} $x^2$" in html
    assert "{{ 7 * 7 }} {% include '/etc/passwd' %}" in html and " 49 " not in html
    # Every resource of the report is inline: no element points anywhere outside the file.
    assert _attributes(html, "src") and all(src.startswith("data:") for src in _attributes(html, "src"))
    assert [href for href in _attributes(html, "href") if not href.startswith("#")] == []


def _attributes(html: str, name: str) -> list[str]:
    return re.findall(rf'\s{name}="([^"]*)"', html)


def test_the_pdf_embeds_no_files(hostile_run: tuple[Path, str]) -> None:
    with pikepdf.open(hostile_run[0] / "report.pdf") as pdf:
        names = pdf.Root.get("/Names")
        assert names is None or "/EmbeddedFiles" not in names
        assert not any(
            "/FileAttachment" in str(a.get("/Subtype")) for page in pdf.pages for a in page.get("/Annots", [])
        )


def test_config_text_is_neutralised_in_the_tables(hostile_run: tuple[Path, str]) -> None:
    rows = list(csv.DictReader(io.StringIO((hostile_run[0] / "tables" / "comparators.csv").read_text())))
    groups = {r["group"] for r in rows}
    assert groups == {'\'=HYPERLINK("http://evil.example","x")', "England", "$\\nocommand{$ neighbours"}
    notes = {r["note"] for r in rows if r["group"].startswith("'=")}
    assert notes == {"'@SUM(1+1)*cmd|' /C calc'!A0"}
    gaps = {r["group"]: r["value"] for r in rows if r["measure"] == "comparator_gap"}
    assert gaps["England"].startswith("-")  # a negative figure is a number, never neutralised


# ---- formula injection ---------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(trigger: str) -> None:
    frame = pl.DataFrame({"text": [f"{trigger}1+1", "Plain", None, "a=b"]})
    assert frame.select(neutralise_formula(pl.col("text")).alias("text"))["text"].to_list() == [
        f"'{trigger}1+1",
        "Plain",
        None,
        "a=b",
    ]


def test_the_errors_file_never_starts_a_cell_with_a_formula(tmp_path: Path) -> None:
    hostile = [
        changed(EPISODES, 2, LS="=cmd|' /C calc'!A0", PLACE="+SUM(1)"),
        changed(EPISODES, 3, LS="-2+3", PLACE="@IMPORT"),
        changed(EPISODES, 4, LS="\tTAB", PLACE='"\r=CR"'),
        changed(EPISODES, 5, LS='"two\nlines"', PLACE="=1"),
    ]
    extract = files(None, episodes([rows[line] for line, rows in enumerate(hostile)]))
    errors = tmp_path / "errors.csv"
    args = [
        "validate",
        "--extracts",
        str(write(tmp_path / "x", extract)),
        "--config",
        str(write_config(tmp_path / "c")),
    ]
    result = CliRunner().invoke(cli.app, [*args, "--as-at", "2020-10-31", "--errors", str(errors)])
    assert result.exit_code == 3
    rows = list(csv.reader(io.StringIO(errors.read_text())))
    assert len(rows) == 1 + 8  # every hostile cell is an unknown code
    assert [cell for row in rows for cell in row if cell.startswith(FORMULA_TRIGGERS)] == []
    messages = [row[3] for row in rows[1:]]
    assert messages[4].startswith("'TAB' is not a known LS code")  # trimmed like any code
    assert messages[5].startswith("'=CR' is not a known PLACE code")
    assert messages[6].startswith("'two?lines' is not a known LS code")  # control characters never reach a message


def test_a_quoted_value_is_printable_and_short(tmp_path: Path) -> None:
    long = "C" + "9" * 200
    extract = files(
        None, episodes([changed(EPISODES, 2, LS="\x1b[2J\u202eC2")[0], changed(EPISODES, 3, LS=long)[1], *EPISODES[2:]])
    )
    found, _ = check(write(tmp_path, extract))
    messages = [p.message for p in found]
    assert messages[0].startswith("'?[2J?C2' is not a known LS code")
    assert messages[1].startswith(f"'{long[:40]}...' is not a known LS code")


# ---- WeasyPrint fetches nothing but the project's static files ------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/pixel.png",
        "https://evil.example/a.css",
        "ftp://evil.example/x",
        "file:///etc/passwd",
        STATIC.as_uri() + "/../../pyproject.toml",
        "javascript:alert(1)",
        "/etc/passwd",
    ],
)
def test_the_url_fetcher_refuses_everything_outside_the_static_files(url: str) -> None:
    with pytest.raises(FatalURLFetchingError, match="refused to fetch"):
        StaticOnlyFetcher(allowed_protocols={"data", "file"}).fetch(url)


def test_the_url_fetcher_serves_the_static_files_and_data() -> None:
    fetcher = StaticOnlyFetcher(allowed_protocols={"data", "file"})
    assert fetcher.fetch((STATIC / "report.css").as_uri()).read() == (STATIC / "report.css").read_bytes()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize(
    "element",
    [
        '<img src="http://127.0.0.1:9/pixel.png" alt="x">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<a rel="attachment" href="file:///etc/hostname">x</a>',
        '<style>@import url("https://evil.example/a.css");</style>',
        '<p style="background: url(file:///etc/passwd)">x</p>',
        '<object data="file:///etc/passwd"></object>',
        '<img src="fonts/../../../pyproject.toml" alt="x">',
    ],
)
def test_a_document_reaching_outside_is_never_rendered(monkeypatch: pytest.MonkeyPatch, element: str) -> None:
    attempts = no_network(monkeypatch)
    html = f"<!doctype html><html lang='en'><head><title>t</title></head><body><p>a</p>{element}</body></html>"
    with pytest.raises(FatalURLFetchingError):
        render_pdf(html, dt.date(2020, 10, 31))
    assert attempts == []


# ---- a crash never prints values --------------------------------------------------------------------------


def test_a_crash_prints_where_but_never_the_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_: object) -> None:
        child, dob = "QX0001", "01/02/2010"  # locals a rich traceback would show
        raise KeyError(f"{child} {dob}")

    monkeypatch.setattr("pipeline.run.runner.build_tables", crash)
    args = ["run", "--extracts", str(write(tmp_path / "x", files())), "--config", str(write_config(tmp_path / "c"))]
    result = CliRunner().invoke(cli.app, [*args, "--as-at", "2020-10-31", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "unexpected error (KeyError)" in result.output and "in crash" in result.output
    assert "QX0001" not in result.output and "01/02/2010" not in result.output
    assert cli.app.pretty_exceptions_show_locals is False


def test_a_panic_below_python_is_reported_like_any_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Panic(BaseException):  # how a Rust panic inside Polars reaches Python
        pass

    def panic(*_: object) -> None:
        raise Panic("assertion failed for QX0001")

    monkeypatch.setattr("pipeline.run.runner.build_tables", panic)
    args = ["run", "--extracts", str(write(tmp_path / "x", files())), "--config", str(write_config(tmp_path / "c"))]
    result = CliRunner().invoke(cli.app, [*args, "--as-at", "2020-10-31", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "unexpected error (Panic)" in result.output and "QX0001" not in result.output


def test_a_commentary_that_is_not_utf_8_is_a_command_line_error(tmp_path: Path) -> None:
    commentary = tmp_path / "commentary.md"
    commentary.write_bytes("Caf\u00e9 \u2013 update".encode("cp1252"))
    args = ["run", "--extracts", str(write(tmp_path / "x", files())), "--config", str(write_config(tmp_path / "c"))]
    result = CliRunner().invoke(cli.app, [*args, "--commentary", str(commentary), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "commentary.md is not UTF-8 text" in result.output
    assert not (tmp_path / "out").exists()


def test_hostile_column_names_reach_the_log_printable(tmp_path: Path) -> None:
    rows = "".join(f"{','.join(row)},x\n" for row in HEADER)
    extract = files(f'CHILD,SEX,DOB,"\x1b[31mRED\u202e"\n{rows}'.encode())
    assert check(write(tmp_path, extract)) == ([], True)
    extracts = load_extracts(tmp_path, Mapping(), encoding="utf-8", today=TODAY)
    assert extracts.inputs[0].extra_columns == ("?[31MRED?",)
