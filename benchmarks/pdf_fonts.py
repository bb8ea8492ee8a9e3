"""How the PDF's embedded fonts are made: size and time of the sample report's PDF by font mode.

WeasyPrint 70 subsets fonts with libharfbuzz-subset when the machine has it and with fontTools
otherwise, so the same report gives different PDF bytes on different machines. This renders a
run's report.html through the project's own ``pipeline.report.pdf.render_pdf`` (PDF/UA-1, the static-only
URL fetcher, the /Scope finisher, SOURCE_DATE_EPOCH) in each mode and prints, for each, the PDF's
size, the embedded font streams' size, the median time of the whole render (wall and CPU) and of the
font step alone (CPU), whether two renders give the same bytes, and the PDF/UA check's findings:

- harfbuzz: subset by libharfbuzz-subset (only where the machine has it; WeasyPrint's own choice,
  with the report's choice of fontTools undone)
- fonttools: subset by fontTools, what ``render_pdf`` always does (it hides libharfbuzz-subset from
  WeasyPrint)
- full: ``full_fonts=True``, the font files embedded whole, no subsetting

    .venv/bin/python benchmarks/pdf_fonts.py [out/2020-10-31/report.html] [--runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf
import weasyprint
import weasyprint.pdf
import weasyprint.pdf.fonts
from pdfua import validate

from pipeline.report import pdf as document

FONT_STEP: list[float] = []  # seconds spent in WeasyPrint's font step, one entry a render


def _timed_fonts(build: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return build(*args, **kwargs)
        finally:
            FONT_STEP.append(time.process_time() - start)

    return wrapper


class _FullFontsHTML(weasyprint.HTML):  # type: ignore[misc]
    def write_pdf(self, *args: Any, **kwargs: Any) -> Any:
        return super().write_pdf(*args, full_fonts=True, **kwargs)


@contextlib.contextmanager
def mode(name: str) -> Iterator[None]:
    """Patch WeasyPrint (module globals, this process only) for one font mode."""
    pdf_module = weasyprint.pdf
    saved = document._fonttools_subsetting, document.HTML, pdf_module.build_fonts_dictionary
    pdf_module.build_fonts_dictionary = _timed_fonts(saved[2])
    if name in ("harfbuzz", "full"):
        document._fonttools_subsetting = contextlib.nullcontext  # WeasyPrint's own choice again
    if name == "full":
        document.HTML = _FullFontsHTML
    try:
        yield
    finally:
        document._fonttools_subsetting, document.HTML, pdf_module.build_fonts_dictionary = saved


def font_bytes(pdf: bytes) -> int:
    """The embedded font files' stream lengths in the PDF (as stored, compressed)."""
    total = 0
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        total += len(obj[key].read_raw_bytes())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, default=Path("out/2020-10-31/report.html"))
    parser.add_argument("--as-at", type=dt.date.fromisoformat, default=dt.date(2020, 10, 31))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="harfbuzz,fonttools,full", help="in this order (default: %(default)s)")
    args = parser.parse_args()
    html = args.html.read_text(encoding="utf-8")
    run_pdf = args.html.with_name("report.pdf")
    written = hashlib.sha256(run_pdf.read_bytes()).hexdigest() if run_pdf.exists() else ""

    have_harfbuzz = weasyprint.pdf.fonts.harfbuzz_subset is not None
    names = [n for n in args.modes.split(",") if n != "harfbuzz" or have_harfbuzz]
    print(f"WeasyPrint {weasyprint.__version__}; libharfbuzz-subset loaded: {have_harfbuzz}")
    print(f"{args.html}: {args.runs} timed renders a mode, after one warm-up\n")
    print("render: wall and CPU seconds of document.render_pdf; fonts: CPU seconds of WeasyPrint's font step (medians)")
    head = f"{'mode':<10} {'PDF bytes':>10} {'fonts':>10} {'wall s':>7} {'CPU s':>6} {'fonts s':>8}"
    print(f"{head}  same bytes  PDF/UA  sha256")
    for name in names:
        outputs, totals = [], []
        with mode(name):
            document.render_pdf(html, args.as_at)  # warm-up: font files read, caches filled
            FONT_STEP.clear()
            for _ in range(args.runs):
                start, cpu = time.perf_counter(), time.process_time()
                outputs.append(document.render_pdf(html, args.as_at))
                totals.append((time.perf_counter() - start, time.process_time() - cpu))
            font_times = list(FONT_STEP)
        pdf = outputs[0]
        digest = hashlib.sha256(pdf).hexdigest()
        path = Path(f"/tmp/pdf_fonts-{name}.pdf")
        path.write_bytes(pdf)
        findings = len(validate(str(path)).findings)
        note = " (= the run's report.pdf)" if digest == written else ""
        print(
            f"{name:<10} {len(pdf):>10,} {font_bytes(pdf):>10,} {statistics.median(t[0] for t in totals):>7.2f}"
            f" {statistics.median(t[1] for t in totals):>6.2f}"
            f" {statistics.median(font_times):>8.3f}  {str(len(set(outputs)) == 1):<10}  {findings:>6}"
            f"  {digest[:12]}{note}"
        )


if __name__ == "__main__":
    main()
