"""The foundation every stage may use: the problem type, the rule type, the SSDA903 code lists
and the calendar helpers of the measure definitions.

Imports nothing from the rest of ``pipeline``.
"""
