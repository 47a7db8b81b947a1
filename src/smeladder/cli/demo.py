"""`smeladder demo`: the README's main job on the embedded default.

It builds a synthetic Shanghai registry, imports it through the same validation an officer's files go through,
and shows what is in it. Later stages of the platform add their part of the story here, in order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule

from smeladder.cli.common import DataDirOption, console, context
from smeladder.cli.registry import render_files, render_summary

DEMO_YEARS = range(2021, 2026)
# A round after the 2026 ladder took effect, supporting fiscal 2025, the last year of the demo registry.
LADDER_AS_OF = dt.date(2026, 5, 1)


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
    from smeladder.services import registry

    ctx = context(data_dir=data_dir)
    console.print(Rule("1. A synthetic Shanghai registry"))
    status = f"synthesizing {enterprises:,} enterprises, {DEMO_YEARS[0]}–{DEMO_YEARS[-1]}, importing with validation"
    with console.status(status):
        outcome = registry.demo_registry(ctx, enterprises, seed, DEMO_YEARS)
    render_files(outcome)
    console.print(f"  registry: {outcome.registry}")
    render_summary(registry.registry_summary(ctx))

    # --- The ladder and the money measures (Shanghai pack, issue 4) ---------------------------------------------
    from smeladder.cli.ladder import BUDGET_NOTE, COST_COLUMNS, FUNNEL_COLUMNS, render_rows
    from smeladder.ladder.funnel import registry_overview

    console.print(Rule(f"The ladder and the money measures, as of {LADDER_AS_OF} (Shanghai pack)"))
    with console.status("evaluating the tier ladder and the Several Measures over the registry"):
        funnel, costs = registry_overview(ctx.data_dir, LADDER_AS_OF)
    console.print(render_rows("Ladder funnel", funnel, FUNNEL_COLUMNS))
    console.print(render_rows("Beneficiaries and cost per measure (after stacking)", costs, COST_COLUMNS))
    console.print(BUDGET_NOTE)
    show_letter_demo(ctx.data_dir)

    # --- One automatic round, end to end (issue 5) ---------------------------------------------------------------
    from smeladder.cli.rounds import demo_round
    from smeladder.delivery.from_pack import write_entitlement_results
    from smeladder.rules.backends import open_source
    from smeladder.rules.locate import find_pack

    console.print(Rule(f"An automatic round (免申即享) for M1.2b, as of {LADDER_AS_OF}, to a payment file"))
    pack = find_pack("shanghai")
    source = open_source("duckdb", table_names=pack.tables, data_dir=ctx.data_dir)
    results = ctx.data_dir / "delivery" / f"entitlements-M1.2b-{LADDER_AS_OF.year}.parquet"
    with console.status("evaluating M1.2b for every enterprise"):
        write_entitlement_results(pack, source, LADDER_AS_OF, ["M1.2b"], str(LADDER_AS_OF.year), results)
    demo_round(ctx.data_dir, results=results, measure_id="M1.2b", period=str(LADDER_AS_OF.year))

    # --- The service network (issue 6) ---------------------------------------------------------------------------
    from smeladder.cli.siting import show_network_demo

    console.print(Rule(f"The 3-km SME service circle and the next stations, as of {LADDER_AS_OF}"))
    with console.status("placing stations and solving the siting problem"):
        show_network_demo(ctx.data_dir, as_of=LADDER_AS_OF, new_stations=20)


def show_letter_demo(data_dir: Path) -> None:
    """The letter to one enterprise one condition short of the S&S rung: what every enterprise can be sent."""
    from smeladder.cli.common import NEXT_ACTIONS, context
    from smeladder.services import letters

    ctx = context(data_dir=data_dir, pack="shanghai")
    with console.status("finding the firms one condition from the S&S rung"):
        near = letters.near_rung(ctx, LADDER_AS_OF, "ss_sme", missing=1)
    console.print(
        Rule(f"{len(near.keys):,} enterprises are one condition from the S&S rung; the letter to the first")
    )
    if near.keys:
        code = near.keys[0]
        letter = letters.letter_of(ctx, code, LADDER_AS_OF, "en")
        print(letters.render(letter, "text", NEXT_ACTIONS))  # plain: no re-wrapping
        print(f"\nIn Chinese: smeladder explain {code} --as-of {LADDER_AS_OF}")
        print(
            f"All of them, a letter each: smeladder invite --as-of {LADDER_AS_OF} --missing 1 --out invite/"
        )
