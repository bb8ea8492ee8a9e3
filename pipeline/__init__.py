"""lac-report: the monthly looked after children reduction update, from extracts to PDF."""

from importlib import metadata

try:
    __version__ = metadata.version("lac-report")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
