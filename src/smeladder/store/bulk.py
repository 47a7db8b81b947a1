"""Bulk inserts at the driver's speed, inside the session's transaction: COPY on PostgreSQL, a plain
`executemany` on SQLite. For loads of 10^5-10^6 rows (a round's candidates, its ledger postings), where
SQLAlchemy's per-row parameter processing costs more than the database does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Table
from sqlalchemy.orm import Session

from smeladder.store.engine import is_postgres


def bulk_insert(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Insert `rows` (tuples in `columns` order) into `table`; return how many."""
    unknown = [name for name in columns if name not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(unknown)}")
    raw = session.connection().connection.driver_connection
    count = 0
    if is_postgres(session):
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    placeholders = ", ".join("?" for _ in columns)
    prepared = [tuple(_sqlite_value(value) for value in row) for row in rows]
    cursor = raw.cursor()
    try:
        cursor.executemany(
            f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})", prepared
        )
    finally:
        cursor.close()
    return len(prepared)


def _sqlite_value(value: object) -> object:
    # Stored the way SQLAlchemy's SQLite DateTime (and smeladder.store.types.UTCDateTime) stores it: naive UTC.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value
