"""The report as a tagged PDF (PDF/UA-1), by WeasyPrint.

WeasyPrint fetches nothing but the project's own static files, and the PDF's dates come from
the as-at date, so the same inputs give the same bytes.

The same bytes on every machine, too: WeasyPrint 70 subsets the embedded fonts with the system's
libharfbuzz-subset when the machine has it, and with fontTools otherwise, and the two write
different fonts. The report always uses fontTools, which ``make setup`` installs at the version
in uv.lock, whatever the machine has (``_fonttools_subsetting``). On the sample report it costs
about a sixth of a second a render and 50 bytes against libharfbuzz-subset; embedding whole fonts
instead would add a megabyte (docs/installing.md has the figures, benchmarks/pdf_fonts.py makes them).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint.pdf.fonts
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pipeline.report.paths import STATIC


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves ``data:`` URLs and files under templates/static; anything else stops the render."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(STATIC) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        raise FatalURLFetchingError(f"refused to fetch a resource outside the report's static files: {parts.scheme}:")


# WeasyPrint's notice that it subsets fonts with fontTools, which is what the report asks of it.
HARMLESS_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)


@contextlib.contextmanager
def _fonttools_subsetting() -> Iterator[None]:
    """While it lasts, WeasyPrint subsets fonts with fontTools even where libharfbuzz-subset is installed.

    WeasyPrint 70 chooses per font by whether it loaded the library (``weasyprint.pdf.fonts.
    harfbuzz_subset``); with it unset it takes its fontTools path. A later WeasyPrint that
    chooses otherwise fails here loudly rather than quietly changing the PDF's bytes.
    """
    fonts: Any = weasyprint.pdf.fonts
    if not hasattr(fonts, "harfbuzz_subset") or not hasattr(fonts.Font, "_fonttools_subset"):
        raise RuntimeError("this WeasyPrint chooses its font subsetter another way: see pipeline/report/pdf.py")
    machine = fonts.harfbuzz_subset
    fonts.harfbuzz_subset = None
    try:
        yield
    finally:
        fonts.harfbuzz_subset = machine


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(HARMLESS_WARNINGS):
            self.messages.append(message)


def scope_header_cells(_document: Any, pdf: Any) -> None:
    """Give every table header cell in the PDF's structure tree its /Scope (WeasyPrint 70 links
    data cells to headers with /Headers but leaves /Scope out): a header in the table's head
    is a column header, one in its body a row header, as the templates' ``scope`` says."""
    elements = {obj.reference: obj for obj in pdf.objects if hasattr(obj, "keys") and obj.get("Type") == "/StructElem"}
    for element in elements.values():
        if element.get("S") != "/TH" or "A" not in element:
            continue
        row = elements.get(element["P"])
        section = elements.get(row["P"]) if row is not None else None
        element["A"]["Scope"] = "/Column" if section is not None and section.get("S") == "/THead" else "/Row"


class RenderError(Exception):
    """WeasyPrint warned about the document (a missing resource, bad CSS): the PDF is not trusted."""


def render_pdf(html: str, as_at: dt.date) -> bytes:
    """A tagged PDF (PDF/UA-1) of ``html``; dates from the as-at date; any WeasyPrint warning is fatal."""
    stamp = f"{as_at.isoformat()}T00:00:00Z"
    html = html.replace(
        "<!--pdf-dates-->",
        f'<meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">',
    )
    fetcher = StaticOnlyFetcher(allowed_protocols={"data", "file"})
    # fontTools stamps subset fonts with the time unless SOURCE_DATE_EPOCH says otherwise.
    epoch = int(dt.datetime(as_at.year, as_at.month, as_at.day, tzinfo=dt.UTC).timestamp())
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
        print_css = CSS(filename=str(STATIC / "print.css"), url_fetcher=fetcher)
        with _fonttools_subsetting():
            pdf = document.write_pdf(
                stylesheets=[print_css], pdf_variant="pdf/ua-1", pdf_identifier=True, finisher=scope_header_cells
            )
    finally:
        logger.removeHandler(collector)
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
    if collector.messages:
        raise RenderError("; ".join(collector.messages[:5]))
    assert isinstance(pdf, bytes)
    return pdf
