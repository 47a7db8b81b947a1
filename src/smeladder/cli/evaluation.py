"""`evaluate` (services/evaluation.py): the pack over the whole registry, as one query, into a results file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smeladder.cli.common import (
    AsOfOption,
    BackendOption,
    DataDirOption,
    FormatOption,
    PackOption,
    SchemaOption,
    SetOption,
    UrlOption,
    command,
    console,
    context,
    parse_day,
    split_names,
)

VariablesOption = Annotated[
    str | None,
    typer.Option(
        "--variables", help="Comma-separated variables (default: all computed ones; see `variables`)."
    ),
]


def register(app: typer.Typer) -> None:
    command(app, "evaluate", "evaluation:Evaluation", _evaluated)(evaluate)


def evaluate(
    as_of: AsOfOption,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Results file: .parquet (with the run id, rule version and inputs manifest), .csv, .xlsx "
            "or .json.",
        ),
    ],
    fmt: FormatOption = None,
    backend: BackendOption = "duckdb",
    variables: VariablesOption = None,
    pack: PackOption = None,
    url: UrlOption = None,
    schema: SchemaOption = None,
    overrides: SetOption = None,
    data_dir: DataDirOption = None,
):
    """Evaluate a policy pack over the whole registry, as one query, and write the results.

    One row per enterprise; the file's suffix says its format. On PostgreSQL: --backend postgres --url
    postgresql://user@host/db; on a Spark cluster: --backend spark --url spark://host:7077.

    Example: [bold]smeladder evaluate --as-of 2026-05-01 --variables m1_2b_paid,ss_sme_eligible --out results.xlsx[/]

    Example: [bold]smeladder evaluate --as-of 2026-05-01 --backend duckdb --out results.parquet[/]
    """
    from smeladder.services import evaluation, parameters

    ctx = context(data_dir=data_dir, pack=pack, backend=backend, url=url, schema=schema)
    return evaluation.evaluate(
        ctx,
        parse_day(as_of),
        out,
        fmt=fmt,
        variables=split_names(variables),
        overrides=parameters.parse_overrides(overrides),
    )


def _evaluated(run) -> None:
    console.print(
        f"run [bold]{run.run_id}[/]: {run.rows:,} {run.entity_table} rows, {len(run.variables)} variables, "
        f"rule version {run.rule_version}, inputs {run.snapshot_id} → {run.out} ({run.format})"
    )
    if run.unconfirmed_parameters:
        console.print(f"[yellow]unconfirmed parameters used:[/] {', '.join(run.unconfirmed_parameters)}")
