"""The service network's reference data (stations, partners) in its own DuckDB file beside the registry.

A separate file because DuckDB allows one writer per file: importing stations must not wait for, or block, a
registry import. Import follows the registry's rules (`smeladder.registry.store`): every file of a batch is
validated by the registry's validator against `network.schema`; one bad row rejects the whole batch and the
store is left exactly as it was; accepted rows are upserted by key in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa

from smeladder.network import districts as network_districts
from smeladder.network.schema import TABLES
from smeladder.registry import files, validation
from smeladder.registry.schema import Table
from smeladder.registry.store import DuckDBFile, ImportRejected, create_ddl
from smeladder.registry.validation import Staged, q

STORE_FILE = "network.duckdb"
IMPORT_LOG_DDL = """CREATE TABLE IF NOT EXISTS network_import_log (
    imported_at TIMESTAMP, table_name VARCHAR, file VARCHAR, rows_read BIGINT, inserted BIGINT, updated BIGINT)"""

__all__ = ["STORE_FILE", "ImportRejected", "NetworkStore", "table_for"]


class NetworkStore(DuckDBFile):
    """`<data_dir>/network.duckdb`: tables `station`, `partner` and an import log."""

    FILE = STORE_FILE
    SPECS = tuple(TABLES.values())
    DDL = (*(create_ddl(spec) for spec in SPECS), IMPORT_LOG_DDL)
    MISSING = "no stations or partners at {path}"  # services/stations.py adds the next action

    def read(self, table: str) -> pl.DataFrame:
        """A whole table as a polars DataFrame, ordered by key."""
        spec = TABLES[table]
        con = self.connect(read_only=True)
        try:
            order = ", ".join(q(k) for k in spec.key)
            return con.sql(f"SELECT * FROM {q(table)} ORDER BY {order}").pl()
        finally:
            con.close()

    def stations(self) -> pl.DataFrame:
        return self.read("station")

    def partners(self) -> pl.DataFrame:
        return self.read("partner")

    def replace(self, table: str, rows: pa.Table) -> None:
        """Replace a table's rows with typed, generated data (synthetic sets are valid by construction)."""
        spec = TABLES[table]
        con = self.connect()
        try:
            con.execute("BEGIN TRANSACTION")
            con.register("incoming_arrow", rows)
            columns = ", ".join(q(c) for c in spec.column_names)
            con.execute(f"DELETE FROM {q(table)}")
            con.execute(f"INSERT INTO {q(table)} ({columns}) SELECT {columns} FROM incoming_arrow")
            con.unregister("incoming_arrow")
            con.execute("COMMIT")
        finally:
            con.close()

    def import_files(
        self,
        paths: Sequence[Path],
        *,
        table: str | None = None,
        progress: Callable[[str], None] = lambda step: None,
    ) -> dict[str, tuple[int, int]]:
        """Validate and upsert a batch of station/partner files; return {file: (inserted, updated)}.

        Raises ImportRejected (with every error, each naming file, row, field, value and rule) when any row is
        bad; then nothing is written.
        """
        jobs = [(Path(p), table or table_for(Path(p))) for p in paths]
        con = self.connect()
        try:
            staged: list[tuple[Path, Table, Staged, str]] = []
            errors: list[pa.Table] = []
            for index, (path, name) in enumerate(jobs):
                spec = TABLES[name]
                progress(f"validating {path.name}")
                stage = validation.stage_file(con, path, f"stage_{index}", spec)
                typed = f"typed_{index}"
                errors.append(validate(con, stage, spec, typed))
                staged.append((path, spec, stage, typed))
            all_errors = pa.concat_tables(errors) if errors else None
            if all_errors is not None and all_errors.num_rows:
                raise ImportRejected(
                    all_errors.sort_by([("file", "ascending"), ("row", "ascending")]),
                    self._report(all_errors),
                )
            written: dict[str, tuple[int, int]] = {}
            con.execute("BEGIN TRANSACTION")
            try:
                for path, spec, stage, typed in staged:
                    progress(f"writing {spec.name}")
                    written[stage.label] = _upsert(con, path, spec, stage, typed)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            return written
        finally:
            con.close()

    def _report(self, errors: pa.Table) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        ordered = errors.sort_by([("file", "ascending"), ("row", "ascending")])
        return files.write_table(
            ordered, self.data_dir / "reports" / f"network-import-{stamp}-errors.csv", "csv"
        )


def table_for(path: Path) -> str:
    """Which network table a file feeds, from its name (station.csv, partner-2026.xlsx, stations.parquet)."""
    stem = path.stem.lower().replace("-", "_")
    for name in TABLES:
        if stem == name or stem.startswith((name + "_", name + "s")):
            return name
    raise files.UnreadableFile(
        f"{path.name}: cannot tell whether this is a station or a partner file; name it station*.csv or "
        "partner*.csv (or .parquet/.xlsx), or pass --table"
    )


def validate(con: duckdb.DuckDBPyConnection, stage: Staged, spec: Table, typed: str) -> pa.Table:
    """Every error of one staged file: the registry's column and row checks plus the network's own check that
    a location lies in the district the row names."""
    header = validation.header_errors(stage, spec)
    # `checked_select` keeps each value as written and as typed side by side (the registry's validator).
    con.execute(f"CREATE OR REPLACE TEMP TABLE {typed} AS {validation.checked_select(stage, spec)}")
    checks = list(validation.cell_checks(stage, spec, typed, dt.date.today()))
    checks += list(validation.python_check_errors(con, stage, spec))
    checks += list(validation.row_checks(stage, spec, typed))
    found = validation.run_checks(con, checks)
    extra = header + _district_mismatches(con, stage, typed)
    if extra:
        found = pa.concat_tables([found, pa.Table.from_pylist(extra, schema=found.schema)])
    return found


def _district_mismatches(con: duckdb.DuckDBPyConnection, stage: Staged, typed: str) -> list[dict]:
    """A location inside another district than the one named: almost always swapped coordinates or a typo."""
    if not {"latitude", "longitude", "district_adcode"} <= set(stage.columns):
        return []
    rows = con.execute(
        f"SELECT _row, latitude, longitude, district_adcode FROM {typed} "
        "WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND district_adcode IS NOT NULL"
    ).fetchall()
    if not rows:
        return []
    found = network_districts.district_of(np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))
    return [
        {
            "file": stage.label,
            "row": row[0],
            "field": "latitude+longitude",
            "value": f"{row[1]},{row[2]}",
            "rule": "location_outside_district",
            "message": f"the location lies in district {actual}, not in {row[3]}",
        }
        for row, actual in zip(rows, found, strict=True)
        if actual is not None and actual != row[3]
    ]


def _upsert(
    con: duckdb.DuckDBPyConnection, path: Path, spec: Table, stage: Staged, typed: str
) -> tuple[int, int]:
    target = q(spec.name)
    columns = ", ".join(q(c) for c in spec.column_names)
    key_join = " AND ".join(f"i.{q(k)} = t.{q(k)}" for k in spec.key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE incoming AS SELECT {columns} FROM {typed}")
    updated = con.execute(f"SELECT count(*) FROM incoming i JOIN {target} t ON {key_join}").fetchone()[0]
    con.execute(f"DELETE FROM {target} t WHERE EXISTS (SELECT 1 FROM incoming i WHERE {key_join})")
    total = con.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM incoming").fetchone()[0]
    rows_read = con.execute(f"SELECT count(*) FROM {stage.relation}").fetchone()[0]
    con.execute(
        "INSERT INTO network_import_log VALUES (?, ?, ?, ?, ?, ?)",
        [
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            spec.name,
            str(path),
            rows_read,
            total - updated,
            updated,
        ],
    )
    return total - updated, updated
