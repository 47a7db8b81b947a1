"""`smeladder demo`: the README's main job on the embedded default.

It builds a synthetic Shanghai registry, imports it through the same validation an officer's files go through,
and shows what is in it. Later stages of the platform add their part of the story here, in order.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule

from smeladder.cli.common import DataDirOption, console
from smeladder.cli.registry import render
from smeladder.registry import files, summary
from smeladder.registry.store import RegistryStore
from smeladder.registry.synth import synthesize

DEMO_YEARS = range(2021, 2026)


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
    store = RegistryStore(data_dir)
    console.print(Rule("1. A synthetic Shanghai registry"))
    with console.status(f"synthesizing {enterprises:,} enterprises, {DEMO_YEARS[0]}–{DEMO_YEARS[-1]}"):
        tables = synthesize(enterprises, DEMO_YEARS, seed)
    with tempfile.TemporaryDirectory() as tmp, console.status("importing with validation"):
        written = files.write_tables(tables, Path(tmp), "parquet")
        outcome = store.import_files(written)
    for f in outcome.files:
        console.print(
            f"  {f.table:<16} {f.rows_read:>9,} rows read, {f.inserted:,} new, {f.updated:,} updated, "
            f"{f.unchanged:,} unchanged"
        )
    console.print(f"  registry: {store.path}")
    con = store.connect(read_only=True)
    try:
        for part in summary.registry_summaries(con):
            console.print(render(part))
    finally:
        con.close()
