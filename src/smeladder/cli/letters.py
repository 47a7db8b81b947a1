"""`explain` and `readiness` (services/letters.py): an enterprise's letter, its whole calculation, its place on
the ladder."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated

import typer

from smeladder.cli.common import (
    NEXT_ACTIONS,
    BackendOption,
    DataDirOption,
    LangOption,
    PackOption,
    SchemaOption,
    SetOption,
    UrlOption,
    command,
    context,
    parse_day,
    parse_lang,
)

LetterFormatOption = Annotated[
    str, typer.Option("--format", help="How to print the letter: text, markdown or html.")
]
VariablesOption = Annotated[
    str | None, typer.Option("--variables", help="Comma-separated variables to explain (implies --trace).")
]
DayOption = Annotated[str, typer.Option("--as-of", help="Date, YYYY-MM-DD (default: today in Shanghai).")]

# The --format of the command being run, for its renderer (the result itself stays the same document).
_FORMAT: ContextVar[str] = ContextVar("letter_format", default="text")


def register(app: typer.Typer) -> None:
    command(app, "explain", "letters:Explained", _show_explained)(explain_command)
    command(app, "readiness", "letters:ReadinessView", _show_readiness)(readiness_command)


def _print_letter(letter) -> None:
    from smeladder.services.letters import render

    # plain print: long lines must not be re-wrapped
    print(render(letter, _FORMAT.get(), NEXT_ACTIONS))


def _show_explained(result) -> None:
    from smeladder.services.letters import trace_text

    if result.trace is not None:
        print(trace_text(result))
    else:
        _print_letter(result.letter)


def _show_readiness(result) -> None:
    _print_letter(result.letter)


def _format(text: str) -> str:
    if text not in ("text", "markdown", "html"):
        raise typer.BadParameter(f"{text!r}: choose text, markdown or html", param_hint="--format")
    _FORMAT.set(text)
    return text


def explain_command(
    credit_code: Annotated[str, typer.Argument(help="The entity key (unified social credit code).")],
    as_of: DayOption = "",
    lang: LangOption = "zh",
    trace: Annotated[
        bool,
        typer.Option("--trace", help="The whole calculation, formula by formula, instead of the letter."),
    ] = False,
    fmt: LetterFormatOption = "text",
    variables: VariablesOption = None,
    pack: PackOption = None,
    backend: BackendOption = "duckdb",
    url: UrlOption = None,
    schema: SchemaOption = None,
    overrides: SetOption = None,
    data_dir: DataDirOption = None,
):
    """Explain one enterprise as an officer's letter: what it receives, what it could apply for, and what it
    lacks (for a pack with a ladder: for the next rung), with margins and references; --trace for the whole
    calculation. --json prints the letter as a document (with --trace, the calculation as nodes).

    Example: [bold]smeladder explain 91310104MA49L61MX9 --as-of 2026-05-01 --lang en[/]

    Example: [bold]smeladder explain 91310104MA49L61MX9 --as-of 2026-05-01 --trace --variables ss_sme_eligible[/]
    """
    from smeladder.services import letters

    _format(fmt)
    ctx = context(data_dir=data_dir, pack=pack, backend=backend, url=url, schema=schema)
    names = [n.strip() for n in variables.split(",") if n.strip()] if variables else None
    return letters.explain(
        ctx,
        credit_code,
        parse_day(as_of),
        parse_lang(lang),
        trace=trace or bool(names),
        variables=names,
        overrides=overrides,
    )


def readiness_command(
    credit_code: Annotated[str, typer.Argument(help="The enterprise's unified social credit code.")],
    as_of: DayOption = "",
    lang: LangOption = "zh",
    fmt: LetterFormatOption = "text",
    pack: PackOption = None,
    data_dir: DataDirOption = None,
):
    """What an enterprise holds, what it receives this round, and what it lacks for the next rung, as a letter;
    --json prints where it stands (titles, needs, support) with the letter as a document.

    Example: [bold]smeladder readiness 91310104MA49L61MX9 --as-of 2026-05-01 --lang en --format markdown[/]
    """
    from smeladder.services import letters

    _format(fmt)
    return letters.readiness(
        context(data_dir=data_dir, pack=pack), credit_code, parse_day(as_of), parse_lang(lang)
    )
