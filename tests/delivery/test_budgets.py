"""Budgets: the overflow policies, and never an overspend, also when approvals run at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from smeladder.delivery import budgets, confirmations, states
from smeladder.delivery.allocation import Claim, allocate
from smeladder.delivery.errors import BudgetExceeded, RefusedTransition
from smeladder.delivery.models import Budget, Candidate

from .conftest import FUND, MEASURE, RoundDriver


def _granted(sessions, round_id):
    with sessions() as session:
        return {
            c.credit_code: c
            for c in session.execute(select(Candidate).where(Candidate.round_id == round_id)).scalars()
        }


def _budget(sessions):
    with sessions() as session:
        return session.execute(select(Budget)).scalar_one()


def test_rank_grants_in_order_and_shows_who_was_cut_and_why(driver, sessions):
    d = driver(
        budget_amount="2000000", settings={"overflow_policy": "rank", "rank_by": "amount"}
    ).to_approved()
    lines = _granted(sessions, d.id)
    approved = [c for c in lines.values() if c.status == states.APPROVED_C]
    cut = [c for c in lines.values() if c.status == states.CUT]
    assert approved and cut
    assert min(c.amount_fen for c in approved) >= max(c.amount_fen for c in cut)
    assert all("budget exhausted: position" in c.status_reason for c in cut)
    assert sum(c.granted_fen for c in approved) == _budget(sessions).committed_fen <= 200_000_000


def test_rank_by_a_criterion_from_the_explanation(driver, sessions):
    d = driver(
        budget_amount="1000000", settings={"rank_by": "reasons.growth_rate", "rank_order": "desc"}
    ).to_approved()
    lines = _granted(sessions, d.id).values()
    import json

    growth = lambda c: json.loads(c.reasons_json)["growth_rate"]  # noqa: E731
    approved = [growth(c) for c in lines if c.status == states.APPROVED_C]
    cut = [growth(c) for c in lines if c.status == states.CUT]
    assert approved and cut and min(approved) >= max(cut)


def test_pro_rata_uses_the_budget_to_the_fen(driver, sessions):
    d = driver(budget_amount="1234567.89", settings={"overflow_policy": "pro_rata"}).to_approved()
    lines = _granted(sessions, d.id).values()
    assert sum(c.granted_fen for c in lines if c.status == states.APPROVED_C) == 123456789
    assert all(c.granted_fen < c.amount_fen for c in lines if c.status == states.APPROVED_C)
    assert all("pro rata" in c.status_reason for c in lines if c.status == states.APPROVED_C)
    assert _budget(sessions).committed_fen == 123456789


def test_first_come_follows_confirmation_order(driver, sessions):
    d = driver(budget_amount="400000", settings={"overflow_policy": "first_come"}).evaluate().publish()
    with sessions() as session:
        codes = list(
            session.execute(select(Candidate.credit_code).where(Candidate.round_id == d.id)).scalars()
        )
    early, late = codes[-1], codes[0]
    from datetime import timedelta

    confirmations.confirm(sessions, d.id, early, actor="e", now=d.published_at + timedelta(hours=1))
    confirmations.confirm(sessions, d.id, late, actor="e", now=d.published_at + timedelta(hours=2))
    d.close_objections().approve()
    lines = _granted(sessions, d.id)
    if lines[early].amount_fen <= 40_000_000:
        assert lines[early].status == states.APPROVED_C
    assert sum(c.granted_fen or 0 for c in lines.values() if c.status == states.APPROVED_C) <= 40_000_000


@pytest.mark.parametrize("policy", ["rank", "pro_rata", "first_come"])
@pytest.mark.parametrize("available", [0, 1, 999, 150_000, 10**9])
def test_allocation_never_exceeds_what_is_available(policy, available):
    claims = [Claim(i, f"C{i:04d}", (i * 7919) % 100_000 + 1, Decimal(i % 13)) for i in range(200)]
    cuts = {cut.candidate_id: cut.granted_fen for cut in allocate(claims, available, policy)}
    granted = sum(cuts.get(c.candidate_id, c.amount_fen) for c in claims)
    assert granted <= max(available, 0) or granted == sum(c.amount_fen for c in claims) <= available
    if policy == "pro_rata" and available < sum(c.amount_fen for c in claims):
        assert granted == available


def test_lowering_a_budget_below_what_is_committed_is_refused(driver, sessions):
    driver(budget_amount="2000000").to_approved()
    with pytest.raises(BudgetExceeded, match=r"cannot lower it to 1\.00 yuan"):
        budgets.set_budget(
            sessions, fund_id=FUND, measure_id=MEASURE, year=2025, amount=Decimal("1"), actor="o"
        )
    with pytest.raises(ValueError, match="more than two decimals"):
        budgets.set_budget(
            sessions, fund_id=FUND, measure_id=MEASURE, year=2025, amount=Decimal("1.001"), actor="o"
        )


def test_parallel_commits_stop_exactly_at_the_budget(sessions, budget):
    """50 transactions at once, each taking 30,000 yuan from a 1,000,000 yuan budget: 33 succeed."""
    budget_id = budget("1000000").id
    barrier = threading.Barrier(10)

    def take(_: int) -> bool:
        barrier.wait() if _ < 10 else None
        try:
            with sessions.begin() as session:
                budgets.commit(session, budget_id, 3_000_000)
            return True
        except BudgetExceeded:
            return False

    with ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(take, range(50)))
    assert outcomes.count(True) == 33
    assert _budget(sessions).committed_fen == 99_000_000


def test_parallel_approvals_of_many_rounds_never_overspend(sessions, results, budget):
    """Eight rounds on one small budget, approved by eight officers at the same moment."""
    budget("3000000")
    source = results(25)
    drivers = [RoundDriver(sessions, source, item=f"batch-{i}").to_confirming() for i in range(8)]
    barrier = threading.Barrier(len(drivers))

    def approve(d: RoundDriver) -> None:
        barrier.wait()
        d.approve(actor=f"officer-{d.id}")

    with ThreadPoolExecutor(len(drivers)) as pool:
        list(pool.map(approve, drivers))
    with sessions() as session:
        granted = session.scalar(
            select(func.sum(Candidate.granted_fen)).where(Candidate.status == states.APPROVED_C)
        )
    committed = _budget(sessions).committed_fen
    assert granted == committed <= 300_000_000
    assert all(d.get().state == states.APPROVED for d in drivers)


def test_two_officers_approving_one_round_at_once_approve_it_once(driver, sessions):
    d = driver(budget_amount="1000000000").to_confirming()
    barrier = threading.Barrier(2)

    def approve(actor: str) -> str:
        barrier.wait()
        try:
            d.approve(actor=actor)
            return "approved"
        except RefusedTransition as refused:
            return str(refused)

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(approve, ["officer-a", "officer-b"]))
    assert outcomes[0] == "approved"
    assert "state 'approved'" in outcomes[1]
    assert _budget(sessions).committed_fen == d.get().granted_total_fen
