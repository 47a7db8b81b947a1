"""`whatif` (services/whatif.py): change parameters and see who gains, who loses and what it costs."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from smeladder.cli.common import (
    AsOfOption,
    BackendOption,
    DataDirOption,
    FormatOption,
    OutOption,
    PackOption,
    SchemaOption,
    SetOption,
    UrlOption,
    command,
    console,
    context,
    parse_day,
    split_names,
    yuan,
)

SHOWN = 5  # the biggest gains and losses the terminal lists; --out writes every one


def register(app: typer.Typer) -> None:
    command(app, "whatif", "whatif:WhatIf", _render)(whatif)


def whatif(
    as_of: AsOfOption,
    overrides: SetOption = None,
    measures: Annotated[
        str | None,
        typer.Option(
            "--measures", help="Comma-separated money measures (default: every benefit of the pack)."
        ),
    ] = None,
    by_district: Annotated[bool, typer.Option("--by-district/--totals", help="Show each district.")] = True,
    out: OutOption = None,
    fmt: FormatOption = None,
    pack: PackOption = None,
    backend: BackendOption = "duckdb",
    url: UrlOption = None,
    schema: SchemaOption = None,
    data_dir: DataDirOption = None,
):
    """Override parameters and report who gains, who loses and what it costs.

    Beneficiaries gained and lost and the cost difference by measure and district, and the enterprises
    that gain or lose; --out writes every one of them (credit code, name, district, measure, before, after).
    `parameters` lists what --set can change.

    Example: [bold]smeladder whatif --as-of 2026-05-01 --set M1.2b.cap=500000 --out whatif.xlsx[/]

    Example: [bold]smeladder whatif --as-of 2026-05-01 --set M1.2b.cap=300000 --measures m1_2b_paid --totals[/]
    """
    from smeladder.services import parameters
    from smeladder.services import whatif as service

    ctx = context(data_dir=data_dir, pack=pack, backend=backend, url=url, schema=schema)
    result = service.whatif(
        ctx,
        parse_day(as_of),
        parameters.parse_overrides(overrides),
        split_names(measures),
        out=out,
        fmt=fmt,
    )
    return result if by_district else result.model_copy(update={"measures": _totals(result)})


def _totals(result):
    return [row for row in result.measures if row.district == "*"]


def _table(title: str, first: str, rows, label, *, cost_after: bool) -> Table:
    """Beneficiaries before and after, gained, lost, and the cost; numbers are never cut, the first column
    folds instead (at 80 columns the measures' table leaves out the cost after, which --json has)."""
    table = Table(title=f"{title} (yuan)", title_justify="left")
    table.add_column(first, overflow="fold")
    columns = ("before", "after", "gained", "lost", *(("cost after",) if cost_after else ()), "difference")
    for column in columns:
        table.add_column(column, justify="right", no_wrap=True)
    for row in rows:
        costs = (yuan(row.cost_after),) if cost_after else ()
        table.add_row(
            label(row),
            f"{row.beneficiaries_before:,}",
            f"{row.beneficiaries_after:,}",
            f"{row.gained:,}",
            f"{row.lost:,}",
            *costs,
            f"{row.cost_difference:+,.2f}",
        )
    return table


def _render(result) -> None:
    changes = ", ".join(f"{k}={v}" for k, v in result.overrides.items())
    totals = [row for row in result.measures if row.district == "*"]
    title = f"What-if as of {result.as_of}: {changes}"
    console.print(_table(title, "measure", totals, lambda r: r.measure, cost_after=False))
    moved = {r.measure for r in totals if r.gained or r.lost or r.cost_difference}
    for measure in sorted(moved):
        rows = [r for r in result.measures if r.measure == measure and r.district != "*"]
        if rows:
            title = f"{measure} by district"
            console.print(_table(title, "district", rows, lambda r: r.district_name, cost_after=True))
    console.print(f"{result.gainers:,} enterprises gain, {result.losers:,} lose")
    gains = [c for c in result.enterprises if c.difference > 0]
    losses = [c for c in result.enterprises if c.difference < 0]
    picked = (
        sorted(gains, key=lambda c: -c.difference)[:SHOWN]
        + sorted(losses, key=lambda c: c.difference)[:SHOWN]
    )
    if picked:
        who = Table(title="The biggest gains and losses (yuan)", title_justify="left")
        who.add_column("credit code", no_wrap=True, min_width=18)
        who.add_column("name", overflow="fold")
        for column in ("district", "measure"):
            who.add_column(column, overflow="fold")
        who.add_column("difference", justify="right", no_wrap=True)
        for c in picked:
            who.add_row(c.credit_code, c.name or "", c.district_name, c.measure, f"{c.difference:+,.2f}")
        console.print(who)
    if result.out is not None:
        console.print(f"every enterprise that gains or loses: {result.out} ({result.format})")
    if result.unconfirmed_parameters:
        console.print(f"[yellow]unconfirmed parameters used:[/] {', '.join(result.unconfirmed_parameters)}")
