"""Planning a run: which (variable, period) nodes a request needs, in dependency order.

Planning runs every formula once against typed placeholders. That is also how a pack is checked at load time:
unknown names, cycles, period mistakes, type errors and missing parameter values all surface here, with the
variable and its file in the message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ibis

from smeladder.rules import arithmetic, types
from smeladder.rules.context import ParameterView, VariableView
from smeladder.rules.criteria import Condition, Context
from smeladder.rules.errors import PackError
from smeladder.rules.parameters import ParameterTree, Resolved
from smeladder.rules.periods import ETERNITY, Instant, Period, Year, period_for
from smeladder.rules.variables import DatedFormula, Variable

if TYPE_CHECKING:
    from smeladder.rules.pack import Pack

Node = tuple[str, Period]


def column_name(node: Node) -> str:
    name, period = node
    return f"{name}__{period.token}"


@dataclass
class NodeInfo:
    variable: Variable
    period: Period
    formula: DatedFormula | None = None
    deps: list[Node] = field(default_factory=list)
    reads: list[Resolved] = field(default_factory=list)
    level: int = 0


@dataclass
class Plan:
    as_of: dt.date
    requested: list[Node]
    nodes: dict[Node, NodeInfo]

    @property
    def levels(self) -> list[list[Node]]:
        depth = max((info.level for info in self.nodes.values()), default=0)
        return [[n for n, info in self.nodes.items() if info.level == level] for level in range(depth + 1)]

    def parameters_read(self) -> list[Resolved]:
        seen: dict[tuple[str, str], Resolved] = {}
        for info in self.nodes.values():
            for read in info.reads:
                seen.setdefault((read.parameter.path, read.how), read)
        return list(seen.values())


def resolve_period(target: Variable, asked: Period | None, current: Period, user: Variable) -> Period:
    """The period of a dependency: eternal ignores it, year needs a Year, instant needs an Instant."""
    if target.period == "eternal":
        return ETERNITY
    period = asked if asked is not None else current
    wanted = Year if target.period == "year" else Instant
    if not isinstance(period, wanted):
        hint = "period.last_year or period.this_year" if wanted is Year else "an Instant (the as-of date)"
        raise PackError(
            f"asks for {target.name} at {period} but {target.name} is defined per {target.period}: pass {hint}",
            where=user.where_text,
        )
    return period


class SymbolicConditions(Context):
    """Conditions over Ibis columns: how a criterion is compiled (and its parts, compile.criterion_parts)."""

    symbolic = True

    def __init__(self, fetch: Any, params: ParameterView, period: Period) -> None:
        self.fetch, self.params, self.period = fetch, params, period

    def value(self, name: str, at: str | None) -> Any:
        return self.fetch(name, getattr(self.period, at) if at else None)

    def parameter(self, path: str) -> Any:
        return self.params(path)

    def literal(self, value: Any) -> Any:
        return types.literal(value)


def run_formula(
    info: NodeInfo,
    fetch: Any,
    parameters: ParameterTree,
) -> ibis.Value:
    """Run the node's formula with `fetch(name, period) -> Ibis value`; record the parameters it reads."""
    variable, period = info.variable, info.period
    assert info.formula is not None
    reads: list[Resolved] = []
    params = ParameterView(parameters, period, reads.append)
    where = f"variable {variable.name} ({info.formula.file}:{info.formula.line})"
    try:
        if isinstance(info.formula.function, Condition):
            result = info.formula.function.evaluate(SymbolicConditions(fetch, params, period))
        else:
            result = info.formula.function(VariableView(fetch), period, params)
    except PackError as exc:
        if exc.where.startswith("variable"):
            raise
        raise PackError(str(exc), where=where) from None
    except Exception as exc:  # an Ibis type error, a typo in an attribute...
        raise PackError(f"formula fails for {period}: {type(exc).__name__}: {exc}", where=where) from exc
    if not isinstance(result, ibis.Value):
        result = types.literal(result)
    try:
        result = arithmetic.exact(result)
    except PackError as exc:
        raise PackError(str(exc), where=where) from None
    if not variable.type.accepts(result.type()):
        hint = " (did you divide? compare exactly: a >= t * b)" if result.type().is_floating() else ""
        raise PackError(
            f"formula returns {result.type()} but the variable is declared {variable.type.name}{hint}",
            where=where,
        )
    info.reads = reads
    return result


def make_plan(
    pack: Pack,
    names: list[str] | list[Node],
    as_of: dt.date,
    parameters: ParameterTree | None = None,
    periods: dict[str, Period] | None = None,
) -> Plan:
    """Plan the nodes needed to compute `names` as of `as_of`: each at its default period (see
    periods.period_for) unless `periods` says otherwise, or given directly as (name, period) nodes."""
    parameters = parameters or pack.parameters
    placeholders = ibis.table({n: v.type.ibis_type for n, v in pack.variables.items()}, name="placeholders")
    nodes: dict[Node, NodeInfo] = {}
    stack: list[Node] = []

    def visit(node: Node) -> int:
        if node in nodes:
            return nodes[node].level
        if node in stack:
            cycle = " -> ".join(n for n, _ in [*stack[stack.index(node) :], node])
            raise PackError(f"dependency cycle: {cycle}", where=pack.variables[node[0]].where_text)
        name, period = node
        variable = pack.variables[name]
        info = NodeInfo(variable, period)
        if variable.kind in ("formula", "criterion"):
            info.formula = variable.formula_for(period.formula_date if period is not ETERNITY else as_of)
            stack.append(node)
            deps: list[Node] = []

            def fetch(dep_name: str, asked: Period | None) -> ibis.Value:
                if dep_name not in pack.variables:
                    raise PackError(f"uses unknown variable {dep_name!r}", where=variable.where_text)
                target = pack.variables[dep_name]
                deps.append((dep_name, resolve_period(target, asked, period, variable)))
                return placeholders[dep_name]

            run_formula(info, fetch, parameters)
            info.deps = list(dict.fromkeys(deps))
            info.level = 1 + max((visit(dep) for dep in info.deps), default=0)
            stack.pop()
        nodes[node] = info
        return info.level

    requested = []
    for item in names:
        name, period = item if isinstance(item, tuple) else (item, None)
        if name not in pack.variables:
            raise PackError(f"unknown variable {name!r} in pack {pack.name}")
        variable = pack.variables[name]
        period = period or (periods or {}).get(name) or period_for(variable.period, as_of)
        if variable.period == "eternal":
            period = ETERNITY
        requested.append((name, period))
        visit((name, period))
    return Plan(as_of, requested, nodes)
