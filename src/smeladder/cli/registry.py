"""Registry commands: `synth`, `import`, `export`, `show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table as RichTable

from smeladder.cli.common import DataDirOption, console, err_console, fail
from smeladder.registry import files, summary
from smeladder.registry.store import ImportRejected, RegistryStore
from smeladder.registry.synth import synthesize


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)
    app.command("import")(import_)
    app.command("export")(export)
    app.command("show")(show)


def parse_years(text: str) -> range:
    try:
        first, _, last = text.partition("-")
        start, end = int(first), int(last or first)
    except ValueError:
        raise typer.BadParameter(f"{text!r}: write years as 2021-2025 or 2025") from None
    if end < start:
        raise typer.BadParameter(f"{text!r}: the last year is before the first")
    return range(start, end + 1)


def synth(
    out: Annotated[Path, typer.Option("--out", help="Directory to write one file per table into.")],
    enterprises: Annotated[
        int, typer.Option("--enterprises", "-n", min=1, help="Number of enterprises.")
    ] = 10_000,
    years: Annotated[str, typer.Option("--years", help="Fiscal years, e.g. 2021-2025.")] = "2021-2025",
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; a seed always gives the same registry.")
    ] = 1,
    dirty_rate: Annotated[
        float, typer.Option("--dirty-rate", min=0.0, max=0.5, help="Share of rows given a realistic mistake.")
    ] = 0.0,
    fmt: Annotated[str, typer.Option("--format", help="parquet, csv or xlsx.")] = "parquet",
) -> None:
    """Write a synthetic Shanghai registry (enterprises, enterprise-years, titles, exclusions).

    Example: [bold]smeladder synth --enterprises 400000 --years 2021-2025 --seed 7 --out shanghai/[/]
    """
    if fmt not in files.FORMATS:
        raise fail(f"--format must be one of {', '.join(files.FORMATS)}")
    with _spinner() as progress:
        progress.add_task(f"synthesizing {enterprises:,} enterprises", total=None)
        tables = synthesize(enterprises, parse_years(years), seed, dirty_rate)
        try:
            written = files.write_tables(tables, out, fmt)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    for path in written:
        console.print(f"wrote {path}")


def import_(
    paths: Annotated[list[Path], typer.Argument(help="CSV, Parquet or .xlsx files named after their table.")],
    quarantine: Annotated[
        bool, typer.Option("--quarantine", help="Import the good rows and keep the bad ones aside.")
    ] = False,
    table: Annotated[
        str | None, typer.Option("--table", help="Table the files feed, when their names do not say.")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Validate files and import them into the registry; a file with errors is rejected whole.

    Example: [bold]smeladder import shanghai/enterprise.parquet shanghai/enterprise_year.xlsx[/]
    """
    store = RegistryStore(data_dir)
    try:
        with _bar() as progress:
            # Three steps per file: read, validate, write.
            task = progress.add_task("importing", total=3 * len(paths))
            outcome = store.import_files(
                paths,
                quarantine=quarantine,
                table=table,
                progress=lambda step: progress.update(task, description=step, advance=1),
            )
    except files.UnreadableFile as exc:
        raise fail(str(exc)) from exc
    except ImportRejected as exc:
        _print_errors(exc.errors)
        err_console.print(f"[bold red]rejected:[/] {exc}. Error report: {exc.report}")
        err_console.print("Fix the rows and import again, or use --quarantine to import the good rows.")
        raise typer.Exit(1) from exc
    result = RichTable(title=f"import {outcome.import_id}")
    for column in ("file", "table", "rows read", "inserted", "updated", "unchanged", "quarantined"):
        result.add_column(column, justify="left" if column in ("file", "table") else "right")
    for f in outcome.files:
        result.add_row(
            f.file,
            f.table,
            *(f"{v:,}" for v in (f.rows_read, f.inserted, f.updated, f.unchanged, f.quarantined)),
        )
    console.print(result)
    if outcome.report:
        console.print(f"[yellow]{outcome.errors.num_rows} error(s) quarantined[/]; report: {outcome.report}")


def export(
    out: Annotated[Path, typer.Option("--out", help="Directory to write one file per table into.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet, csv or xlsx.")] = "parquet",
    data_dir: DataDirOption = None,
) -> None:
    """Write the registry out, one file per table, in the layout `import` reads.

    Example: [bold]smeladder export --format xlsx --out for-district/[/]
    """
    try:
        written = RegistryStore(data_dir).export(out, fmt)
    except (ValueError, FileNotFoundError) as exc:
        raise fail(str(exc)) from exc
    for path in written:
        console.print(f"wrote {path}")


def show(data_dir: DataDirOption = None) -> None:
    """Summarize the registry: enterprises by district, latest-year figures, titles held, exclusions.

    Example: [bold]smeladder show --data-dir demo-data[/]
    """
    try:
        con = RegistryStore(data_dir).connect(read_only=True)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from exc
    try:
        for part in summary.registry_summaries(con):
            console.print(render(part))
    finally:
        con.close()


def render(part: summary.Summary) -> RichTable:
    table = RichTable(title=part.title, title_justify="left")
    for index, column in enumerate(part.columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    for row in part.rows:
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row))
    return table


def _print_errors(errors, limit: int = 20) -> None:
    table = RichTable(title=f"first {min(limit, errors.num_rows)} of {errors.num_rows} errors")
    for column in errors.column_names:
        table.add_column(column)
    for row in errors.slice(0, limit).to_pylist():
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    err_console.print(table)


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description:<32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
    )


def _spinner() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err_console
    )
