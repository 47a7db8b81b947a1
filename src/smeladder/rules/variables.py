"""Variables: typed values for one enterprise and one period, read from the registry or computed.

Three kinds, one class:
- `Input`: a column of the entity table (eternal) or of a per-period table (one value per fiscal year);
- `Aggregate`: a fact over an enterprise's related rows (titles, exclusions) at a period (exists, count, sum...);
- a formula variable, written with `@variable`: a small pure function `(v, period, p) -> Ibis expression`, where
  `v.name(period)` is another variable, `period` the period computed for, `p.path.to.parameter` a parameter's
  value for that period. Dated formulas coexist; the one in force on the period's date is used. A variable
  declared `in_force=D` is the engine's zero (0.00, 0, False) before D, and its explanation says "not in force
  before D": a pack writes no formula only to cover the years before a measure existed.

Criteria (`smeladder.rules.criteria`) are formula variables whose formula is a tree of named conditions.
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smeladder.rules.errors import PackError
from smeladder.rules.periods import PERIOD_KINDS, PeriodKind, parse_date
from smeladder.rules.types import ValueType, literal

Formula = Callable[..., Any]  # (v, period, p) -> ibis.Value, or a ConditionTree for criteria


# What a variable is before its in-force date, by type.
NOT_IN_FORCE = {"money": Decimal("0.00"), "int": 0, "rate": Decimal("0"), "bool": False}


@dataclass
class DatedFormula:
    since: dt.date | None  # None: from the beginning
    function: Any  # a Formula or a criteria.Condition tree
    file: str
    line: int
    not_in_force_before: dt.date | None = None  # the engine's zero: the variable is not in force yet


@dataclass
class Variable:
    type: ValueType
    period: PeriodKind
    label: str
    label_zh: str = ""
    reference: str = ""
    reference_zh: str = ""  # the reference in Chinese where `reference` says something in English
    name: str = ""
    benefit: bool = (
        False  # a money measure paid to the enterprise: what-if reports its beneficiaries and cost
    )
    description: str = ""
    formulas: list[DatedFormula] = field(default_factory=list)
    file: str = ""
    line: int = 0
    # Input variables
    source_table: str | None = None
    source_column: str | None = None
    default: Any = None
    # Aggregate variables
    aggregate: str | None = None  # exists | count | sum | max | min
    aggregate_column: str | None = None
    where: Formula | None = None
    in_force: dt.date | None = None  # before this date: the type's zero, "not in force" (formula variables)

    def __post_init__(self) -> None:
        if self.period not in PERIOD_KINDS:
            raise PackError(
                f"period must be one of {PERIOD_KINDS}, not {self.period!r}", where=self.where_text
            )
        if self.benefit and self.type.name != "money":
            raise PackError("only money variables can be benefits", where=self.where_text)
        if not self.label_zh:
            self.label_zh = self.label
        if self.in_force is not None and self.type.name not in NOT_IN_FORCE:
            raise PackError(
                f"in_force needs a type with a zero ({', '.join(NOT_IN_FORCE)}), not {self.type.name}",
                where=self.where_text,
            )

    @property
    def kind(self) -> str:
        if self.source_column:
            return "input"
        if self.aggregate:
            return "aggregate"
        if self.formulas and not callable(self.formulas[0].function):
            return "criterion"
        return "formula"

    @property
    def where_text(self) -> str:
        location = f"{self.file}:{self.line}" if self.file else "?"
        return f"variable {self.name or '?'} ({location})"

    def label_in(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label

    def formula_for(self, day: dt.date) -> DatedFormula:
        if self.in_force is not None and day < self.in_force:
            zero = NOT_IN_FORCE[self.type.name]
            return DatedFormula(
                None,
                lambda v, period, p: literal(zero),
                self.file,
                self.line,
                not_in_force_before=self.in_force,
            )
        chosen = None
        for formula in sorted(self.formulas, key=lambda f: f.since or dt.date.min):
            if formula.since is None or formula.since <= day:
                chosen = formula
        if chosen is None:
            first = min(f.since for f in self.formulas if f.since)
            raise PackError(
                f"has no formula in force on {day} (the first starts {first})", where=self.where_text
            )
        return chosen

    def formula(self, since: str | dt.date) -> Callable[[Formula], Formula]:
        """Add a formula in force from `since` (the previous one stops the day before)."""

        def register(function: Formula) -> Formula:
            self.formulas.append(_dated(function, parse_date(since)))
            return function

        return register


def _dated(function: Any, since: dt.date | None) -> DatedFormula:
    try:
        file = inspect.getsourcefile(function) or ""
        line = inspect.getsourcelines(function)[1]
    except TypeError:
        file, line = _caller(3)
    return DatedFormula(since, function, file, line)


def _caller(depth: int = 2) -> tuple[str, int]:
    """File and line of the declaration (`inspect.stack()` would read every frame's source: 30 ms a call)."""
    frame = sys._getframe(depth)
    return frame.f_code.co_filename, frame.f_lineno


def variable(
    *,
    type: ValueType,
    period: PeriodKind,
    label: str,
    label_zh: str = "",
    reference: str = "",
    reference_zh: str = "",
    since: str | dt.date | None = None,
    in_force: str | dt.date | None = None,
    benefit: bool = False,
    description: str = "",
) -> Callable[[Formula], Variable]:
    """Declare a formula variable; the decorated function is its first formula, named after the function.
    `in_force`: the date the rule starts; before it the variable is the engine's zero, "not in force"."""

    def declare(function: Formula) -> Variable:
        formula = _dated(function, parse_date(since) if since else None)
        return Variable(
            type=type,
            period=period,
            label=label,
            label_zh=label_zh,
            reference=reference,
            reference_zh=reference_zh,
            name=function.__name__,
            benefit=benefit,
            description=description or (function.__doc__ or "").strip(),
            formulas=[formula],
            file=formula.file,
            line=formula.line,
            in_force=parse_date(in_force) if in_force else None,
        )

    return declare


def Input(
    column: str,
    *,
    type: ValueType,
    label: str,
    label_zh: str = "",
    default: Any = None,
    reference: str = "",
    reference_zh: str = "",
    name: str = "",
) -> Variable:
    """A registry column, `table.column`. Its period comes from the pack's table declaration. A NULL in the
    registry reads as `default` (None: stays NULL and formulas must handle it)."""
    table, dot, column_name = column.partition(".")
    file, line = _caller()
    if not dot:
        raise PackError(f"input column {column!r} must be written table.column", where=f"{file}:{line}")
    return Variable(
        type=type,
        period="eternal",  # fixed by the pack once it knows whether the table is per period
        label=label,
        label_zh=label_zh,
        reference=reference,
        reference_zh=reference_zh,
        name=name,
        source_table=table,
        source_column=column_name,
        default=default,
        file=file,
        line=line,
    )


AGGREGATES = ("exists", "count", "sum", "max", "min")


def Aggregate(
    table: str,
    how: str,
    *,
    type: ValueType,
    label: str,
    label_zh: str = "",
    where: Formula | None = None,
    column: str | None = None,
    period: PeriodKind = "instant",
    reference: str = "",
    reference_zh: str = "",
    name: str = "",
) -> Variable:
    """A fact over an enterprise's rows of a related table: `exists`, `count`, or `sum`/`max`/`min` of
    `column`, over the rows where `where(row, period, p)` holds. No matching row: False, 0 or NULL for max/min."""
    file, line = _caller()
    if how not in AGGREGATES:
        raise PackError(f"aggregate must be one of {AGGREGATES}, not {how!r}", where=f"{file}:{line}")
    if how in ("sum", "max", "min") and not column:
        raise PackError(f"aggregate {how} needs a column", where=f"{file}:{line}")
    return Variable(
        type=type,
        period=period,
        label=label,
        label_zh=label_zh,
        reference=reference,
        reference_zh=reference_zh,
        name=name,
        source_table=table,
        aggregate=how,
        aggregate_column=column,
        where=where,
        file=file,
        line=line,
    )
