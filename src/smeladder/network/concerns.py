"""Service Day concerns (M6.3b): an enterprise raises a concern; it is routed to its district and the
responsible department with response-time targets; missed targets escalate; the weekly Service Day lists what
is open, overdue and resolved.

Targets, routing and escalation come from `params/service_day.yaml` (none is stated in the policy text).
Deadlines are fixed on the concern when it is raised, so changing the targets never moves a running clock.
Every change is an event in `concern_events` (who, when, what, status before and after).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from smeladder import errors
from smeladder.network import parameters
from smeladder.network.models import CHANNELS, STATUSES, Concern, ConcernAttachment, ConcernEvent
from smeladder.registry import credit_code as credit_codes
from smeladder.registry import districts

# Shanghai has kept UTC+8 without daylight saving since 1991; a fixed offset needs no tz database (offline).
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
MILESTONES = ("acknowledge", "respond", "resolve")
_REACHED = {"acknowledge": "acknowledged_at", "respond": "responded_at", "resolve": "resolved_at"}
_DUE = {"acknowledge": "acknowledge_due", "respond": "respond_due", "resolve": "resolve_due"}
SYSTEM_ACTOR = "system"


class ConcernError(errors.Refused, ValueError):
    """A request that breaks a rule; the message says which."""


@dataclass(frozen=True)
class EscalationStep:
    level: int
    when: str  # milestone
    after_hours: float
    to: str


@dataclass(frozen=True)
class ServiceDayRules:
    weekday: int  # ISO weekday of the Service Day
    targets_hours: dict[str, float]
    categories: dict[str, dict[str, Any]]
    escalation: tuple[EscalationStep, ...]
    confirmed: bool = False

    @classmethod
    def from_parameters(cls, overrides: dict[str, Any] | None = None) -> ServiceDayRules:
        """The rules in `params/service_day.yaml`, with top-level keys replaced by `overrides`."""
        raw = {**parameters.load("service_day"), **(overrides or {})}
        steps = tuple(sorted((EscalationStep(**step) for step in raw["escalation"]), key=lambda s: s.level))
        for step in steps:
            if step.when not in MILESTONES:
                raise ValueError(
                    f"escalation level {step.level}: 'when' must be one of {', '.join(MILESTONES)}"
                )
        return cls(
            weekday=int(raw["service_day_weekday"]),
            targets_hours={m: float(raw["targets_hours"][m]) for m in MILESTONES},
            categories=raw["categories"],
            escalation=steps,
            confirmed=bool(raw.get("confirmed", False)),
        )

    def targets_for(self, category: str) -> dict[str, float]:
        own = self.categories[category].get("targets_hours") or {}
        return {m: float(own.get(m, self.targets_hours[m])) for m in MILESTONES}

    def department_for(self, category: str) -> str:
        return self.categories[category]["department"]


@dataclass(frozen=True)
class AttachmentMeta:
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str


def service_day_for(at: datetime, weekday: int) -> date:
    """The Service Day a concern raised at `at` is taken up on: the first one on or after its Shanghai date."""
    local = at.astimezone(SHANGHAI).date()
    return local + timedelta(days=(weekday - local.isoweekday()) % 7)


def raise_concern(
    session: Session,
    *,
    credit_code: str,
    district_adcode: str,
    category: str,
    title: str,
    text: str,
    now: datetime,
    channel: str = "web",
    station_id: str | None = None,
    attachments: Sequence[AttachmentMeta] = (),
    actor: str | None = None,
    rules: ServiceDayRules | None = None,
) -> Concern:
    """Record a concern, route it and fix its deadlines. Raises ConcernError naming the field and the rule."""
    rules = rules or ServiceDayRules.from_parameters()
    _check_aware(now)
    problem = credit_codes.problem(credit_code)
    if problem:
        raise ConcernError(f"credit_code {credit_code!r}: {problem}")
    if district_adcode not in districts.adcodes():
        raise ConcernError(f"district_adcode {district_adcode!r} is not one of Shanghai's 16 district codes")
    if category not in rules.categories:
        raise ConcernError(f"category {category!r} must be one of: {', '.join(rules.categories)}")
    if channel not in CHANNELS:
        raise ConcernError(f"channel {channel!r} must be one of: {', '.join(CHANNELS)}")
    if not title.strip() or len(title) > 200:
        raise ConcernError("title must be 1 to 200 characters")
    if not text.strip():
        raise ConcernError("text must not be empty")
    for attachment in attachments:
        if attachment.size_bytes < 0 or len(attachment.sha256) != 64:
            raise ConcernError(
                f"attachment {attachment.file_name!r}: size must be >= 0 and sha256 64 hex digits"
            )
    targets = rules.targets_for(category)
    concern = Concern(
        credit_code=credit_code,
        district_adcode=district_adcode,
        category=category,
        department=rules.department_for(category),
        channel=channel,
        station_id=station_id,
        title=title.strip(),
        text=text,
        status="open",
        raised_at=now,
        service_day=service_day_for(now, rules.weekday),
        acknowledge_due=now + timedelta(hours=targets["acknowledge"]),
        respond_due=now + timedelta(hours=targets["respond"]),
        resolve_due=now + timedelta(hours=targets["resolve"]),
        escalation_level=0,
    )
    session.add(concern)
    session.flush()
    for attachment in attachments:
        session.add(ConcernAttachment(concern_id=concern.id, uploaded_at=now, **attachment.__dict__))
    _event(
        session,
        concern,
        now,
        actor or credit_code,
        "raised",
        None,
        {
            "routed_to": {"district": district_adcode, "department": concern.department},
            "targets_hours": targets,
            "targets_confirmed": rules.confirmed,
            "attachments": len(attachments),
        },
    )
    return concern


def acknowledge(session: Session, concern_id: int, actor: str, now: datetime) -> Concern:
    concern = _get(session, concern_id)
    if concern.status != "open":
        raise ConcernError(
            f"concern {concern_id} is {concern.status}; only an open concern can be acknowledged"
        )
    return _advance(session, concern, "acknowledged", now, actor, "acknowledged", {})


def respond(session: Session, concern_id: int, actor: str, response: str, now: datetime) -> Concern:
    """A first substantive answer; it also acknowledges a concern nobody had acknowledged."""
    concern = _get(session, concern_id)
    if concern.status not in ("open", "acknowledged"):
        raise ConcernError(f"concern {concern_id} is {concern.status}; it has already been answered")
    if not response.strip():
        raise ConcernError("response must not be empty")
    concern.response = response
    return _advance(session, concern, "responded", now, actor, "responded", {"response": response})


def resolve(session: Session, concern_id: int, actor: str, resolution: str, now: datetime) -> Concern:
    """Close a concern with a resolution; milestones not yet reached are reached now."""
    concern = _get(session, concern_id)
    if concern.status == "resolved":
        raise ConcernError(f"concern {concern_id} is already resolved")
    if not resolution.strip():
        raise ConcernError("resolution must not be empty")
    concern.resolution = resolution
    return _advance(session, concern, "resolved", now, actor, "resolved", {"resolution": resolution})


def due_escalation(concern: Concern, now: datetime, rules: ServiceDayRules) -> EscalationStep | None:
    """The highest escalation step whose milestone is still not reached `after_hours` past its deadline."""
    if concern.status == "resolved":
        return None
    reached = None
    for step in rules.escalation:
        deadline = getattr(concern, _DUE[step.when]) + timedelta(hours=step.after_hours)
        if getattr(concern, _REACHED[step.when]) is None and now > deadline:
            reached = step
    return reached


def escalate_overdue(
    session: Session, now: datetime, rules: ServiceDayRules | None = None, actor: str = SYSTEM_ACTOR
) -> list[Concern]:
    """Raise the escalation level of every concern that has missed a target; run by a scheduler (or
    `smeladder concerns escalate`) at least hourly. Returns the concerns escalated in this run."""
    rules = rules or ServiceDayRules.from_parameters()
    _check_aware(now)
    candidates = session.scalars(
        select(Concern).where(
            Concern.status != "resolved",
            or_(Concern.acknowledge_due < now, Concern.respond_due < now, Concern.resolve_due < now),
        )
    ).all()
    escalated = []
    for concern in candidates:
        step = due_escalation(concern, now, rules)
        if step is None or step.level <= concern.escalation_level:
            continue
        detail = {
            "from_level": concern.escalation_level,
            "to_level": step.level,
            "to": step.to,
            "missed": step.when,
        }
        concern.escalation_level = step.level
        concern.escalated_to = step.to
        concern.escalated_at = now
        _event(session, concern, now, actor, "escalated", concern.status, detail)
        escalated.append(concern)
    session.flush()
    return escalated


def missed_milestones(concern: Concern, now: datetime) -> list[str]:
    """Milestones past their deadline: not reached by it (whether reached late or still not reached)."""
    missed = []
    for milestone in MILESTONES:
        due = getattr(concern, _DUE[milestone])
        reached = getattr(concern, _REACHED[milestone])
        if (reached is None and now > due) or (reached is not None and reached > due):
            missed.append(milestone)
    return missed


@dataclass
class ServiceDayView:
    """The weekly Service Day sheet for one day (and optionally one district)."""

    service_day: date
    district_adcode: str | None
    open: list[Concern] = field(default_factory=list)
    overdue: list[Concern] = field(default_factory=list)
    resolved: list[Concern] = field(default_factory=list)
    resolved_on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.resolved_on_time / len(self.resolved) if self.resolved else None


def service_day_view(
    session: Session, service_day: date, now: datetime, district_adcode: str | None = None
) -> ServiceDayView:
    """Open concerns up to that Service Day (its agenda), those overdue at `now`, and those resolved in the
    week ending on it (Shanghai dates)."""
    _check_aware(now)
    week_start = datetime.combine(service_day - timedelta(days=6), datetime.min.time(), SHANGHAI)
    week_end = datetime.combine(service_day + timedelta(days=1), datetime.min.time(), SHANGHAI)
    query = select(Concern).order_by(Concern.escalation_level.desc(), Concern.raised_at)
    if district_adcode:
        query = query.where(Concern.district_adcode == district_adcode)
    view = ServiceDayView(service_day, district_adcode)
    open_query = query.where(Concern.status != "resolved", Concern.raised_at < week_end)
    view.open = list(session.scalars(open_query))
    view.overdue = [c for c in view.open if missed_milestones(c, now)]
    resolved_query = query.where(
        Concern.status == "resolved", Concern.resolved_at >= week_start, Concern.resolved_at < week_end
    )
    view.resolved = list(session.scalars(resolved_query))
    view.resolved_on_time = sum(1 for c in view.resolved if not missed_milestones(c, c.resolved_at))
    return view


def history(session: Session, concern_id: int) -> list[ConcernEvent]:
    _get(session, concern_id)
    return list(
        session.scalars(
            select(ConcernEvent).where(ConcernEvent.concern_id == concern_id).order_by(ConcernEvent.id)
        )
    )


def attachments(session: Session, concern_id: int) -> list[ConcernAttachment]:
    return list(session.scalars(select(ConcernAttachment).where(ConcernAttachment.concern_id == concern_id)))


def _get(session: Session, concern_id: int) -> Concern:
    concern = session.get(Concern, concern_id)
    if concern is None:
        raise ConcernError(f"no concern with id {concern_id}")
    return concern


def _advance(
    session: Session, concern: Concern, status: str, now: datetime, actor: str, action: str, detail: dict
) -> Concern:
    _check_aware(now)
    before = concern.status
    # Reaching a later milestone reaches the earlier ones too (an answer is also an acknowledgement).
    for milestone, reached_status in zip(MILESTONES, STATUSES[1:], strict=True):
        if (
            STATUSES.index(reached_status) <= STATUSES.index(status)
            and getattr(concern, _REACHED[milestone]) is None
        ):
            setattr(concern, _REACHED[milestone], now)
    concern.status = status
    _event(session, concern, now, actor, action, before, detail)
    session.flush()
    return concern


def _event(
    session: Session,
    concern: Concern,
    now: datetime,
    actor: str,
    action: str,
    before: str | None,
    detail: dict[str, Any],
) -> None:
    session.add(
        ConcernEvent(
            concern_id=concern.id,
            at=now,
            actor=actor,
            action=action,
            status_before=before,
            status_after=concern.status,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )
    )


def _check_aware(now: datetime) -> None:
    if now.tzinfo is None:
        raise ConcernError(f"naive time {now!r}: pass a timezone-aware time")
