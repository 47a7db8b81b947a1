"""Open the store in one call: migrate to the newest schema, then hand back a session factory."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from smeladder.store.engine import default_url, make_engine, session_factory
from smeladder.store.migrate import upgrade


def open_store(
    url: str | None = None, *, data_dir: Path | str | None = None, migrate: bool = True
) -> sessionmaker[Session]:
    """Sessions on `url` (default: the SQLite file in `data_dir`), migrated first unless `migrate=False`."""
    url = url or default_url(data_dir)
    if migrate:
        upgrade(url)
    return session_factory(make_engine(url))
