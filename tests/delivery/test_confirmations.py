"""Confirm, decline, silence: each handled by the round's rule, never by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from smeladder.delivery import confirmations, objections, payment, states
from smeladder.delivery.confirmations import BankAccount
from smeladder.delivery.errors import NotFound, RefusedTransition
from smeladder.delivery.models import Candidate
from smeladder.delivery.sample_results import credit_code


def _codes(sessions, round_id):
    with sessions() as session:
        return list(
            session.execute(
                select(Candidate.credit_code)
                .where(Candidate.round_id == round_id)
                .order_by(Candidate.credit_code)
            ).scalars()
        )


def _status(sessions, round_id):
    with sessions() as session:
        rows = session.execute(
            select(Candidate.credit_code, Candidate.status).where(Candidate.round_id == round_id)
        )
        return {code: status for code, status in rows}


@pytest.mark.parametrize(
    ("on_no_confirmation", "on_decline", "silent_status", "declined_status"),
    [
        ("pay", "forfeit", states.APPROVED_C, states.FORFEITED),
        ("forfeit", "carry_over", states.FORFEITED, states.CARRIED_OVER),
        ("carry_over", "forfeit", states.CARRIED_OVER, states.FORFEITED),
    ],
)
def test_silence_and_declines_follow_the_round_rules(
    driver, sessions, on_no_confirmation, on_decline, silent_status, declined_status
):
    d = (
        driver(settings={"on_no_confirmation": on_no_confirmation, "on_decline": on_decline})
        .evaluate()
        .publish()
    )
    confirmed, declined, silent = _codes(sessions, d.id)[:3]
    confirmations.confirm(sessions, d.id, confirmed, actor="enterprise", now=d.published_at)
    confirmations.decline(sessions, d.id, declined, actor="enterprise", now=d.published_at)
    d.close_objections().approve()
    status = _status(sessions, d.id)
    assert status[confirmed] == states.APPROVED_C
    assert status[declined] == declined_status
    assert status[silent] == silent_status


def test_a_forfeit_holds_in_later_rounds_of_the_same_measure_and_period(driver, sessions, results, tmp_path):
    source = results()
    first = driver(source).evaluate().publish()
    code = _codes(sessions, first.id)[0]
    confirmations.decline(sessions, first.id, code, actor="enterprise", now=first.published_at)
    first.close_objections().approve()
    second = driver(source, budget_amount=None).evaluate()
    assert _status(sessions, second.id)[code] == states.FORFEITED


def test_confirmation_with_a_corrected_account_reaches_the_payment_file(driver, sessions, tmp_path):
    d = driver().evaluate().publish()
    code = _codes(sessions, d.id)[0]
    account = BankAccount("上海某某科技有限公司", "6222 0210 0100 1234 567", "中国工商银行上海分行")
    confirmations.confirm(sessions, d.id, code, actor="enterprise", account=account, now=d.published_at)
    d.close_objections().approve()
    batch = payment.pay(sessions, d.id, tmp_path, actor="officer", now=d.after_confirmations())
    text = (tmp_path / batch.file_name.split("/")[-1]).read_text(encoding="utf-8")
    assert "6222021001001234567" in text and "中国工商银行上海分行" in text


def test_responses_that_must_be_refused(driver, sessions):
    d = driver().evaluate().publish()
    first, second = _codes(sessions, d.id)[:2]
    confirmations.confirm(sessions, d.id, first, actor="enterprise", now=d.published_at)
    with pytest.raises(RefusedTransition, match=f"enterprise {first} already confirmed"):
        confirmations.decline(sessions, d.id, first, actor="enterprise", now=d.published_at)
    objections.raise_objection(sessions, d.id, second, "x", actor="enterprise", now=d.published_at)
    with pytest.raises(RefusedTransition, match="has an open objection"):
        confirmations.confirm(sessions, d.id, second, actor="enterprise", now=d.published_at)
    with pytest.raises(NotFound, match="is not on the list"):
        confirmations.confirm(sessions, d.id, credit_code(999_999), actor="enterprise", now=d.published_at)
    late = d.get().confirmation_deadline + timedelta(seconds=1)
    with pytest.raises(RefusedTransition, match="the confirmation window closed"):
        confirmations.confirm(sessions, d.id, _codes(sessions, d.id)[2], actor="enterprise", now=late)


def test_confirm_before_publication_is_refused(driver, sessions):
    d = driver().evaluate()
    with pytest.raises(RefusedTransition, match="enterprises respond while the list is published"):
        confirmations.confirm(
            sessions, d.id, _codes(sessions, d.id)[0], actor="enterprise", now=d.published_at
        )


def test_bank_account_is_validated():
    with pytest.raises(ValueError, match="8 to 32 digits"):
        BankAccount("x", "12ab", "bank")


def test_an_eligible_enterprise_with_nothing_to_pay_is_cut_with_the_reason(driver, sessions, tmp_path):
    from decimal import Decimal

    import pyarrow as pa

    from smeladder.delivery.results import EntitlementResults, write_results
    from smeladder.delivery.sample_results import entitlement_results

    table = entitlement_results(10, eligible_share=1.0)
    amounts = table.column("amount").to_pylist()
    amounts[0] = Decimal("0.00")
    table = table.set_column(
        table.schema.get_field_index("amount"), "amount", pa.array(amounts, pa.decimal128(18, 2))
    )
    d = driver(EntitlementResults(write_results(table, tmp_path / "zero.parquet"))).to_approved()
    status = _status(sessions, d.id)
    assert status[table.column("credit_code")[0].as_py()] == states.CUT
    assert list(status.values()).count(states.APPROVED_C) == 9
