"""From a policy pack's evaluation to the entitlement-results table a round reads (docs/delivery.md).

A pack's money measure is found by its id, the same name everywhere ("the name is the address"): measure
`M1.2b` is computed by the variables `m1_2b_eligible` (the criterion), `m1_2b_amount` (before stacking) and
`m1_2b_paid` (after "the higher applies"), and set by the parameters `M1.2b.stacking_group` and, optionally,
`M1.2b.level` (national, municipal or district; municipal when the pack does not say).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from smeladder.delivery.results import ACCOUNT_SCHEMA, RESULTS_SCHEMA, write_results
from smeladder.registry.schema import ENTERPRISE
from smeladder.rules.backends import Source, fetch_arrow
from smeladder.rules.errors import PackError
from smeladder.rules.evaluate import evaluate
from smeladder.rules.pack import Pack

DEFAULT_LEVEL = "municipal"
# The account on file in the registry (enterprise table) -> the results' account columns.
ACCOUNT_COLUMNS = {
    "bank_account_name": "account_name",
    "bank_account_no": "account_no",
    "bank_name": "bank_name",
}


def variable_stem(measure_id: str) -> str:
    """`M1.2b` -> `m1_2b`."""
    return measure_id.lower().replace(".", "_")


def entitlement_results(
    pack: Pack, source: Source, as_of: dt.date, measure_ids: Sequence[str], period: str
) -> pa.Table:
    """One evaluation of the pack over the whole registry, as long entitlement rows per measure."""
    stems = {m: variable_stem(m) for m in measure_ids}
    names = ["district"]
    for measure_id, stem in stems.items():
        for suffix in ("eligible", "amount", "paid"):
            if f"{stem}_{suffix}" not in pack.variables:
                raise PackError(f"pack {pack.name} has no variable {stem}_{suffix} for measure {measure_id}")
            names.append(f"{stem}_{suffix}")
    run = evaluate(pack, source, as_of, names)
    wide = run.table
    codes = wide[pack.entity_key].to_pylist()
    districts = wide["district"].to_pylist()
    on_file = _accounts_on_file(source, pack.entity_key)
    schema = pa.schema([*RESULTS_SCHEMA, *ACCOUNT_SCHEMA])
    columns: dict[str, list] = {name: [] for name in schema.names}
    for measure_id, stem in stems.items():
        group = _parameter(pack, f"{measure_id}.stacking_group", as_of, default=measure_id)
        level = _parameter(pack, f"{measure_id}.level", as_of, default=DEFAULT_LEVEL)
        eligible = wide[f"{stem}_eligible"].to_pylist()
        before = wide[f"{stem}_amount"].to_pylist()
        paid = wide[f"{stem}_paid"].to_pylist()
        for index, code in enumerate(codes):
            amount = paid[index] or Decimal("0.00")
            columns["credit_code"].append(code)
            for name, value in zip(ACCOUNT_SCHEMA.names, on_file.get(code, ("", "", "")), strict=True):
                columns[name].append(value)
            columns["district_adcode"].append(districts[index])
            columns["eligible"].append(bool(eligible[index]) and amount > 0)
            columns["amount"].append(amount)
            columns["reasons_json"].append(
                json.dumps(
                    {
                        "measure": measure_id,
                        "criteria_met": bool(eligible[index]),
                        "amount_before_stacking": str(before[index] or Decimal("0.00")),
                        "paid_after_stacking": str(amount),
                        "stacking_group": group,
                        # what an interface offers next: the whole calculation for this enterprise
                        "next_action": "full_calculation",
                        "as_of": as_of.isoformat(),
                    },
                    ensure_ascii=False,
                )
            )
        n = len(codes)
        columns["measure_id"] += [measure_id] * n
        columns["stacking_group"] += [group] * n
        columns["level"] += [level] * n
    total = len(columns["credit_code"])
    manifest = run.manifest
    columns["run_id"] = [manifest["run_id"]] * total
    columns["as_of"] = [as_of] * total
    columns["rule_version"] = [manifest["rule_version"]] * total
    columns["input_snapshot"] = [manifest["snapshot_id"]] * total
    columns["period"] = [period] * total
    return pa.table(columns, schema=schema)


def write_entitlement_results(
    pack: Pack, source: Source, as_of: dt.date, measure_ids: Sequence[str], period: str, path: Path
) -> Path:
    return write_results(entitlement_results(pack, source, as_of, measure_ids, period), path)


def _accounts_on_file(source: Source, key: str) -> dict[str, tuple[str, str, str]]:
    """credit code -> (holder, number, bank) of the account on file; empty where the registry has none (an
    older registry without the columns has none at all)."""
    table = source.tables.get(ENTERPRISE.name)
    if table is None or not set(ACCOUNT_COLUMNS) <= set(table.columns):
        return {}
    rows = fetch_arrow(source, table.select(key, *ACCOUNT_COLUMNS)).to_pylist()
    return {row[key]: tuple(row[c] or "" for c in ACCOUNT_COLUMNS) for row in rows}


def _parameter(pack: Pack, path: str, as_of: dt.date, default: str) -> str:
    if path not in pack.parameters.parameters:
        return default
    entry = pack.parameters[path].entry_at(as_of)
    return str(entry.value) if entry else default
