"""Run results: the values, and everything needed to reproduce them later.

A results file is Parquet with one row per entity: `run_id`, `as_of`, `rule_version`, `snapshot_id`, the entity
key, then one column per requested variable in its declared type (money DECIMAL(18,2)). The file's key-value
metadata `smeladder.run` holds the run manifest as JSON (see docs/rules-engine.md, "Results format").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

RUN_METADATA_KEY = b"smeladder.run"
RUN_COLUMNS = ("run_id", "as_of", "rule_version", "snapshot_id")


@dataclass
class RunResults:
    table: pa.Table
    manifest: dict[str, Any]

    @property
    def run_id(self) -> str:
        return self.manifest["run_id"]

    def write_parquet(self, path: Path | str) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        metadata = dict(self.table.schema.metadata or {})
        metadata[RUN_METADATA_KEY] = json.dumps(self.manifest, ensure_ascii=False).encode()
        pq.write_table(self.table.replace_schema_metadata(metadata), path)
        return path


def read_results(path: Path | str) -> RunResults:
    table = pq.read_table(path)
    manifest = json.loads((table.schema.metadata or {}).get(RUN_METADATA_KEY, b"{}"))
    return RunResults(table, manifest)


def new_run_id() -> str:
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def snapshot(source: Any, columns: dict[str, set[str] | None] | None = None) -> dict[str, Any]:
    """Identity of the inputs: per table its row count and a fingerprint (sums of numeric columns, maxima of
    dates and strings) over the columns the run reads (`columns`; None: all), one scan per table on the backend.
    Equal inputs give equal ids on every backend. It detects changed data, it is not a cryptographic hash."""
    from smeladder.rules.backends import fetch_arrow

    described: dict[str, Any] = {}
    names = sorted(source.tables) if columns is None else sorted(set(columns) & set(source.tables))
    for name in names:
        table = source.tables[name]
        metrics: dict[str, ibis.Value] = {"rows": table.count()}
        wanted = None if columns is None else columns.get(name)
        for column, dtype in table.schema().items():
            if wanted is not None and column not in wanted:
                continue
            if dtype.is_decimal() or dtype.is_integer():
                metrics[f"sum_{column}"] = table[column].cast("decimal(38,2)").sum()
            elif dtype.is_date() or dtype.is_string():
                metrics[f"max_{column}"] = table[column].max()
        row = fetch_arrow(source, table.aggregate(**metrics)).to_pylist()[0]
        described[name] = {"rows": int(row.pop("rows")), "fingerprint": _digest(row)}
        if wanted is not None:
            described[name]["columns"] = sorted(c for c in wanted if c in table.columns)
    return {"tables": described, "snapshot_id": _digest(described)}


def _digest(value: Any) -> str:
    def normalise(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: normalise(v) for k, v in sorted(item.items())}
        if item is None:
            return None
        text = str(item)
        if "." in text and text.replace(".", "").replace("-", "").isdigit():
            text = text.rstrip("0").rstrip(".")
        return text

    return hashlib.sha256(json.dumps(normalise(value), sort_keys=True).encode()).hexdigest()[:16]
