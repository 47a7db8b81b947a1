"""Rules engine commands: `evaluate`, `whatif`, `test` (`explain` is cli/letters.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from smeladder.cli.common import DataDirOption, PackOption, console, fail, load_pack, registry_source
from smeladder.rules.backends import BACKENDS
from smeladder.rules.errors import PackError
from smeladder.rules.yamlio import loads_yaml

AsOfOption = Annotated[str, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD.")]
BackendOption = Annotated[str, typer.Option("--backend", help=f"Analytic backend: {', '.join(BACKENDS)}.")]
UrlOption = Annotated[
    str | None,
    typer.Option("--url", help="postgres: postgresql://user@host/db; spark: master URL (default local[*])."),
]
SchemaOption = Annotated[
    str | None, typer.Option("--schema", help="PostgreSQL schema holding the registry tables.")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set", help="Override a parameter: path=value, or path@YYYY-MM-DD=value from a date. Repeatable."
    ),
]
VariablesOption = Annotated[
    str | None, typer.Option("--variables", help="Comma-separated variables (default: all computed ones).")
]


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
    app.command("whatif")(whatif_command)
    app.command("test")(test_command)


def evaluate_command(
    as_of: AsOfOption,
    out: Annotated[
        Path, typer.Option("--out", help="Results file (Parquet) with run id, rule version, inputs.")
    ],
    backend: BackendOption = "duckdb",
    variables: VariablesOption = None,
    pack: PackOption = None,
    url: UrlOption = None,
    schema: SchemaOption = None,
    overrides: SetOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Evaluate a policy pack over the whole registry, as one query, and write the results.

    Example: [bold]smeladder evaluate --as-of 2026-05-01 --backend duckdb --variables voucher_paid --out results.parquet[/]
    """
    from smeladder.rules.evaluate import evaluate_to_parquet

    policy = load_pack(pack)
    source = registry_source(policy, data_dir, backend, url, schema)
    names = _names(variables)
    try:
        manifest = evaluate_to_parquet(policy, source, _date(as_of), out, names, _overrides(overrides))
    except PackError as exc:
        raise fail(str(exc)) from None
    console.print(
        f"run [bold]{manifest['run_id']}[/]: {manifest['rows']} {policy.entity_table} rows, "
        f"{len(manifest['variables'])} variables, rule version {manifest['rule_version']}, "
        f"inputs {manifest['snapshot_id']} → {out}"
    )
    if manifest["unconfirmed_parameters"]:
        console.print(
            f"[yellow]unconfirmed parameters used:[/] {', '.join(manifest['unconfirmed_parameters'])}"
        )


def whatif_command(
    as_of: AsOfOption,
    overrides: SetOption = None,
    measures: Annotated[
        str | None, typer.Option("--measures", help="Comma-separated benefit variables.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
    by_district: Annotated[bool, typer.Option("--by-district/--totals", help="Show each district.")] = True,
    pack: PackOption = None,
    backend: BackendOption = "duckdb",
    url: UrlOption = None,
    schema: SchemaOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Override parameters and report beneficiaries gained and lost and the cost difference, by measure and district.

    Example: [bold]smeladder whatif --as-of 2026-05-01 --set voucher.cap=600000 --set voucher.rate=0.15[/]
    """
    from smeladder.rules.whatif import ALL_DISTRICTS, whatif

    changes = _overrides(overrides)
    if not changes:
        raise fail("give at least one --set path=value")
    policy = load_pack(pack)
    source = registry_source(policy, data_dir, backend, url, schema)
    try:
        report = whatif(policy, source, _date(as_of), changes, _names(measures))
    except PackError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print(report.to_json_text())
        return
    title = f"What-if as of {as_of}: " + ", ".join(f"{k}={v}" for k, v in changes.items()) + " (yuan)"
    table = RichTable(title=title)
    headers = (
        "measure",
        "district",
        "before",
        "after",
        "gained",
        "lost",
        "cost before",
        "cost after",
        "difference",
    )
    widest = max(len(row.measure) for row in report.rows)
    for column in headers:
        if column == "measure":
            table.add_column(column, no_wrap=True, min_width=widest)
        else:
            table.add_column(column, justify="left" if column == "district" else "right", overflow="fold")
    for row in report.rows:
        if row.district != ALL_DISTRICTS and not by_district:
            continue
        table.add_row(
            row.measure,
            "all" if row.district == ALL_DISTRICTS else row.district,
            str(row.beneficiaries_before),
            str(row.beneficiaries_after),
            str(row.gained),
            str(row.lost),
            f"{row.cost_before:,}",
            f"{row.cost_after:,}",
            f"{row.cost_difference:+,}",
        )
    console.print(table)
    if report.unconfirmed_parameters:
        console.print(f"[yellow]unconfirmed parameters used:[/] {', '.join(report.unconfirmed_parameters)}")


def test_command(
    pack: Annotated[str | None, typer.Argument(help="Pack directory or built-in name.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of failure explanations: zh or en.")] = "en",
    match: Annotated[str | None, typer.Option("-k", help="Only cases whose id contains this text.")] = None,
) -> None:
    """Run a pack's YAML tests (inputs → expected outputs); a failure shows the explanation.

    Example: [bold]smeladder test tests/rules/toy_pack -k voucher[/]
    """
    from smeladder.rules.yamltests import collect

    policy = load_pack(pack)
    cases = [c for c in collect(policy) if not match or match in c.id]
    failed = 0
    for case in cases:
        try:
            failures = case.run(lang)
        except PackError as exc:
            failures = [str(exc)]
        if failures:
            failed += 1
            console.print(f"[red]FAIL[/] {case.id}")
            console.print("\n".join(failures), markup=False, highlight=False)
        else:
            console.print(f"[green]ok[/]   {case.id}")
    console.print(f"{len(cases) - failed} passed, {failed} failed")
    if failed or not cases:
        raise typer.Exit(1)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"--as-of {text!r} is not a date (YYYY-MM-DD)") from None


def _names(text: str | None) -> list[str] | None:
    return [n.strip() for n in text.split(",") if n.strip()] if text else None


def _overrides(items: list[str] | None) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for item in items or []:
        path, sep, raw = item.partition("=")
        if not sep:
            raise fail(f"--set {item!r}: write path=value")
        parsed[path.strip()] = loads_yaml(raw)
    return parsed
