"""`parameters` and `variables` (services/parameters.py): the pack's names, with their labels, units, dates
in force and legal references, as `--set`, `--variables` and `--measures` take them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from smeladder.cli.common import PackOption, command, console, context

MatchArgument = Annotated[
    str | None,
    typer.Argument(help="Only names starting with this, or of this measure or tier (M1.2b, ss_sme)."),
]


def register(app: typer.Typer) -> None:
    command(app, "parameters", "parameters:Parameters", _parameters)(parameters)
    command(app, "variables", "parameters:Variables", _variables)(variables)


def parameters(match: MatchArgument = None, pack: PackOption = None):
    """List the pack's parameters: dated values, units, references, whether confirmed.

    Each value with the dates it is in force, the legal reference and whether it is confirmed against the
    text; a parameter's path is what `--set path=value` changes.

    Example: [bold]smeladder parameters M1.2b[/]
    """
    from smeladder.services import parameters as service

    return service.parameters(context(pack=pack), match)


def _parameters(result) -> None:
    for p in result.parameters:
        unit = f" ({escape(p.unit)})" if p.unit else ""
        console.print(f"[bold]{p.path}[/]  {escape(p.description)}{unit}", highlight=False)
        for v in p.values:
            dates = f"{v.start} – {v.end or '…'}"
            value = "repealed" if v.value is None else escape(v.value)
            flag = "" if v.confirmed else "  [yellow]unconfirmed[/]"
            console.print(f"  {dates:<25} {value}{flag}", highlight=False)
            if v.reference:
                console.print(f"  [dim]{escape(v.reference)}[/]", highlight=False)
    console.print(f"{len(result.parameters)} parameters of pack {result.pack}")


def variables(match: MatchArgument = None, pack: PackOption = None):
    """List the pack's variables: labels, types and units, periods, dates in force, references.

    A variable's name is what `--variables` takes; the benefits (money measures) are what `whatif
    --measures` takes.

    Example: [bold]smeladder variables M1.2b[/]
    """
    from smeladder.services import parameters as service

    return service.variables(context(pack=pack), match)


def _variables(result) -> None:
    for v in result.variables:
        kind = v.type + (f" ({v.unit})" if v.unit else "")
        benefit = ", benefit" if v.benefit else ""
        console.print(f"[bold]{v.name}[/]  {v.kind}, {escape(kind)}, {v.period}{benefit}", highlight=False)
        console.print(f"  {escape(v.label)} / {escape(v.label_zh)}", highlight=False)
        details = []
        if v.source:
            details.append(f"reads {v.source}")
        if v.formulas and (len(v.formulas) > 1 or v.formulas[0].start):
            details.append("formulas " + ", ".join(f"{f.start or '…'} – {f.end or '…'}" for f in v.formulas))
        if details:
            console.print(f"  [dim]{escape('; '.join(details))}[/]", highlight=False)
        if v.reference:
            console.print(f"  [dim]{escape(v.reference)}[/]", highlight=False)
    console.print(f"{len(result.variables)} variables of pack {result.pack}")
