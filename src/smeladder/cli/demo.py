"""`smeladder demo` (services/demo.py): the README's main job on the embedded default.

It builds a synthetic Shanghai registry, imports it through the same validation an officer's files go through,
shows what is in it, and then each later part of the platform on it, in order.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.rule import Rule

from smeladder.cli.common import NEXT_ACTIONS, DataDirOption, command, console, context, progress_bar


def register(app: typer.Typer) -> None:
    command(app, "demo", "demo:Demo", _show)(demo)


def demo(
    enterprises: Annotated[int, typer.Option("--enterprises", "-n", min=100, help="Registry size.")] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the synthetic registry.")] = 2025,
    data_dir: DataDirOption = None,
):
    """Build a demo registry in the data directory, show what is in it, and run the platform on it: the
    ladder and the money measures, a letter, an automatic round to a payment file, the service network.

    Example: [bold]smeladder demo --enterprises 1000 --data-dir demo-data[/]
    """
    from smeladder.services import demo as stages

    with progress_bar() as progress:
        return stages.run(context(data_dir=data_dir), enterprises, seed, progress)


def _show(result) -> None:
    from smeladder.cli.ladder import show_funnel
    from smeladder.cli.registry import render_files, render_summary
    from smeladder.cli.rounds import render_demo_round
    from smeladder.cli.siting import render_network_plan

    console.print(Rule("1. A synthetic Shanghai registry"))
    render_files(result.imported)
    console.print(f"  registry: {result.imported.registry}")
    render_summary(result.summary)

    as_of = result.funnel.as_of
    console.print(Rule(f"The ladder and the money measures, as of {as_of} (Shanghai pack)"))
    show_funnel(result.funnel, title="Ladder funnel")
    show_near_letter(result.near)

    measure = result.round_results.measure_id
    console.print(Rule(f"An automatic round (免申即享) for {measure}, as of {as_of}, to a payment file"))
    render_demo_round(result.round)

    console.print(Rule(f"The 3-km SME service circle and the next stations, as of {as_of}"))
    render_network_plan(result.network, result.new_stations)


def show_near_letter(near) -> None:
    """The letter to one enterprise one condition short of the S&S rung: what every enterprise can be sent."""
    from smeladder.services import letters

    console.print(
        Rule(f"{near.enterprises:,} enterprises are one condition from the S&S rung; the letter to the first")
    )
    if near.letter is not None:
        print(letters.render(near.letter, "text", NEXT_ACTIONS))  # plain: no re-wrapping
        print(f"\nIn Chinese: smeladder explain {near.key} --as-of {near.as_of}")
        print(f"All of them, a letter each: smeladder invite --as-of {near.as_of} --missing 1 --out invite/")
