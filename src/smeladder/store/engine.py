"""Engines and sessions from a URL: a SQLite file by default, PostgreSQL in production.

SQLite is made to behave like a transactional database for money: foreign keys on, WAL, a busy timeout,
and every transaction opened with `BEGIN IMMEDIATE` so that two writers queue for the write lock at the start
instead of failing with "database is locked" when a reader tries to upgrade midway (pysqlite's default
deferred BEGIN; see the SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL").
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from smeladder import config

DEFAULT_FILE = "smeladder.sqlite"
SQLITE_BUSY_TIMEOUT_MS = 60_000


def default_url(data_dir: Path | str | None = None) -> str:
    """The embedded default: `<data_dir>/smeladder.sqlite`."""
    return f"sqlite:///{(config.data_dir(data_dir) / DEFAULT_FILE).resolve()}"


def normalize_url(url: str) -> str:
    """Pick the installed driver: psycopg 3 for PostgreSQL (SQLAlchemy's bare `postgresql://`
    means psycopg2, which is not a dependency). A schema can be chosen with libpq's
    `?options=-csearch_path%3Dmy_schema`."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str | None = None, *, data_dir: Path | str | None = None, echo: bool = False) -> Engine:
    """An engine for `url`, or for the embedded default in `data_dir`."""
    url = normalize_url(url or default_url(data_dir))
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _make_sqlite_transactional(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine_or_session: Engine | Session) -> bool:
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "postgresql"


def _make_sqlite_transactional(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not pysqlite, decide where transactions begin (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def refresh_statistics(session: Session, *tables: str) -> None:
    """ANALYZE after a bulk load, inside the same transaction: PostgreSQL's planner otherwise still believes
    the tables are empty and picks nested loops that turn a 100,000-row UPDATE into minutes."""
    if is_postgres(session):
        for table in tables:
            session.execute(text(f"ANALYZE {table}"))
