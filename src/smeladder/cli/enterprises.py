"""`find` (services/enterprises.py): enterprises by name, district, title and track, for the credit codes the
other commands take. One enterprise in full: `show CODE` (cli/registry.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from smeladder.cli.common import DataDirOption, command, console, context, parse_day


def register(app: typer.Typer) -> None:
    command(app, "find", "enterprises:EnterprisePage", _found)(find)


def find(
    text: Annotated[
        str | None,
        typer.Argument(
            help="Words of the name, Chinese or English, any part and case, or of the credit code."
        ),
    ] = None,
    district: Annotated[
        str | None, typer.Option("--district", help="District: its name (闵行, Minhang) or code (310112).")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Holding this title on the as-of date, e.g. ss_sme.")
    ] = None,
    track: Annotated[
        str | None, typer.Option("--track", help="Industrial track, e.g. integrated_circuit.")
    ] = None,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Date titles are valid on, YYYY-MM-DD (default: today).")
    ] = "",
    after: Annotated[
        str | None, typer.Option("--after", help="Start after this credit code (the next page).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Enterprises per page, at most 1000.")] = 50,
    data_dir: DataDirOption = None,
):
    """Find enterprises by name, district, title or track, for their credit codes.

    The name matches any part, Chinese or English, in any case; the list is in credit-code order, a page at a
    time (--after for the next). `show CODE` shows one of them in full.

    Example: [bold]smeladder find 生物医药 --district 闵行 --limit 5[/]

    Example: [bold]smeladder find biopharma --title ss_sme[/]
    """
    from smeladder.services import enterprises

    return enterprises.search(
        context(data_dir=data_dir),
        text,
        district=district,
        title=title,
        track=track,
        after=after,
        limit=limit,
        as_of=parse_day(as_of),
    )


def _found(page) -> None:
    table = Table()
    table.add_column("credit code", no_wrap=True, min_width=18)
    table.add_column("name", overflow="fold", width=26)  # 13 Chinese characters a line, never cut
    table.add_column("district", ratio=1)
    table.add_column("titles held", overflow="fold", ratio=2)
    for e in page.enterprises:
        name = e.name_zh + (f"\n[dim]{e.name_en}[/]" if e.name_en else "")
        table.add_row(e.credit_code, name, e.district_en, ", ".join(e.titles) or "—")
    if page.enterprises:
        console.print(table)
    shown = f"{len(page.enterprises):,} of {page.matched:,} enterprises"
    if page.next_after:
        console.print(f"{shown}; the next page: --after {page.next_after}")
    else:
        console.print(f"{shown} found" if page.enterprises else "no enterprise matches")
