"""`audit verify` (services/audit.py): the hash chain of the audit log on the transactional store."""

from __future__ import annotations

import typer

from smeladder.cli.common import DataDirOption, DbOption, command, console, context, err_console, group

audit_app = group("audit", "The tamper-evident audit log.")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app)


def _verified(check) -> None:
    if check.intact:
        console.print(f"[green]audit chain intact[/]: {check.records:,} records")
    else:
        err_console.print(
            f"[bold red]error:[/] audit chain broken at record {check.first_broken_id}: {check.problem}"
        )


@command(audit_app, "verify", "audit:AuditCheck", _verified, failed=lambda check: not check.intact)
def audit_verify(db: DbOption = None, data_dir: DataDirOption = None):
    """Check the audit log's hash chain from the first record; name the first record that does not hold.
    On PostgreSQL: --db postgresql://officer@db.internal/smeladder (or $SMELADDER_DB_URL).

    Example: [bold]smeladder audit verify[/]
    """
    from smeladder.services import audit

    return audit.verify(context(db=db, data_dir=data_dir))
