"""`synth`, `import`, `export`, `show` (services/registry.py): the registry as a whole, and `show CODE` for one
enterprise (services/enterprises.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from smeladder.cli.common import DataDirOption, command, console, context, parse_day, progress_bar, yuan


def register(app: typer.Typer) -> None:
    command(app, "synth", "registry:Written", _written)(synth)
    command(app, "import", "registry:Imported", render_imported)(import_)
    command(app, "export", "registry:Written", _written)(export)
    command(app, "show", "registry:Shown", _shown)(show)


def parse_years(text: str) -> range:
    try:
        first, _, last = text.partition("-")
        start, end = int(first), int(last or first)
    except ValueError:
        raise typer.BadParameter(f"{text!r}: write years as 2021-2025 or 2025") from None
    if end < start:
        raise typer.BadParameter(f"{text!r}: the last year is before the first")
    return range(start, end + 1)


def _written(result) -> None:
    for path in result.files:
        console.print(f"wrote {path}")


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
):
    """Write a synthetic Shanghai registry, one file per table.

    The tables are enterprises, enterprise-years, titles, exclusions and applications; --dirty-rate gives a
    share of the rows the mistakes real uploads have, for import drills.

    Example: [bold]smeladder synth --enterprises 2000 --years 2021-2025 --seed 7 --out shanghai/[/]
    """
    from smeladder.services import registry

    span = parse_years(years)
    with progress_bar() as progress:
        return registry.synthesize(
            context(),
            out,
            enterprises=enterprises,
            years=span,
            seed=seed,
            dirty_rate=dirty_rate,
            fmt=fmt,
            progress=progress,
        )


def import_(
    paths: Annotated[list[Path], typer.Argument(help="CSV, Parquet or .xlsx files named after their table.")],
    quarantine: Annotated[
        bool, typer.Option("--quarantine", help="Import the good rows and keep the bad ones aside.")
    ] = False,
    table: Annotated[
        str | None, typer.Option("--table", help="Table the files feed, when their names do not say.")
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="Text encoding of CSV files (default: UTF-8 or GB18030/GBK, detected)."
        ),
    ] = None,
    data_dir: DataDirOption = None,
):
    """Validate files and import them into the registry; a file with errors is rejected whole.

    Headers may be the column names or their Chinese names (docs/data-format.md). Money written with more
    than two decimals is rounded half up to the fen, and each such value is listed as a warning.

    A rejection lists the errors (file, row, field, value, rule), saves them to a report and exits with 2;
    --quarantine imports the good rows instead and keeps the bad ones aside.

    Example: [bold]smeladder import shanghai/enterprise.parquet shanghai/enterprise_year.parquet shanghai/title.parquet --data-dir trial/[/]
    """
    from smeladder.services import registry

    with progress_bar() as progress:
        return registry.import_files(
            context(data_dir=data_dir),
            paths,
            quarantine=quarantine,
            table=table,
            encoding=encoding,
            progress=progress,
        )


def render_imported(result) -> None:
    console.print(f"import {result.import_id} into {result.registry}")
    render_files(result, with_files=True)
    if result.report:
        console.print(f"[yellow]{result.quarantined_errors} error(s) quarantined[/]; report: {result.report}")
    if result.warnings:
        total = sum(f.warnings for f in result.files)
        console.print(f"[yellow]{total:,} value(s) rounded to the fen[/]; report: {result.warnings_report}")
        for w in result.warnings[:5]:
            console.print(f"  {w.file} row {w.row}, {w.field} = {w.value}: {w.message}", highlight=False)


def render_files(result, *, with_files: bool = False) -> None:
    """One line per file imported: what it did to its table (and the file, when its name is not the
    table's)."""
    for f in result.files:
        quarantined = f", {f.quarantined:,} quarantined" if f.quarantined else ""
        source = f" from {f.file}" if with_files and Path(f.file).stem != f.table else ""
        if f.encoding and f.encoding != "utf-8-sig":
            source += f" (read as {f.encoding})"
        console.print(
            f"  {f.table:<16} {f.rows_read:>9,} rows read, {f.inserted:,} new, {f.updated:,} updated, "
            f"{f.unchanged:,} unchanged{quarantined}{source}",
            highlight=False,
        )


def export(
    out: Annotated[Path, typer.Option("--out", help="Directory to write one file per table into.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet, csv or xlsx.")] = "parquet",
    data_dir: DataDirOption = None,
):
    """Write the registry out, one file per table, in the layout `import` reads.

    Example: [bold]smeladder export --format csv --out for-district/[/]
    """
    from smeladder.services import registry

    return registry.export(context(data_dir=data_dir), out, fmt)


def show(
    credit_code: Annotated[
        str | None, typer.Argument(help="An enterprise's credit code: show it instead of the registry.")
    ] = None,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Date the titles' validity is read on (default: today).")
    ] = "",
    data_dir: DataDirOption = None,
):
    """Summarize the registry, or show one enterprise given its credit code.

    The summary: enterprises by district and track, latest-year figures, titles held, exclusions. One
    enterprise (`find` gives the codes): its registration, latest figures, titles with their validity and
    exclusions.

    Example: [bold]smeladder show[/]

    Example: [bold]smeladder show 91310101MA5U22Y9XJ[/]
    """
    from smeladder.services import registry

    return registry.show(context(data_dir=data_dir), credit_code, parse_day(as_of))


def _shown(result) -> None:
    if result.enterprise is not None:
        render_enterprise(result.enterprise)
    else:
        render_summary(result.summary)


def render_summary(summary) -> None:
    total = summary.enterprises or 1
    table = _table(
        f"Enterprises by district (figures for {summary.latest_year})",
        ("district", "enterprises", "share", "above size", "revenue 亿元", "R&D 亿元"),
    )
    for d in summary.districts:
        table.add_row(
            d.name_en,
            f"{d.enterprises:,}",
            f"{100 * d.enterprises / total:.1f}%",
            f"{d.above_designated_size:,}",
            _yi(d.operating_revenue),
            _yi(d.rd_expense),
        )
    console.print(table)
    table = _table("Enterprises by industrial track", ("track", "enterprises", "strategic emerging"))
    for t in summary.tracks:
        table.add_row(t.track, f"{t.enterprises:,}", f"{t.strategic_emerging:,}")
    console.print(table)
    table = _table(f"Titles valid on {summary.as_of}", ("title", "level", "enterprises"))
    for t in summary.titles:
        table.add_row(t.title, t.level, f"{t.enterprises:,}")
    console.print(table)
    table = _table(f"Exclusions (in force on {summary.as_of} / ever)", ("kind", "in force", "ever"))
    for e in summary.exclusions:
        table.add_row(e.kind, f"{e.in_force:,}", f"{e.ever:,}")
    console.print(table)


def render_enterprise(e) -> None:
    console.print(f"[bold]{e.name_zh}[/]" + (f"  {e.name_en}" if e.name_en else ""))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    listed = "listed" if e.listed else "not listed"
    emerging = ", strategic emerging" if e.strategic_emerging else ""
    for label, value in (
        ("credit code", e.credit_code),
        ("district", f"{e.district_zh} {e.district_en} ({e.district_adcode})"),
        ("address", e.address or "—"),
        ("founded", str(e.founded_on)),
        ("industry", f"{e.industry_code}, track {e.industrial_track}{emerging}"),
        ("size", f"{e.size_class}, {e.ownership}, {listed}"),
    ):
        facts.add_row(label, value)
    console.print(facts)
    if e.latest is not None:
        span = f"{e.years[0]}–{e.years[-1]}" if len(e.years) > 1 else str(e.years[0])
        figures = _table(f"Figures for {e.latest.fiscal_year} (years on record: {span})", ("", ""))
        figures.show_header = False
        from smeladder.services.enterprises import unit_of

        for name, value in e.latest:
            if name != "fiscal_year":
                figures.add_row(name.replace("_", " "), _figure(value, unit_of(type(e.latest), name)))
        console.print(figures)
    titles = _table(f"Titles (valid on {e.as_of})", ("title", "level", "from", "to", "valid"))
    for t in e.titles:
        rank = f" (rank {t.rank})" if t.rank else ""
        titles.add_row(t.title + rank, t.level, str(t.valid_from), str(t.valid_to or "—"), _yes(t.valid))
    console.print(titles if e.titles else "no titles on record")
    if e.exclusions:
        exclusions = _table(f"Exclusions (in force on {e.as_of})", ("kind", "from", "to", "in force"))
        for x in e.exclusions:
            exclusions.add_row(x.kind, str(x.start_on), str(x.end_on or "—"), _yes(x.in_force))
        console.print(exclusions)
    else:
        console.print("no exclusions on record")


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    return table


def _figure(value: Any, unit: str) -> str:
    from decimal import Decimal

    if value is None:
        return "—"
    if isinstance(value, bool):
        return _yes(value)
    if unit == "yuan":
        text = yuan(value)
    elif isinstance(value, Decimal):
        text = f"{value.normalize():f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    return f"{text} {unit}" if unit else text


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _yi(amount) -> str:
    """Yuan to 亿元 (100 million yuan), the unit district reports use."""
    return "—" if amount is None else f"{amount / 100_000_000:,.1f}"
