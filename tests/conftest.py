"""Fixtures shared by every test package: the real databases and engines the tests run against.

PostgreSQL tests run when SMELADDER_TEST_POSTGRES_URL is set (`.ci/run` sets it) and are skipped only when it
is not; a configured server that cannot be reached is an error, never a silent skip. Every test marked `spark`
runs in one xdist group, so one worker starts one Spark session for all of them (`--dist loadgroup`). The demo's
data directory is built once per run (`smeladder demo` with its defaults, as `make demo` builds it) and shared by
the xdist workers; each test that changes data works on its own copy.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

POSTGRES_ENV = "SMELADDER_TEST_POSTGRES_URL"
SPARK_GROUP = "spark"


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("spark"):
            item.add_marker(pytest.mark.xdist_group(SPARK_GROUP))


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("select 1")
    except psycopg.OperationalError as exc:
        pytest.fail(f"{POSTGRES_ENV}={url} is set but the server cannot be reached: {exc}")
    return url


@pytest.fixture(scope="session")
def spark_session():
    """One local Spark session for the whole test run (starting one costs seconds)."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("smeladder-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="session")
def shared_tmp(tmp_path_factory) -> Path:
    """The run's base temporary directory, the same for every xdist worker of the run (and only this run's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo_home(shared_tmp) -> Path:
    from typer.testing import CliRunner

    from smeladder.cli import app

    home, built = shared_tmp / "demo-home", shared_tmp / "demo-home.built"
    with (shared_tmp / "demo-home.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            result = CliRunner().invoke(app, ["demo", "--data-dir", str(home)])
            assert result.exit_code == 0, result.output
            built.touch()
    return home


@pytest.fixture
def demo_copy(demo_home, tmp_path) -> Path:
    """A private copy of the demo's data directory."""
    copy = tmp_path / "smeladder-data"
    shutil.copytree(demo_home, copy)
    return copy
