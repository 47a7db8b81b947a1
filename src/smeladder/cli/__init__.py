"""The `smeladder` command. Every command group lives in its own module and registers itself here,
so this list is the one place that shows what the CLI offers."""

from __future__ import annotations

import typer

from smeladder.cli import audit, budgets, concerns, demo, ladder, network, registry, rounds, rules

app = typer.Typer(
    name="smeladder",
    help="Policy as code for specialized and sophisticated SMEs (Shanghai's Several Measures, 2025).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

for command_group in (demo, registry, rules, ladder, network, concerns, rounds, budgets, audit):
    command_group.register(app)


def main() -> None:
    app()
