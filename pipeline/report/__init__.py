"""The report: a view per section that mirrors ``pipeline.measures``, number formatting, charts,
public-edition suppression, and rendering to HTML (Jinja2) and PDF (WeasyPrint).

May import: ``pipeline.core``, ``pipeline.read``, ``pipeline.care``, ``pipeline.checks``,
``pipeline.measures``.
"""
