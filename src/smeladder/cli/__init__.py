"""The `smeladder` command. Every command group lives in its own module and registers itself here,
so this list is the one place that shows what the CLI offers."""

from __future__ import annotations

from typing import Annotated

import typer

from smeladder.cli import (
    audit,
    budgets,
    concerns,
    coverage,
    demo,
    enterprises,
    evaluation,
    ladder,
    ledger,
    letters,
    packtests,
    parameters,
    payments,
    registry,
    rounds,
    siting,
    stations,
    whatif,
)
from smeladder.cli.common import EXIT_CODES_HELP, ServiceErrors

app = typer.Typer(
    name="smeladder",
    help="Policy as code for specialized and sophisticated SMEs (Shanghai's Several Measures, 2025).",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    cls=ServiceErrors,
)


def _version(asked: bool) -> None:
    if asked:
        from smeladder import __version__

        typer.echo(f"smeladder {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Policy as code for specialized and sophisticated SMEs (Shanghai's Several Measures, 2025)."""


for command_group in (
    demo,
    registry,
    enterprises,
    parameters,
    evaluation,
    letters,
    whatif,
    packtests,
    ladder,
    stations,
    coverage,
    siting,
    concerns,
    budgets,
    rounds,
    ledger,
    payments,
    audit,
):
    command_group.register(app)


def main() -> None:
    app()
