"""A synthetic registry imported through the real import, and the application context on it."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from smeladder.services import registry
from smeladder.services.context import AppContext, Settings

# A fixed clock: the services' "today" (titles valid, exclusions in force) does not move with the calendar.
NOW = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)


def context(data_dir, **settings) -> AppContext:
    return AppContext(Settings(data_dir=data_dir, **settings), clock=lambda: NOW)


@pytest.fixture(scope="package")
def home(tmp_path_factory):
    """400 enterprises, fiscal years 2023-2025 (seed 11), synthesized and imported as an officer would."""
    base = tmp_path_factory.mktemp("services")
    ctx = context(base / "home")
    written = registry.synthesize(ctx, base / "files", enterprises=400, years=range(2023, 2026), seed=11)
    registry.import_files(ctx, written.files)
    return base / "home"


@pytest.fixture(scope="package")
def rows(home):
    """Every row of the registry's tables as dicts, for oracles written without SQL."""
    con = duckdb.connect(str(home / "registry.duckdb"), read_only=True)
    try:
        return {
            name: con.sql(f"SELECT * FROM {name}").to_arrow_table().to_pylist()
            for name in ("enterprise", "enterprise_year", "title", "exclusion")
        }
    finally:
        con.close()
