"""The assistant director's commentary: plain Markdown formatting survives, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.problems import InvalidInput
from pipeline.read.commentary import commentary_to_html, read_commentary


def test_plain_formatting_survives() -> None:
    html = commentary_to_html("Numbers **fell** and *stayed* down.\n\n- one\n- two\n\n> quoted\n")
    assert html == (
        "<p>Numbers <strong>fell</strong> and <em>stayed</em> down.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
    )


def test_raw_html_is_shown_as_text_never_run() -> None:
    html = commentary_to_html('<script>alert(1)</script>\n\n<img src="file:///etc/passwd">\n')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_links_keep_their_text_and_lose_their_address() -> None:
    html = commentary_to_html(
        "See [the plan](file:///etc/passwd), [site](https://example.com) and <https://x.example>."
    )
    assert html == "<p>See the plan, site and https://x.example.</p>\n"


def test_images_become_their_description() -> None:
    html = commentary_to_html("![Chart of **numbers**](/etc/passwd) here")
    assert html == "<p>Chart of numbers here</p>\n"


def test_headings_start_under_the_commentary_heading_and_keep_their_order() -> None:
    assert commentary_to_html("## Progress\n\n### Detail\n") == "<h3>Progress</h3>\n<h4>Detail</h4>\n"
    assert commentary_to_html("# Top\n") == "<h3>Top</h3>\n"


def test_tables_are_kept() -> None:
    html = commentary_to_html("| Team | Cases |\n| --- | --- |\n| North | 4 |\n")
    assert "<table>" in html and "<td>North</td>" in html


def test_a_commentary_file_that_is_not_utf8_is_named_as_the_problem(tmp_path: Path) -> None:
    saved_by_excel = tmp_path / "commentary.md"
    saved_by_excel.write_bytes("Numbers fell by 5 \u2013 good news.".encode("cp1252"))
    with pytest.raises(InvalidInput) as raised:
        read_commentary(saved_by_excel)
    assert [str(p) for p in raised.value.problems] == [
        "commentary.md:0: -: the commentary is not UTF-8 text: save it as UTF-8 (in Word or Notepad: Save as,"
        " Encoding UTF-8) [COMMENTARY_ENCODING]"
    ]


def test_a_commentary_file_with_a_byte_order_mark_reads_the_same(tmp_path: Path) -> None:
    with_bom = tmp_path / "commentary.md"
    with_bom.write_bytes("\ufeff# Progress\n".encode())
    assert read_commentary(with_bom) == "<h3>Progress</h3>\n"
