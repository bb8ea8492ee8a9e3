"""The assistant director's commentary: Markdown in, plain safe HTML out.

Only plain formatting survives: paragraphs, headings, emphasis, lists, quotes and tables.
Raw HTML is shown as text, and links and images are reduced to their text, so the
commentary can never fetch a file, reach the network or inject markup into the report.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token


def _strip_links_and_images(tokens: list[Token]) -> None:
    for token in tokens:
        if token.children:
            kept: list[Token] = []
            for child in token.children:
                if child.type in ("link_open", "link_close"):
                    continue
                if child.type == "image":
                    kept.append(Token("text", "", 0, content=child.content))
                    continue
                kept.append(child)
            token.children = kept


def commentary_to_html(markdown: str) -> str:
    """Safe HTML for ``markdown``; headings are demoted so they sit under the report's own."""
    parser = (
        MarkdownIt("commonmark", {"html": False, "linkify": False})
        .enable("table")
        .disable(["link", "image", "autolink"])
    )
    tokens = parser.parse(markdown)
    _strip_links_and_images(tokens)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"
    html: str = parser.renderer.render(tokens, parser.options, {})
    return html
