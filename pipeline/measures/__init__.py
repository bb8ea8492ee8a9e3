"""One small pure function per measure of measures.md, each returning a tidy frame; the tables
built from them (``tables``) and their definitions for docs/measures.md (``definitions``).

May import: ``pipeline.core``, ``pipeline.read``, ``pipeline.care``; never the checks (they are
siblings) or the report.
"""
