"""What a formula sees: `v` (other variables), `period`, and `p` (parameters at that period).

    def voucher(v, period, p):
        return ibis.least(v.rd_expense(period.last_year) * p.voucher.rate, p.voucher.cap)

`p.voucher.rate` is an exactly typed Ibis literal of the value in force for the period (following the
parameter's mid-period rule); `p.points.rd_intensity` is a points table with `lookup(x)` and the exact
`lookup_share(numerator, denominator)`. Every read is recorded, so an explanation can cite it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis

from smeladder.rules import types
from smeladder.rules.errors import PackError
from smeladder.rules.parameters import Band, Bands, ParameterTree, Resolved
from smeladder.rules.periods import Period


class BandsValue:
    """A points table resolved for a period, usable inside a formula."""

    def __init__(self, resolved: Resolved) -> None:
        self.resolved = resolved
        self.bands: Bands = resolved.value

    def lookup(self, x: ibis.Value) -> ibis.Value:
        """The band value for `x` (lower bound inclusive unless the band says strict)."""

        def test(band: Band) -> ibis.Value:
            start = types.literal(band.start)
            return (x > start) if band.strict else (x >= start)

        return self._cases(test)

    def lookup_share(self, numerator: ibis.Value, denominator: ibis.Value) -> ibis.Value:
        """The band value for the ratio numerator/denominator, compared exactly (`num >= t * den`, den > 0).
        A zero or negative denominator falls in the lowest band."""

        def test(band: Band) -> ibis.Value:
            scaled = types.literal(band.start) * denominator
            beyond = (numerator > scaled) if band.strict else (numerator >= scaled)
            return (denominator > 0) & beyond

        return self._cases(test)

    def _cases(self, test: Callable[[Band], ibis.Value]) -> ibis.Value:
        # Highest band first: the first true test wins.
        branches = []
        for band in reversed(self.bands.bands):
            branches.append((test(band).fill_null(False), types.literal(band.value)))
        if not branches:
            return types.literal(self.bands.below)
        return ibis.cases(*branches, else_=types.literal(self.bands.below))


class ParameterView:
    """`p.a.b.c` walks the parameter tree; a leaf returns its value for the period and records the read."""

    def __init__(
        self, tree: ParameterTree, period: Period, record: Callable[[Resolved], None], prefix: str = ""
    ):
        self._tree = tree
        self._period = period
        self._record = record
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        path = f"{self._prefix}.{name}" if self._prefix else name
        if path in self._tree.parameters:
            resolved = self._tree.parameters[path].resolve(self._period)
            self._record(resolved)
            if isinstance(resolved.value, Bands):
                return BandsValue(resolved)
            return types.literal(resolved.value)
        if self._tree.is_prefix(path):
            return ParameterView(self._tree, self._period, self._record, path)
        raise PackError(f"unknown parameter {path!r}")

    def __call__(self, path: str) -> Any:
        view: Any = self
        for part in path.split("."):
            view = getattr(view, part)
        return view


class VariableView:
    """`v.name(period)` or `v("name", period)`: the value of another variable, as an Ibis column."""

    def __init__(self, fetch: Callable[[str, Period | None], ibis.Value]) -> None:
        self._fetch = fetch

    def __getattr__(self, name: str) -> Callable[..., ibis.Value]:
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda period=None: self._fetch(name, period)

    def __call__(self, name: str, period: Period | None = None) -> ibis.Value:
        return self._fetch(name, period)
