"""The transactional store (rounds, ledger, budgets, audit, and every other table of record).

SQLAlchemy 2 models declare themselves on `Base`; Alembic migrations in `migrations/versions/` create them.
The embedded default is a SQLite file in the data directory; production runs on PostgreSQL.

    from smeladder.store import Base, open_store  # sessions on a migrated store
"""

from __future__ import annotations

from smeladder.store.base import Base
from smeladder.store.engine import default_url, make_engine, normalize_url, session_factory
from smeladder.store.migrate import current_revision, upgrade
from smeladder.store.session import open_store

__all__ = [
    "Base",
    "current_revision",
    "default_url",
    "make_engine",
    "normalize_url",
    "open_store",
    "session_factory",
    "upgrade",
]
