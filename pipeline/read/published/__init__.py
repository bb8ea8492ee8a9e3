"""The published statistics a council's comparators, populations and reconciliation come from.

The DfE's "children looked after: numbers and rates per 10,000" editions, the ONS mid-year
estimates of children aged 0-17, and a statistical-neighbour file in either DfE layout, as
named in ``council.toml``'s ``[published]``. Every file is read as text first (every cell a
string, with the physical line of its record), then parsed, so a bad cell is a problem with
file, line and column, never a crash:

- ``text``: any CSV as text; numbers, the GSS symbols z / c / x, years.
- ``statistics``: the DfE editions (two column sets), combined with the edition listed last
  winning a year both hold.
- ``population``, ``neighbours``: the ONS file and the two neighbour layouts.
- ``councils``: which council an LA code names, and its neighbours.
- ``figures``: the published figures of the council and its comparator groups.
- ``load``: everything one run takes from the files (``load_published``).

Councils are matched by the old three-digit DfE code: the DfE files give every council its
current nine-character code for every year, while the ONS file gives the code in force that
mid-year, so new codes differ between files.

May import: ``pipeline.core``, ``pipeline.read`` (not ``pipeline.read.config``, which uses it).
"""
