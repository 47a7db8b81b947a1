"""Ladder commands: `funnel` (the ladder and the money measures over the whole registry), `invite` (the firms
meeting a rung without its title, with a letter each) and `guide` (the plain-language guide). `readiness` is
cli/letters.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from smeladder.cli.common import (
    DataDirOption,
    PackOption,
    console,
    err_console,
    fail,
    load_pack,
    registry_source,
)
from smeladder.rules.errors import PackError

LangOption = Annotated[str, typer.Option("--lang", help="Language: zh or en.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def register(app: typer.Typer) -> None:
    app.command("funnel")(funnel_command)
    app.command("invite")(invite_command)
    app.command("guide")(guide_command)


def funnel_command(
    as_of: Annotated[str, typer.Option("--as-of", help="Date, YYYY-MM-DD (default: today).")] = "",
    lang: LangOption = "zh",
    as_json: JsonOption = False,
    pack: PackOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """The ladder funnel (holders, enterprises meeting each rung's criteria) and beneficiaries and cost per
    money measure, for the whole registry.

    Example: [bold]smeladder funnel --as-of 2026-05-01 --lang en[/]
    """
    from smeladder.ladder.funnel import ladder_funnel, measure_costs

    policy = load_pack(pack)
    day = _date(as_of)
    source = registry_source(policy, data_dir)
    try:
        funnel = ladder_funnel(policy, source, day, _lang(lang))
        costs = measure_costs(policy, source, day, _lang(lang))
    except PackError as exc:
        raise fail(str(exc)) from None
    if as_json:
        console.print_json(json.dumps(_jsonable({"funnel": funnel, "measures": costs}), ensure_ascii=False))
        return
    console.print(render_rows(f"Ladder as of {day}", funnel, FUNNEL_COLUMNS))
    console.print(render_rows(f"Money measures as of {day} (after stacking)", costs, COST_COLUMNS))
    console.print(BUDGET_NOTE)


def invite_command(
    out: Annotated[Path, typer.Option("--out", help="Directory for invitations.csv and the letters.")],
    as_of: Annotated[str, typer.Option("--as-of", help="Date, YYYY-MM-DD (default: today).")] = "",
    rung: Annotated[
        str | None,
        typer.Option("--rung", help="Only this rung: first_rung, ss_sme, little_giant, single_champion."),
    ] = None,
    district: Annotated[str | None, typer.Option("--district", help="Only this district (adcode).")] = None,
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
        typer.Option("--letters/--no-letters", help="Write one letter per enterprise (letters/CODE.txt)."),
    ] = True,
    lang: LangOption = "zh",
    pack: PackOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """The enterprises that meet a rung's criteria but do not hold its title: the firms to invite to apply,
    as a list (invitations.csv) and a letter each, saying what they meet and what else they could receive.
    With --missing N, also the firms N conditions or fewer from a rung, and which conditions they lack.

    Example: [bold]smeladder invite --as-of 2026-05-01 --district 310112 --missing 1 --out invitations/[/]
    """
    import csv

    from rich.progress import Progress

    from smeladder.cli.common import NEXT_ACTIONS, context
    from smeladder.ladder.funnel import invitations
    from smeladder.ladder.rungs import BY_ID
    from smeladder.services.letters import letter_of, render

    policy = load_pack(pack)
    day, language = _date(as_of), _lang(lang)
    source = registry_source(policy, data_dir)
    try:
        rows = invitations(policy, source, day, rung, district, missing)
    except (PackError, ValueError) as exc:
        raise fail(str(exc)) from None
    out.mkdir(parents=True, exist_ok=True)
    listing = out / "invitations.csv"
    # utf-8-sig: Excel, which officers open it with, reads Chinese names right only with the BOM.
    with listing.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "credit_code",
                "name_zh",
                "name_en",
                "district_adcode",
                "rung",
                "rung_name",
                "missing",
                "lacking",
            ]
        )
        for row in rows:
            named = [row[column] or "" for column in ("credit_code", "name_zh", "name_en", "district_adcode")]
            rung_name = BY_ID[row["rung"]].label(language, day)
            lacking = ("；" if language == "zh" else "; ").join(row[f"lacking_{language}"])
            writer.writerow([*named, row["rung"], rung_name, row["missing"], lacking])
    codes = list(dict.fromkeys(row["credit_code"] for row in rows))
    if letters and codes:
        folder = out / "letters"
        folder.mkdir(exist_ok=True)
        ctx = context(data_dir=data_dir, pack=pack)
        with Progress(console=err_console, transient=True) as progress:
            task = progress.add_task("writing letters", total=len(codes))
            for code in codes:
                # The same document `explain` and `readiness` give (services/letters.py).
                letter = letter_of(ctx, code, day, language)
                (folder / f"{code}.txt").write_text(render(letter, "text", NEXT_ACTIONS) + "\n", "utf-8")
                progress.advance(task)
    counts = {
        r: sum(1 for row in rows if row["rung"] == r) for r in dict.fromkeys(row["rung"] for row in rows)
    }
    summary = ", ".join(f"{BY_ID[r].label(language, day)} {n:,}" for r, n in counts.items()) or "none"
    console.print(f"{len(codes):,} enterprises to invite ({summary}): {listing}")
    if letters and codes:
        console.print(f"{len(codes):,} letters in {out / 'letters'}")


def guide_command(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write guide.zh.md, guide.en.md, guide.json here.")
    ] = None,
    lang: LangOption = "zh",
    as_of: Annotated[
        str, typer.Option("--as-of", help="Figures in force on this date (default: today).")
    ] = "",
    pack: PackOption = None,
) -> None:
    """The plain-language guide to the Several Measures (who qualifies, how much, how, what to prepare).

    Example: [bold]smeladder guide --lang en[/]   or   [bold]smeladder guide --out docs/guide[/]
    """
    from smeladder.policy_guide.build import guide_markdown, write_guide

    policy = load_pack(pack)
    day = _date(as_of)
    if out is not None:
        for path in write_guide(policy, day, out):
            console.print(f"wrote {path}")
        return
    console.print(guide_markdown(policy, day, _lang(lang)), highlight=False, markup=False)


BUDGET_NOTE = (
    "* yearly budgets are placeholders until the fund's officer sets them (parameters/<measure>/budget.yaml)"
)
FUNNEL_COLUMNS = (
    ("rung", "rung"),
    ("holders", "title holders"),
    ("meeting_criteria", "meet the criteria"),
    ("meeting_without_title", "meet them, no title yet"),
)
COST_COLUMNS = (
    ("measure", "measure"),
    ("name", "name"),
    ("beneficiaries", "beneficiaries"),
    ("cost", "cost, yuan"),
    ("budget", "budget*, yuan"),
    ("figures_confirmed", "confirmed"),
)


def render_rows(title: str, rows: list[dict[str, Any]], columns) -> RichTable:
    table = RichTable(title=title, title_justify="left")
    for index, (_, header) in enumerate(columns):
        numeric = index >= 2
        table.add_column(header, justify="right" if numeric else "left", no_wrap=numeric)
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key, _ in columns))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if hasattr(value, "quantize"):
        return f"{value:,.0f}"  # whole yuan in an overview; the results files keep the fen
    return str(value)


def _date(text: str) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"--as-of {text!r} is not a date (YYYY-MM-DD)") from None


def _lang(text: str) -> str:
    if text not in ("zh", "en"):
        raise fail(f"--lang {text!r}: choose zh or en")
    return text


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return _jsonable(value.__dict__)
    if isinstance(value, dt.date) or hasattr(value, "quantize"):
        return str(value)
    return value
