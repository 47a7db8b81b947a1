"""Alembic environment, driven by `smeladder.store.migrate` (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from smeladder.store.base import Base
from smeladder.store.engine import make_engine
from smeladder.store.migrate import import_models

import_models()
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things in place; batch mode copies the table.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run smeladder.store.upgrade(url)")
run_migrations_online()
