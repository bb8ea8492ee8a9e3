"""The foundation every stage may use: the problem type, the rule type, the SSDA903 code lists,
the calendar helpers of the measure definitions, and counts in words.

Imports nothing from the rest of ``pipeline``.
"""
