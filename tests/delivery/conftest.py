"""Delivery tests run every test body on SQLite and on PostgreSQL (`store_url` is parametrized).

PostgreSQL gets a fresh schema per test (named after the xdist worker and a random suffix, dropped afterwards),
selected through libpq's `options=-csearch_path=...` in the URL, so subprocesses and the CLI reach it too.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import approval, budgets, objections, rounds
from smeladder.delivery.models import Round
from smeladder.delivery.results import EntitlementResults
from smeladder.delivery.sample_results import write_sample
from smeladder.store import open_store

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
MEASURE, PERIOD, FUND = "M1.2b", "2025", "sme-development-fund"


def _schema_url(base_url: str, schema: str) -> str:
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """One migrated SQLite file per worker; each test gets a copy (migrating costs more than copying)."""
    path = tmp_path_factory.mktemp("template") / "smeladder.sqlite"
    open_store(f"sqlite:///{path}").kw["bind"].dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "smeladder.sqlite"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), target)
        yield f"sqlite:///{target}"
        return
    import psycopg

    base = request.getfixturevalue("postgres_url")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"t_delivery_{worker}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _schema_url(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def sessions(store_url: str) -> Iterator[sessionmaker[Session]]:
    factory = open_store(store_url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def results(tmp_path: Path) -> Callable[..., EntitlementResults]:
    """Write an entitlement-results table (the documented format) and return a source over it."""

    def make(enterprises: int = 40, name: str = "results.parquet", **options) -> EntitlementResults:
        path = write_sample(tmp_path / name, enterprises, **options)
        return EntitlementResults(path)

    return make


@pytest.fixture
def budget(sessions) -> Callable[..., object]:
    def make(amount: str = "1000000000", measure_id: str = MEASURE, year: int = 2025, fund_id: str = FUND):
        return budgets.set_budget(
            sessions,
            fund_id=fund_id,
            measure_id=measure_id,
            year=year,
            amount=Decimal(amount),
            actor="officer",
            now=T0,
        )

    return make


class RoundDriver:
    """Takes a round step by step with a simulated clock (windows are days long)."""

    def __init__(self, sessions: sessionmaker[Session], source: EntitlementResults, **open_options) -> None:
        self.sessions, self.source = sessions, source
        options = {"measure_id": MEASURE, "period": PERIOD, "fund_id": FUND, "as_of": date(2026, 1, 31)}
        options.update(open_options)
        self.round = rounds.open_round(sessions, actor="officer", now=T0, **options)
        self.id = self.round.id

    @property
    def published_at(self) -> datetime:
        return T0 + timedelta(hours=1)

    def after_objections(self) -> datetime:
        return self.get().objection_deadline + timedelta(minutes=1)

    def after_confirmations(self) -> datetime:
        return self.get().confirmation_deadline + timedelta(minutes=1)

    def get(self) -> Round:
        with self.sessions() as session:
            return rounds.get_round(session, self.id)

    def evaluate(self) -> RoundDriver:
        rounds.evaluate(self.sessions, self.id, self.source, actor="officer", now=T0)
        return self

    def publish(self) -> RoundDriver:
        rounds.publish(self.sessions, self.id, actor="officer", now=self.published_at)
        return self

    def close_objections(self) -> RoundDriver:
        objections.close_objections(self.sessions, self.id, actor="officer", now=self.after_objections())
        return self

    def approve(self, actor: str = "officer") -> RoundDriver:
        approval.approve(self.sessions, self.id, actor=actor, now=self.after_confirmations())
        return self

    def to_confirming(self) -> RoundDriver:
        return self.evaluate().publish().close_objections()

    def to_approved(self) -> RoundDriver:
        return self.to_confirming().approve()


@pytest.fixture
def driver(sessions, results, budget) -> Callable[..., RoundDriver]:
    def make(
        source: EntitlementResults | None = None, *, budget_amount: str | None = "1000000000", **options
    ):
        if budget_amount is not None:
            budget(budget_amount, measure_id=options.get("measure_id", MEASURE))
        return RoundDriver(sessions, source or results(), **options)

    return make


def write_correction(
    directory: Path,
    credit_code: str,
    amount: str,
    *,
    eligible: bool = True,
    run_id: str = "run-2026-02-10T000000-0002",
    rule_version: str = "sha256:" + "ab" * 32,
    stacking_group: str = "growth_reward",
    measure_id: str = MEASURE,
    name: str | None = None,
) -> Path:
    """A one-enterprise run, as the engine writes it after re-evaluating that enterprise."""
    import pyarrow as pa

    from smeladder.delivery.results import RESULTS_SCHEMA, write_results

    row = {
        "run_id": [run_id],
        "as_of": [date(2026, 2, 10)],
        "rule_version": [rule_version],
        "input_snapshot": ["registry@2026-02-10-corrected"],
        "credit_code": [credit_code],
        "district_adcode": ["310115"],
        "measure_id": [measure_id],
        "period": [PERIOD],
        "eligible": [eligible],
        "amount": [Decimal(amount)],
        "stacking_group": [stacking_group],
        "level": ["municipal"],
        "reasons_json": ['{"corrected": true}'],
    }
    return write_results(
        pa.table(row, schema=RESULTS_SCHEMA), directory / (name or f"{run_id}-{credit_code}.parquet")
    )
