"""`ledger` (services/ledger.py): the ledger's entries, filtered, with their count and net total."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from smeladder.cli.common import DataDirOption, DbOption, command, console, context, yuan

DEFAULT_LIMIT = 50  # services.ledger.DEFAULT_LIMIT, without importing the services for --help


def register(app: typer.Typer) -> None:
    command(app, "ledger", "ledger:Ledger", _render)(ledger)


def _render(result) -> None:
    table = Table("id", "round", title="Ledger")
    table.add_column("enterprise", no_wrap=True, min_width=18)
    for name in ("measure", "period", "item", "rev", "kind"):
        table.add_column(name)
    table.add_column("yuan", justify="right", no_wrap=True)
    for e in result.entries:
        kind = e.kind if e.kind == "payment" else f"[yellow]{e.kind}[/]"
        table.add_row(
            str(e.id), "—" if e.round_id is None else str(e.round_id), e.credit_code, e.measure_id, e.period,
            e.item, str(e.revision), kind, yuan(e.amount),
        )  # fmt: skip
    console.print(table)
    kinds = ", ".join(f"{k.kind} {k.entries:,} ({yuan(k.amount)})" for k in result.by_kind)
    console.print(
        f"{len(result.entries):,} of {result.count:,} entries shown; net total {yuan(result.total)} yuan"
        + (f" — {kinds}" if kinds else "")
    )
    if result.next_after is not None:
        console.print(f"more: --after {result.next_after}")


def ledger(
    enterprise: Annotated[
        str | None, typer.Option("--enterprise", help="Only this enterprise (unified social credit code).")
    ] = None,
    round_id: Annotated[
        int | None, typer.Option("--round", help="Only entries posted by this round.")
    ] = None,
    measure: Annotated[str | None, typer.Option("--measure", help="Only this measure, e.g. M1.2b.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="Only this period, e.g. 2026.")] = None,
    after: Annotated[
        int, typer.Option("--after", min=0, help="List entries after this id (the next page).")
    ] = 0,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Entries to list (totals count all).")] = (
        DEFAULT_LIMIT
    ),
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """List ledger entries: who was paid what, by which round, for which measure and period; adjustments,
    claw-backs and reversals are entries of their own (with --json, each with its reason). The count and net
    total cover every selected entry.

    Example: [bold]smeladder ledger --round 1 --limit 5[/]

    Example: [bold]smeladder ledger --enterprise 91310101MA6HN97E2B --measure M1.2b --period 2026[/]
    """
    from smeladder.services import ledger as service

    return service.list_entries(
        context(db=db, data_dir=data_dir),
        credit_code=enterprise,
        round_id=round_id,
        measure_id=measure,
        period=period,
        after=after,
        limit=limit,
    )
