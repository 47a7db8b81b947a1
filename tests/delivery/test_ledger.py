"""The ledger: idempotent posting, "the higher applies" across measures and rounds, corrections and failed
payments as new entries, never edits."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from smeladder.delivery import corrections, ledger, payment, payment_file, settlement, states
from smeladder.delivery.errors import BudgetExceeded, NotFound, RefusedTransition
from smeladder.delivery.models import Budget, Candidate, LedgerEntry
from smeladder.delivery.results import EntitlementResults
from smeladder.delivery.sample_results import write_sample

from .conftest import write_correction


def _entries(sessions):
    with sessions() as session:
        return list(session.execute(select(LedgerEntry).order_by(LedgerEntry.id)).scalars())


class Crash(Exception):
    pass


def test_pay_interrupted_between_chunks_resumes_without_paying_twice(driver, sessions, tmp_path):
    d = driver().to_approved()

    def crash_after_two_chunks(step: str, done: int) -> None:
        if done >= 10:
            raise Crash

    with pytest.raises(Crash):
        payment.pay(sessions, d.id, tmp_path, actor="o", now=d.after_confirmations(), chunk_size=5,
                    progress=crash_after_two_chunks)  # fmt: skip
    assert len(_entries(sessions)) == 10
    assert d.get().state == states.APPROVED
    batch = payment.pay(sessions, d.id, tmp_path, actor="o", now=d.after_confirmations(), chunk_size=5)
    entries = _entries(sessions)
    assert (
        len({ledger.key_of(e) for e in entries})
        == len(entries)
        == batch.line_count
        == d.get().candidate_count
    )
    assert batch.control_total_fen == sum(e.amount_fen for e in entries) == d.get().candidate_total_fen
    assert payment_file.verify(batch.file_name).ok


def test_the_higher_applies_across_measures_and_rounds(driver, sessions, tmp_path, budget):
    """M1.2a pays first; M1.3b in the same stacking group then only tops up to the higher amount."""
    lower = EntitlementResults(write_sample(tmp_path / "a.parquet", 30, measure_id="M1.2a", seed=1))
    higher = EntitlementResults(write_sample(tmp_path / "b.parquet", 30, measure_id="M1.3b", seed=2))
    first = driver(lower, measure_id="M1.2a").to_approved()
    payment.pay(sessions, first.id, tmp_path, actor="o", now=first.after_confirmations())
    second = driver(higher, measure_id="M1.3b").to_approved()
    payment.pay(sessions, second.id, tmp_path, actor="o", now=second.after_confirmations())
    _assert_group_totals_are_the_higher_entitlement(sessions)
    with sessions() as session:
        reasons = session.execute(
            select(Candidate.status_reason).where(
                Candidate.round_id == second.id, Candidate.status_reason.is_not(None)
            )
        ).scalars()
        assert any("the higher applies" in r for r in reasons)


def test_the_higher_applies_also_when_both_rounds_were_approved_before_either_paid(
    driver, sessions, tmp_path
):
    a = EntitlementResults(write_sample(tmp_path / "a.parquet", 30, measure_id="M1.2a", seed=1))
    b = EntitlementResults(write_sample(tmp_path / "b.parquet", 30, measure_id="M1.3b", seed=2))
    first = driver(a, measure_id="M1.2a").to_approved()
    second = driver(b, measure_id="M1.3b").to_approved()
    payment.pay(sessions, first.id, tmp_path, actor="o", now=first.after_confirmations())
    payment.pay(sessions, second.id, tmp_path, actor="o", now=second.after_confirmations())
    _assert_group_totals_are_the_higher_entitlement(sessions)
    with sessions() as session:
        committed = session.scalar(select(func.sum(Budget.committed_fen)))
    assert committed == sum(e.amount_fen for e in _entries(sessions))


def _assert_group_totals_are_the_higher_entitlement(sessions):
    entitled = defaultdict(int)
    with sessions() as session:
        for c in session.execute(select(Candidate)).scalars():
            entitled[c.credit_code] = max(entitled[c.credit_code], c.amount_fen)
    received = defaultdict(int)
    for entry in _entries(sessions):
        received[entry.credit_code] += entry.amount_fen
    assert received == {code: amount for code, amount in entitled.items() if amount}


def _paid_round(driver, sessions, tmp_path):
    directory = tmp_path / "results"
    write_sample(directory / "run-1.parquet", 20)
    source = EntitlementResults(directory)
    d = driver(source).to_approved()
    payment.pay(sessions, d.id, tmp_path / "out", actor="o", now=d.after_confirmations())
    settlement.settle(sessions, d.id, actor="o", now=d.after_confirmations())
    return d, source, directory


def test_a_correction_after_payment_appends_an_adjustment_or_a_clawback(driver, sessions, tmp_path):
    d, source, directory = _paid_round(driver, sessions, tmp_path)
    first, second = sorted(e.credit_code for e in _entries(sessions))[:2]
    paid = {e.credit_code: e.amount_fen for e in _entries(sessions)}
    write_correction(directory, first, "399999.99")
    up = corrections.correct(sessions, d.id, first, source, actor="o", note="revenue restated")
    assert (up.kind, up.revision, up.amount_fen) == ("adjustment", 1, 39999999 - paid[first])
    write_correction(directory, second, "0", eligible=False, name="second.parquet")
    down = corrections.correct(sessions, d.id, second, source, actor="o", note="on the dishonesty list")
    assert (down.kind, down.revision, down.amount_fen) == ("clawback", 1, -paid[second])
    assert corrections.correct(sessions, d.id, second, source, actor="o", note="again") is None
    batch = corrections.pay_adjustments(sessions, d.id, tmp_path / "out", actor="o")
    assert (batch.kind, batch.line_count, batch.control_total_fen) == ("adjustment", 1, up.amount_fen)
    assert corrections.pay_adjustments(sessions, d.id, tmp_path / "out", actor="o") is None
    settlement.settle_adjustments(sessions, batch.id, failed={first: "account frozen"}, actor="o")
    assert _entries(sessions)[-1].amount_fen == -up.amount_fen
    with pytest.raises(RefusedTransition, match=f"adjustment batch {batch.id} is already settled"):
        settlement.settle_adjustments(sessions, batch.id, actor="o")
    originals = [e for e in _entries(sessions) if e.revision == 0]
    assert {e.credit_code: e.amount_fen for e in originals} == paid


def test_a_correction_needs_a_paid_enterprise_a_note_and_budget(driver, sessions, tmp_path, budget):
    d, source, directory = _paid_round(driver, sessions, tmp_path)
    code = _entries(sessions)[0].credit_code
    with pytest.raises(NotFound, match="was not paid in round"):
        corrections.correct(sessions, d.id, "91310115000000000Z", source, actor="o", note="x")
    with pytest.raises(RefusedTransition, match="needs a note"):
        corrections.correct(sessions, d.id, code, source, actor="o", note=" ")
    with sessions() as session:
        committed = session.scalar(select(Budget.committed_fen))
    budget(str(committed / 100))
    write_correction(directory, code, "399999.99")
    with pytest.raises(BudgetExceeded, match="would exceed it"):
        corrections.correct(sessions, d.id, code, source, actor="o", note="restated")


def test_a_failed_payment_is_reversed_and_its_money_returns_to_the_budget(driver, sessions, tmp_path):
    d = driver().to_approved()
    payment.pay(sessions, d.id, tmp_path, actor="o", now=d.after_confirmations())
    failed = _entries(sessions)[0]
    settlement.settle(sessions, d.id, failed={failed.credit_code: "account closed"}, actor="o",
                      now=d.after_confirmations() + timedelta(days=3))  # fmt: skip
    reversal = _entries(sessions)[-1]
    assert (reversal.kind, reversal.revision, reversal.amount_fen) == ("reversal", 1, -failed.amount_fen)
    with sessions() as session:
        status = session.scalar(select(Candidate.status).where(Candidate.id == failed.candidate_id))
        committed = session.scalar(select(Budget.committed_fen))
    assert status == states.FAILED
    assert committed == sum(e.amount_fen for e in _entries(sessions)) == d.get().granted_total_fen


def test_settling_a_line_that_is_not_in_the_batch_is_refused(driver, sessions, tmp_path):
    d = driver().to_approved()
    payment.pay(sessions, d.id, tmp_path, actor="o", now=d.after_confirmations())
    with pytest.raises(NotFound, match="not in payment batch"):
        settlement.settle(sessions, d.id, failed={"91310115000000000Z": "?"}, actor="o")
