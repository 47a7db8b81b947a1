"""smeladder: policy as code for specialized and sophisticated SMEs."""

__version__ = "0.1.0"
