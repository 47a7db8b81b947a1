"""`explain`: one enterprise's letter, or the whole calculation with --trace. Kept as it was in cli/rules.py
until the letters move onto the service layer (issue 10, section 3)."""

from __future__ import annotations

from typing import Annotated

import typer

from smeladder.cli.common import (
    AsOfOption,
    BackendOption,
    DataDirOption,
    PackOption,
    SchemaOption,
    SetOption,
    UrlOption,
    context,
    fail,
    load_pack,
    parse_day,
    registry_source,
    split_names,
)

VariablesOption = Annotated[
    str | None, typer.Option("--variables", help="Comma-separated variables (default: all computed ones).")
]


def register(app: typer.Typer) -> None:
    app.command("explain")(explain_command)


def explain_command(
    credit_code: Annotated[str, typer.Argument(help="The entity key (unified social credit code).")],
    as_of: AsOfOption,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
    trace: Annotated[
        bool, typer.Option("--trace", help="The whole calculation tree instead of the letter.")
    ] = False,
    variables: VariablesOption = None,
    pack: PackOption = None,
    backend: BackendOption = "duckdb",
    url: UrlOption = None,
    schema: SchemaOption = None,
    overrides: SetOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Explain one enterprise as an officer's letter: what it receives, what it could apply for, and what it
    lacks (for a pack with a ladder: for the next rung), with margins and references; --trace for the whole tree.

    Example: [bold]smeladder explain 91310115MA1K4XXXXX --as-of 2026-05-01 --lang en[/]
    """
    from smeladder.ladder.letter import render_letter as ladder_letter
    from smeladder.ladder.readiness import has_ladder, readiness
    from smeladder.rules.errors import PackError
    from smeladder.rules.explain import explain
    from smeladder.rules.explain_letter import entity_name
    from smeladder.services.parameters import parse_overrides

    if lang not in ("zh", "en"):
        raise fail("--lang is zh or en")
    day = parse_day(as_of) or context().today()
    names, changes = split_names(variables), parse_overrides(overrides)
    policy = load_pack(pack)
    source = registry_source(policy, data_dir, backend, url, schema)
    try:
        if not (as_json or trace or names) and has_ladder(policy):
            # A pack with a ladder: the engine's letter composed with the ladder's readiness (docs/rules-engine.md).
            report = readiness(policy, source, credit_code, day, changes)
            print(ladder_letter(report, policy, lang))
            if not report.found:
                raise typer.Exit(2)
            return
        explanation = explain(policy, source, credit_code, day, names, changes)
        if as_json:
            print(explanation.to_json_text(lang))
        elif trace:
            print(explanation.text(lang))  # plain print: long lines must not be re-wrapped
        else:
            print(explanation.letter(lang, entity_name(policy, source, credit_code)))
    except PackError as exc:
        raise fail(str(exc)) from None
    if not explanation.found:
        raise typer.Exit(2)
