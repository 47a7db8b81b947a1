"""`smeladder demo`: the README's main job on the embedded default (services/demo.py).

It builds a synthetic Shanghai registry, imports it through the same validation an officer's files go through,
shows what is in it, and then each later part of the platform on it, in order: each stage is a service call
whose result is printed here.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.rule import Rule

from smeladder.cli.common import NEXT_ACTIONS, DataDirOption, console, context
from smeladder.cli.registry import render_files, render_summary


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    enterprises: Annotated[int, typer.Option("--enterprises", "-n", min=100, help="Registry size.")] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the synthetic registry.")] = 2025,
    data_dir: DataDirOption = None,
) -> None:
    """Build a demo registry in the data directory and show what is in it.

    Example: [bold]smeladder demo --enterprises 50000 --data-dir demo-data[/]
    """
    from smeladder.services import demo as stages
    from smeladder.services import ladder, registry

    ctx = context(data_dir=data_dir, pack=stages.PACK)
    years = stages.YEARS
    console.print(Rule("1. A synthetic Shanghai registry"))
    status = f"synthesizing {enterprises:,} enterprises, {years[0]}–{years[-1]}, importing with validation"
    with console.status(status):
        outcome = registry.demo_registry(ctx, enterprises, seed, years)
    render_files(outcome)
    console.print(f"  registry: {outcome.registry}")
    render_summary(registry.registry_summary(ctx))

    # --- The ladder and the money measures (Shanghai pack, issue 4) ---------------------------------------------
    from smeladder.cli.ladder import show_funnel

    as_of = stages.AS_OF
    console.print(Rule(f"The ladder and the money measures, as of {as_of} (Shanghai pack)"))
    with console.status("evaluating the tier ladder and the Several Measures over the registry"):
        funnel = ladder.funnel(ctx, as_of, "en")
    show_funnel(funnel, title="Ladder funnel")
    show_letter_demo(ctx)

    # --- One automatic round, end to end (issue 5) ---------------------------------------------------------------
    from smeladder.cli.rounds import demo_round

    measure = stages.ROUND_MEASURE
    console.print(Rule(f"An automatic round (免申即享) for {measure}, as of {as_of}, to a payment file"))
    with console.status(f"evaluating {measure} for every enterprise"):
        results = stages.round_results(ctx, measure)
    demo_round(ctx.data_dir, results=results.path, measure_id=measure, period=results.period)

    # --- The service network (issue 6) ---------------------------------------------------------------------------
    from smeladder.cli.siting import show_network_demo

    console.print(Rule(f"The 3-km SME service circle and the next stations, as of {as_of}"))
    with console.status("placing stations and solving the siting problem"):
        show_network_demo(ctx.data_dir, as_of=as_of, new_stations=20)


def show_letter_demo(ctx) -> None:
    """The letter to one enterprise one condition short of the S&S rung: what every enterprise can be sent."""
    from smeladder.services import demo as stages
    from smeladder.services import letters

    with console.status("finding the firms one condition from the S&S rung"):
        near = stages.near_letter(ctx, "en")
    console.print(
        Rule(f"{near.enterprises:,} enterprises are one condition from the S&S rung; the letter to the first")
    )
    if near.letter is not None:
        print(letters.render(near.letter, "text", NEXT_ACTIONS))  # plain: no re-wrapping
        print(f"\nIn Chinese: smeladder explain {near.key} --as-of {near.as_of}")
        print(f"All of them, a letter each: smeladder invite --as-of {near.as_of} --missing 1 --out invite/")
