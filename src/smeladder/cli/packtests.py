"""`test` (services/packtests.py): the pack's YAML tests, inputs → expected outputs."""

from __future__ import annotations

from typing import Annotated

import typer

from smeladder.cli.common import command, console, context


def register(app: typer.Typer) -> None:
    command(app, "test", "packtests:PackTests", _render, failed=lambda result: not result.ok)(test_command)


def test_command(
    pack: Annotated[str | None, typer.Argument(help="Pack directory or built-in name.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of failure explanations: zh or en.")] = "en",
    match: Annotated[str | None, typer.Option("-k", help="Only cases whose id contains this text.")] = None,
):
    """Run a pack's YAML tests (inputs → expected outputs); a failure shows the explanation.

    A case's id is its file, number and name (M1.2b:1:...), so -k M1.2b: runs one measure's cases.

    Example: [bold]smeladder test -k M1.2b:[/]
    """
    from smeladder.services import packtests

    return packtests.run(context(pack=pack), match, lang)


def _render(result) -> None:
    for case in result.cases:
        if case.passed:
            console.print(f"[green]ok[/]   {case.id}", highlight=False)
        else:
            console.print(f"[red]FAIL[/] {case.id}", highlight=False)
            console.print("\n".join(case.failures), markup=False, highlight=False)
    console.print(f"{result.passed} passed, {result.failed} failed")
