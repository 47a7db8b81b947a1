"""The transactional store: migrations match the models, and the database itself refuses what must never
happen (editing the ledger or the audit log, overspending a budget, changing a closed round)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from smeladder.delivery import payment, rounds, settlement
from smeladder.store import Base, current_revision
from smeladder.store.engine import normalize_url
from smeladder.store.migrate import model_modules


def test_migrations_create_exactly_what_the_models_declare(sessions, store_url):
    engine = sessions.kw["bind"]
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert current_revision(engine) is not None
    assert "smeladder.delivery.models" in model_modules()


def test_postgres_urls_use_psycopg_3():
    assert normalize_url("postgresql://u@h:5432/db").startswith("postgresql+psycopg://")
    assert normalize_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def _paid(driver, sessions, tmp_path):
    d = driver().to_approved()
    payment.pay(sessions, d.id, tmp_path, actor="o", now=d.after_confirmations())
    return d


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_entries SET amount_fen = amount_fen + 1",
        "DELETE FROM ledger_entries",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
        "DELETE FROM payment_lines",
        "UPDATE payment_batches SET control_total_fen = 0",
    ],
)
def test_append_only_tables_refuse_changes_in_the_database(driver, sessions, tmp_path, statement):
    _paid(driver, sessions, tmp_path)
    with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as session:
        session.execute(text(statement))


def test_truncating_the_ledger_is_refused_on_postgres(driver, sessions, tmp_path, store_url):
    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite has no TRUNCATE")
    _paid(driver, sessions, tmp_path)
    with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as session:
        session.execute(text("TRUNCATE ledger_entries CASCADE"))


def test_the_budget_check_refuses_an_overspend_even_from_raw_sql(sessions, budget):
    budget("100")
    with pytest.raises(DBAPIError, match="never_overspent"), sessions.begin() as session:
        session.execute(text("UPDATE budgets SET committed_fen = amount_fen + 1"))


def test_a_closed_round_refuses_changes_in_the_database(driver, sessions, tmp_path):
    d = _paid(driver, sessions, tmp_path)
    settlement.settle(sessions, d.id, actor="o", now=d.after_confirmations())
    rounds.close(sessions, d.id, actor="o", now=d.after_confirmations())
    for statement in (
        f"UPDATE candidates SET amount_fen = 1 WHERE round_id = {d.id}",
        f"UPDATE rounds SET state = 'approved' WHERE id = {d.id}",
        f"DELETE FROM candidates WHERE round_id = {d.id}",
    ):
        with pytest.raises(DBAPIError, match="closed"), sessions.begin() as session:
            session.execute(text(statement))


def test_ledger_key_is_unique(driver, sessions, tmp_path):
    _paid(driver, sessions, tmp_path)
    with pytest.raises(DBAPIError), sessions.begin() as session:
        session.execute(
            text(
                "INSERT INTO ledger_entries (measure_id, credit_code, period, item, revision, kind, amount_fen, "
                "stacking_group, level, district_adcode, rule_version, input_snapshot, reason, created_by, "
                "created_at) SELECT measure_id, credit_code, period, item, revision, kind, amount_fen, "
                "stacking_group, level, district_adcode, rule_version, input_snapshot, reason, created_by, "
                "created_at FROM ledger_entries"
            )
        )


def test_the_delivery_migration_downgrades_and_upgrades_again(store_url):
    from smeladder.store.migrate import downgrade, upgrade

    upgrade(store_url)
    downgrade(store_url, "base")
    assert current_revision(store_url) is None
    upgrade(store_url)
    assert current_revision(store_url) is not None


def test_a_second_first_payment_of_a_key_is_refused_by_the_database(driver, sessions, tmp_path):
    _paid(driver, sessions, tmp_path)
    with pytest.raises(DBAPIError), sessions.begin() as session:
        session.execute(
            text(
                "INSERT INTO ledger_entries (measure_id, credit_code, period, item, revision, kind, amount_fen, "
                "stacking_group, level, district_adcode, rule_version, input_snapshot, reason, created_by, "
                "created_at) SELECT measure_id, credit_code, period, item, revision + 7, kind, amount_fen, "
                "stacking_group, level, district_adcode, rule_version, input_snapshot, reason, created_by, "
                "created_at FROM ledger_entries WHERE revision = 0"
            )
        )
