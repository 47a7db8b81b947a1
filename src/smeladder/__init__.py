"""smeladder: policy as code for specialized and sophisticated SMEs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("smeladder")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
