"""A council starting from its 903 returns: the sample's whole history as annual returns and a
year-to-date extract, in every layout, gives the tables of the single full extract byte for byte
(``data_quality.csv`` aside, which lists the files read); a return a newer one contradicts is reported
as such; nothing from the XML that identifies a child reaches any output."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.measures.tables import build_tables
from pipeline.run import runner
from pipeline.run.tablefiles import write_table
from pipeline.sample import LAYOUTS, generate

AS_AT = dt.date(2020, 10, 31)
TODAY = dt.date(2020, 11, 3)


def tables_of(folder: Path, out: Path) -> dict[str, bytes]:
    """Every table a run writes from ``folder`` (validated and computed as ``run`` does), as its CSV bytes."""
    request = runner.Request(extracts=folder, as_at=AS_AT, config=folder / "config", today=TODAY)
    checked = runner.validate(request)
    own = checked.config.published.own if checked.config.published else None
    tables = build_tables(checked.extracts, checked.config.council_config, AS_AT, own)
    out.mkdir()
    for name, frame in tables.frames.items():
        write_table(frame, out / f"{name}.csv", AS_AT)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, dict[str, bytes]]:
    """The single full extract's tables, without and with the UASC table."""
    root = tmp_path_factory.mktemp("single")
    found = {}
    for uasc in (False, True):
        folder = root / f"uasc-{uasc}"
        generate(folder, uasc=uasc)
        found[uasc] = tables_of(folder, root / f"tables-{uasc}")
    return found


@pytest.mark.parametrize("uasc", [False, True])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_history_as_returns_gives_the_tables_of_the_full_extract(
    single: dict[bool, dict[str, bytes]], tmp_path: Path, layout: str, uasc: bool
) -> None:
    folder = tmp_path / "returns"
    generate(folder, layout=layout, uasc=uasc)
    assert not (folder / "header.csv").is_file() if layout == "returns-csv" else (folder / "header.csv").is_file()
    got = tables_of(folder, tmp_path / "tables")
    want = single[uasc]
    assert sorted(got) == sorted(want)
    assert [name for name in want if name != "data_quality.csv" and got[name] != want[name]] == []
    assert (b"cla_count_excluding_uasc" in want["headline.csv"]) is uasc
    assert got["data_quality.csv"] != want["data_quality.csv"]  # it lists the returns' files instead
    # and the warning rules of a folder of returns, which a single extract is not checked against
    for rule in (b"STITCH_CHILD_ABSENT", b"STITCH_CORRECTED", b"XML_UNKNOWN_ELEMENT"):
        assert (b",warnings," + rule + b",") in got["data_quality.csv"], rule
        assert rule not in want["data_quality.csv"]


def test_the_sample_returns_are_cut_at_31_march(tmp_path: Path) -> None:
    generate(tmp_path, layout="returns-csv")
    lines = (tmp_path / "2019" / "episodes.csv").read_text().splitlines()
    rows = [line.split(",") for line in lines[1:]]
    decom = [dt.datetime.strptime(r[1], "%d/%m/%Y").date() for r in rows]
    dec = [dt.datetime.strptime(r[7], "%d/%m/%Y").date() if r[7] else None for r in rows]
    assert all(d <= dt.date(2019, 3, 31) for d in decom)
    assert all(d is None or dt.date(2018, 4, 1) <= d <= dt.date(2019, 3, 31) for d in dec)
    assert all((r[7] == "") == (r[8] == "") for r in rows)  # DEC and REC empty together: open on 31 March
    assert sorted(p.name for p in (tmp_path / "2021").iterdir()) == [
        "echo.csv", "episodes.csv", "factors.csv", "flags.csv", "header.csv", "legal.csv"
    ]  # fmt: skip


# ---- a return a newer one contradicts, and what never leaves the XML ------------------------------

CHILD_ID = re.compile(r"<CHILDID>([^<]+)</CHILDID>")
PERSONAL = re.compile(r"<(?:CHILDID|UPN|HOME_POST|PL_POST|DOB|MC_DOB)>([^<]+)</")


GHOST = (
    "<CHILD><HEADER><CHILDID>GHOST0001</CHILDID><SEX>1</SEX><DOB>01/01/2010</DOB><ETHNIC>WBRI</ETHNIC>"
    "<UPN>Z999999999999</UPN><MOTHER /><MC_DOB /><UASC>0</UASC><DUC /><HOME_POSTCODE>ZZ99 9ZZ</HOME_POSTCODE>"
    "</HEADER><EPISODE><DECOM>01/06/2018</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>"
    "<PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC /><REC /><REASON_PLACE_CHANGE /><HOME_POST>ZZ99 8ZZ</HOME_POST>"
    "<PL_POST>ZZ99 7ZZ</PL_POST><URN /></EPISODE></CHILD>"
)


def contradicted(folder: Path) -> str:
    """Make the 2019 return disagree with the 2020 one, as a return made before a correction does: a child
    open on 31 March 2019 that no later source holds (its cessation was never recorded), and a child's
    first episode whose DECOM the 2020 return corrects (here, a week later). Returns the second child's id."""
    path = folder / "return_2019.xml"
    lines = path.read_text(encoding="utf-8").splitlines()

    def started_in_the_year_and_open(line: str) -> bool:
        found = re.search(r"<EPISODE><DECOM>(\d\d)/(\d\d)/(\d{4})</DECOM><RNE>S</RNE>", line)
        start = dt.date(int(found[3]), int(found[2]), int(found[1])) if found else None
        return bool(start and dt.date(2018, 4, 8) <= start and line.count("<EPISODE>") == 1 and "<DEC />" in line)

    moved = next(i for i, line in enumerate(lines) if started_in_the_year_and_open(line))
    decom = re.search(r"<DECOM>(\d\d/\d\d/\d{4})</DECOM>", lines[moved])
    child = CHILD_ID.search(lines[moved])
    assert decom is not None and child is not None
    earlier = (dt.datetime.strptime(decom[1], "%d/%m/%Y") - dt.timedelta(days=7)).strftime("%d/%m/%Y")
    lines[moved] = lines[moved].replace(f"<DECOM>{decom[1]}</DECOM>", f"<DECOM>{earlier}</DECOM>")
    lines.insert(-1, GHOST)  # before </EXPSSDA903>
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return child[1]


def test_a_corrected_return_is_reported_as_such_and_nothing_identifying_leaves_the_xml(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lac_report")  # as the command line sets it (cli.main)
    folder = tmp_path / "returns"
    generate(folder, layout="returns-xml", uasc=True)
    moved = contradicted(folder)
    personal = {v for xml in folder.glob("*.xml") for v in PERSONAL.findall(xml.read_text())} | {"ZZ99 9ZZ"}
    out, errors = tmp_path / "out", tmp_path / "errors.csv"
    args = ["run", "--extracts", folder, "--config", folder / "config", "--as-at", "2020-10-31", "--out", out]
    result = CliRunner().invoke(cli.app, [str(a) for a in [*args, "--errors", errors]])
    assert result.exit_code == 0, result.output
    with errors.open(newline="", encoding="utf-8") as file:
        problems = list(csv.DictReader(file))
    stitch = [p for p in problems if p["rule"].startswith("STITCH")]
    # the child left out: its episode ends on 1 April 2019; the moved DECOM: the newer start is used.
    # Said once each, at the 2019 return's element: no overlap, no broken chain, no error at all.
    assert sorted(p["rule"] for p in stitch) == ["STITCH_CHILD_ABSENT", "STITCH_CORRECTED"]
    assert not [p for p in problems if p["rule"].startswith("EPISODE_") or p["severity"] == "error"]
    for p in stitch:
        assert p["file"] == "return_2019.xml" and re.fullmatch(r"CHILD \d+, EPISODE \d+", p["location"])
    absent, corrected = sorted(stitch, key=lambda p: p["rule"])
    assert absent["message"] == (
        f"{absent['location']}: the episode is open at the end of the older source, but the child is not in"
        " return_2020.xml, which holds every child looked after from 01/04/2019: it is taken to end on 01/04/2019;"
        " its reason is not known: counted as other"
    )
    assert re.fullmatch(
        rf"{corrected['location']}: return_2020.xml holds this episode as starting on \d\d/\d\d/2018"
        r" \(return_2020.xml line \d+ \(CHILD \d+, EPISODE 1\)\): the newer start is used",
        corrected["message"],
    )
    assert [p["message"] for p in problems if p["rule"] == "XML_UNKNOWN_ELEMENT"] == [
        "the element HEADER/HOME_POSTCODE is not read (1 times)"
    ]
    run = out / "2020-10-31"
    log = (run / "run.log").read_text()
    assert "stitched the return for 2018-19 (XML: return_2019.xml)" in log
    assert re.search(
        r"stitched the return for 2018-19 .*: \d+ kept, \d+ replaced and 1 dropped by a newer source, 1 closed,", log
    )
    manifest = json.loads((run / "manifest.json").read_text())
    sources = manifest["extract"]["returns"]["sources"]
    assert [s["year"] for s in sources][-2:] == ["2019-20", "2020-21"] and sources[-1]["kind"] == "current extract"
    assert (sources[-3]["dropped"], sources[-3]["closed"]) == (1, 1)
    assert len(sources[-3]["files"][0]["sha256"]) == 64
    # every file the run wrote (report.pdf is rendered from report.html, which is among them), the terminal
    # and the log lines on the way, and the errors file
    written = [p.read_text(encoding="utf-8") for p in run.rglob("*") if p.is_file() and p.suffix != ".pdf"]
    outputs = [result.output, caplog.text, errors.read_text(), *written]
    assert {"GHOST0001", "Z999999999999", "ZZ99 8ZZ", moved} <= personal
    found = {value for value in personal for text in outputs if value in text}
    # a DOB is a date, and dates of events are in the outputs: only the identifiers, UPNs and postcodes count
    assert {v for v in found if not re.fullmatch(r"\d\d/\d\d/\d{4}", v)} == set()


@pytest.mark.parametrize("layout", ["returns-csv", "returns-flat"])
@pytest.mark.parametrize("upper", [False, True])
def test_deploy_runs_a_folder_of_returns(tmp_path: Path, layout: str, upper: bool) -> None:
    """The scheduled job, pointed at a folder of dated extract folders whose newest holds the returns
    (their files' names in upper case too, as lac-report reads them)."""
    import os
    import subprocess
    import sys

    repository = Path(__file__).resolve().parents[2]
    clone = tmp_path / "lac-report"
    (clone / ".venv" / "bin").mkdir(parents=True)
    program = clone / ".venv" / "bin" / "lac-report"
    program.write_text(
        f"#!{sys.executable}\nimport datetime, sys\nimport pipeline.cli\n"
        f"pipeline.cli.options.today = lambda: datetime.date({TODAY.year}, {TODAY.month}, {TODAY.day})\n"
        "sys.argv[0] = 'lac-report'\nfrom pipeline.__main__ import main\nmain()\n"
    )
    program.chmod(0o755)
    extracts = tmp_path / "extracts"
    generate(extracts / "2020-11-02", layout=layout)
    if upper:
        for path in (extracts / "2020-11-02").rglob("*.csv"):
            if "config" not in path.parts:
                path.rename(path.with_name(path.name.upper()))
    (extracts / "2020-10-01").mkdir()  # an older, empty month is not the newest
    shutil.copytree(extracts / "2020-11-02" / "config", tmp_path / "config")
    env = {**os.environ, "LAC_REPORT_HOME": str(clone), "LAC_EXTRACTS": str(extracts),
           "LAC_CONFIG": str(tmp_path / "config"), "LAC_OUT": str(tmp_path / "reports")}  # fmt: skip
    done = subprocess.run(
        ["bash", str(repository / "deploy" / "lac-report-monthly.sh")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == (
        f"lac-report: done: {tmp_path}/reports/2020-10-31 (339 children looked after on 2020-10-31, 3 warnings)"
    )


def test_returns_alone_report_only_up_to_the_newest_return_s_31_march(tmp_path: Path) -> None:
    """Returns for 2018-19 and 2019-20 with no current extract, taken (extract.toml) on 1 June 2020: an
    episode open on 31 March 2020 is not known to be open later, so an as-at after that day is refused."""
    from tests.builders import write_config
    from tests.returns import ep, header, write_csv_return

    folder, config = tmp_path / "returns", write_config(tmp_path / "config")
    write_csv_return(folder / "2019", [header("A")], [ep("A", "10/01/2019")])
    write_csv_return(folder / "2020", [header("A")], [ep("A", "10/01/2019")])
    (folder / "extract.toml").write_text("taken = 2020-06-01\n")

    def validate(as_at: str) -> tuple[int, str]:
        args = ["validate", "--extracts", str(folder), "--config", str(config), "--as-at", as_at]
        result = CliRunner().invoke(cli.app, args)
        return result.exit_code, result.output

    code, output = validate("2020-05-31")
    assert code == 3
    assert (
        "2020/:0: -: the as-at date 2020-05-31 is after 2020-03-31, the end of the newest return, and no current"
        " extract is beside the returns: report on an earlier day (--as-at), or use a newer extract"
        " [AS_AT_AFTER_EXTRACT]"
    ) in output.splitlines()
    code, output = validate("2020-03-31")
    assert code == 0, output
