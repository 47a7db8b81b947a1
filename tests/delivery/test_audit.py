"""The audit chain: every action recorded with before and after; any tampering is found and named."""

from __future__ import annotations

import json

from sqlalchemy import select, text

from smeladder.delivery import audit, payment
from smeladder.delivery.models import AuditRecord


def _disable_guards(session, store_url):
    """What an attacker with database access would do first."""
    if store_url.startswith("postgresql"):
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_every_step_is_recorded_with_before_and_after(driver, sessions, tmp_path):
    d = driver().to_approved()
    payment.pay(sessions, d.id, tmp_path, actor="treasurer", now=d.after_confirmations())
    with sessions() as session:
        records = list(session.execute(select(AuditRecord).order_by(AuditRecord.id)).scalars())
        check = audit.verify(session)
    actions = [r.action for r in records]
    assert actions == [
        "budget.set",
        "round.open",
        "round.evaluate",
        "round.publish",
        "round.close_objections",
        "round.approve",
        "round.pay_started",
        "round.pay",
    ]
    approve = records[5]
    assert json.loads(approve.before_json)["state"] == "confirming"
    assert json.loads(approve.after_json)["state"] == "approved"
    assert records[-1].actor == "treasurer"
    assert check.ok and check.records == len(records)


def test_an_altered_record_is_named(driver, sessions, store_url):
    driver().to_approved()
    with sessions.begin() as session:
        _disable_guards(session, store_url)
        session.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE id = 3"))
    with sessions() as session:
        check = audit.verify(session)
    assert not check.ok and check.first_broken_id == 3
    assert "record 3 (round.evaluate" in check.problem and "was altered" in check.problem


def test_a_deleted_record_is_found(driver, sessions, store_url):
    driver().to_approved()
    with sessions.begin() as session:
        _disable_guards(session, store_url)
        session.execute(text("DELETE FROM audit_log WHERE id = 2"))
    with sessions() as session:
        check = audit.verify(session)
    assert (check.ok, check.first_broken_id) == (False, 3)
    assert "record 2 is missing" in check.problem


def test_removing_the_newest_records_is_found(driver, sessions, store_url):
    driver().to_approved()
    with sessions.begin() as session:
        _disable_guards(session, store_url)
        session.execute(text("DELETE FROM audit_log WHERE id >= 5"))
    with sessions() as session:
        check = audit.verify(session)
    assert not check.ok and "records after it were removed" in check.problem
