"""`budget set` and `budget show` (services/budgets.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from smeladder.cli.common import ActorOption, DataDirOption, DbOption, command, console, context, group, yuan

budget_app = group("budget", "Budgets per fund, measure and year.")


def register(app: typer.Typer) -> None:
    app.add_typer(budget_app)


def _set(budget) -> None:
    console.print(f"budget {budget.fund_id}/{budget.measure_id}/{budget.year}: {yuan(budget.amount)} yuan")


@command(budget_app, "set", "budgets:Budget", _set)
def budget_set(
    fund: Annotated[str, typer.Argument(help="Fund id, e.g. sme-development-fund.")],
    measure: Annotated[str, typer.Argument(help="Measure id, e.g. M1.2b.")],
    year: Annotated[int, typer.Argument(help="Budget year.")],
    amount: Annotated[str, typer.Argument(help="Amount in yuan, at most two decimals.")],
    db: DbOption = None,
    data_dir: DataDirOption = None,
    actor: ActorOption = None,
):
    """Create a budget or change its amount (never below what is committed).

    Example: [bold]smeladder budget set sme-development-fund M1.2b 2026 600000000[/]
    """
    from smeladder.services import budgets

    return budgets.set_budget(context(db=db, data_dir=data_dir, actor=actor), fund, measure, year, amount)


def _show(result) -> None:
    table = Table("fund", "measure", "year", "amount (yuan)", "committed", "left", title="Budgets")
    for b in result.budgets:
        table.add_row(
            b.fund_id, b.measure_id, str(b.year), yuan(b.amount), yuan(b.committed), yuan(b.remaining)
        )
    console.print(table)


@command(budget_app, "show", "budgets:Budgets", _show)
def budget_show(db: DbOption = None, data_dir: DataDirOption = None):
    """List budgets with what is committed and what is left.

    Example: [bold]smeladder budget show[/]
    """
    from smeladder.services import budgets

    return budgets.list_budgets(context(db=db, data_dir=data_dir))
