"""The rules engine: policy as code over the whole registry, explained per enterprise.

A policy pack declares parameters (YAML), variables (Python: `Input`, `Aggregate`, `@variable`, `criterion`)
and tests (YAML). The engine plans the requested variables, compiles them into one Ibis query, runs it on
DuckDB, PostgreSQL or Spark, explains one enterprise as a tree, and reruns with overridden parameters (what-if).
See docs/rules-engine.md.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import ibis

from smeladder.rules.criteria import (
    above,
    all_of,
    any_of,
    at_least,
    at_most,
    band,
    below,
    by_band,
    criterion,
    equals,
    is_false,
    is_true,
    param,
    share_at_least,
    share_at_most,
    var,
)
from smeladder.rules.errors import PackError
from smeladder.rules.load import load_pack
from smeladder.rules.pack import Pack
from smeladder.rules.periods import Instant, Year
from smeladder.rules.stacking import higher_applies
from smeladder.rules.types import BOOL, DATE, INT, MONEY, RATE, STR, Enum, Money, literal
from smeladder.rules.variables import Aggregate, Input, Variable, variable


def lit(value: Any) -> ibis.Value:
    """An exactly typed literal for a formula: `lit("0.10")` is DECIMAL 0.10, never a float."""
    if isinstance(value, str):
        with contextlib.suppress(ArithmeticError):
            value = Decimal(value)
    return literal(value)


__all__ = [
    "BOOL",
    "DATE",
    "INT",
    "MONEY",
    "RATE",
    "STR",
    "Aggregate",
    "Enum",
    "Input",
    "Instant",
    "Money",
    "Pack",
    "PackError",
    "Variable",
    "Year",
    "above",
    "all_of",
    "any_of",
    "at_least",
    "at_most",
    "band",
    "below",
    "by_band",
    "criterion",
    "equals",
    "higher_applies",
    "is_false",
    "is_true",
    "lit",
    "load_pack",
    "param",
    "share_at_least",
    "share_at_most",
    "var",
    "variable",
]
