"""YAML tests beside the rules: inputs -> expected outputs, run by pytest and by `smeladder test`.

    # tests/voucher.yaml
    - name: capped voucher for a high-tech enterprise
      as_of: 2025-08-01
      input:                                  # input variables: a value, or {year: value} for yearly ones
        district: "310115"
        revenue: {2024: 20000000, 2023: 16000000}
        rd_expense: {2024: 8000000}
      rows:                                   # rows of related tables (the entity key is filled in)
        title: [{title: high_tech, level: national, valid_from: 2024-01-01}]
      parameters: {voucher.cap: 600000}       # optional overrides (a reform)
      output:
        voucher_paid: 600000.00
        voucher_eligible: true
        growth_bonus_for_year: {2024: 150273.22}   # yearly outputs per year

Each case runs on an in-memory DuckDB through the same compiled query as a batch run. A failing case reports
every wrong output and the explanation of the variables involved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from smeladder.rules.backends import duckdb_source, fetch_arrow
from smeladder.rules.compile import compile_plan
from smeladder.rules.errors import PackError
from smeladder.rules.explain import explain
from smeladder.rules.pack import Pack
from smeladder.rules.periods import Instant, Year, parse_date, period_for
from smeladder.rules.plan import Node, column_name, make_plan
from smeladder.rules.yamlio import load_yaml

DEFAULT_KEY = "TEST000000000000001"
ARROW_BY_NAME = {
    "str": pa.string(),
    "int": pa.int64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "money": pa.decimal128(18, 2),
    "percent": pa.decimal128(7, 4),
    "float": pa.float64(),
    "rate": pa.decimal128(18, 6),
    "enum": pa.string(),
}


# Column types per table, for the tables a pack reads but does not declare in pack.yaml (the platform's
# registry schema, which the service layer hands in: the engine knows no registry).
Columns = Mapping[str, Mapping[str, str]]


@dataclass
class Case:
    pack: Pack
    file: Path
    index: int
    spec: dict[str, Any]
    columns: Columns = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.spec.get("name", f"case {self.index + 1}"))

    @property
    def id(self) -> str:
        return f"{self.file.stem}:{self.index + 1}:{self.name}"

    def run(self, lang: str = "en") -> list[str]:
        """Failures as readable messages (empty: the case passes)."""
        return run_case(self, lang)

    def check(self, lang: str = "en") -> None:
        failures = self.run(lang)
        if failures:
            raise AssertionError("\n".join(failures))


def collect(pack: Pack, directory: Path | None = None, columns: Columns | None = None) -> list[Case]:
    """The cases in the pack's tests folder (or `directory`); `columns`: the platform's column types."""
    directory = directory or pack.tests_directory
    cases = []
    for file in sorted(directory.rglob("*.yaml")) if directory.is_dir() else []:
        specs = load_yaml(file) or []
        if isinstance(specs, dict):
            specs = [specs]
        for index, spec in enumerate(specs):
            if not isinstance(spec, dict) or "as_of" not in spec or "output" not in spec:
                raise PackError(f"test {index + 1} needs `as_of` and `output`", where=str(file))
            cases.append(Case(pack, file, index, spec, columns or {}))
    return cases


def run_case(case: Case, lang: str = "en") -> list[str]:
    pack, spec = case.pack, case.spec
    as_of = parse_date(spec["as_of"])
    key = str(spec.get("entity", DEFAULT_KEY))
    overrides = spec.get("parameters") or None
    where = f"{case.file}, test {case.index + 1} ({case.name})"
    con = ibis.duckdb.connect()
    for name, table in build_tables(pack, key, spec, where, case.columns).items():
        con.create_table(name, table)
    source = duckdb_source(None, pack.tables, con=con)
    expected = _expected_nodes(pack, spec["output"], as_of, where)
    parameters = pack.parameters.with_overrides(overrides) if overrides else pack.parameters
    plan = make_plan(pack, [node for node, _ in expected], as_of, parameters)
    compiled = compile_plan(pack, plan, source.tables, parameters)
    rows = fetch_arrow(source, compiled.all_nodes_expr).to_pylist()
    row = next((r for r in rows if r[pack.entity_key] == key), {})
    failures = []
    wrong_names = set()
    for node, wanted in expected:
        variable = pack.variables[node[0]]
        got = variable.type.to_python(row.get(column_name(node)))
        want = variable.type.to_python(wanted)
        if variable.type.choices and got is not None and got not in variable.type.choices:
            # SQL cannot refuse a value outside an enum; the tests do.
            failures.append(
                f"{where}: {node[0]} [{node[1]}] is {got!r}, not one of {sorted(variable.type.choices)}"
            )
            wrong_names.add(node[0])
        if got != want:
            failures.append(
                f"{where}: {node[0]} [{node[1]}] is {variable.type.show(got, lang)}, expected {variable.type.show(want, lang)}"
            )
            wrong_names.add(node[0])
    if failures:
        wrong = [node for node, _ in expected if node[0] in wrong_names]
        explanation = explain(pack, source, key, as_of, wrong, overrides)
        failures.append(explanation.text(lang))
    return failures


def _expected_nodes(pack: Pack, output: dict[str, Any], as_of: dt.date, where: str) -> list[tuple[Node, Any]]:
    nodes = []
    for name, wanted in output.items():
        if name not in pack.variables:
            raise PackError(f"expects unknown variable {name!r}", where=where)
        variable = pack.variables[name]
        if isinstance(wanted, dict) and variable.period == "year":
            nodes += [((name, Year(int(year))), value) for year, value in wanted.items()]
        elif isinstance(wanted, dict) and variable.period == "instant":
            nodes += [((name, Instant(parse_date(day))), value) for day, value in wanted.items()]
        else:
            nodes.append(((name, period_for(variable.period, as_of)), wanted))
    return nodes


def build_tables(
    pack: Pack, key: str, spec: dict[str, Any], where: str, columns: Columns | None = None
) -> dict[str, pa.Table]:
    """One-enterprise tables from a case's `input` (by variable) and `rows` (by table); `columns`: the
    platform's column types of the tables pack.yaml does not declare."""
    columns = columns or {}
    entity_row: dict[str, Any] = {pack.entity_key: key}
    yearly: dict[str, dict[int, dict[str, Any]]] = {t: {} for t in pack.period_tables}
    for name, value in (spec.get("input") or {}).items():
        variable = pack.variables.get(name)
        if variable is None or variable.kind != "input":
            raise PackError(f"input {name!r} is not an input variable of pack {pack.name}", where=where)
        if variable.source_table == pack.entity_table:
            entity_row[variable.source_column] = value
            continue
        if not isinstance(value, dict):
            raise PackError(f"{name} is yearly: write {{2024: value, ...}}", where=where)
        for year, amount in value.items():
            row = yearly[variable.source_table].setdefault(int(year), {})
            row[variable.source_column] = amount
    built = {pack.entity_table: _arrow(pack, pack.entity_table, [entity_row], columns)}
    for table, by_year in yearly.items():
        period_column = pack.period_tables[table]
        rows = [
            {pack.entity_key: key, period_column: year, **values} for year, values in sorted(by_year.items())
        ]
        built[table] = _arrow(pack, table, rows, columns)
    for table in pack.related_tables:
        rows = [{pack.entity_key: key, **row} for row in (spec.get("rows") or {}).get(table, [])]
        built[table] = _arrow(pack, table, rows, columns)
    unknown = set(spec.get("rows") or {}) - set(pack.related_tables)
    if unknown:
        raise PackError(
            f"rows for tables the pack does not declare as related: {sorted(unknown)}", where=where
        )
    return built


def table_columns(pack: Pack, table: str, columns: Columns) -> dict[str, str]:
    """Column types of a table: from pack.yaml (`tables.<t>.columns`), else the platform's `columns`."""
    return dict(pack.table_columns.get(table) or columns.get(table) or {})


def _arrow(pack: Pack, table: str, rows: list[dict[str, Any]], platform: Columns) -> pa.Table:
    columns = table_columns(pack, table, platform)
    for variable in pack.variables.values():
        if variable.kind == "input" and variable.source_table == table:
            columns.setdefault(variable.source_column, variable.type.name)
    for row in rows:
        for column in row:
            columns.setdefault(column, "str")
    fields = [(name, ARROW_BY_NAME.get(dtype, pa.string())) for name, dtype in columns.items()]
    data = {name: [_value(row.get(name), dtype) for row in rows] for name, dtype in fields}
    return pa.table(data, schema=pa.schema(fields))


def _value(value: Any, dtype: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_decimal(dtype):
        return Decimal(str(value))
    if pa.types.is_date(dtype):
        return parse_date(value)
    if pa.types.is_string(dtype):
        return str(value)
    return value
