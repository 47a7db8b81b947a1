"""`payment-file verify` (services/payments.py): check a payment file as the bank would, before sending it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from smeladder.cli.common import command, console, context, err_console, group, yuan

payment_file_app = group("payment-file", "Payment files written by `round pay` and `round correct`.")


def register(app: typer.Typer) -> None:
    app.add_typer(payment_file_app)


def _verified(check) -> None:
    if check.intact:
        console.print(
            f"[green]payment file intact[/]: {check.lines:,} lines, control total {yuan(check.total)} yuan"
        )
    else:
        err_console.print(
            f"[bold red]error:[/] {escape(str(check.file))} is not intact: {escape(check.problem)}"
        )


@command(payment_file_app, "verify", "payments:PaymentFileCheck", _verified, failed=lambda c: not c.intact)
def payment_file_verify(
    path: Annotated[Path, typer.Argument(help="The payment file (its .sha256 beside it is checked too).")],
):
    """Check a payment file: the file checksum in its .sha256, every line's checksum and number, and the
    trailer's line count, control total and checksum; name the first that fails (exit code 1). The demo's
    round writes its file under the data directory, in delivery/payments/.

    Example: [bold]smeladder payment-file verify payments/payment-round2-M1.2b-2026-round.csv[/]
    """
    from smeladder.services import payments

    return payments.verify_file(context(), path)
