"""The one error a policy pack raises: it names the file, the rule and what is wrong."""

from __future__ import annotations

from smeladder.errors import InvalidInput


class PackError(InvalidInput):
    """A policy pack is inconsistent: unknown name, cycle, type mismatch, missing parameter value...

    The message always starts with where to look (file, variable or parameter), so an author can fix it
    without reading the engine.
    """

    def __init__(self, message: str, *, where: str = "") -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
