"""The care building blocks every measure and check stands on: a child's episodes in order,
periods of care, who is looked after on a day, starters and leavers, the code groups, the
events both checks and measures read (care starting, returns home, assessment factors),
populations and rates.

May import: ``pipeline.core``, ``pipeline.read``.
"""
