"""Compile a plan into one Ibis query over the registry tables, for any backend Ibis runs on.

Shape of the query: the entity table, left-joined with one slice per needed fiscal year of each per-period table
and with one grouped subquery per table that aggregates are read from (each aggregate a filtered metric of it);
then one projection per dependency level, each adding the variables whose dependencies are all in the level
below. Every value is cast to its declared type at the variable boundary (money rounded to the fen), so all
backends return identical values.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ibis

from smeladder.rules import arithmetic, types
from smeladder.rules.context import ParameterView
from smeladder.rules.criteria import Condition, leaves
from smeladder.rules.errors import PackError
from smeladder.rules.parameters import ParameterTree, Resolved
from smeladder.rules.periods import ETERNITY, Period, Year
from smeladder.rules.plan import (
    Node,
    NodeInfo,
    Plan,
    SymbolicConditions,
    column_name,
    resolve_period,
    run_formula,
)

if TYPE_CHECKING:
    from smeladder.rules.pack import Pack

KEY = "__key"
_QUERIES = itertools.count(1)  # CTE names must stay unique when two compiled queries are joined (what-if)


@dataclass
class Compiled:
    plan: Plan
    expr: ibis.Table  # key column named after the entity key, then one column per requested variable
    all_nodes_expr: ibis.Table  # key, then one column per node (for explanations)


def compile_plan(
    pack: Pack,
    plan: Plan,
    tables: Mapping[str, ibis.Table],
    parameters: ParameterTree | None = None,
    key_filter: ibis.Value | None = None,
) -> Compiled:
    """Build the query. `key_filter` (a literal or parameter) restricts every source table to one entity."""
    parameters = parameters or pack.parameters
    key = pack.entity_key

    def source(table_name: str) -> ibis.Table:
        if table_name not in tables:
            raise PackError(f"the backend has no table {table_name!r} (pack {pack.name} reads it)")
        table = tables[table_name]
        if key_filter is not None:
            table = table.filter(table[key] == key_filter)
        return table

    base = _base_relation(pack, plan, source, parameters)
    query_id = next(_QUERIES)
    relation = base
    for depth, level in enumerate(plan.levels[1:], start=1):
        columns = {}
        for node in level:
            info = plan.nodes[node]

            def fetch(
                name: str, asked: Period | None, info: NodeInfo = info, relation: ibis.Table = relation
            ) -> ibis.Value:
                # Dependencies are columns of the relation built so far (all in lower levels).
                target = pack.variables[name]
                dep = (name, resolve_period(target, asked, info.period, info.variable))
                return relation[column_name(dep)]

            result = run_formula(info, fetch, parameters)
            columns[column_name(node)] = info.variable.type.finish(result)
        # A named CTE per level: without it Ibis merges consecutive projections and inlines every variable's
        # expression into its users, and a 170-variable pack compiles to half a megabyte of SQL.
        relation = relation.mutate(**columns).alias(f"smeladder_q{query_id}_level{depth}")
    requested = {name: relation[column_name((name, period))] for name, period in plan.requested}
    expr = relation.select(relation[KEY].name(key), **requested)
    every = {column_name(node): relation[column_name(node)] for node in plan.nodes}
    all_nodes = relation.select(relation[KEY].name(key), **every)
    return Compiled(plan, expr, all_nodes)


def criterion_leaves(
    pack: Pack, compiled: Compiled, name: str, parameters: ParameterTree | None = None
) -> tuple[Condition, dict[int, ibis.Value]]:
    """Criterion `name`'s condition tree in force on the plan's date, and each leaf's outcome as a yes/no
    column of `compiled.all_nodes_expr` (keyed by `id(leaf)`): with `criteria.conditions_short`, how many
    conditions each enterprise lacks, for a whole registry in one query."""
    node = next((n for n in compiled.plan.requested if n[0] == name), None)
    info = compiled.plan.nodes.get(node) if node else None
    if info is None or info.formula is None or not isinstance(info.formula.function, Condition):
        raise PackError(f"{name!r} is not a criterion of this evaluation")
    tree = info.formula.function
    relation = compiled.all_nodes_expr

    def fetch(dependency: str, asked: Period | None) -> ibis.Value:
        target = pack.variables[dependency]
        return relation[column_name((dependency, resolve_period(target, asked, info.period, info.variable)))]

    view = ParameterView(parameters or pack.parameters, info.period, lambda _read: None)
    context = SymbolicConditions(fetch, view, info.period)
    return tree, {id(leaf): leaf.evaluate(context).fill_null(False) for leaf in leaves(tree)}


def _base_relation(pack: Pack, plan: Plan, source, parameters: ParameterTree) -> ibis.Table:
    key = pack.entity_key
    entity = source(pack.entity_table)
    columns: dict[str, ibis.Value] = {KEY: entity[key]}
    per_period: dict[tuple[str, int], list[Node]] = {}
    aggregates: list[Node] = []
    for node, info in plan.nodes.items():
        variable = info.variable
        if variable.kind == "input" and variable.source_table == pack.entity_table:
            columns[column_name(node)] = _input_value(entity[variable.source_column], info)
        elif variable.kind == "input":
            period = node[1]
            assert isinstance(period, Year)
            per_period.setdefault((variable.source_table, period.year), []).append(node)
        elif variable.kind == "aggregate":
            aggregates.append(node)
    relation = entity.select(**columns)
    joined: list[tuple[ibis.Table, str, list[tuple[Node, NodeInfo]]]] = []  # subset, its key column, inputs
    for index, ((table_name, year), nodes) in enumerate(sorted(per_period.items())):
        table = source(table_name)
        period_column = pack.period_tables[table_name]
        slice_key = f"__k{index}"
        subset = table.filter(table[period_column] == year).select(
            **{slice_key: table[key]},
            **{column_name(n): table[plan.nodes[n].variable.source_column] for n in nodes},
        )
        joined.append((subset, slice_key, [(n, plan.nodes[n]) for n in nodes]))
    by_table: dict[str, list[Node]] = {}
    for node in aggregates:
        by_table.setdefault(plan.nodes[node].variable.source_table, []).append(node)
    for index, (table_name, nodes) in enumerate(sorted(by_table.items()), start=len(joined)):
        slice_key = f"__k{index}"
        grouped = _aggregates(pack, plan, nodes, source(table_name), parameters, slice_key)
        joined.append((grouped, slice_key, []))
    # One join chain and one projection: dropping each join key as we go would make Ibis repeat the whole
    # column list per join (quadratic SQL: 280 KB for a 40-slice pack).
    for subset, slice_key, _ in joined:
        relation = relation.left_join(subset, relation[KEY] == subset[slice_key])
    # Defaults apply after the join: a missing year reads as the default, exactly like a NULL cell.
    finishing = {name: relation[name] for name in columns}
    for _subset, _key, nodes in joined:
        for node, info in nodes:
            finishing[column_name(node)] = _input_value(relation[column_name(node)], info)
    for node in aggregates:
        info = plan.nodes[node]
        value = relation[column_name(node)]
        if info.variable.aggregate in ("exists", "count", "sum"):
            value = value.fill_null(types.literal(False if info.variable.aggregate == "exists" else 0))
        finishing[column_name(node)] = info.variable.type.finish(value)
    return relation.select(**finishing)


def _input_value(column: ibis.Value, info: NodeInfo) -> ibis.Value:
    variable = info.variable
    if variable.default is not None:
        column = column.fill_null(types.literal(variable.default))
    try:
        return variable.type.finish(column)
    except Exception as exc:
        raise PackError(
            f"column cannot be read as {variable.type.name}: {exc}", where=variable.where_text
        ) from exc


def _aggregates(
    pack: Pack, plan: Plan, nodes: list[Node], table: ibis.Table, parameters: ParameterTree, slice_key: str
) -> ibis.Table:
    """Every aggregate over one table in one grouped pass, each metric with its own `where` (a filtered
    aggregate): one scan of the table instead of one per variable, which a single-entity explanation feels most."""
    metrics = {}
    for node in nodes:
        info = plan.nodes[node]
        variable = info.variable
        reads: list[Resolved] = []
        condition = None
        if variable.where is not None:
            period = node[1] if node[1] is not ETERNITY else None
            try:
                condition = variable.where(table, period, ParameterView(parameters, node[1], reads.append))
                condition = arithmetic.exact(condition)
            except PackError as exc:
                raise PackError(str(exc), where=variable.where_text) from None
            except Exception as exc:
                raise PackError(
                    f"`where` fails: {type(exc).__name__}: {exc}", where=variable.where_text
                ) from exc
        info.reads = reads
        how = variable.aggregate
        if how == "exists":
            metric = table[pack.entity_key].count(where=condition) > 0
        elif how == "count":
            metric = table[pack.entity_key].count(where=condition)
        else:
            metric = getattr(table[variable.aggregate_column], how)(where=condition)
        metrics[column_name(node)] = metric
    return table.group_by(**{slice_key: table[pack.entity_key]}).aggregate(**metrics)
