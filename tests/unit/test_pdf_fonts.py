"""The PDF's bytes do not depend on whether the machine has libharfbuzz-subset (report.pdf)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import weasyprint.pdf.fonts as fonts

from pipeline.report.pdf import render_pdf

HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fonts</title><!--pdf-dates--></head>
<body><h1>Looked after children</h1><p>339 children, 94 per 10,000 <strong>(down 3)</strong>.</p>
<p><code>f0c43c2e95ae4a08</code></p></body></html>"""


@pytest.fixture
def subsetters(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The subsetter WeasyPrint used for each font it embedded, in order."""
    used: list[str] = []
    for name in ("_harfbuzz_subset", "_fonttools_subset"):
        real = getattr(fonts.Font, name)

        def spy(self: Any, *args: Any, _real: Any = real, _name: str = name) -> Any:
            used.append(_name)
            return _real(self, *args)

        monkeypatch.setattr(fonts.Font, name, spy)
    return used


def test_fonts_are_subset_by_fonttools_whether_or_not_the_machine_has_harfbuzz_subset(
    monkeypatch: pytest.MonkeyPatch, subsetters: list[str]
) -> None:
    as_at = dt.date(2020, 10, 31)
    # A machine with libharfbuzz-subset (this one's, or a stand-in where it is missing) ...
    with_library = fonts.harfbuzz_subset or object()
    monkeypatch.setattr(fonts, "harfbuzz_subset", with_library)
    on_a_machine_with_it = render_pdf(HTML, as_at)
    assert set(subsetters) == {"_fonttools_subset"} and len(subsetters) == 3  # DejaVu Sans, Bold, Mono
    assert fonts.harfbuzz_subset is with_library  # the machine's library is put back afterwards
    # ... and one without it give the same bytes.
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    assert render_pdf(HTML, as_at) == on_a_machine_with_it
    assert set(subsetters) == {"_fonttools_subset"}


def test_a_weasyprint_that_chooses_its_subsetter_otherwise_stops_the_render(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(fonts, "harfbuzz_subset")
    with pytest.raises(RuntimeError, match="chooses its font subsetter another way"):
        render_pdf(HTML, dt.date(2020, 10, 31))
