"""Where the figures came from, for the appendix: the files read, the config, the version, the
sections left out, and for a folder of annual returns what each return gave to the stitched history."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.read.returns.provenance import Provenance
from pipeline.report.figures import OMITTED, Omitted, ReportInputs
from pipeline.report.format import long_date, whole


@dataclass(frozen=True)
class InputRow:
    """A file read: its name, its rows and its SHA-256."""

    name: str
    rows: str
    sha256: str


@dataclass(frozen=True)
class SourceRow:
    """What one source of the stitched history gave: its year, and what became of its episodes."""

    year: str
    source: str
    current: bool
    episodes: str
    kept: str
    replaced: str
    dropped: str
    changed: str


@dataclass(frozen=True)
class ReturnsView:
    """Each source stitched into the history, and the tables the returns hold that the report does not use."""

    summary: str
    rows: tuple[SourceRow, ...]
    others: str
    present: bool = True


@dataclass(frozen=True)
class ProvenanceView:
    inputs: tuple[InputRow, ...]
    config_digest: str
    version: str
    extract_taken: str  # the day the extract was taken, when it says ("" otherwise)
    omitted: tuple[str, ...]  # a sentence for each optional extract not supplied
    returns: ReturnsView | Omitted


def provenance_view(report: ReportInputs) -> ProvenanceView:
    return ProvenanceView(
        inputs=tuple(InputRow(i.name, whole(i.rows), i.sha256) for i in report.inputs),
        config_digest=report.config_digest,
        version=report.version,
        extract_taken=long_date(report.extract_taken) if report.extract_taken else "",
        omitted=tuple(OMITTED[name] for name in ("legal", "echo", "toxic_trio") if name not in report.tables.frames),
        returns=returns_view(report.returns),
    )


def returns_view(provenance: Provenance | None) -> ReturnsView | Omitted:
    """Each source stitched into the history: its year, format and what became of its rows."""
    if provenance is None:
        return Omitted()
    sources = provenance.sources
    others = sorted({table.replace("_", " ") for s in sources for table, _ in s.other_tables})
    return ReturnsView(
        summary=(
            f"The extracts folder held {provenance.summary()}, stitched into one history up to"
            f" {long_date(provenance.taken)}, {provenance.until}. Each source is the truth for its own collection"
            " year, a newer one over an older one: what a newer one replaced, dropped or closed is counted below,"
            " and each disagreement is a warning."
            + (" An XML return's episodes are its EPISODE elements." if any(s.format == "xml" for s in sources) else "")
        ),
        rows=tuple(
            SourceRow(
                year=s.year_label,
                source=s.label,
                current=s.current,
                episodes=whole(s.episode_rows),
                kept=whole(s.counts.episodes_kept),
                replaced=whole(s.counts.replaced),
                dropped=whole(s.counts.dropped),
                changed=whole(s.counts.closed + s.counts.trimmed + s.counts.rejoined),
            )
            for s in sources
        ),
        others=(
            f"The returns also hold SSDA903 tables the report does not use: {', '.join(others)}." if others else ""
        ),
    )
