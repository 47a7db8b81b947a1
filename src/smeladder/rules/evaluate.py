"""Batch evaluation: a pack's variables over a whole registry, as one query on the chosen backend."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from smeladder.rules.backends import Source
from smeladder.rules.compile import compile_plan
from smeladder.rules.pack import Pack
from smeladder.rules.plan import make_plan
from smeladder.rules.results import RunResults, new_run_id, snapshot


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
    names = list(variables or pack.outputs)
    parameters = pack.parameters.with_overrides(dict(overrides)) if overrides else pack.parameters
    plan = make_plan(pack, names, as_of, parameters)
    compiled = compile_plan(pack, plan, source.tables, parameters)
    raw = source.con.to_pyarrow(compiled.expr)
    table = normalise(pack, raw, names)
    shot = snapshot(source.tables, source.con) if with_snapshot else {"tables": {}, "snapshot_id": ""}
    rule_version = pack.version
    if overrides:
        # A what-if run is a different rule version: the pack hash plus the overrides.
        text = json.dumps({k: str(v) for k, v in sorted(overrides.items())})
        rule_version = f"{pack.version}+{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    run_id = run_id or new_run_id()
    unconfirmed = sorted({r.parameter.path for r in plan.parameters_read() if not r.confirmed})
    manifest = {
        "run_id": run_id,
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
        "parameters": [r.to_json() for r in plan.parameters_read()],
        "unconfirmed_parameters": unconfirmed,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    rows = table.num_rows
    run_columns = {
        "run_id": pa.array([run_id] * rows, pa.string()),
        "as_of": pa.array([as_of] * rows, pa.date32()),
        "rule_version": pa.array([rule_version] * rows, pa.string()),
        "snapshot_id": pa.array([shot["snapshot_id"]] * rows, pa.string()),
    }
    full = pa.table({**run_columns, **{c: table[c] for c in table.column_names}})
    return RunResults(full, manifest)


def normalise(pack: Pack, raw: pa.Table, names: Sequence[str]) -> pa.Table:
    """Same Arrow types and row order whatever the backend returned (PostgreSQL numerics, Spark decimals)."""
    key = pack.entity_key
    columns = {key: raw[key].cast(pa.string())}
    for name in names:
        columns[name] = raw[name].cast(pack.variables[name].type.arrow_type)
    table = pa.table(columns)
    return table.sort_by(key)
