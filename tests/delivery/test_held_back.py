"""An enterprise without an account to pay to is held back at payment (issue 10 §5): never a line in the payment
file that settlement would mark paid, listed with the reason, counted beside the control total, its grant back
in the budget, and paid by a later round once it confirms with an account. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

from sqlalchemy import select

from smeladder.delivery import audit, budgets, confirmations, payment, settlement, states
from smeladder.delivery.models import AuditRecord, Candidate, LedgerEntry

from .conftest import FUND, MEASURE

ACCOUNT = confirmations.BankAccount("某某科技有限公司", "6222021001001234567", "工商银行上海分行")


def _candidates(sessions, round_id: int) -> dict[str, Candidate]:
    with sessions() as session:
        rows = session.execute(select(Candidate).where(Candidate.round_id == round_id)).scalars()
        return {c.credit_code: c for c in rows}


def _file_codes(path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:-1]
    return [line.split(",")[4] for line in lines]


def test_enterprises_without_an_account_are_held_back_listed_and_counted(driver, sessions, results, tmp_path):
    d = driver(results(60, without_account_share=0.3)).evaluate().publish()
    listed = _candidates(sessions, d.id)
    unbanked = sorted(code for code, c in listed.items() if not c.bank_account_no)
    banked = sorted(code for code, c in listed.items() if c.bank_account_no)
    assert len(unbanked) >= 3 and banked, "the sample must have both"
    confirming = unbanked[0]  # gives its account while the list is published: paid like the others
    confirmations.confirm(sessions, d.id, confirming, actor="enterprise", account=ACCOUNT, now=d.published_at)
    d.close_objections().approve()
    approved = _candidates(sessions, d.id)
    approved_total = sum(c.granted_fen for c in approved.values() if c.status == states.APPROVED_C)
    held_codes = [code for code in unbanked[1:] if approved[code].status == states.APPROVED_C]

    batch = payment.pay(sessions, d.id, tmp_path, actor="officer", now=d.after_confirmations())

    paid_codes = sorted([*banked, confirming])
    assert sorted(_file_codes(tmp_path / batch.file_name)) == paid_codes
    with sessions() as session:
        held = payment.held_back(session, d.id)
        held_count, held_fen = payment.held_back_totals(session, d.id)
        assert [c.credit_code for c in held] == sorted(held_codes)
        assert {c.status_reason for c in held} == {payment.HELD_REASON}
        assert "no bank account" in payment.HELD_REASON
        # counted: what was approved is what the file pays plus what is held back, to the fen
        assert held_count == len(held_codes)
        assert batch.control_total_fen + held_fen == approved_total
        assert held_fen == sum(approved[code].granted_fen for code in held_codes)
        # nothing posted for them, and their grant is back in the budget
        posted = set(
            session.execute(select(LedgerEntry.credit_code).where(LedgerEntry.round_id == d.id)).scalars()
        )
        assert posted == set(paid_codes)
        budget = budgets.find(session, FUND, MEASURE, 2025)
        assert budget.committed_fen == batch.control_total_fen
        pay_record = session.execute(
            select(AuditRecord).where(AuditRecord.action == "round.pay")
        ).scalar_one()
        after = json.loads(pay_record.after_json)
        assert (after["held_back"], after["lines"]) == (len(held_codes), len(paid_codes))

    settlement.settle(sessions, d.id, actor="officer", now=d.after_confirmations())
    settled = _candidates(sessions, d.id)
    assert {settled[code].status for code in held_codes} == {states.HELD}
    assert {settled[code].status for code in paid_codes} == {states.PAID}
    with sessions() as session:
        assert audit.verify(session).ok


def test_a_held_enterprise_is_paid_by_a_later_round_once_it_confirms_with_an_account(
    driver, sessions, results, tmp_path
):
    source = results(30, without_account_share=0.3)
    first = driver(source).to_approved()
    payment.pay(sessions, first.id, tmp_path / "first", actor="officer", now=first.after_confirmations())
    with sessions() as session:
        held = [c.credit_code for c in payment.held_back(session, first.id)]
    assert held
    settlement.settle(sessions, first.id, actor="officer", now=first.after_confirmations())

    later = driver(source, budget_amount=None).evaluate().publish()
    confirmations.confirm(
        sessions, later.id, held[0], actor="enterprise", account=ACCOUNT, now=later.published_at
    )
    later.close_objections().approve()
    batch = payment.pay(
        sessions, later.id, tmp_path / "later", actor="officer", now=later.after_confirmations()
    )
    assert _file_codes(tmp_path / "later" / batch.file_name) == [held[0]]
    with sessions() as session:
        still_held = [c.credit_code for c in payment.held_back(session, later.id)]
    assert still_held == held[1:]
