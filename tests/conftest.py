"""Fixtures shared by every test package: the real databases and engines the tests run against.

PostgreSQL tests run when SMELADDER_TEST_POSTGRES_URL is set (`.ci/run` sets it) and are skipped only when it
is not; a configured server that cannot be reached is an error, never a silent skip. Every test marked `spark`
runs in one xdist group, so one worker starts one Spark session for all of them (`--dist loadgroup`).
"""

from __future__ import annotations

import os

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
