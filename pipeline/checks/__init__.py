"""Checking the extracts: the rule catalogue, the rules across rows and files by topic, and
``validate.load_extracts``, which reads a folder and runs every rule on it.

May import: ``pipeline.core``, ``pipeline.read``, ``pipeline.care``; never the measures or the
report (what both need lives in ``pipeline.care``).
"""
