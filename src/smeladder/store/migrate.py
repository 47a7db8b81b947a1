"""Run the Alembic migrations programmatically: no alembic.ini is needed in the user's directory.

Every package with table models keeps them in `smeladder.<package>.models`; the environment imports all of
them (see `model_modules`) so that Alembic's metadata, and autogenerate, see every table.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import smeladder
from smeladder.store.engine import make_engine, normalize_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def model_modules() -> list[str]:
    """`smeladder.<package>.models` for every package that has one."""
    found = []
    for info in pkgutil.iter_modules(smeladder.__path__):
        if info.ispkg and (Path(smeladder.__path__[0]) / info.name / "models.py").exists():
            found.append(f"smeladder.{info.name}.models")
    return sorted(found)


def import_models() -> None:
    for name in model_modules():
        importlib.import_module(name)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation: a '%' in a URL (url-encoded options) must be doubled.
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (default: the newest). Does nothing, quickly, when the
    database is already at the newest revision (every CLI command calls this)."""
    cfg = alembic_config(url)
    if revision == "head" and _is_at_head(cfg, url):
        return
    command.upgrade(cfg, revision)


def _is_at_head(cfg: Config, url: str) -> bool:
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads()) == heads
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url_or_engine: str | Engine) -> str | None:
    if isinstance(url_or_engine, str):
        engine = make_engine(url_or_engine)
        try:
            return current_revision(engine)
        finally:
            engine.dispose()
    with url_or_engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
