"""Service Day commands (M6.3b): `concerns raise|ack|respond|resolve|escalate|list|show|day`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from smeladder.cli.common import ActorOption, DataDirOption, DbOption, actor_name, console, fail
from smeladder.cli.network import OutputOption, emit, parse_date, rich_table


def register(app: typer.Typer) -> None:
    app.add_typer(concerns_app)


concerns_app = typer.Typer(
    name="concerns",
    help="Service Day concerns (M6.3b): raise, acknowledge, respond, resolve, escalate, the weekly view.",
    no_args_is_help=True,
)
NowOption = Annotated[
    str | None,
    typer.Option(
        "--now", help="Act as of this time, ISO 8601 with offset (default: now).", show_default=False
    ),
]


def _sessions(db: str | None, data_dir: Path | None):
    from smeladder.store import open_store

    try:
        return open_store(db, data_dir=data_dir)
    except Exception as exc:  # connection and migration errors come in many types
        raise fail(f"cannot open the database: {exc}") from exc


def _now(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r}: write times as 2026-03-02T09:00+08:00") from None
    if moment.tzinfo is None:
        raise typer.BadParameter(f"{text!r}: give the UTC offset, e.g. +08:00")
    return moment


def _concern_rows(items, now: dt.datetime) -> pl.DataFrame:
    from smeladder.network import concerns as service

    return pl.DataFrame(
        [
            {
                "id": c.id,
                "district": c.district_adcode,
                "category": c.category,
                "department": c.department,
                "status": c.status,
                "raised_at": c.raised_at.astimezone(service.SHANGHAI).strftime("%Y-%m-%d %H:%M"),
                "service_day": c.service_day.isoformat(),
                "missed": ",".join(service.missed_milestones(c, now)),
                "level": c.escalation_level,
                "title": c.title,
            }
            for c in items
        ],
        schema={
            "id": pl.Int64,
            "district": pl.String,
            "category": pl.String,
            "department": pl.String,
            "status": pl.String,
            "raised_at": pl.String,
            "service_day": pl.String,
            "missed": pl.String,
            "level": pl.Int64,
            "title": pl.String,
        },
    )


def _act(db, data_dir, action):
    from smeladder.network.concerns import ConcernError

    sessions = _sessions(db, data_dir)
    try:
        with sessions.begin() as session:
            return action(session)
    except ConcernError as exc:
        raise fail(str(exc)) from exc


@concerns_app.command("raise")
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
) -> None:
    """Raise a concern; it is routed to the district and the responsible department, with deadlines.

    Example: [bold]smeladder concerns raise --credit-code 91310104MA00001B38 --district 310104 --category financing --title "Loan subsidy" --text "..."[/]
    """
    from smeladder.network import concerns as service

    metadata = [_attachment(path) for path in attach or []]
    moment = _now(now)
    concern = _act(
        db,
        data_dir,
        lambda session: service.raise_concern(
            session,
            credit_code=credit_code,
            district_adcode=district,
            category=category,
            title=title,
            text=text,
            now=moment,
            channel=channel,
            station_id=station,
            attachments=metadata,
        ),
    )
    local = service.SHANGHAI
    console.print(
        f"concern {concern.id} → {concern.department} ({concern.district_adcode}); Service Day {concern.service_day}; "
        f"acknowledge by {concern.acknowledge_due.astimezone(local):%Y-%m-%d %H:%M}, "
        f"respond by {concern.respond_due.astimezone(local):%Y-%m-%d %H:%M}, "
        f"resolve by {concern.resolve_due.astimezone(local):%Y-%m-%d %H:%M} (Shanghai time)"
    )


def _attachment(path: Path):
    import hashlib
    import mimetypes

    from smeladder.network.concerns import AttachmentMeta

    if not path.is_file():
        raise fail(f"{path}: no such file")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return AttachmentMeta(path.name, media_type, path.stat().st_size, digest)


@concerns_app.command("ack")
def concerns_ack(
    concern_id: Annotated[int, typer.Argument(help="Concern id.")],
    actor: ActorOption = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Acknowledge an open concern (take ownership).

    Example: [bold]smeladder concerns ack 17 --actor officer-li[/]
    """
    from smeladder.network import concerns as service

    moment = _now(now)
    concern = _act(
        db, data_dir, lambda session: service.acknowledge(session, concern_id, actor_name(actor), moment)
    )
    console.print(f"concern {concern.id}: {concern.status}")


@concerns_app.command("respond")
def concerns_respond(
    concern_id: Annotated[int, typer.Argument(help="Concern id.")],
    text: Annotated[str, typer.Option("--text", help="The answer to the enterprise.")],
    actor: ActorOption = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Give a concern its first substantive answer.

    Example: [bold]smeladder concerns respond 17 --text "The fund pays on 10 March." --actor officer-li[/]
    """
    from smeladder.network import concerns as service

    moment = _now(now)
    concern = _act(
        db, data_dir, lambda session: service.respond(session, concern_id, actor_name(actor), text, moment)
    )
    console.print(f"concern {concern.id}: {concern.status}")


@concerns_app.command("resolve")
def concerns_resolve(
    concern_id: Annotated[int, typer.Argument(help="Concern id.")],
    text: Annotated[str, typer.Option("--text", help="How it was resolved.")],
    actor: ActorOption = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Close a concern with a resolution.

    Example: [bold]smeladder concerns resolve 17 --text "Paid on 10 March." --actor officer-li[/]
    """
    from smeladder.network import concerns as service

    moment = _now(now)
    concern = _act(
        db, data_dir, lambda session: service.resolve(session, concern_id, actor_name(actor), text, moment)
    )
    console.print(f"concern {concern.id}: {concern.status}")


@concerns_app.command("escalate")
def concerns_escalate(
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Escalate every concern that missed a target (run it hourly from a scheduler).

    Example: [bold]smeladder concerns escalate --db postgresql://smeladder@db/smeladder[/]
    """
    from smeladder.network import concerns as service

    moment = _now(now)
    escalated = _act(db, data_dir, lambda session: service.escalate_overdue(session, moment))
    for concern in escalated:
        console.print(f"concern {concern.id}: level {concern.escalation_level} → {concern.escalated_to}")
    console.print(f"{len(escalated)} concern(s) escalated")


@concerns_app.command("list")
def concerns_list(
    status: Annotated[
        str | None, typer.Option("--status", help="open, acknowledged, responded, resolved.")
    ] = None,
    district: Annotated[str | None, typer.Option("--district", help="District adcode.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only concerns that missed a target.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    output: OutputOption = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List concerns, most escalated first.

    Example: [bold]smeladder concerns list --district 310104 --overdue[/]
    """
    from sqlalchemy import select

    from smeladder.network import concerns as service
    from smeladder.network.models import Concern

    moment = _now(now)
    query = select(Concern).order_by(Concern.escalation_level.desc(), Concern.raised_at)
    if status:
        query = query.where(Concern.status == status)
    if district:
        query = query.where(Concern.district_adcode == district)
    if overdue:
        query = query.where(Concern.status != "resolved")
    with _sessions(db, data_dir)() as session:
        found = [c for c in session.scalars(query) if not overdue or service.missed_milestones(c, moment)]
        rows = _concern_rows(found, moment)
    emit(rows, fmt, output, title=f"{rows.height} concern(s)")


@concerns_app.command("show")
def concerns_show(
    concern_id: Annotated[int, typer.Argument(help="Concern id.")],
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """One concern with its attachments and full history.

    Example: [bold]smeladder concerns show 17[/]
    """
    from smeladder.network import concerns as service

    with _sessions(db, data_dir)() as session:
        concern = session.get(service.Concern, concern_id)
        if concern is None:
            raise fail(f"no concern with id {concern_id}")
        console.print(
            f"[bold]{concern.title}[/] ({concern.credit_code}, {concern.category} → {concern.department})"
        )
        console.print(concern.text)
        for attachment in service.attachments(session, concern_id):
            console.print(
                f"  attachment: {attachment.file_name} ({attachment.media_type}, {attachment.size_bytes:,} bytes)"
            )
        events = pl.DataFrame(
            [
                {
                    "at": e.at.astimezone(service.SHANGHAI).strftime("%Y-%m-%d %H:%M"),
                    "actor": e.actor,
                    "action": e.action,
                    "before": e.status_before,
                    "after": e.status_after,
                    "detail": e.detail,
                }
                for e in service.history(session, concern_id)
            ]
        )
    console.print(rich_table(events, "history (Shanghai time)"))


@concerns_app.command("day")
def concerns_day(
    day: Annotated[
        str | None, typer.Option("--date", help="The Service Day, YYYY-MM-DD (default: this week's).")
    ] = None,
    district: Annotated[str | None, typer.Option("--district", help="District adcode.")] = None,
    now: NowOption = None,
    db: DbOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """The weekly Service Day sheet: what is open (the agenda), what is overdue, what was resolved that week.

    Example: [bold]smeladder concerns day --district 310104[/]
    """
    from smeladder.network import concerns as service

    moment = _now(now)
    rules = service.ServiceDayRules.from_parameters()
    service_day = parse_date(day) if day else service.service_day_for(moment, rules.weekday)
    with _sessions(db, data_dir)() as session:
        view = service.service_day_view(session, service_day, moment, district)
        where = f" in {district}" if district else ""
        console.print(f"[bold]Service Day {service_day}{where}[/]")
        if not rules.confirmed:
            console.print("[yellow]response-time targets are not confirmed (params/service_day.yaml)[/]")
        console.print(rich_table(_concern_rows(view.open, moment), f"open: {len(view.open)}"))
        console.print(rich_table(_concern_rows(view.overdue, moment), f"overdue: {len(view.overdue)}"))
        rate = f"{view.on_time_rate:.0%} on time" if view.on_time_rate is not None else "none"
        console.print(
            rich_table(
                _concern_rows(view.resolved, moment), f"resolved this week: {len(view.resolved)} ({rate})"
            )
        )
