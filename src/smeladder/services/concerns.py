"""Service Day concerns (M6.3b): raise one, acknowledge, respond, resolve, escalate what missed a target, list
them, show one with its history, and the weekly Service Day sheet.

Every action returns the concern as it stands afterwards: its deadlines, the milestones it has missed at the
context's clock, its attachments and its events. Times are given in Shanghai time (UTC+8).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smeladder.errors import InvalidInput, NotFound
from smeladder.network import concerns
from smeladder.network.models import STATUSES
from smeladder.network.models import Concern as ConcernRow
from smeladder.services.context import AppContext
from smeladder.services.models import Result
from smeladder.services.stations import InDistrict, check_district


class AttachmentFile(Result):
    """What is recorded of an attached file (the file itself belongs in the document store)."""

    file_name: str
    media_type: str
    size_bytes: int
    sha256: str


class Attachment(AttachmentFile):
    uploaded_at: dt.datetime


class ConcernEvent(Result):
    at: dt.datetime
    actor: str
    action: str  # raised, acknowledged, responded, resolved, escalated
    status_before: str | None
    status_after: str
    detail: dict[str, Any]


class ConcernSummary(InDistrict):
    """A concern as a list shows it."""

    id: int
    credit_code: str
    category: str
    department: str
    status: str
    title: str
    raised_at: dt.datetime
    service_day: dt.date
    missed: list[str]  # milestones (acknowledge, respond, resolve) not reached by their deadline
    escalation_level: int


class Concern(ConcernSummary):
    """A concern in full: its text, answers, deadlines, escalation, attachments and history."""

    channel: str
    station_id: str | None
    text: str
    response: str | None
    resolution: str | None
    acknowledge_due: dt.datetime
    respond_due: dt.datetime
    resolve_due: dt.datetime
    acknowledged_at: dt.datetime | None
    responded_at: dt.datetime | None
    resolved_at: dt.datetime | None
    escalated_to: str | None
    escalated_at: dt.datetime | None
    attachments: list[Attachment]
    events: list[ConcernEvent]


class ConcernList(Result):
    at: dt.datetime  # the clock `missed` is judged by
    concerns: list[ConcernSummary]


class Escalation(Result):
    at: dt.datetime
    escalated: list[Concern]  # the concerns this run escalated, at their new level


class ServiceDay(InDistrict):
    """The weekly Service Day sheet: the agenda (open concerns), the overdue ones, and what was resolved in
    the week ending that day."""

    service_day: dt.date
    at: dt.datetime
    targets_confirmed: bool  # the response-time targets are set by an officer, not by the policy text
    open: list[ConcernSummary]
    overdue: list[ConcernSummary]
    resolved: list[ConcernSummary]
    resolved_on_time: int
    on_time_rate: float | None  # resolved on time / resolved; None when nothing was resolved


def describe_attachment(path: Path) -> AttachmentFile:
    """The metadata of a local file: name, media type, size and SHA-256."""
    if not path.is_file():
        raise NotFound(f"{path}: no such file")
    data = path.read_bytes()
    return AttachmentFile(
        file_name=path.name,
        media_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def raise_concern(
    ctx: AppContext,
    credit_code: str,
    district: str,
    category: str,
    title: str,
    text: str,
    channel: str = "web",
    station_id: str | None = None,
    attachments: Sequence[AttachmentFile] = (),
) -> Concern:
    """Record an enterprise's concern, route it to its district and the department responsible for the
    category, and fix its three deadlines (params/service_day.yaml)."""
    now = ctx.now()
    with ctx.sessions.begin() as session:
        row = concerns.raise_concern(
            session,
            credit_code=credit_code,
            district_adcode=district,
            category=category,
            title=title,
            text=text,
            now=now,
            channel=channel,
            station_id=station_id,
            attachments=[concerns.AttachmentMeta(**a.model_dump()) for a in attachments],
        )
        return full(session, row, now)


def acknowledge(ctx: AppContext, concern_id: int) -> Concern:
    """Take ownership of an open concern."""
    return _act(
        ctx, concern_id, lambda session, now: concerns.acknowledge(session, concern_id, ctx.actor, now)
    )


def respond(ctx: AppContext, concern_id: int, text: str) -> Concern:
    """The first substantive answer to the enterprise (it also acknowledges)."""
    return _act(
        ctx, concern_id, lambda session, now: concerns.respond(session, concern_id, ctx.actor, text, now)
    )


def resolve(ctx: AppContext, concern_id: int, text: str) -> Concern:
    """Close a concern with its resolution."""
    return _act(
        ctx, concern_id, lambda session, now: concerns.resolve(session, concern_id, ctx.actor, text, now)
    )


def escalate(ctx: AppContext) -> Escalation:
    """Raise the escalation level of every concern that has missed a target; idempotent, so a scheduler
    runs it hourly."""
    now = ctx.now()
    with ctx.sessions.begin() as session:
        escalated = concerns.escalate_overdue(session, now)
        return Escalation(at=_local(now), escalated=[full(session, row, now) for row in escalated])


def list_concerns(
    ctx: AppContext, status: str | None = None, district: str | None = None, overdue: bool = False
) -> ConcernList:
    """Concerns, most escalated first, then oldest first; `overdue`: only those that missed a target."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status {status!r}: choose one of {', '.join(STATUSES)}")
    check_district(district)
    now = ctx.now()
    query = select(ConcernRow).order_by(ConcernRow.escalation_level.desc(), ConcernRow.raised_at)
    if status:
        query = query.where(ConcernRow.status == status)
    if district:
        query = query.where(ConcernRow.district_adcode == district)
    if overdue:
        query = query.where(ConcernRow.status != "resolved")
    with ctx.sessions() as session:
        rows = [summary(row, now) for row in session.scalars(query)]
    return ConcernList(at=_local(now), concerns=[row for row in rows if row.missed or not overdue])


def show(ctx: AppContext, concern_id: int) -> Concern:
    """One concern with its attachments and full history."""
    now = ctx.now()
    with ctx.sessions() as session:
        return full(session, _get(session, concern_id), now)


def service_day(ctx: AppContext, day: dt.date | None = None, district: str | None = None) -> ServiceDay:
    """The sheet for a Service Day (default: the one this week's concerns are taken up on) and optionally
    one district."""
    check_district(district)
    now = ctx.now()
    rules = concerns.ServiceDayRules.from_parameters()
    day = day or concerns.service_day_for(now, rules.weekday)
    with ctx.sessions() as session:
        view = concerns.service_day_view(session, day, now, district)
        return ServiceDay(
            district_adcode=district,
            service_day=day,
            at=_local(now),
            targets_confirmed=rules.confirmed,
            open=[summary(row, now) for row in view.open],
            overdue=[summary(row, now) for row in view.overdue],
            resolved=[summary(row, now) for row in view.resolved],
            resolved_on_time=view.resolved_on_time,
            on_time_rate=view.on_time_rate,
        )


def summary(row: ConcernRow, now: dt.datetime) -> ConcernSummary:
    return ConcernSummary(**_fields(row, ConcernSummary, now))


def full(session: Session, row: ConcernRow, now: dt.datetime) -> Concern:
    events = [
        ConcernEvent(
            at=_local(event.at),
            actor=event.actor,
            action=event.action,
            status_before=event.status_before,
            status_after=event.status_after,
            detail=json.loads(event.detail) if event.detail else {},
        )
        for event in concerns.history(session, row.id)
    ]
    files = [
        Attachment(
            file_name=a.file_name,
            media_type=a.media_type,
            size_bytes=a.size_bytes,
            sha256=a.sha256,
            uploaded_at=_local(a.uploaded_at),
        )
        for a in concerns.attachments(session, row.id)
    ]
    return Concern(**_fields(row, Concern, now), attachments=files, events=events)


def _fields(row: ConcernRow, model: type[Result], now: dt.datetime) -> dict[str, Any]:
    """The columns of `row` the model has, times in Shanghai, and the milestones missed at `now`."""
    found: dict[str, Any] = {"missed": concerns.missed_milestones(row, now)}
    for name in model.model_fields:
        if hasattr(ConcernRow, name) and name not in found:
            value = getattr(row, name)
            found[name] = _local(value) if isinstance(value, dt.datetime) else value
    return found


def _act(ctx: AppContext, concern_id: int, action) -> Concern:
    now = ctx.now()
    with ctx.sessions.begin() as session:
        _get(session, concern_id)
        return full(session, action(session, now), now)


def _get(session: Session, concern_id: int) -> ConcernRow:
    row = session.get(ConcernRow, concern_id)
    if row is None:
        raise NotFound(f"no concern with id {concern_id}")
    return row


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(concerns.SHANGHAI)
