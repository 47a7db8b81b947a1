"""Where the registry tables live: DuckDB (embedded default), PostgreSQL, or Spark, all through Ibis."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

BACKENDS = ("duckdb", "postgres", "spark")
REGISTRY_FILE = "registry.duckdb"


@dataclass
class Source:
    """An Ibis connection and the registry tables a pack reads from it."""

    backend: str
    con: Any
    tables: dict[str, ibis.Table]
    # Prepared explanation queries, per (pack, as-of, variables, overrides); they belong to this connection.
    explain_cache: dict[Any, Any] = field(default_factory=dict, repr=False)


def duckdb_source(path: Path | str | None, table_names: Iterable[str], con: Any = None) -> Source:
    """The embedded store: `<data_dir>/registry.duckdb`, opened read-only (None: an in-memory database)."""
    if con is None:
        con = ibis.duckdb.connect(str(path), read_only=True) if path else ibis.duckdb.connect()
    _quiet(con)
    return Source("duckdb", con, _tables(con, table_names))


def _quiet(con: Any) -> None:
    # DuckDB draws a progress bar on stderr for long queries; a library must not.
    con.con.execute("SET enable_progress_bar = false")


def fetch_arrow(source: Source, expr: ibis.Expr) -> pa.Table:
    """Run an expression and return Arrow. On DuckDB and Spark the SQL goes to the engine directly: ibis 12's
    `to_pyarrow` imports pandas (a second of start-up) and copies the rows once more."""
    if source.backend == "duckdb":
        return source.con.con.sql(str(ibis.to_sql(expr, dialect="duckdb"))).to_arrow_table()
    if source.backend == "spark":
        # ibis 12's to_pyarrow goes through pandas (decimals as Python objects): Spark 4 hands over Arrow, 2x faster.
        return source.con.raw_sql(source.con.compile(expr)).toArrow()
    return source.con.to_pyarrow(expr)


def postgres_source(url: str, table_names: Iterable[str], schema: str | None = None) -> Source:
    con = ibis.connect(url)
    return Source("postgres", con, _tables(con, table_names, schema))


def spark_source(session: Any, table_names: Iterable[str]) -> Source:
    """Tables are whatever the session knows by those names (temporary views or catalog tables)."""
    con = spark_connection(session)
    return Source("spark", con, _tables(con, table_names))


def spark_connection(session: Any) -> Any:
    """An Ibis connection to `session` whose decimal products are exact (an overflow is an error, as on DuckDB)
    rather than rounded to 6 decimals beyond 38 digits. A session setting: it holds for every query on
    `session` (rules/arithmetic.py)."""
    session.conf.set("spark.sql.decimalOperations.allowPrecisionLoss", "false")
    return ibis.pyspark.connect(session)


def parquet_source(directory: Path | str, table_names: Iterable[str]) -> Source:
    """DuckDB reading `<directory>/<table>.parquet` in place (the benchmark's end-to-end path)."""
    con = ibis.duckdb.connect()
    _quiet(con)
    tables = {}
    for name in table_names:
        path = Path(directory) / f"{name}.parquet"
        if path.exists():
            tables[name] = con.read_parquet(path, table_name=name)
    return Source("duckdb", con, tables)


def _tables(con: Any, names: Iterable[str], database: str | None = None) -> dict[str, ibis.Table]:
    # Not con.list_tables(): with duckdb 2.x it calls a method DuckDB removed (ibis 12.0.0).
    found = {}
    for name in names:
        try:
            found[name] = con.table(name, database=database) if database else con.table(name)
        except Exception:  # a missing table: compile names it if the pack needs it
            continue
    return found


def open_source(
    backend: str,
    *,
    table_names: Iterable[str],
    data_dir: Path | None = None,
    url: str | None = None,
    schema: str | None = None,
) -> Source:
    """Open the registry on a backend by name, the way the CLI does."""
    if backend == "duckdb":
        path = Path(data_dir or ".") / REGISTRY_FILE
        if not path.exists():
            raise FileNotFoundError(f"no registry at {path}: import or synthesize one first")
        return duckdb_source(path, table_names)
    if backend == "postgres":
        if not url:
            raise ValueError("--backend postgres needs --url postgresql://...")
        return postgres_source(url, table_names, schema)
    if backend == "spark":
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(url or "local[*]").appName("smeladder")
        session = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
        path = Path(data_dir or ".") / REGISTRY_FILE
        if path.exists():
            # Spark reads the embedded store's tables through Parquet exports next to it.
            _register_duckdb_tables_in_spark(path, session, table_names)
        return spark_source(session, table_names)
    raise ValueError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")


def _register_duckdb_tables_in_spark(path: Path, session: Any, table_names: Iterable[str]) -> None:
    import duckdb

    export = path.parent / "spark-export"
    export.mkdir(exist_ok=True)
    with duckdb.connect(str(path), read_only=True) as con:
        existing = {
            row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()
        }
        for name in table_names:
            if name in existing:
                target = export / f"{name}.parquet"
                con.execute(f"copy {name} to '{target}' (format parquet)")
                session.read.parquet(str(target)).createOrReplaceTempView(name)
