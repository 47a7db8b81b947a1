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
fail their condition. A share of a zero denominator (no revenue, no employees) cannot be computed: it is not
met, in SQL as in an explanation, which says "cannot be computed" (explain_nodes.Outcome).

Mutually exclusive bands, each with its own requirement (the little giant's R&D intensity by revenue), are
declared as bands, so an explanation can say what fails inside the enterprise's own band first:

    by_band(
        band(at_least("revenue", param("large_revenue")), then=rd_share_at_least_3, label="100 million or more"),
        band(below("revenue", param("large_revenue")), then=rd_share_at_least_6, label="under 100 million"),
        label="R&D intensity by size",
    )

The explanation gives each condition's value, threshold, outcome, reference and margin, as typed nodes.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ibis

from smeladder.rules import types
from smeladder.rules.errors import PackError
from smeladder.rules.explain_nodes import Group as GroupNode
from smeladder.rules.explain_nodes import Leaf, Outcome, combine
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
    reference_zh: str = ""

    def evaluate(self, ctx: Context) -> Any:
        raise NotImplementedError

    def explain(self, ctx: Context) -> Leaf | GroupNode:
        raise NotImplementedError

    def _names(self) -> dict[str, str]:
        return {
            "label": self.label,
            "label_zh": self.label_zh or self.label,
            "reference": self.reference,
            "reference_zh": self.reference_zh,
        }

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

    def explain(self, ctx: Context) -> Leaf:
        value = ctx.value(self.variable, self.at)
        threshold = self.threshold_value(self.threshold, ctx, self.at)
        margin = None
        if _number(value) and _number(threshold):
            # Positive: how far the value must move to flip the condition.
            margin = abs(Decimal(threshold) - Decimal(value))
        return Leaf(
            kind="compare",
            variable=self.variable,
            outcome=Outcome.of(bool(self.evaluate(ctx))),
            at=self.at,
            op=self.op,
            value=value,
            threshold=threshold,
            margin=margin,
            **_source(self.threshold),
            **self._names(),
        )

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
        if not ctx.symbolic:
            if numerator is None or denominator is None or denominator == 0:
                return False
            return bool(OPERATORS[self.op](numerator, share * denominator))
        # A share of nothing cannot be computed, and what cannot be computed is not met (0 <= 70% of 0 is not
        # "debt at most 70% of assets" for a firm with no assets).
        computable = denominator != ctx.literal(0)
        return _null_is_false(computable & OPERATORS[self.op](numerator, share * denominator), ctx)

    def explain(self, ctx: Context) -> Leaf:
        numerator = ctx.value(self.numerator, self.at)
        denominator = ctx.value(self.denominator, self.at)
        share = self.threshold_value(self.share, ctx, self.at)
        computable = denominator is not None and denominator != 0
        needed = Decimal(share) * Decimal(denominator) if computable else None
        margin = None if needed is None or numerator is None else abs(needed - Decimal(numerator))
        ratio = None
        if numerator is not None and computable:
            ratio = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))
        outcome = Outcome.of(bool(self.evaluate(ctx))) if computable else Outcome.UNCOMPUTABLE
        return Leaf(
            kind="share",
            variable=self.numerator,
            outcome=outcome,
            denominator=self.denominator,
            denominator_value=denominator,
            at=self.at,
            op=self.op,
            value=numerator,
            threshold=needed,
            share=Decimal(share),
            ratio=ratio,
            margin=margin,
            **_source(self.share),
            **self._names(),
        )

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

    def explain(self, ctx: Context) -> Leaf:
        return Leaf(
            kind="truth",
            variable=self.variable,
            outcome=Outcome.of(bool(self.evaluate(ctx))),
            at=self.at,
            expected=self.expected,
            value=ctx.value(self.variable, self.at),
            **self._names(),
        )

    def variables(self) -> list[tuple[str, str | None]]:
        return [(self.variable, self.at)]


@dataclass
class Group(Condition):
    children: tuple[Condition, ...] = field(default=())
    mode: str = "all"  # all | any | bands (children: Band) | band (children: membership, requirement)

    @property
    def conjunctive(self) -> bool:
        return self.mode in ("all", "band")

    def evaluate(self, ctx: Context) -> Any:
        results = [child.evaluate(ctx) for child in self.children]
        if ctx.symbolic:
            combined = results[0]
            for result in results[1:]:
                combined = (combined & result) if self.conjunctive else (combined | result)
            return combined
        return all(results) if self.conjunctive else any(results)

    def explain(self, ctx: Context) -> GroupNode:
        children = tuple(child.explain(ctx) for child in self.children)
        return _group_node(self, children)

    def variables(self) -> list[tuple[str, str | None]]:
        return [item for child in self.children for item in child.variables()]


def _group_node(group: Group, children: tuple[Leaf | GroupNode, ...]) -> GroupNode:
    own = None
    if group.mode == "bands":
        # The band whose membership holds (the bands exclude one another: at most one does).
        own = next((i for i, band in enumerate(children) if band.children[0].passed), None)
    return GroupNode(
        mode=group.mode,
        outcome=combine(group.conjunctive, (child.outcome for child in children)),
        children=children,
        own_band=own,
        **group._names(),
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _source(threshold: Any) -> dict[str, str]:
    if isinstance(threshold, ParamRef):
        return {"threshold_parameter": threshold.path}
    if isinstance(threshold, VarRef):
        return {"threshold_variable": threshold.name}
    return {}


def explain_tree(condition: Condition, ctx: Context) -> Leaf | GroupNode:
    return condition.explain(ctx)


def leaves(condition: Condition) -> list[Condition]:
    """The leaf conditions of a tree, in the order of the rule."""
    if isinstance(condition, Group):
        return [leaf for child in condition.children for leaf in leaves(child)]
    return [condition]


def conditions_short(condition: Condition, met: Mapping[int, Any]) -> Any:
    """How many leaf conditions must change for `condition` to hold (0: it holds): an all_of adds up its
    children, an any_of (or a choice of bands) takes its cheapest way, as `flips.to_flip` counts for one
    explanation. `met` maps `id(leaf)` to the leaf's outcome: Python bools, or Ibis columns for a whole
    registry at once."""
    if isinstance(condition, Group):
        costs = [conditions_short(child, met) for child in condition.children]
        if condition.conjunctive:
            return sum(costs[1:], costs[0])
        if len(costs) == 1:
            return costs[0]
        if isinstance(costs[0], int):
            return min(costs)
        return ibis.least(*costs)
    outcome = met[id(condition)]
    return (0 if outcome else 1) if isinstance(outcome, bool) else ibis.ifelse(outcome, 0, 1)


def outcome_tree(
    condition: Condition, met: Mapping[int, bool], labels: Callable[[str], tuple[str, str]] | None = None
) -> Leaf | GroupNode:
    """The tree as typed nodes with each node's outcome, from the leaves' outcomes (a batch row has no
    values: only what is met). `labels`: a variable's (en, zh) label, for leaves without their own."""
    if isinstance(condition, Group):
        children = tuple(outcome_tree(child, met, labels) for child in condition.children)
        return _group_node(condition, children)
    variable = condition.variables()[0][0]
    named = labels(variable) if labels else ("", "")
    return Leaf(
        kind=_LEAF_KINDS[type(condition).__name__],
        variable=variable,
        outcome=Outcome.of(bool(met[id(condition)])),
        op=getattr(condition, "op", "=="),
        variable_label=named[0],
        variable_label_zh=named[1],
        **condition._names(),
    )


_LEAF_KINDS = {"Compare": "compare", "Share": "share", "Truth": "truth"}


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


def band(when: Condition, *, then: Condition, **kw: Any) -> Group:
    """One band of `by_band`: the enterprise is in it when `when` holds, and then must meet `then`."""
    return Group(children=(when, then), mode="band", **kw)


def by_band(*bands: Group, **kw: Any) -> Group:
    """A choice of mutually exclusive bands (`band(...)`): met when the enterprise meets what its own band
    requires (or another band's membership and requirement). Evaluates as an any-of of all-ofs; explained
    from the enterprise's own band (flips.py)."""
    if len(bands) < 2 or any(not isinstance(b, Group) or b.mode != "band" for b in bands):
        raise PackError("by_band takes two or more band(when, then=...) conditions")
    return Group(children=bands, mode="bands", **kw)


def criterion(
    conditions: Condition | Mapping[str, Condition],
    *,
    label: str,
    label_zh: str = "",
    reference: str = "",
    reference_zh: str = "",
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
        reference_zh=reference_zh,
        name=name,
        formulas=formulas,
        file=file,
        line=line,
    )
