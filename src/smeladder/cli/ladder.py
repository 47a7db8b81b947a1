"""`funnel`, `invite` (services/ladder.py) and `guide` (services/guide.py): the ladder over the whole registry,
the firms to invite with a letter each, and the plain-language guide. `readiness` is cli/letters.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from smeladder.cli.common import (
    NEXT_ACTIONS,
    DataDirOption,
    LangOption,
    PackOption,
    command,
    console,
    context,
    parse_day,
    parse_lang,
    progress_bar,
)

DayOption = Annotated[str, typer.Option("--as-of", help="Date, YYYY-MM-DD (default: today in Shanghai).")]
TableFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="csv or json on stdout; with --out also xlsx (default: a table, or what the --out suffix says).",
        show_default=False,
    ),
]
SHOWN = 50  # invitations the terminal lists; --out or --format writes every one
BUDGET_NOTE = (
    "* yearly budgets are placeholders until the fund's officer sets them (parameters/<measure>/budget.yaml)"
)


def register(app: typer.Typer) -> None:
    command(app, "funnel", "ladder:Funnel", show_funnel)(funnel_command)
    command(app, "invite", "ladder:Invitations", _show_invitations)(invite_command)
    command(app, "guide", "guide:Guide", _show_guide)(guide_command)


def funnel_command(
    as_of: DayOption = "",
    lang: LangOption = "zh",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the funnel to this file: .csv, .xlsx or .json.", show_default=False
        ),
    ] = None,
    fmt: TableFormatOption = None,
    pack: PackOption = None,
    data_dir: DataDirOption = None,
):
    """The ladder funnel (holders, enterprises meeting each rung's criteria) and beneficiaries and cost per
    money measure, for the whole registry.

    Example: [bold]smeladder funnel --as-of 2026-05-01 --lang en[/]

    Example: [bold]smeladder funnel --as-of 2026-05-01 --out funnel.xlsx[/]
    """
    from smeladder.services import ladder

    ctx = context(data_dir=data_dir, pack=pack)
    return ladder.funnel(ctx, parse_day(as_of), parse_lang(lang), out=out, fmt=fmt)


def invite_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="A directory for invitations.csv and the letters, or the listing's file (.csv, .xlsx, .json) "
            "with the letters beside it (default: list them here).",
            show_default=False,
        ),
    ] = None,
    as_of: DayOption = "",
    rung: Annotated[
        str | None,
        typer.Option("--rung", help="Only this rung (an id of the pack's ladder, e.g. ss_sme)."),
    ] = None,
    district: Annotated[
        str | None, typer.Option("--district", help="Only this district: adcode or name (闵行, Minhang).")
    ] = None,
    missing: Annotated[
        int,
        typer.Option(
            "--missing",
            min=0,
            help="Also the firms lacking at most this many of a rung's conditions (the rungs above the first).",
        ),
    ] = 0,
    letters: Annotated[
        bool,
        typer.Option(
            "--letters/--no-letters", help="With --out, write one letter per enterprise (letters/CODE.txt)."
        ),
    ] = True,
    fmt: TableFormatOption = None,
    lang: LangOption = "zh",
    pack: PackOption = None,
    data_dir: DataDirOption = None,
):
    """The enterprises that meet a rung's criteria but do not hold its title: the firms to invite to apply,
    as a list and a letter each, saying what they meet and what else they could receive. With --missing N,
    also the firms N conditions or fewer from a rung, and which conditions they lack.

    Example: [bold]smeladder invite --as-of 2026-05-01 --district 闵行 --rung ss_sme --missing 1 --out invitations/[/]

    Example: [bold]smeladder invite --as-of 2026-05-01 --rung little_giant --lang en --no-letters --out little-giants.xlsx[/]
    """
    from smeladder.services import ladder

    ctx = context(data_dir=data_dir, pack=pack)
    with progress_bar() as progress:
        return ladder.invite(
            ctx,
            parse_day(as_of),
            parse_lang(lang),
            rung=rung,
            district=district,
            missing=missing,
            out=out,
            fmt=fmt,
            letters=letters,
            actions=NEXT_ACTIONS,
            progress=progress,
        )


def guide_command(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write guide.zh.md, guide.en.md and guide.json here.", show_default=False),
    ] = None,
    lang: LangOption = "zh",
    as_of: Annotated[
        str, typer.Option("--as-of", help="Figures in force on this date (default: today in Shanghai).")
    ] = "",
    pack: PackOption = None,
):
    """The plain-language guide to the Several Measures (who qualifies, how much, how, what to prepare).

    Example: [bold]smeladder guide --lang en[/]

    Example: [bold]smeladder guide --out guide --as-of 2026-05-01[/]
    """
    from smeladder.services import guide

    return guide.guide(context(pack=pack), parse_day(as_of), parse_lang(lang), out=out)


def show_funnel(result, title: str | None = None) -> None:
    """The funnel's two tables, or with --format its file's text on stdout (`demo` shows it too)."""
    from smeladder.services import exports, ladder

    if result.format is not None and result.out is None:
        _echo(exports.text(ladder.funnel_rows(result), result.format))
        return
    # Numbers are never cut; names fold. At 80 columns the headers are short: the funnel's columns are
    # "title holders", "meeting the criteria", "of those, without the title yet".
    ladder_table = Table(title=f"{title or 'Ladder'} as of {result.as_of}", title_justify="left")
    ladder_table.add_column("rung", overflow="fold")
    for header in ("holders", "meet criteria", "no title yet"):
        ladder_table.add_column(header, justify="right", no_wrap=True)
    for rung in result.rungs:
        ladder_table.add_row(
            rung.name, _count(rung.holders), _count(rung.meeting_criteria), _count(rung.meeting_without_title)
        )
    console.print(ladder_table)
    costs = Table(title="Money measures, yuan (after stacking)", title_justify="left")
    costs.add_column("measure", overflow="fold", max_width=8)
    costs.add_column("name", overflow="fold", ratio=1)
    for header in ("firms", "cost", "budget*", "confirmed"):
        costs.add_column(header, justify="right", no_wrap=True)
    for m in result.measures:
        costs.add_row(
            m.measure,
            m.name,
            _count(m.beneficiaries),
            _whole_yuan(m.cost),
            _whole_yuan(m.budget),
            {True: "yes", False: "no", None: ""}[m.figures_confirmed],
        )
    console.print(costs)
    console.print(BUDGET_NOTE, highlight=False)
    if result.out is not None:
        console.print(f"wrote {result.out} ({result.format})", highlight=False)


def _show_invitations(result) -> None:
    from smeladder.services import exports, ladder

    if result.format is not None and result.out is None:
        _echo(exports.text(ladder.invitation_rows(result), result.format))
        return
    summary = ", ".join(f"{name} {n:,}" for name, n in result.by_rung.items()) or "none"
    if result.out is not None:
        console.print(
            f"{result.enterprises:,} enterprises to invite ({summary}): {result.out}", highlight=False
        )
        if result.letters is not None:
            console.print(f"{result.letters_written:,} letters in {result.letters}", highlight=False)
        return
    title = f"{result.enterprises:,} enterprises to invite ({summary})"
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("credit code", no_wrap=True, min_width=18)
    table.add_column("name", overflow="fold", ratio=2)
    table.add_column("district", overflow="fold")
    table.add_column("rung", overflow="fold", ratio=2)
    table.add_column("lacking", overflow="fold", ratio=3)
    for invitation in result.invitations[:SHOWN]:
        first, second = (
            (invitation.name_zh, invitation.name_en)
            if result.lang == "zh"
            else (invitation.name_en, invitation.name_zh)
        )
        name = first or second
        lacking = "；".join(invitation.lacking) if result.lang == "zh" else "; ".join(invitation.lacking)
        table.add_row(
            invitation.credit_code, name or "", invitation.district, invitation.rung_name, lacking or "—"
        )
    if len(result.invitations) > SHOWN:
        table.caption = f"{SHOWN} of {len(result.invitations):,}; use --out FILE for all, with a letter each"
    console.print(table)


def _show_guide(result) -> None:
    from rich.markdown import Markdown

    if result.written:
        for path in result.written:
            console.print(f"wrote {path}", highlight=False)
        return
    console.print(Markdown(result.markdown))


def _echo(text: str) -> None:
    typer.echo(text, nl=not text.endswith("\n"))


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _whole_yuan(value: Any) -> str:
    return "" if value is None else f"{value:,.0f}"  # whole yuan in an overview; the files keep the fen
