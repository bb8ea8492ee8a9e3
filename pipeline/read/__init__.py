"""Reading the inputs: the extract files (bytes, CSV records, typed cells), the input contract
as data (``schema``), the config and mapping (``config``), the commentary, and the rules
checked while reading (``rules``).

May import: ``pipeline.core``.
"""
