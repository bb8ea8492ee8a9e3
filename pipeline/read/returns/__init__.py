"""The annual SSDA903 returns a council already holds, read beside (or instead of) the current
extract and stitched into one history.

- ``layout``: which sources a folder of returns holds (year folders, files named with the year,
  the DfE's XML), and every ambiguity as a problem that lists what was found;
- ``xmlreturn``: the DfE's XML return streamed through a parser that refuses DTDs and entities,
  into the same text frames the CSV reader gives, each row with its element's place;
- ``stitch`` (and ``corrections``, its warnings): each source the truth for its own window, newer
  over older;
- ``provenance``: per source what was read, replaced, dropped or closed, for the run log, the
  manifest and the report's appendix;
- ``load``: all of it, giving text frames the typed parser and the rules read like any extract's,
  with where each row came from (``pipeline.read.origins``);
- ``rules``: the rules of the layout, the XML and the stitch, for the catalogue.

May import: ``pipeline.core`` and the rest of ``pipeline.read``.
"""
