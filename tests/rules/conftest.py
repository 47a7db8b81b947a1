"""Fixtures of the engine's tests: the toy pack and seeded registries on each backend."""

from __future__ import annotations

import uuid
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from smeladder.rules import Pack, load_pack
from smeladder.rules.backends import Source, duckdb_source, spark_connection

TOY_PACK = Path(__file__).parent / "toy_pack"


@pytest.fixture(scope="session")
def toy_pack() -> Pack:
    return load_pack(TOY_PACK)


def duckdb_registry(tables: dict[str, pa.Table], pack: Pack) -> Source:
    con = ibis.duckdb.connect()
    for name, table in tables.items():
        con.create_table(name, table)
    return duckdb_source(None, pack.tables, con=con)


def postgres_registry(url: str, tables: dict[str, pa.Table]) -> tuple[Source, str]:
    """The tables in a fresh schema (unique per call, so parallel workers never collide)."""
    con = ibis.connect(url)
    schema = f"rules_test_{uuid.uuid4().hex[:10]}"
    con.raw_sql(f"create schema {schema}").close()
    for name, table in tables.items():
        con.create_table(name, table, database=schema)
    return Source("postgres", con, {n: con.table(n, database=schema) for n in tables}), schema


def spark_registry(session, tables: dict[str, pa.Table]) -> Source:
    con = spark_connection(session)
    prefix = f"rules_{uuid.uuid4().hex[:8]}"
    for name, table in tables.items():
        session.createDataFrame(table).createOrReplaceTempView(f"{prefix}_{name}")
    return Source("spark", con, {n: con.table(f"{prefix}_{n}") for n in tables})
