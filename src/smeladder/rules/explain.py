"""Explain one enterprise: the tree of variables behind each result, with values, conditions, margins and the
parameters (value, unit, dates, reference, confirmed) they read.

The values come from the same compiled query as a batch run, restricted to one key on every source table, so an
explanation can never disagree with the batch. For DuckDB and PostgreSQL the SQL is compiled once per (pack,
as-of, variables, overrides) and reused with the key substituted: an explanation is one indexed-scan query.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Any

import ibis

from smeladder import money
from smeladder.money import YUAN_CODES, is_currency
from smeladder.rules.backends import Source, fetch_arrow
from smeladder.rules.compile import compile_plan
from smeladder.rules.criteria import Condition, Context, changes_to_flip, explain_tree
from smeladder.rules.errors import PackError
from smeladder.rules.explain_text import references_text
from smeladder.rules.pack import Pack
from smeladder.rules.parameters import ParameterTree
from smeladder.rules.periods import Period
from smeladder.rules.plan import Node, Plan, column_name, make_plan, resolve_period

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
    roots: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "entity": self.key,
            "found": self.found,
            "as_of": self.as_of.isoformat(),
            "pack": self.pack.name,
            "rule_version": self.pack.version,
            "lang": lang,
            "results": [_localise(root, lang) for root in self.roots],
        }

    def to_json_text(self, lang: str = "en") -> str:
        return json.dumps(self.to_json(lang), ensure_ascii=False, indent=2, default=str)

    def text(self, lang: str = "en") -> str:
        """The whole tree: every variable, formula, parameter and input."""
        from smeladder.rules.explain_text import render

        return render(self, lang)

    def letter(self, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
        """What an officer would send: support received, criteria met, and what is lacking, with margins.
        `names`: the entity's name by language (`explain_letter.entity_name`), for the heading."""
        from smeladder.rules.explain_letter import render_letter

        return render_letter(self, lang, names)

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


def _tree(explanation: Explanation, parameters: ParameterTree, node: Node, seen: set[Node]) -> dict[str, Any]:
    info = explanation.plan.nodes[node]
    variable = info.variable
    name, period = node
    value = explanation.values.get(column_name(node))
    item: dict[str, Any] = {
        "variable": name,
        "period": str(period),
        "kind": variable.kind,
        "type": variable.type.name,
        "label": variable.label,
        "label_zh": variable.label_zh,
        "value": value,
        "value_en": variable.type.show(value, "en"),
        "value_zh": variable.type.show(value, "zh"),
        "reference": variable.reference,
        "benefit": variable.benefit,
    }
    if node in seen:
        item["repeated"] = True
        return item
    seen.add(node)
    if variable.kind == "input":
        item["source"] = f"{variable.source_table}.{variable.source_column}"
        if variable.default is not None:
            item["default"] = str(variable.default)
    if variable.kind == "aggregate":
        item["source"] = f"{variable.aggregate} over {variable.source_table}"
    if info.formula is not None:
        item["formula"] = {
            "file": info.formula.file,
            "line": info.formula.line,
            "since": info.formula.since.isoformat() if info.formula.since else None,
        }
    item["parameters"] = list({read.parameter.path: read.to_json() for read in info.reads}.values())
    if isinstance(info.formula and info.formula.function, Condition):
        conditions = explain_tree(info.formula.function, _RowConditions(explanation, parameters, node))
        item["conditions"] = _decorate(explanation, conditions, node)
        item["to_flip"] = [_leaf_summary(leaf) for leaf in changes_to_flip(conditions)]
    item["inputs"] = [_tree(explanation, parameters, dep, seen) for dep in info.deps]
    return item


def _decorate(explanation: Explanation, condition: dict[str, Any], node: Node) -> dict[str, Any]:
    """Add display values (in both languages) to each leaf condition, in the unit of the comparison: money in
    the variable's currency, other numbers in the threshold parameter's unit when the engine knows it (%)."""
    if condition["kind"] in ("all", "any"):
        condition["children"] = [_decorate(explanation, child, node) for child in condition["children"]]
        return condition
    variable = explanation.pack.variables[condition["variable"]]
    period = node[1]
    at = condition.get("at")
    condition["period"] = str(getattr(period, at)) if at else str(period)
    condition["variable_label"] = variable.label
    condition["variable_label_zh"] = variable.label_zh
    condition["unit_type"] = variable.type.name
    source = condition.get("threshold_source") or {}
    resolved = _parameter_json(explanation, source["parameter"], period) if "parameter" in source else None
    unit = resolved["unit"] if resolved and condition["kind"] == "compare" else ""
    if variable.type.name == "money":
        condition["currency"] = variable.type.currency
        if unit and is_currency(unit) and not _same_currency(unit, variable.type.currency):
            raise PackError(
                f"condition on {condition['variable']} ({variable.type.currency}) compares with parameter "
                f"{resolved['parameter']} in {unit}: declare the variable's currency, e.g. Money({unit!r})"
            )
        unit = ""
    condition["unit"] = unit
    threshold, margin = condition.get("threshold"), condition.get("margin")
    if variable.type.name == "money":
        if threshold is not None:
            threshold = condition["threshold"] = money.to_fen(threshold)
        if margin is not None:
            # A shortfall is rounded up to the fen (adding it flips the outcome), a slack down.
            rounding = ROUND_DOWN if condition["passed"] else ROUND_UP
            margin = condition["margin"] = Decimal(margin).quantize(money.FEN, rounding=rounding)
    for lang in ("en", "zh"):
        condition[f"value_{lang}"] = _show(variable.type, condition["value"], unit, lang)
        if condition["kind"] != "truth":
            condition[f"threshold_{lang}"] = (
                _show(variable.type, threshold, unit, lang) if threshold is not None else "—"
            )
            condition[f"margin_{lang}"] = (
                _show(variable.type, margin, unit, lang, difference=True) if margin is not None else None
            )
    if resolved is not None:
        condition["parameter"] = resolved
        if not condition.get("reference"):
            condition["reference"] = references_text(resolved["references"])
    return condition


# Units of a threshold parameter the engine writes beside a plain number: (en, zh), and for a difference.
UNIT_WORDS = {
    "%": (("%", "%"), (" percentage points", "个百分点")),
    "years": ((" years", "年"), (" years", "年")),
    "persons": ((" persons", "人"), (" persons", "人")),
}


def _show(value_type: Any, value: Any, unit: str, lang: str, difference: bool = False) -> str:
    text = value_type.show(value, lang)
    if value is None or value_type.name not in ("int", "rate") or unit not in UNIT_WORDS:
        return text
    words = UNIT_WORDS[unit][difference][lang == "zh"]
    if lang == "en" and words.endswith("s") and Decimal(value) == 1:
        words = words[:-1]  # 1 year, 1 percentage point
    return text + words


def _same_currency(unit: str, currency: str) -> bool:
    return (unit in YUAN_CODES and currency in YUAN_CODES) or unit.upper() == currency


def _parameter_json(explanation: Explanation, path: str, period: Period) -> dict[str, Any]:
    for info in explanation.plan.nodes.values():
        for read in info.reads:
            if read.parameter.path == path:
                return read.to_json()
    return explanation.pack.parameters[path].resolve(period).to_json()


def _leaf_summary(leaf: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "label",
        "label_zh",
        "variable",
        "period",
        "passed",
        "margin",
        "margin_en",
        "margin_zh",
        "kind",
        "op",
    )
    return {k: leaf.get(k) for k in keys}


def _localise(node: dict[str, Any], lang: str) -> dict[str, Any]:
    """JSON in one language: `label`/`value_text` in `lang`, values as strings for exact decimals."""

    def clean(item: Any) -> Any:
        if isinstance(item, dict):
            out = {}
            for k, v in item.items():
                if k.endswith("_zh") or k.endswith("_en"):
                    base = k[:-3]
                    if k.endswith(f"_{lang}"):
                        out[f"{base}_text" if base in ("value", "threshold", "margin") else base] = clean(v)
                    continue
                if k == "label" and lang == "zh":
                    continue
                out[k] = clean(v)
            return out
        if isinstance(item, list):
            return [clean(v) for v in item]
        if isinstance(item, Decimal | dt.date):
            return str(item)
        return item

    return clean(node)
