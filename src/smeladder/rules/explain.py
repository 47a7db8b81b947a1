"""Explain one enterprise: the tree of variables behind each result, with values, conditions, margins and the
parameters (value, unit, dates, reference, confirmed) they read, as typed nodes (explain_nodes.py).

The values come from the same compiled query as a batch run, restricted to one key on every source table, so an
explanation can never disagree with the batch. For DuckDB and PostgreSQL the SQL is compiled once per (pack,
as-of, variables, overrides) and reused with the key substituted: an explanation is one indexed-scan query.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import TYPE_CHECKING, Any

import ibis

from smeladder import messages, money
from smeladder.messages import NP_
from smeladder.money import YUAN_CODES, is_currency
from smeladder.rules import flips
from smeladder.rules.backends import Source, fetch_arrow
from smeladder.rules.compile import compile_plan
from smeladder.rules.criteria import Condition, Context, explain_tree
from smeladder.rules.errors import PackError
from smeladder.rules.explain_nodes import (
    ConditionNode,
    FormulaRef,
    Group,
    ParameterRead,
    Shown,
    VariableNode,
)
from smeladder.rules.pack import Pack
from smeladder.rules.parameters import ParameterTree, Resolved
from smeladder.rules.periods import Period
from smeladder.rules.plan import Node, Plan, column_name, make_plan, resolve_period

if TYPE_CHECKING:
    from smeladder.rules.letter_document import Letter

# A key no registry holds; the compiled SQL's literal is replaced by the real, quoted key.
_SENTINEL = "__smeladder_explain_key__"
_STATEMENTS = itertools.count(1)


@dataclass
class Explanation:
    pack: Pack
    key: str
    as_of: dt.date
    plan: Plan
    values: dict[str, Any]  # node column -> Python value
    found: bool
    roots: list[VariableNode] = field(default_factory=list)

    def text(self, lang: str = "en") -> str:
        """The whole tree: every variable, formula, parameter and input (`--trace`)."""
        from smeladder.rules.explain_text import render

        return render(self, lang)

    def letter(self, lang: str = "en", names: Mapping[str, str] | None = None) -> Letter:
        """What an officer would send, as a document: support received, criteria met, and what is lacking,
        with margins. `names`: the entity's name by language (`explain_letter.entity_name`)."""
        from smeladder.rules.explain_letter import letter_document

        return letter_document(self, lang, names)

    def value(self, name: str, period: Period | None = None) -> Any:
        node = next(n for n in self.plan.requested if n[0] == name) if period is None else (name, period)
        return self.values.get(column_name(node))


def explain(
    pack: Pack,
    source: Source,
    key: str,
    as_of: dt.date,
    variables: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Explanation:
    """Explain `variables` (default: the pack's benefits and criteria) for one entity as of `as_of`."""
    names = tuple(variables or _headline(pack))
    frozen = tuple(sorted((k, str(v)) for k, v in (overrides or {}).items()))
    prepared = _prepare(pack, source, as_of, names, frozen)
    row = prepared.fetch(key)
    values = {}
    for node, info in prepared.plan.nodes.items():
        column = column_name(node)
        values[column] = info.variable.type.to_python(row.get(column)) if row else None
    explanation = Explanation(pack, key, as_of, prepared.plan, values, found=row is not None)
    seen: set[Node] = set()  # shared across roots: a subtree is told once, then referred to
    explanation.roots = [
        _tree(explanation, prepared.parameters, node, seen) for node in prepared.plan.requested
    ]
    return explanation


def _headline(pack: Pack) -> list[str]:
    criteria = [n for n, v in pack.variables.items() if v.kind == "criterion"]
    return pack.benefits + criteria or pack.outputs


@dataclass
class _Prepared:
    plan: Plan
    parameters: ParameterTree
    fetch: Any  # key -> row dict or None


def _prepare(pack: Pack, source: Source, as_of: dt.date, names: tuple[str, ...], frozen: tuple) -> _Prepared:
    cache_key = (pack.name, pack.version, as_of, names, frozen)
    if cache_key not in source.explain_cache:
        if len(source.explain_cache) >= 64:
            source.explain_cache.pop(next(iter(source.explain_cache)))
        source.explain_cache[cache_key] = _prepare_uncached(pack, source, as_of, names, frozen)
    return source.explain_cache[cache_key]


def _prepare_uncached(pack: Pack, source: Source, as_of: dt.date, names: tuple, frozen: tuple) -> _Prepared:
    parameters = pack.parameters.with_overrides(dict(frozen)) if frozen else pack.parameters
    plan = make_plan(pack, list(names), as_of, parameters)
    if source.backend in ("duckdb", "postgres"):
        compiled = compile_plan(pack, plan, source.tables, parameters, key_filter=ibis.literal(_SENTINEL))
        sql = str(ibis.to_sql(compiled.all_nodes_expr, dialect=source.backend))
        if f"'{_SENTINEL}'" not in sql:
            raise PackError("internal: the explain query lost its key filter")

        if source.backend == "duckdb":
            # A prepared statement: DuckDB plans this query (one node per variable) in tens of milliseconds,
            # more than it takes to run it for one key, so plan once and execute per key.
            name = f"smeladder_explain_{next(_STATEMENTS)}"
            source.con.con.execute(f"PREPARE {name} AS " + sql.replace(f"'{_SENTINEL}'", "$1"))
            statement = f"EXECUTE {name}({{key}})"
        else:
            statement = sql.replace(f"'{_SENTINEL}'", "{key}")

        def fetch(key: str) -> dict[str, Any] | None:
            quoted = "'" + key.replace("'", "''") + "'"
            cursor = source.con.raw_sql(statement.replace("{key}", quoted))
            try:
                columns = [d[0] for d in cursor.description]
                # fetchall, not fetchone: DuckDB refuses other work while a result is unfinished.
                rows = cursor.fetchall()
                first = rows[0] if rows else None
            finally:
                if hasattr(cursor, "close") and source.backend == "postgres":
                    cursor.close()
            return dict(zip(columns, first, strict=True)) if first else None

        return _Prepared(plan, parameters, fetch)

    def fetch_any(key: str) -> dict[str, Any] | None:
        compiled = compile_plan(pack, plan, source.tables, parameters, key_filter=ibis.literal(key))
        rows = fetch_arrow(source, compiled.all_nodes_expr).to_pylist()
        return rows[0] if rows else None

    return _Prepared(plan, parameters, fetch_any)


class _RowConditions(Context):
    symbolic = False

    def __init__(self, explanation: Explanation, parameters: ParameterTree, node: Node) -> None:
        self.explanation, self.parameters, self.node = explanation, parameters, node
        self.info = explanation.plan.nodes[node]

    def value(self, name: str, at: str | None) -> Any:
        period = self.node[1]
        target = self.explanation.pack.variables[name]
        dep = (name, resolve_period(target, getattr(period, at) if at else None, period, self.info.variable))
        return self.explanation.values.get(column_name(dep))

    def parameter(self, path: str) -> Any:
        return self.parameters[path].resolve(self.node[1]).value

    def literal(self, value: Any) -> Any:
        return value


def _tree(explanation: Explanation, parameters: ParameterTree, node: Node, seen: set[Node]) -> VariableNode:
    info = explanation.plan.nodes[node]
    variable = info.variable
    name, period = node
    value = explanation.values.get(column_name(node))
    head = {
        "variable": name,
        "period": str(period),
        "kind": variable.kind,
        "type": variable.type.name,
        "label": variable.label,
        "label_zh": variable.label_zh,
        "value": value,
        "shown_en": variable.type.show(value, "en"),
        "shown_zh": variable.type.show(value, "zh"),
        "reference": variable.reference,
        "reference_zh": variable.reference_zh,
        "benefit": variable.benefit,
    }
    if node in seen:
        return VariableNode(**head, repeated=True)
    seen.add(node)
    source, default = "", None
    if variable.kind == "input":
        source = f"{variable.source_table}.{variable.source_column}"
        default = None if variable.default is None else str(variable.default)
    if variable.kind == "aggregate":
        source = f"{variable.aggregate} over {variable.source_table}"
    formula = None
    if info.formula is not None:
        formula = FormulaRef(
            info.formula.file, info.formula.line, info.formula.since, info.formula.not_in_force_before
        )
    reads = tuple({read.parameter.path: parameter_read(read) for read in info.reads}.values())
    conditions = to_flip = None
    if isinstance(info.formula and info.formula.function, Condition):
        raw = explain_tree(info.formula.function, _RowConditions(explanation, parameters, node))
        conditions = _decorate(explanation, raw, node)
        to_flip = flips.to_flip(conditions)
    inputs = tuple(_tree(explanation, parameters, dep, seen) for dep in info.deps)
    return VariableNode(
        **head,
        source=source,
        default=default,
        formula=formula,
        parameters=reads,
        conditions=conditions,
        to_flip=to_flip,
        inputs=inputs,
    )


def parameter_read(read: Resolved) -> ParameterRead:
    parameter = read.parameter
    return ParameterRead(
        path=parameter.path,
        value=str(read.value),
        unit=parameter.unit,
        how=read.how,
        since=tuple(e.start.isoformat() for e in read.entries),
        references=read.references,
        confirmed=read.confirmed,
        file=parameter.file,
        description=parameter.description,
        description_zh=parameter.description_zh,
    )


def _decorate(explanation: Explanation, node: ConditionNode, at_node: Node) -> ConditionNode:
    """Add display values (in both languages) to each leaf condition, in the unit of the comparison: money in
    the variable's currency, other numbers in the threshold parameter's unit when the engine knows it (%)."""
    if isinstance(node, Group):
        children = tuple(_decorate(explanation, child, at_node) for child in node.children)
        return replace(node, children=children)
    variable = explanation.pack.variables[node.variable]
    period = at_node[1]
    resolved = (
        _parameter_read(explanation, node.threshold_parameter, period) if node.threshold_parameter else None
    )
    unit = resolved.unit if resolved and node.kind == "compare" else ""
    currency = ""
    if variable.type.name == "money":
        currency = variable.type.currency
        if unit and is_currency(unit) and not _same_currency(unit, currency):
            raise PackError(
                f"condition on {node.variable} ({currency}) compares with parameter "
                f"{resolved.path} in {unit}: declare the variable's currency, e.g. Money({unit!r})"
            )
        unit = ""
    threshold, margin = node.threshold, node.margin
    if variable.type.name == "money":
        if threshold is not None:
            threshold = money.to_fen(threshold)
        if margin is not None:
            # A shortfall is rounded up to the fen (adding it flips the outcome), a slack down.
            rounding = ROUND_DOWN if node.passed else ROUND_UP
            margin = Decimal(margin).quantize(money.FEN, rounding=rounding)
    shown = {}
    denominator = explanation.pack.variables[node.denominator] if node.denominator else None
    for lang in ("en", "zh"):
        if node.kind == "truth":
            shown[lang] = Shown(value=_show(variable.type, node.value, unit, lang))
            continue
        shown[lang] = Shown(
            value=_show(variable.type, node.value, unit, lang),
            threshold=_show(variable.type, threshold, unit, lang) if threshold is not None else "—",
            margin=_show(variable.type, margin, unit, lang, difference=True) if margin is not None else "",
            denominator=denominator.type.show(node.denominator_value, lang) if denominator else "",
        )
    reference, reference_zh = node.reference, node.reference_zh
    if resolved is not None and not reference:
        reference, reference_zh = resolved.reference_text("en"), resolved.reference_text("zh")
    return replace(
        node,
        period=str(getattr(period, node.at)) if node.at else str(period),
        threshold=threshold,
        margin=margin,
        variable_label=variable.label,
        variable_label_zh=variable.label_zh,
        denominator_label=denominator.label if denominator else "",
        denominator_label_zh=(denominator.label_zh or denominator.label) if denominator else "",
        unit_type=variable.type.name,
        unit=unit,
        currency=currency,
        shown_en=shown["en"],
        shown_zh=shown["zh"],
        parameter=resolved,
        reference=reference,
        reference_zh=reference_zh,
    )


# Units of a threshold parameter the engine writes beside a plain number, and for a difference: the number
# is formatted in, so a language puts the unit where it belongs ("3 years", "3年").
UNIT_WORDS = {
    "%": (None, NP_("{n} percentage point", "{n} percentage points")),
    "years": (NP_("{n} year", "{n} years"), NP_("{n} year", "{n} years")),
    "persons": (NP_("{n} person", "{n} persons"), NP_("{n} person", "{n} persons")),
}


def _show(value_type: Any, value: Any, unit: str, lang: str, difference: bool = False) -> str:
    text = value_type.show(value, lang)
    if value is None or value_type.name not in ("int", "rate") or unit not in UNIT_WORDS:
        return text
    if unit == "%" and not difference:
        return f"{text}%"
    singular, plural = UNIT_WORDS[unit][difference]
    count = 1 if Decimal(value) == 1 else 2  # 1 year, 1 percentage point; 0.5 percentage points
    return messages.for_language(lang).ngettext(singular, plural, count).format(n=text)


def _same_currency(unit: str, currency: str) -> bool:
    return (unit in YUAN_CODES and currency in YUAN_CODES) or unit.upper() == currency


def _parameter_read(explanation: Explanation, path: str, period: Period) -> ParameterRead:
    for info in explanation.plan.nodes.values():
        for read in info.reads:
            if read.parameter.path == path:
                return parameter_read(read)
    return parameter_read(explanation.pack.parameters[path].resolve(period))
