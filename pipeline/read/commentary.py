"""The assistant director's commentary: Markdown in, plain safe HTML out.

Only plain formatting survives: paragraphs, headings, emphasis, lists, quotes, code and
tables. Raw HTML is shown as text (it is escaped, never interpreted); a link keeps its text
and loses its address; an image is replaced by its description. So the commentary can
never fetch a file, reach the network or inject markup into the report.

Headings are shifted so the commentary's top level sits under the report's "Commentary"
heading (h3), keeping the heading levels of the whole document in order.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.core.problems import InvalidInput, Problem

TOP_LEVEL = 3  # the report's section headings are h2


class _EveryLinkParsed(MarkdownIt):
    """Accepts any link address while parsing, so that ``[text](file:...)`` is recognised as a
    link and reduced to its text (markdown-it would leave it as literal Markdown); no address is
    ever rendered."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's own name
        return True


def _plain_inline(children: list[Token]) -> list[Token]:
    """Inline tokens without links (their text is kept) and with images as their description."""
    kept: list[Token] = []
    for child in children:
        if child.type in ("link_open", "link_close"):
            continue
        if child.type == "image":
            description = "".join(part.content for part in child.children or []) or child.content
            kept.append(Token("text", "", 0, content=description))
            continue
        kept.append(child)
    return kept


def _shift_headings(tokens: list[Token]) -> None:
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if not levels:
        return
    shift = TOP_LEVEL - min(levels)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"


def commentary_to_html(markdown: str) -> str:
    """Safe HTML for ``markdown`` (see the module docstring for what survives)."""
    parser = _EveryLinkParsed("commonmark", {"html": False, "linkify": False}).enable("table")
    tokens = parser.parse(markdown)
    for token in tokens:
        if token.children:
            token.children = _plain_inline(token.children)
    _shift_headings(tokens)
    html: str = parser.renderer.render(tokens, parser.options, {})
    return html


def read_commentary(path: Path) -> str:
    """The commentary file as safe HTML; a file that is not UTF-8 text is invalid input, named."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        message = "the commentary is not UTF-8 text: save it as UTF-8 (in Word or Notepad: Save as, Encoding UTF-8)"
        raise InvalidInput([Problem(path.name, 0, "", message, "COMMENTARY_ENCODING")]) from None
    return commentary_to_html(text)
