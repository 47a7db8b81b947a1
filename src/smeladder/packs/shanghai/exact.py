"""Exact comparisons the Shanghai rules need beyond the engine's `share_at_least`: growth over a base, the
average of two years' growth, and points bands over that average. Never a float ratio: each test is a product
of decimals, so "exactly 20%" passes on every backend.

Amounts are widened to DECIMAL(38,2) before multiplying: DuckDB keeps DECIMAL(18, s1+s2) for a product of two
DECIMAL(18) values and overflows above 10^(18-s) (a 30-billion-yuan revenue times a 6-decimal rate).
"""

from __future__ import annotations

import ibis

from smeladder.rules import lit

WIDE = "decimal(38,2)"
WIDE_RATE = "decimal(38,6)"


def wide(amount: ibis.Value) -> ibis.Value:
    return amount.cast(WIDE)


def wide_rate(rate: ibis.Value) -> ibis.Value:
    return rate.cast(WIDE_RATE)


def grew_by_at_least(now: ibis.Value, before: ibis.Value, rate: ibis.Value, *, strict: bool = False):
    """now >= (1 + rate) * before, with a positive base (a firm with no base year has no growth rate)."""
    target = wide(before) * wide_rate(lit(1) + rate)
    beyond = wide(now) > target if strict else wide(now) >= target
    return ((before > 0) & beyond).fill_null(False)


def average_growth_at_least(m0: ibis.Value, m1: ibis.Value, m2: ibis.Value, rate: ibis.Value):
    """The average of the growth m0 -> m1 and m1 -> m2 is at least `rate`:
    (m1/m0 - 1 + m2/m1 - 1) / 2 >= rate  <=>  m2*m0 + m1*m1 >= (2 + 2*rate) * m1*m0, for m0, m1 > 0."""
    left = wide(m2) * wide(m0) + wide(m1) * wide(m1)
    right = wide_rate(lit(2) + lit(2) * rate) * (wide(m1) * wide(m0))
    return ((m0 > 0) & (m1 > 0) & (left >= right)).fill_null(False)


def average_growth_points(bands, m0: ibis.Value, m1: ibis.Value, m2: ibis.Value) -> ibis.Value:
    """Points from a bands parameter (`p.x.y`, lower bounds inclusive) for the 2-year average growth."""
    branches = []
    for band in reversed(bands.bands.bands):
        test = average_growth_at_least(m0, m1, m2, lit(band.start))
        branches.append((test, lit(band.value)))
    return ibis.cases(*branches, else_=lit(bands.bands.below))


def growth_rate(now: ibis.Value, before: ibis.Value) -> ibis.Value:
    """Growth as a rate with 4 decimals, for showing only (conditions use the exact tests above)."""
    ratio = wide_rate(wide(now) - wide(before)) / wide(before)
    return ibis.ifelse(before > 0, ratio.cast("decimal(18,4)"), ibis.null("decimal(18,4)"))
