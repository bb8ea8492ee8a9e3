"""A run and the monthly operations on run folders: the runner, the output folder and its lock,
the table files, the manifest, verify, compare and progress.

May import every earlier stage: ``pipeline.core``, ``read``, ``care``, ``checks``, ``measures``,
``report``; only ``pipeline.cli`` imports it.
"""
