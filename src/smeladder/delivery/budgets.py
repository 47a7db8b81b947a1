"""Budgets per fund, measure and year. Money leaves a budget only through `commit`, a single conditional
UPDATE (`committed + x <= amount`) on a row the caller has locked; the table's CHECK constraint
(`committed_fen <= amount_fen`) refuses an overspend even from code that forgets both."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import audit
from smeladder.delivery.errors import BudgetExceeded, NotFound
from smeladder.delivery.fen import fen_to_yuan, yuan_to_fen
from smeladder.delivery.models import Budget


def set_budget(
    sessions: sessionmaker[Session],
    *,
    fund_id: str,
    measure_id: str,
    year: int,
    amount: Decimal,
    actor: str,
    now: datetime | None = None,
) -> Budget:
    """Create the budget, or change its amount (never below what is already committed)."""
    now = now or datetime.now(UTC)
    amount_fen = yuan_to_fen(Decimal(amount))
    if amount_fen < 0:
        raise BudgetExceeded(f"budget {fund_id}/{measure_id}/{year}: amount {amount} is negative")
    with sessions.begin() as session:
        budget = session.execute(
            select(Budget)
            .where(Budget.fund_id == fund_id, Budget.measure_id == measure_id, Budget.year == year)
            .with_for_update()
        ).scalar_one_or_none()
        before = None if budget is None else _describe(budget)
        if budget is None:
            budget = Budget(
                fund_id=fund_id,
                measure_id=measure_id,
                year=year,
                amount_fen=amount_fen,
                committed_fen=0,
                created_at=now,
            )
            session.add(budget)
        elif amount_fen < budget.committed_fen:
            raise BudgetExceeded(
                f"budget {fund_id}/{measure_id}/{year}: cannot lower it to {fen_to_yuan(amount_fen)} yuan, "
                f"{fen_to_yuan(budget.committed_fen)} yuan are already committed"
            )
        else:
            budget.amount_fen = amount_fen
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="budget.set",
            entity="budget",
            entity_id=budget.id,
            before=before,
            after=_describe(budget),
            now=now,
        )
    return budget


def find(session: Session, fund_id: str, measure_id: str, year: int) -> Budget:
    budget = session.execute(
        select(Budget).where(Budget.fund_id == fund_id, Budget.measure_id == measure_id, Budget.year == year)
    ).scalar_one_or_none()
    if budget is None:
        raise NotFound(
            f"no budget for fund {fund_id!r}, measure {measure_id}, year {year}: set one first",
            next_action="set_budget",
        )
    return budget


def lock(session: Session, budget_id: int) -> Budget:
    """The budget row, locked until the end of the transaction (SELECT ... FOR UPDATE)."""
    return session.execute(
        select(Budget)
        .where(Budget.id == budget_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def remaining_fen(budget: Budget) -> int:
    return budget.amount_fen - budget.committed_fen


def commit(session: Session, budget_id: int, amount_fen: int) -> None:
    """Take `amount_fen` from the budget, atomically, or raise BudgetExceeded."""
    if amount_fen < 0:
        raise ValueError("commit a positive amount; use release() to give money back")
    result = session.execute(
        update(Budget)
        .where(Budget.id == budget_id, Budget.committed_fen + amount_fen <= Budget.amount_fen)
        .values(committed_fen=Budget.committed_fen + amount_fen)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        budget = session.get(Budget, budget_id, populate_existing=True)
        raise BudgetExceeded(
            f"budget {budget.fund_id}/{budget.measure_id}/{budget.year}: committing "
            f"{fen_to_yuan(amount_fen)} yuan would exceed it ({fen_to_yuan(remaining_fen(budget))} yuan left)"
        )


def release(session: Session, budget_id: int, amount_fen: int) -> None:
    """Give `amount_fen` back to the budget (a payment that failed, a claw-back, a stacking reduction)."""
    if amount_fen < 0:
        raise ValueError("release a positive amount")
    session.execute(
        update(Budget)
        .where(Budget.id == budget_id)
        .values(committed_fen=Budget.committed_fen - amount_fen)
        .execution_options(synchronize_session=False)
    )


def _describe(budget: Budget) -> dict[str, object]:
    return {
        "fund_id": budget.fund_id,
        "measure_id": budget.measure_id,
        "year": budget.year,
        "amount": str(fen_to_yuan(budget.amount_fen)),
        "committed": str(fen_to_yuan(budget.committed_fen)),
    }
