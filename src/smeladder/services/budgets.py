"""Budgets per fund, measure and year: set one, list them with what is committed and what is left."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from smeladder import money
from smeladder.delivery import budgets
from smeladder.delivery.fen import fen_to_yuan
from smeladder.delivery.models import Budget as BudgetRow
from smeladder.errors import InvalidInput
from smeladder.services.context import AppContext
from smeladder.services.models import Result


class Budget(Result):
    fund_id: str
    measure_id: str
    year: int
    amount: Decimal
    committed: Decimal
    remaining: Decimal

    @classmethod
    def of(cls, row: BudgetRow) -> Budget:
        return cls(
            fund_id=row.fund_id,
            measure_id=row.measure_id,
            year=row.year,
            amount=fen_to_yuan(row.amount_fen),
            committed=fen_to_yuan(row.committed_fen),
            remaining=fen_to_yuan(budgets.remaining_fen(row)),
        )


class Budgets(Result):
    budgets: list[Budget]


def set_budget(ctx: AppContext, fund_id: str, measure_id: str, year: int, amount: Decimal | str) -> Budget:
    """Create the budget or change its amount (never below what is committed); audited."""
    try:
        value = money.parse_yuan(str(amount))
    except ValueError as exc:
        raise InvalidInput(f"amount: {exc}") from None
    row = budgets.set_budget(
        ctx.sessions,
        fund_id=fund_id,
        measure_id=measure_id,
        year=year,
        amount=value,
        actor=ctx.actor,
        now=ctx.now(),
    )
    return Budget.of(row)


def list_budgets(ctx: AppContext) -> Budgets:
    with ctx.sessions() as session:
        rows = session.execute(
            select(BudgetRow).order_by(BudgetRow.fund_id, BudgetRow.measure_id, BudgetRow.year)
        ).scalars()
        return Budgets(budgets=[Budget.of(row) for row in rows])
