"""A floor of ``make bench``: a run's own report.html made into a PDF by WeasyPrint, and nothing else.

``python benchmarks/floor_render.py REPORT_HTML``: WeasyPrint loaded and called with the options of
``pipeline/report/pdf.py`` (the report's print stylesheet and static files, tagged PDF/UA-1 with an
identifier, fonts subset by fontTools, dates fixed by SOURCE_DATE_EPOCH), without lac-report's own
checks around it: what the report's PDF has to cost, whatever computed the figures.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import weasyprint.pdf.fonts
from weasyprint import CSS, HTML

STATIC = Path(__file__).resolve().parents[1] / "templates" / "static"


def render(html: Path) -> int:
    os.environ["SOURCE_DATE_EPOCH"] = "1604102400"  # 31 October 2020, as the sample run's
    weasyprint.pdf.fonts.harfbuzz_subset = None  # fontTools, as the report always subsets
    document = HTML(string=html.read_text(encoding="utf-8"), base_url=STATIC.as_uri() + "/")
    pdf = document.write_pdf(
        stylesheets=[CSS(filename=str(STATIC / "print.css"))], pdf_variant="pdf/ua-1", pdf_identifier=True
    )
    return len(pdf)


if __name__ == "__main__":
    print(render(Path(sys.argv[1])))
