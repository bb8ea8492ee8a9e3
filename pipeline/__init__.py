"""lac-report: the monthly looked after children reduction update, from extracts to PDF."""

from __future__ import annotations

import functools


def __getattr__(name: str) -> str:
    """``__version__``, looked up when first asked for: reading the installed metadata costs more
    start-up time than ``lac-report --help`` itself, and only a run's log and manifest need it."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


@functools.cache
def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("lac-report")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0"
