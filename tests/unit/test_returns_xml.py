"""The DfE's XML return, streamed safely into the text frames the CSV reader gives."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import polars as pl
import pytest

from pipeline.read.csvfile import LINE
from pipeline.read.mapping import Mapping
from pipeline.read.returns.layout import discover
from pipeline.read.returns.load import load_returns
from pipeline.read.returns.tables import FILE, LOCATION
from pipeline.read.returns.xmlreturn import read_xml
from pipeline.read.schema import EPISODES, HEADER
from tests.e2e.test_docs import XML_EXAMPLE
from tests.returns import HOME, PLACED, UPN, D, ep, header, returns_of, write_csv_return, xml_text

REVIEWS = "<AREVIEW><REVIEW>01/02/2019</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>"
OC2 = "<OC2><SDQ_SCORE>12</SDQ_SCORE><CONVICTED>0</CONVICTED></OC2>"


def test_one_line_xml_return(tmp_path: Path) -> None:
    text = xml_text(
        [{**header("007"), "UASC": "1"}, {**header("B2", ethnic="MWBA"), "UASC": "0"}],
        [
            ep("007", "10/01/2019", "01/03/2019", "X1"),
            ep("007", "01/03/2019", place="R1", rne="P"),
            ep("B2", "05/05/2018", "06/06/2018", "E13"),
        ],
        extra_header=REVIEWS + REVIEWS + OC2 + "<IN_TOUCH>YES</IN_TOUCH>",
    ).replace("<?xml version='1.0' encoding='utf-8'?>", "")  # the whole return on one line
    assert "\n" not in text.strip()
    path = tmp_path / "return_2019.xml"
    path.write_text(text)
    read, problems = read_xml(path, "return_2019.xml")
    assert problems == [] and read is not None
    assert (read.children, read.sha256, read.size_bytes) == (2, hashlib.sha256(text.encode()).hexdigest(), len(text))
    assert read.tables["header"].select(LINE, LOCATION, "CHILD", "ETHNIC", "MOTHER").rows() == [
        (1, "CHILD 1", "007", "WBRI", None),
        (1, "CHILD 2", "B2", "MWBA", None),
    ]
    assert read.tables["episodes"].select(LINE, LOCATION, "CHILD", "DECOM", "PLACE", "DEC", "REC").rows() == [
        (1, "CHILD 1, EPISODE 1", "007", "10/01/2019", "U1", "01/03/2019", "X1"),
        (1, "CHILD 1, EPISODE 2", "007", "01/03/2019", "R1", None, None),
        (1, "CHILD 2, EPISODE 1", "B2", "05/05/2018", "U1", "06/06/2018", "E13"),
    ]
    # UASC 1 gives the child a row of the UASC table, with the header's SEX and DOB; UASC 0 none
    assert read.tables["uasc"].select(LOCATION, "CHILD", "SEX", "DOB", "DUC").rows() == [
        ("CHILD 1", "007", "1", "01/01/2010", None)
    ]
    # the other tables are counted, not read: two reviews and an OC2 group and OC3 fields per child
    assert read.other_rows == {"oc2": 2, "oc3": 2, "reviews": 4}
    assert read.tables["header"].columns == [LINE, LOCATION, *(c.name for c in HEADER.columns)]
    assert read.tables["episodes"].schema == pl.Schema(
        {LINE: pl.Int64, LOCATION: pl.String, **{c.name: pl.String for c in EPISODES.columns}}
    )


def test_a_return_without_uasc_elements_has_no_uasc_table(tmp_path: Path) -> None:
    path = tmp_path / "return_2019.xml"
    path.write_text(xml_text([header("A")], [ep("A", "10/01/2019")]).replace("<UASC />", ""))
    read, problems = read_xml(path, "return_2019.xml")
    assert problems == [] and read is not None and sorted(read.tables) == ["episodes", "header"]


def test_pretty_printed_xml_has_the_line_of_each_element(tmp_path: Path) -> None:
    path = tmp_path / "return_2019.xml"
    path.write_text(xml_text([header("A"), header("B")], [ep("A", "10/01/2019"), ep("B", "11/01/2019")], pretty=True))
    read, problems = read_xml(path, "return_2019.xml")
    assert problems == [] and read is not None
    # line 1 declaration, 2 root, 3 CHILD, 4 HEADER, 5-12 its 8 fields, 13 </HEADER>, 14 EPISODE,
    # 15-26 its 12 fields, 27 </EPISODE>, 28 </CHILD>, 29 CHILD, 30 HEADER, ..., 40 EPISODE
    assert read.tables["header"].select(LINE, LOCATION).rows() == [(4, "CHILD 1"), (30, "CHILD 2")]
    assert read.tables["episodes"].select(LINE, LOCATION, "CHILD").rows() == [
        (14, "CHILD 1, EPISODE 1", "A"),
        (40, "CHILD 2, EPISODE 1", "B"),
    ]
    lines = path.read_text().splitlines()
    assert lines[29].strip() == "<HEADER>" and lines[39].strip() == "<EPISODE>"


def test_xml_and_csv_give_the_same_frames(tmp_path: Path) -> None:
    """The same return as CSV (2019) and XML (2020): the stitch, the parser and the rules see the same text."""
    headers = [header("0012"), header("B")]
    episodes = [ep("0012", "10/01/2019", "01/03/2019", "X1"), ep("0012", "01/03/2019", rne="P", place="R1"),
                ep("B", "11/01/2019")]  # fmt: skip
    for folder, write in (("csv", "csv"), ("xml", "xml")):
        (tmp_path / folder).mkdir()
        if write == "csv":
            write_csv_return(tmp_path / folder / "2019", headers, episodes)
        else:
            (tmp_path / folder / "return_2019.xml").write_text(xml_text(headers, episodes, pretty=True))
    from_csv, from_xml = (returns_of(tmp_path / f, taken=D(2019, 6, 1)) for f in ("csv", "xml"))
    for table in ("header", "episodes"):
        assert from_csv.raws[table].frame.equals(from_xml.raws[table].frame)
    assert from_csv.origins["episodes"].rows is not None and from_xml.origins["episodes"].rows is not None
    assert from_csv.origins["episodes"].rows.rows() == [
        (1, "2019/episodes.csv", 2, None), (2, "2019/episodes.csv", 3, None), (3, "2019/episodes.csv", 4, None)
    ]  # fmt: skip
    assert from_xml.origins["episodes"].rows.rows() == [
        (1, "return_2019.xml", 14, "CHILD 1, EPISODE 1"),
        (2, "return_2019.xml", 28, "CHILD 1, EPISODE 2"),
        (3, "return_2019.xml", 54, "CHILD 2, EPISODE 1"),  # CHILD 1 spans lines 3 to 42
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE EXPSSDA903 [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<EXPSSDA903><CHILD><HEADER><CHILDID>&lol9;</CHILDID></HEADER></CHILD></EXPSSDA903>
"""


def test_billion_laughs_is_refused_before_any_entity_is_expanded(tmp_path: Path) -> None:
    path = tmp_path / "return_2019.xml"
    path.write_text(BILLION_LAUGHS)
    started = time.process_time()
    read, problems = read_xml(path, "return_2019.xml")
    assert time.process_time() - started < 1  # a billion "lol"s would take minutes and gigabytes
    assert read is None
    assert [(p.file, p.line, p.rule) for p in problems] == [("return_2019.xml", 2, "XML_DTD")]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE EXPSSDA903 [<!ENTITY secret SYSTEM "file://{secret}">]>',
        '<!DOCTYPE EXPSSDA903 SYSTEM "file://{secret}">',
        '<!DOCTYPE EXPSSDA903 [<!ENTITY % remote SYSTEM "file://{secret}"> %remote;]>',
    ],
)
def test_external_entities_and_dtds_are_refused(tmp_path: Path, doctype: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    path = tmp_path / "return_2019.xml"
    path.write_text(
        '<?xml version="1.0"?>\n'
        + doctype.format(secret=secret)
        + "\n<EXPSSDA903><CHILD><HEADER><CHILDID>&secret;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    read, problems = read_xml(path, "return_2019.xml")
    assert read is None
    assert [p.rule for p in problems] == ["XML_DTD"]
    assert "TOPSECRET" not in str(problems)


def test_an_entity_without_a_dtd_is_refused_as_malformed(tmp_path: Path) -> None:
    path = tmp_path / "return_2019.xml"
    path.write_text("<EXPSSDA903><CHILD><HEADER><CHILDID>&secret;</CHILDID></HEADER></CHILD></EXPSSDA903>")
    read, problems = read_xml(path, "return_2019.xml")
    assert read is None and [(p.line, p.rule) for p in problems] == [(1, "XML_MALFORMED")]
    assert "undefined entity" in problems[0].message


def test_xml_that_is_not_a_return_or_broken(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<?xml version='1.0'?>\n<Message><Header/></Message>")
    (tmp_path / "b.xml").write_text("<EXPSSDA903>\n<CHILD><HEADER><CHILDID>A</CHILDID>\n</CHILD>")
    (tmp_path / "c.xml").write_text("")
    results = {n: read_xml(tmp_path / n, n)[1] for n in ("a.xml", "b.xml", "c.xml")}
    assert [str(p) for p in results["a.xml"]] == [
        "a.xml:2: -: the root element is Message, not EXPSSDA903: this is not an SSDA903 XML return [XML_NOT_A_RETURN]"
    ]
    assert [(p.line, p.rule) for p in results["b.xml"]] == [(3, "XML_MALFORMED")]
    assert "mismatched tag" in results["b.xml"][0].message
    assert [str(p) for p in results["c.xml"]] == ["c.xml:0: -: the file is empty [FILE_EMPTY]"]


def test_xml_messages_name_positions_never_identifiers(tmp_path: Path) -> None:
    episode = "<EPISODE><DECOM>10/01/2019</DECOM><DEC>01/02/2019</DEC><DEC>02/02/2019</DEC><PL>U1</PL></EPISODE>"
    text = (
        f"<EXPSSDA903><CHILD><HEADER><CHILDID>SECRETID</CHILDID><UPN>{UPN}</UPN></HEADER></CHILD>"
        f"<CHILD><HEADER><CHILDID>OTHERID</CHILDID><HOME_POST>{HOME}</HOME_POST></HEADER><EPISODE/>{episode}"
        f"<FOO>{PLACED}</FOO></CHILD><CHILD><EPISODE><DECOM>01/01/2019</DECOM></EPISODE></CHILD>"
        "<CHILD><HEADER/><HEADER><CHILDID>X</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    path = tmp_path / "return_2019.xml"
    path.write_text(text)
    read, problems = read_xml(path, "return_2019.xml")
    assert read is not None
    assert [str(p) for p in problems] == [
        "return_2019.xml:1: DEC: CHILD 2, EPISODE 2: DEC appears twice in one EPISODE (the first is used)"
        " [XML_STRUCTURE]",
        "return_2019.xml:1: -: CHILD 3: the CHILD has no HEADER: its episodes cannot be joined to a child"
        " [XML_STRUCTURE]",
        "return_2019.xml:1: -: CHILD 4: a CHILD holds one HEADER, this is a second (its fields are left out)"
        " [XML_STRUCTURE]",
        "return_2019.xml:1: -: the element CHILD/FOO is not read (1 times) [XML_UNKNOWN_ELEMENT]",
        "return_2019.xml:1: -: the element HEADER/HOME_POST is not read (1 times) [XML_UNKNOWN_ELEMENT]",
    ]
    assert read.unknown == ("CHILD/FOO", "HEADER/HOME_POST")
    for secret in ("SECRETID", "OTHERID", UPN, HOME, PLACED):
        assert secret not in str(problems)
    assert read.tables["episodes"].select("CHILD", "DEC", LOCATION).rows() == [
        ("OTHERID", None, "CHILD 2, EPISODE 1"),
        ("OTHERID", "01/02/2019", "CHILD 2, EPISODE 2"),
        (None, None, "CHILD 3, EPISODE 1"),
    ]
    assert read.tables["header"].select("CHILD", LOCATION).rows() == [
        ("SECRETID", "CHILD 1"), ("OTHERID", "CHILD 2"), (None, "CHILD 4")
    ]  # fmt: skip


def test_a_cell_of_an_xml_return_is_reported_at_its_element(tmp_path: Path) -> None:
    """The typed parser reads the stitched frame like any extract; its problem is placed at the element."""
    (tmp_path / "return_2019.xml").write_text(
        xml_text([header("A"), header("B")], [ep("A", "10/01/2019"), ep("B", "11/01/2019", "31/02/2019", "E13")])
    )
    from pipeline.read.extracts import read_folder

    read = read_folder(tmp_path, Mapping(), encoding="utf-8", today=D(2026, 1, 1))
    assert [str(p) for p in read.problems] == [XML_EXAMPLE]  # as docs/starting-from-903-returns.md shows it
    assert read.problems[0].location == "CHILD 2, EPISODE 1"
    assert [(i.name, i.rows) for i in read.inputs] == [("return_2019.xml", 2)]


def test_the_same_fault_at_two_elements_of_one_line_is_two_problems(tmp_path: Path) -> None:
    """Problems of a one-line return differ only in their element: each is kept, in the file's order."""
    children = [f"C{n}" for n in range(1, 12)]
    bad = {"C2", "C11"}
    episodes = [ep(c, "11/01/2019", "31/02/2019" if c in bad else "", "E13" if c in bad else "") for c in children]
    (tmp_path / "return_2019.xml").write_text(xml_text([header(c) for c in children], episodes))
    from pipeline.checks.validate import load_extracts
    from pipeline.core.problems import InvalidInput

    with pytest.raises(InvalidInput) as raised:
        load_extracts(tmp_path, Mapping(), encoding="utf-8", today=D(2026, 1, 1))
    dates = [p for p in raised.value.problems if p.rule == "CELL_DATE"]
    assert [(p.line, p.location) for p in dates] == [(1, "CHILD 2, EPISODE 1"), (1, "CHILD 11, EPISODE 1")]


def test_an_unreadable_return_stops_the_run_with_its_problem(tmp_path: Path) -> None:
    (tmp_path / "return_2019.xml").write_text(BILLION_LAUGHS)
    write_csv_return(tmp_path / "2020", [header("A")], [ep("A", "10/01/2019")])
    returns, problems = load_returns(discover(tmp_path), Mapping(), encoding="utf-8", taken=None, today=D(2026, 1, 1))
    assert returns is None and [(p.file, p.rule) for p in problems] == [("return_2019.xml", "XML_DTD")]


def test_without_a_day_the_newest_event_places_the_sources(tmp_path: Path) -> None:
    """No extract.toml nor dated folder name: the newest episode start or end (15/05/2020) is the day the
    extract was taken, so 2021/ is the year in progress, the current extract."""
    write_csv_return(tmp_path / "2020", [header("A")], [ep("A", "10/01/2019")])
    write_csv_return(tmp_path / "2021", [header("A")], [ep("A", "10/01/2019", "15/05/2020", "E13")])
    returns, problems = load_returns(discover(tmp_path), Mapping(), encoding="utf-8", taken=None, today=D(2026, 1, 1))
    assert problems == [] and returns is not None
    provenance = returns.provenance
    assert (provenance.taken, provenance.taken_from) == (D(2020, 5, 15), "the newest episode start or end")
    assert [(s.year, s.current) for s in provenance.sources] == [(2020, False), (2021, True)]
    assert returns.origins["episodes"].rows is not None
    assert returns.origins["episodes"].rows.select(FILE).to_series().to_list() == ["2021/episodes.csv"]


def test_an_xml_return_s_episodes_outside_its_year_are_named_by_their_elements(tmp_path: Path) -> None:
    """A one-line return: its episodes all sit on line 1, so the warning names their elements."""
    (tmp_path / "return_2019.xml").write_text(xml_text([header("A")], [ep("A", "01/05/2018", "01/06/2018", "E13")]))
    (tmp_path / "return_2020.xml").write_text(
        xml_text([header("A"), header("B")], [ep("A", "01/05/2018", "01/06/2018", "E13"), ep("B", "01/02/2020")])
    )
    write_csv_return(tmp_path, [header("B")], [ep("B", "01/02/2020", "10/05/2020", "E13")])  # 2020-21 so far
    _, problems = load_returns(discover(tmp_path), Mapping(), encoding="utf-8", taken=None, today=D(2026, 1, 1))
    outside = [p for p in problems if p.rule == "STITCH_OUTSIDE_YEAR"]
    assert [(p.file, p.line, p.message.split(" are ")[0]) for p in outside] == [
        ("return_2020.xml", 1, "1 episode(s) (CHILD 1, EPISODE 1)")
    ]
