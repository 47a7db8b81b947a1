"""Batch evaluation: a pack's variables over a whole registry, as one query on the chosen backend.

`evaluate` returns the results in memory; `evaluate_to_parquet` streams them to a file in record batches, so a
registry larger than memory (20 million enterprise-years) runs in bounded memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from smeladder.rules.backends import Source, fetch_arrow
from smeladder.rules.compile import compile_plan
from smeladder.rules.pack import Pack
from smeladder.rules.plan import Plan, make_plan
from smeladder.rules.results import RUN_METADATA_KEY, RunResults, new_run_id, snapshot


def evaluate(
    pack: Pack,
    source: Source,
    as_of: dt.date,
    variables: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    run_id: str | None = None,
    with_snapshot: bool = True,
) -> RunResults:
    """Compute `variables` (default: every non-input variable) for every entity, as of `as_of`."""
    names, plan, expr = _compile(pack, source, as_of, variables, overrides)
    manifest = _manifest(pack, source, as_of, plan, overrides, run_id, with_snapshot)
    table = normalise(pack, fetch_arrow(source, expr), names).sort_by(pack.entity_key)
    return RunResults(_with_run_columns(table, manifest), manifest)


def evaluate_to_parquet(
    pack: Pack,
    source: Source,
    as_of: dt.date,
    path: Path | str,
    variables: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    run_id: str | None = None,
    with_snapshot: bool = True,
) -> dict[str, Any]:
    """Like `evaluate`, streamed to a Parquet file (same columns, order and metadata); returns the manifest."""
    names, plan, expr = _compile(pack, source, as_of, variables, overrides)
    manifest = _manifest(pack, source, as_of, plan, overrides, run_id, with_snapshot)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = None
    rows = 0
    try:
        for batch in _batches(source, expr.order_by(pack.entity_key)):
            table = _with_run_columns(normalise(pack, pa.Table.from_batches([batch]), names), manifest)
            if writer is None:
                metadata = {RUN_METADATA_KEY: json.dumps(manifest, ensure_ascii=False).encode()}
                writer = pq.ParquetWriter(path, table.schema.with_metadata(metadata))
            writer.write_table(table)
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    if writer is None:  # no rows: still a valid, typed, empty results file
        empty = normalise(pack, fetch_arrow(source, expr.limit(0)), names)
        RunResults(_with_run_columns(empty, manifest), manifest).write_parquet(path)
    manifest["rows"] = rows
    return manifest


def _batches(source: Source, expr: ibis.Table, size: int = 256_000):
    if source.backend == "duckdb":
        # ibis 12.0.0's to_pyarrow_batches calls a method duckdb 2.x removed; stream through DuckDB directly.
        sql = str(ibis.to_sql(expr, dialect="duckdb"))
        yield from source.con.con.sql(sql).to_arrow_reader(size)
        return
    yield from source.con.to_pyarrow_batches(expr, chunk_size=size)


def _compile(
    pack: Pack,
    source: Source,
    as_of: dt.date,
    variables: Sequence[str] | None,
    overrides: Mapping[str, Any] | None,
) -> tuple[list[str], Plan, ibis.Table]:
    names = list(variables or pack.outputs)
    parameters = pack.parameters.with_overrides(dict(overrides)) if overrides else pack.parameters
    plan = make_plan(pack, names, as_of, parameters)
    compiled = compile_plan(pack, plan, source.tables, parameters)
    return names, plan, compiled.expr


def _manifest(
    pack: Pack,
    source: Source,
    as_of: dt.date,
    plan: Plan,
    overrides: Mapping[str, Any] | None,
    run_id: str | None,
    with_snapshot: bool,
) -> dict[str, Any]:
    shot = snapshot(source, columns_read(pack, plan)) if with_snapshot else {"tables": {}, "snapshot_id": ""}
    rule_version = pack.version
    if overrides:
        # A what-if run is a different rule version: the pack hash plus the overrides.
        text = json.dumps({k: str(v) for k, v in sorted(overrides.items())})
        rule_version = f"{pack.version}+{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    reads = plan.parameters_read()
    return {
        "run_id": run_id or new_run_id(),
        "as_of": as_of.isoformat(),
        "pack": pack.name,
        "rule_version": rule_version,
        "overrides": {k: str(v) for k, v in (overrides or {}).items()},
        "backend": source.backend,
        "snapshot_id": shot["snapshot_id"],
        "inputs": shot["tables"],
        "entity_key": pack.entity_key,
        "variables": {
            name: {
                "type": pack.variables[name].type.name,
                "period": str(period),
                "label": pack.variables[name].label,
                "label_zh": pack.variables[name].label_zh,
                "benefit": pack.variables[name].benefit,
            }
            for name, period in plan.requested
        },
        "parameters": [r.to_json() for r in reads],
        "unconfirmed_parameters": sorted({r.parameter.path for r in reads if not r.confirmed}),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def columns_read(pack: Pack, plan: Plan) -> dict[str, set[str] | None]:
    """Per table, the columns the run reads (None: all of them, since an aggregate's `where` may read any)."""
    read: dict[str, set[str] | None] = {table: {pack.entity_key} for table in pack.tables}
    for table, period_column in pack.period_tables.items():
        read[table] = {pack.entity_key, period_column}
    for info in plan.nodes.values():
        variable = info.variable
        table = variable.source_table
        if table is None or read.get(table) is None:
            continue
        if variable.kind == "aggregate":
            read[table] = None
        else:
            read[table] = read[table] | {variable.source_column}
    return read


def _with_run_columns(table: pa.Table, manifest: dict[str, Any]) -> pa.Table:
    rows = table.num_rows
    run_columns = {
        "run_id": pa.repeat(pa.scalar(manifest["run_id"], pa.string()), rows),
        "as_of": pa.repeat(pa.scalar(dt.date.fromisoformat(manifest["as_of"]), pa.date32()), rows),
        "rule_version": pa.repeat(pa.scalar(manifest["rule_version"], pa.string()), rows),
        "snapshot_id": pa.repeat(pa.scalar(manifest["snapshot_id"], pa.string()), rows),
    }
    return pa.table({**run_columns, **{c: table[c] for c in table.column_names}})


def normalise(pack: Pack, raw: pa.Table, names: Sequence[str]) -> pa.Table:
    """Same Arrow types whatever the backend returned (PostgreSQL numerics, Spark decimals)."""
    key = pack.entity_key
    columns = {key: raw[key].cast(pa.string())}
    for name in names:
        columns[name] = raw[name].cast(pack.variables[name].type.arrow_type)
    return pa.table(columns)
