"""Criteria: an eligibility as a tree of named conditions (all of / any of), each explainable on its own.

    eligible = criterion(
        all_of(
            is_false("excluded", label="Not on an exclusion list", label_zh="未被列入限制名单"),
            at_least("revenue", param("voucher.min_revenue"), at="last_year"),
            share_at_least("rd_expense", of="revenue", share=param("voucher.min_rd_share"), at="last_year"),
            any_of(at_least("points", param("voucher.min_points")), is_true("holds_high_tech")),
        ),
        label="Eligible for the voucher", label_zh="符合创新券条件", reference="Order 7/2023, Art. 3",
    )

A condition compares a variable with a parameter, another variable or a literal, exactly: a share is tested as
`numerator >= share * denominator`, never as a float ratio, so "exactly 3%" passes on every backend. NULL values
fail their condition. The explanation gives each condition's value, threshold, pass/fail, reference and margin.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ibis

from smeladder.rules import types
from smeladder.rules.errors import PackError
from smeladder.rules.periods import PeriodKind, parse_date
from smeladder.rules.variables import DatedFormula, Variable, _caller

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True)
class ParamRef:
    path: str


@dataclass(frozen=True)
class VarRef:
    name: str


def param(path: str) -> ParamRef:
    """A threshold read from a parameter at the criterion's period."""
    return ParamRef(path)


def var(name: str) -> VarRef:
    """A threshold that is another variable of the same enterprise."""
    return VarRef(name)


Threshold = ParamRef | VarRef | int | Decimal | str | bool | dt.date


class Context:
    """What a condition needs to evaluate: compile.py gives Ibis values, explain.py Python values."""

    def value(self, name: str, at: str | None) -> Any:
        raise NotImplementedError

    def parameter(self, path: str) -> Any:
        raise NotImplementedError

    def literal(self, value: Any) -> Any:
        raise NotImplementedError

    symbolic: bool = True


@dataclass
class Condition:
    label: str = ""
    label_zh: str = ""
    reference: str = ""

    def evaluate(self, ctx: Context) -> Any:
        raise NotImplementedError

    def explain(self, ctx: Context) -> dict[str, Any]:
        raise NotImplementedError

    def threshold_value(self, threshold: Threshold, ctx: Context, at: str | None) -> Any:
        if isinstance(threshold, ParamRef):
            return ctx.parameter(threshold.path)
        if isinstance(threshold, VarRef):
            return ctx.value(threshold.name, at)
        return ctx.literal(threshold)


def _null_is_false(expr: Any, ctx: Context) -> Any:
    if ctx.symbolic:
        return expr.fill_null(False)
    return bool(expr) if expr is not None else False


@dataclass
class Compare(Condition):
    variable: str = ""
    op: str = ">="
    threshold: Threshold = 0
    at: str | None = None

    def evaluate(self, ctx: Context) -> Any:
        left = ctx.value(self.variable, self.at)
        right = self.threshold_value(self.threshold, ctx, self.at)
        if not ctx.symbolic and (left is None or right is None):
            return False
        return _null_is_false(OPERATORS[self.op](left, right), ctx)

    def explain(self, ctx: Context) -> dict[str, Any]:
        value = ctx.value(self.variable, self.at)
        threshold = self.threshold_value(self.threshold, ctx, self.at)
        passed = bool(self.evaluate(ctx))
        margin = None
        if isinstance(value, int | Decimal) and isinstance(threshold, int | Decimal):
            # Positive: how far the value must move to flip the condition.
            margin = abs(Decimal(threshold) - Decimal(value))
        return {
            "kind": "compare",
            "variable": self.variable,
            "at": self.at,
            "op": self.op,
            "value": value,
            "threshold": threshold,
            "threshold_source": _source(self.threshold),
            "passed": passed,
            "margin": margin,
        }

    def variables(self) -> list[tuple[str, str | None]]:
        extra = [(self.threshold.name, self.at)] if isinstance(self.threshold, VarRef) else []
        return [(self.variable, self.at), *extra]


@dataclass
class Share(Condition):
    numerator: str = ""
    denominator: str = ""
    op: str = ">="
    share: ParamRef | Decimal = Decimal(0)
    at: str | None = None

    def evaluate(self, ctx: Context) -> Any:
        numerator = ctx.value(self.numerator, self.at)
        denominator = ctx.value(self.denominator, self.at)
        share = self.threshold_value(self.share, ctx, self.at)
        if not ctx.symbolic and (numerator is None or denominator is None):
            return False
        return _null_is_false(OPERATORS[self.op](numerator, share * denominator), ctx)

    def explain(self, ctx: Context) -> dict[str, Any]:
        numerator = ctx.value(self.numerator, self.at)
        denominator = ctx.value(self.denominator, self.at)
        share = self.threshold_value(self.share, ctx, self.at)
        needed = None if denominator is None else Decimal(share) * Decimal(denominator)
        margin = None if needed is None or numerator is None else abs(needed - Decimal(numerator))
        ratio = None
        if numerator is not None and denominator:
            ratio = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))
        return {
            "kind": "share",
            "variable": self.numerator,
            "denominator": self.denominator,
            "at": self.at,
            "op": self.op,
            "value": numerator,
            "threshold": needed,
            "share": share,
            "ratio": ratio,
            "threshold_source": _source(self.share),
            "passed": bool(self.evaluate(ctx)),
            "margin": margin,
        }

    def variables(self) -> list[tuple[str, str | None]]:
        return [(self.numerator, self.at), (self.denominator, self.at)]


@dataclass
class Truth(Condition):
    variable: str = ""
    expected: bool = True
    at: str | None = None

    def evaluate(self, ctx: Context) -> Any:
        value = ctx.value(self.variable, self.at)
        if ctx.symbolic:
            return (value == ctx.literal(self.expected)).fill_null(False)
        return value is not None and bool(value) == self.expected

    def explain(self, ctx: Context) -> dict[str, Any]:
        value = ctx.value(self.variable, self.at)
        return {
            "kind": "truth",
            "variable": self.variable,
            "at": self.at,
            "expected": self.expected,
            "value": value,
            "passed": bool(self.evaluate(ctx)),
            "margin": None,
        }

    def variables(self) -> list[tuple[str, str | None]]:
        return [(self.variable, self.at)]


@dataclass
class Group(Condition):
    children: tuple[Condition, ...] = field(default=())
    mode: str = "all"  # all | any

    def evaluate(self, ctx: Context) -> Any:
        results = [child.evaluate(ctx) for child in self.children]
        if ctx.symbolic:
            combined = results[0]
            for result in results[1:]:
                combined = (combined & result) if self.mode == "all" else (combined | result)
            return combined
        return _combine(self.mode, results)

    def explain(self, ctx: Context) -> dict[str, Any]:
        children = [child.explain(ctx) | _labels(child) for child in self.children]
        passed = _combine(self.mode, (c["passed"] for c in children))
        return {"kind": self.mode, "passed": passed, "children": children}

    def variables(self) -> list[tuple[str, str | None]]:
        return [item for child in self.children for item in child.variables()]


def _combine(mode: str, outcomes: Iterable[Any]) -> bool:
    """An all-of or any-of over its children's outcomes."""
    return all(outcomes) if mode == "all" else any(outcomes)


def _labels(condition: Condition) -> dict[str, Any]:
    return {
        "label": condition.label,
        "label_zh": condition.label_zh or condition.label,
        "reference": condition.reference,
    }


def _source(threshold: Any) -> dict[str, str] | None:
    if isinstance(threshold, ParamRef):
        return {"parameter": threshold.path}
    if isinstance(threshold, VarRef):
        return {"variable": threshold.name}
    return None


def explain_tree(condition: Condition, ctx: Context) -> dict[str, Any]:
    return condition.explain(ctx) | _labels(condition)


def changes_to_flip(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The fewest leaf conditions whose outcome must change to flip this node's outcome."""
    kind = node["kind"]
    if kind not in ("all", "any"):
        return [node]
    children = node["children"]
    # To make an all-of pass every failing child must pass; to make it fail one passing child suffices.
    gather_every = (kind == "all") != bool(node["passed"])
    candidates = [c for c in children if bool(c["passed"]) == bool(node["passed"])]
    if gather_every:
        return [leaf for child in candidates for leaf in changes_to_flip(child)]
    options = [changes_to_flip(child) for child in candidates]
    return min(options, key=len) if options else []


def leaves(condition: Condition) -> list[Condition]:
    """The leaf conditions of a tree, in the order of the rule."""
    if isinstance(condition, Group):
        return [leaf for child in condition.children for leaf in leaves(child)]
    return [condition]


def conditions_short(condition: Condition, met: Mapping[int, Any]) -> Any:
    """How many leaf conditions must change for `condition` to hold (0: it holds): an all_of adds up its
    children, an any_of takes its cheapest way, as `changes_to_flip` does for one explanation. `met` maps
    `id(leaf)` to the leaf's outcome: Python bools, or Ibis columns for a whole registry at once."""
    if isinstance(condition, Group):
        costs = [conditions_short(child, met) for child in condition.children]
        if condition.mode == "all":
            return sum(costs[1:], costs[0])
        if len(costs) == 1:
            return costs[0]
        if isinstance(costs[0], int):
            return min(costs)
        return ibis.least(*costs)
    outcome = met[id(condition)]
    return (0 if outcome else 1) if isinstance(outcome, bool) else ibis.ifelse(outcome, 0, 1)


def outcome_tree(condition: Condition, met: Mapping[int, bool]) -> dict[str, Any]:
    """The tree with each node's outcome, in the shape `changes_to_flip` reads, from the leaves' outcomes."""
    if isinstance(condition, Group):
        children = [outcome_tree(child, met) for child in condition.children]
        passed = _combine(condition.mode, (c["passed"] for c in children))
        return {"kind": condition.mode, "passed": passed, "children": children} | _labels(condition)
    return {"kind": "leaf", "passed": bool(met[id(condition)]), "condition": condition} | _labels(condition)


# --- constructors pack authors call --------------------------------------------------------------------------


def at_least(variable: str, threshold: Threshold, **kw: Any) -> Compare:
    return Compare(variable=variable, op=">=", threshold=threshold, **kw)


def above(variable: str, threshold: Threshold, **kw: Any) -> Compare:
    return Compare(variable=variable, op=">", threshold=threshold, **kw)


def at_most(variable: str, threshold: Threshold, **kw: Any) -> Compare:
    return Compare(variable=variable, op="<=", threshold=threshold, **kw)


def below(variable: str, threshold: Threshold, **kw: Any) -> Compare:
    return Compare(variable=variable, op="<", threshold=threshold, **kw)


def equals(variable: str, threshold: Threshold, **kw: Any) -> Compare:
    return Compare(variable=variable, op="==", threshold=threshold, **kw)


def share_at_least(numerator: str, *, of: str, share: ParamRef | Decimal, **kw: Any) -> Share:
    """`numerator >= share * of`, e.g. R&D expense at least 3% of revenue."""
    return Share(numerator=numerator, denominator=of, op=">=", share=share, **kw)


def share_at_most(numerator: str, *, of: str, share: ParamRef | Decimal, **kw: Any) -> Share:
    """`numerator <= share * of`, e.g. liabilities at most 70% of assets."""
    return Share(numerator=numerator, denominator=of, op="<=", share=share, **kw)


def is_true(variable: str, **kw: Any) -> Truth:
    return Truth(variable=variable, expected=True, **kw)


def is_false(variable: str, **kw: Any) -> Truth:
    return Truth(variable=variable, expected=False, **kw)


def all_of(*children: Condition, **kw: Any) -> Group:
    return Group(children=children, mode="all", **kw)


def any_of(*children: Condition, **kw: Any) -> Group:
    return Group(children=children, mode="any", **kw)


def criterion(
    conditions: Condition | Mapping[str, Condition],
    *,
    label: str,
    label_zh: str = "",
    reference: str = "",
    period: PeriodKind = "instant",
    name: str = "",
) -> Variable:
    """A yes/no variable made of conditions. Pass `{"2022-06-01": tree, "2026-04-01": tree}` for rule sets
    that change on a date; the one in force on the period's date applies."""
    file, line = _caller()
    versions = conditions if isinstance(conditions, Mapping) else {None: conditions}
    formulas = [
        DatedFormula(parse_date(since) if since else None, tree, file, line)
        for since, tree in versions.items()
    ]
    for formula in formulas:
        if not isinstance(formula.function, Condition):
            raise PackError(
                "a criterion is built from all_of/any_of/at_least/... conditions", where=f"{file}:{line}"
            )
    return Variable(
        type=types.BOOL,
        period=period,
        label=label,
        label_zh=label_zh,
        reference=reference,
        name=name,
        formulas=formulas,
        file=file,
        line=line,
    )
