"""One application context, built once from configuration and handed to every service call.

It holds where the data lives, the policy pack, the analytic source (the registry on DuckDB, PostgreSQL or
Spark), the transactional store's sessions, the clock and who acts. Everything is opened on first use, so a
command that needs only the pack never opens a database.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from smeladder import config
from smeladder.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from smeladder.network.store import NetworkStore
    from smeladder.registry.store import RegistryStore
    from smeladder.rules.backends import Source
    from smeladder.rules.pack import Pack

# The policy's dates (deadlines, as-of dates, Service Days) are Shanghai dates, whatever the server's clock.
SHANGHAI = ZoneInfo("Asia/Shanghai")
DB_ENV = "SMELADDER_DB_URL"


@dataclass(frozen=True)
class Settings:
    """What an interface reads from its options and environment; every field has an embedded default."""

    data_dir: Path | None = None  # default: $SMELADDER_HOME, else ./smeladder-data
    pack: str | None = None  # a directory or a built-in name; default: $SMELADDER_PACK, else shanghai
    db_url: str | None = None  # transactional store; default: the SQLite file in the data directory
    backend: str = "duckdb"  # where the registry is read: duckdb, postgres or spark
    backend_url: str | None = None  # postgres: postgresql://user@host/db; spark: the master URL
    backend_schema: str | None = None  # PostgreSQL schema holding the registry tables
    actor: str | None = None  # who acts; default: the login name
    at: dt.datetime | None = None  # a fixed clock, for replaying records; default: now


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "officer")


class AppContext:
    """The platform as one caller sees it. Build one per process (CLI) or per application (API)."""

    def __init__(self, settings: Settings | None = None, *, clock: Callable[[], dt.datetime] | None = None):
        self.settings = settings or Settings()
        fixed = self.settings.at
        if fixed is not None and fixed.tzinfo is None:
            fixed = fixed.replace(tzinfo=dt.UTC)
        self._clock = clock or ((lambda: fixed) if fixed else (lambda: dt.datetime.now(dt.UTC)))

    # -- who and when ---------------------------------------------------------------------------------------

    @cached_property
    def actor(self) -> str:
        return self.settings.actor or login_name()

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware."""
        return self._clock()

    def today(self) -> dt.date:
        """Today's date in Shanghai (a round's as-of date, a deadline's day), never the UTC date."""
        return self.now().astimezone(SHANGHAI).date()

    def as_of(self, day: dt.date | None) -> dt.date:
        """The date asked for, else today in Shanghai."""
        return day or self.today()

    # -- where the data lives -------------------------------------------------------------------------------

    @cached_property
    def data_dir(self) -> Path:
        return config.data_dir(self.settings.data_dir)

    @cached_property
    def pack(self) -> Pack:
        from smeladder.rules.locate import find_pack

        return find_pack(self.settings.pack)

    @cached_property
    def source(self) -> Source:
        """The registry the pack reads, on the configured backend."""
        from smeladder.rules.backends import open_source

        try:
            return open_source(
                self.settings.backend,
                table_names=self.pack.tables,
                data_dir=self.data_dir,
                url=self.settings.backend_url,
                schema=self.settings.backend_schema,
            )
        except FileNotFoundError as exc:
            raise NotFound(str(exc), next_action="import_registry") from None
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None

    @cached_property
    def registry(self) -> RegistryStore:
        from smeladder.registry.store import RegistryStore

        return RegistryStore(self.data_dir)

    @cached_property
    def network(self) -> NetworkStore:
        from smeladder.network.store import NetworkStore

        return NetworkStore(self.data_dir)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions on the transactional store, migrated to the newest schema."""
        from sqlalchemy.exc import ArgumentError, OperationalError

        from smeladder.store import open_store

        try:
            return open_store(self.settings.db_url, data_dir=self.data_dir)
        except ArgumentError as exc:
            raise InvalidInput(f"database URL {self.settings.db_url!r}: {exc}") from None
        except OperationalError as exc:
            raise InvalidInput(f"cannot open the database: {exc.orig or exc}") from None

    def close(self) -> None:
        """Release connections (a CLI process ends anyway; tests and the API call this)."""
        if "sessions" in self.__dict__:
            self.sessions.kw["bind"].dispose()
        if "source" in self.__dict__:
            disconnect = getattr(self.source.con, "disconnect", None)
            if disconnect is not None:
                disconnect()
