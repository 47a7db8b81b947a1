"""Audit command: `audit verify`, the hash chain of the delivery audit log on the transactional store."""

from __future__ import annotations

import typer

from smeladder.cli.common import DataDirOption, DbOption, console, delivery_store, fail
from smeladder.delivery import audit

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(db: DbOption = None, data_dir: DataDirOption = None) -> None:
    """Check the audit log's hash chain from the first record; name the first record that does not hold.

    Example: [bold]smeladder audit verify --db postgresql://officer@db.internal/smeladder[/]
    """
    with delivery_store(db, data_dir) as sessions, sessions() as session:
        check = audit.verify(session)
    if not check.ok:
        raise fail(f"audit chain broken at record {check.first_broken_id}: {check.problem}")
    console.print(f"[green]audit chain intact[/]: {check.records:,} records")
