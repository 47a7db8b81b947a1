"""`concerns raise|ack|respond|resolve|escalate|list|show|day` (services/concerns.py): Service Day, M6.3b."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from smeladder.cli.common import (
    ActorOption,
    DataDirOption,
    DbOption,
    command,
    console,
    context,
    group,
    parse_day,
)
from smeladder.cli.network import FormatOption, OutOption, emit, listing

concerns_app = group(
    "concerns",
    "Service Day concerns (M6.3b): raise, acknowledge, respond, resolve, escalate, the weekly view.",
)
NowOption = Annotated[
    str | None,
    typer.Option(
        "--now", help="Act as of this time, ISO 8601 with offset (default: now).", show_default=False
    ),
]
LIST_COLUMNS = ("id", "district", "category", "status", "raised_on", "missed", "title")
LIST_HEADERS = {"raised_on": "raised"}
FILE_COLUMNS = (
    "id", "credit_code", "district_adcode", "district", "category", "department", "status", "raised_at",
    "service_day", "missed", "escalation_level", "title",
)  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(concerns_app)


def _now(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r}: write times as 2026-03-02T09:00+08:00", param_hint="--now"
        ) from None
    if moment.tzinfo is None:
        raise typer.BadParameter(f"{text!r}: give the UTC offset, e.g. +08:00", param_hint="--now")
    return moment


def _ctx(now, db, data_dir, actor=None):
    return context(db=db, data_dir=data_dir, actor=actor, at=_now(now))


def _time(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _rows(concerns) -> list[dict]:
    """Concerns as a file or a table has them: times in Shanghai, missed milestones comma-separated."""
    return [
        {
            **c.model_dump(),
            "raised_at": _time(c.raised_at),
            "service_day": c.service_day.isoformat(),
            "missed": ",".join(c.missed),
        }
        for c in concerns
    ]


def _raised(concern) -> None:
    console.print(
        f"concern {concern.id} → {concern.department} ({concern.district}); Service Day {concern.service_day}; "
        f"acknowledge by {_time(concern.acknowledge_due)}, respond by {_time(concern.respond_due)}, "
        f"resolve by {_time(concern.resolve_due)} (Shanghai time)",
        highlight=False,
    )


def _status(concern) -> None:
    console.print(f"concern {concern.id}: {concern.status}", highlight=False)


@command(concerns_app, "raise", "concerns:Concern", _raised)
def concerns_raise(
    credit_code: Annotated[str, typer.Option("--credit-code", help="The enterprise's credit code.")],
    district: Annotated[str, typer.Option("--district", help="District adcode, e.g. 310104.")],
    category: Annotated[str, typer.Option("--category", help="Category id (params/service_day.yaml).")],
    title: Annotated[str, typer.Option("--title", help="One line.")],
    text: Annotated[str, typer.Option("--text", help="The concern in the enterprise's words.")],
    channel: Annotated[str, typer.Option("--channel", help="web, hotline, station or service_day.")] = "web",
    station: Annotated[str | None, typer.Option("--station", help="Station id, if raised at one.")] = None,
    attach: Annotated[
        list[Path] | None, typer.Option("--attach", help="A file whose metadata to record (repeatable).")
    ] = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """Raise a concern; it is routed to the district and the responsible department, with deadlines.

    Example: [bold]smeladder concerns raise --credit-code 91310104MA001WMP4B --district 310104 --category financing --title "Loan subsidy" --text "The subsidy for our 2025 loan has not arrived."[/]
    """
    from smeladder.services import concerns

    attachments = [concerns.describe_attachment(path) for path in attach or []]
    return concerns.raise_concern(
        _ctx(now, db, data_dir), credit_code, district, category, title, text, channel, station, attachments
    )


@command(concerns_app, "ack", "concerns:Concern", _status)
def concerns_ack(
    concern_id: Annotated[int, typer.Argument(help="Concern id.")],
    actor: ActorOption = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """Acknowledge an open concern (take ownership).

    Example: [bold]smeladder concerns ack 1 --actor officer-li[/]
    """
    from smeladder.services import concerns

    return concerns.acknowledge(_ctx(now, db, data_dir, actor), concern_id)


@command(concerns_app, "respond", "concerns:Concern", _status)
def concerns_respond(
    concern_id: Annotated[int, typer.Argument(help="Concern id.")],
    text: Annotated[str, typer.Option("--text", help="The answer to the enterprise.")],
    actor: ActorOption = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """Give a concern its first substantive answer.

    Example: [bold]smeladder concerns respond 1 --text "The fund pays on 10 March." --actor officer-li[/]
    """
    from smeladder.services import concerns

    return concerns.respond(_ctx(now, db, data_dir, actor), concern_id, text)


@command(concerns_app, "resolve", "concerns:Concern", _status)
def concerns_resolve(
    concern_id: Annotated[int, typer.Argument(help="Concern id.")],
    text: Annotated[str, typer.Option("--text", help="How it was resolved.")],
    actor: ActorOption = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """Close a concern with a resolution.

    Example: [bold]smeladder concerns resolve 1 --text "Paid on 10 March." --actor officer-li[/]
    """
    from smeladder.services import concerns

    return concerns.resolve(_ctx(now, db, data_dir, actor), concern_id, text)


def _escalated(result) -> None:
    for concern in result.escalated:
        console.print(
            f"concern {concern.id}: level {concern.escalation_level} → {concern.escalated_to}",
            highlight=False,
        )
    console.print(f"{len(result.escalated)} concern(s) escalated", highlight=False)


@command(concerns_app, "escalate", "concerns:Escalation", _escalated)
def concerns_escalate(
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """Escalate every concern that missed a target; run it hourly from a scheduler, against the production
    database with --db postgresql://smeladder@db.internal/smeladder (or $SMELADDER_DB_URL).

    Example: [bold]smeladder concerns escalate[/]
    """
    from smeladder.services import concerns

    return concerns.escalate(_ctx(now, db, data_dir))


def _table(concerns) -> list[dict]:
    """Rows for the terminal: the date raised, the escalation level beside the status."""
    return [
        {
            **row,
            "raised_on": row["raised_at"][:10],
            "missed": row["missed"].replace(",", ", "),
            "status": f"{row['status']} ↑{row['escalation_level']}"
            if row["escalation_level"]
            else row["status"],
        }
        for row in _rows(concerns)
    ]


def _listed(result) -> None:
    console.print(
        listing(
            _table(result.concerns), LIST_COLUMNS, f"{len(result.concerns)} concern(s)", headers=LIST_HEADERS
        )
    )


@command(concerns_app, "list", "concerns:ConcernList", _listed)
def concerns_list(
    invocation: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="open, acknowledged, responded, resolved.")
    ] = None,
    district: Annotated[str | None, typer.Option("--district", help="District adcode.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only concerns that missed a target.")] = False,
    fmt: FormatOption = None,
    out: OutOption = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """List concerns, most escalated first, as a table or a file (CSV, Excel, JSON).

    Example: [bold]smeladder concerns list --district 310104 --status resolved[/]
    """
    from smeladder.services import concerns

    result = concerns.list_concerns(_ctx(now, db, data_dir), status, district, overdue)
    emit(invocation, fmt, out, lambda: [{k: row[k] for k in FILE_COLUMNS} for row in _rows(result.concerns)])
    return result


def _shown(concern) -> None:
    console.print(
        f"[bold]{concern.title}[/] ({concern.credit_code}, {concern.category} → {concern.department}; "
        f"{concern.status})",
        highlight=False,
    )
    console.print(concern.text, markup=False, highlight=False)
    for file in concern.attachments:
        console.print(
            f"  attachment: {file.file_name} ({file.media_type}, {file.size_bytes:,} bytes)", highlight=False
        )
    events = [{**e.model_dump(), "at": _time(e.at)} for e in concern.events]
    columns = ("at", "actor", "action", "status_before", "status_after")
    console.print(
        listing(
            events,
            columns,
            "history (Shanghai time)",
            headers={"status_before": "before", "status_after": "after"},
        )
    )


@command(concerns_app, "show", "concerns:Concern", _shown)
def concerns_show(
    concern_id: Annotated[int, typer.Argument(help="Concern id.")],
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """One concern with its attachments and full history.

    Example: [bold]smeladder concerns show 1[/]
    """
    from smeladder.services import concerns

    return concerns.show(_ctx(None, db, data_dir), concern_id)


def _day(view) -> None:
    where = f" in {view.district}" if view.district else ""
    console.print(f"[bold]Service Day {view.service_day}{where}[/]")
    if not view.targets_confirmed:
        console.print("[yellow]response-time targets are not confirmed (params/service_day.yaml)[/]")
    console.print(listing(_table(view.open), LIST_COLUMNS, f"open: {len(view.open)}", headers=LIST_HEADERS))
    console.print(
        listing(_table(view.overdue), LIST_COLUMNS, f"overdue: {len(view.overdue)}", headers=LIST_HEADERS)
    )
    rate = f"{view.on_time_rate:.0%} on time" if view.on_time_rate is not None else "none"
    console.print(
        listing(
            _table(view.resolved),
            LIST_COLUMNS,
            f"resolved this week: {len(view.resolved)} ({rate})",
            headers=LIST_HEADERS,
        )
    )


@command(concerns_app, "day", "concerns:ServiceDay", _day)
def concerns_day(
    day: Annotated[
        str | None, typer.Option("--date", help="The Service Day, YYYY-MM-DD (default: this week's).")
    ] = None,
    district: Annotated[str | None, typer.Option("--district", help="District adcode.")] = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
):
    """The weekly Service Day sheet: what is open (the agenda), what is overdue, what was resolved that week.

    Example: [bold]smeladder concerns day --district 310104[/]
    """
    from smeladder.services import concerns

    return concerns.service_day(_ctx(now, db, data_dir), parse_day(day, "--date"), district)
