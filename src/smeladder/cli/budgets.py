"""Budget commands: `budget set` and `budget show`, on the transactional store (see `delivery_store`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from smeladder import money
from smeladder.cli.common import (
    ActorOption,
    DataDirOption,
    DbOption,
    actor_name,
    console,
    delivery_store,
    fail,
    yuan,
)
from smeladder.delivery import budgets
from smeladder.delivery.models import Budget

budget_app = typer.Typer(help="Budgets per fund, measure and year.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(budget_app, name="budget")


@budget_app.command("set")
def budget_set(
    fund: Annotated[str, typer.Argument(help="Fund id, e.g. sme-development-fund.")],
    measure: Annotated[str, typer.Argument(help="Measure id, e.g. M1.2b.")],
    year: Annotated[int, typer.Argument(help="Budget year.")],
    amount: Annotated[str, typer.Argument(help="Amount in yuan, at most two decimals.")],
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
) -> None:
    """Create a budget or change its amount (never below what is committed).

    Example: [bold]smeladder budget set sme-development-fund M1.2b 2025 200000000[/]
    """
    try:
        value = money.parse_yuan(amount)
    except ValueError as exc:
        raise fail(f"amount: {exc}") from None
    with delivery_store(db, data_dir) as sessions:
        budget = budgets.set_budget(
            sessions, fund_id=fund, measure_id=measure, year=year, amount=value, actor=actor_name(actor)
        )
    console.print(f"budget {fund}/{measure}/{year}: {yuan(budget.amount_fen)} yuan")


@budget_app.command("show")
def budget_show(db: DbOption = None, data_dir: DataDirOption = None) -> None:
    """List budgets with what is committed and what is left.

    Example: [bold]smeladder budget show[/]
    """
    with delivery_store(db, data_dir) as sessions, sessions() as session:
        table = Table("fund", "measure", "year", "amount (yuan)", "committed", "left", title="Budgets")
        for b in session.execute(
            select(Budget).order_by(Budget.fund_id, Budget.measure_id, Budget.year)
        ).scalars():
            table.add_row(
                b.fund_id,
                b.measure_id,
                str(b.year),
                yuan(b.amount_fen),
                yuan(b.committed_fen),
                yuan(budgets.remaining_fen(b)),
            )
    console.print(table)
