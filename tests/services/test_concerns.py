"""services/concerns.py: every action returns the concern with its deadlines, missed milestones and events;
an unknown concern is not found; the weekly view; on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from smeladder.errors import InvalidInput, NotFound, Refused
from smeladder.registry import credit_code
from smeladder.services import concerns
from smeladder.services.context import AppContext, Settings
from smeladder.store import make_engine

RAISED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
CODE = credit_code.make("310104", 42)


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ctx(request, tmp_path):
    """A context on a fresh store whose clock the test moves (`ctx.clock.now = ...`)."""
    clock = Clock(RAISED)
    if request.param == "sqlite":
        context = AppContext(Settings(data_dir=tmp_path, actor="officer-li"), clock=clock)
        context.clock = clock
        yield context
        context.close()
        return
    base_url = request.getfixturevalue("postgres_url")
    schema = f"concerns_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    url = f"{base_url}{separator}options=-csearch_path%3D{schema}"
    context = AppContext(Settings(data_dir=tmp_path, db_url=url, actor="officer-li"), clock=clock)
    context.clock = clock
    try:
        yield context
    finally:
        context.close()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _raise(ctx, category="financing", **extra):
    return concerns.raise_concern(
        ctx, CODE, "310104", category, "Loan subsidy", "The 2025 loan subsidy has not arrived.", **extra
    )


def test_a_raised_concern_has_its_deadlines_route_and_first_event(ctx):
    concern = _raise(ctx)
    # params/service_day.yaml: financing is acknowledged within 12 h and answered within 48 h; resolving
    # keeps the default 360 h; the Service Day is Wednesday.
    assert concern.acknowledge_due - concern.raised_at == timedelta(hours=12)
    assert concern.respond_due - concern.raised_at == timedelta(hours=48)
    assert concern.resolve_due - concern.raised_at == timedelta(hours=360)
    assert concern.raised_at == RAISED and concern.raised_at.utcoffset() == timedelta(hours=8)
    assert concern.service_day == date(2026, 3, 4)
    assert (concern.department, concern.district, concern.district_zh) == (
        "financial_regulation",
        "Xuhui",
        "徐汇区",
    )
    assert concern.status == "open" and concern.missed == []
    assert [(e.action, e.actor, e.status_after) for e in concern.events] == [("raised", CODE, "open")]
    assert concern.events[0].detail["targets_hours"]["acknowledge"] == 12


def test_each_step_returns_the_concern_as_it_stands(ctx):
    raised = _raise(ctx)
    ctx.clock.now = RAISED + timedelta(hours=13)  # one hour past the acknowledgement target
    acknowledged = concerns.acknowledge(ctx, raised.id)
    assert acknowledged.status == "acknowledged" and acknowledged.missed == ["acknowledge"]
    assert acknowledged.acknowledged_at == ctx.clock.now
    ctx.clock.now += timedelta(hours=1)
    responded = concerns.respond(ctx, raised.id, "The fund pays on 10 March.")
    assert responded.response == "The fund pays on 10 March." and responded.missed == ["acknowledge"]
    resolved = concerns.resolve(ctx, raised.id, "Paid on 10 March.")
    assert resolved.status == "resolved"
    assert [(e.action, e.actor) for e in resolved.events] == [
        ("raised", CODE), ("acknowledged", "officer-li"), ("responded", "officer-li"), ("resolved", "officer-li"),
    ]  # fmt: skip
    assert concerns.show(ctx, raised.id) == resolved
    with pytest.raises(Refused, match="already resolved"):
        concerns.resolve(ctx, raised.id, "Again.")


def test_an_unknown_concern_is_not_found(ctx):
    for action in (
        lambda: concerns.acknowledge(ctx, 404),
        lambda: concerns.respond(ctx, 404, "x"),
        lambda: concerns.resolve(ctx, 404, "x"),
        lambda: concerns.show(ctx, 404),
    ):
        with pytest.raises(NotFound, match="no concern with id 404"):
            action()


def test_overdue_concerns_escalate_once(ctx):
    late = _raise(ctx, category="tax")  # default targets: acknowledge within 24 h
    on_time = _raise(ctx, category="tax")
    ctx.clock.now = RAISED + timedelta(hours=23)
    concerns.acknowledge(ctx, on_time.id)
    ctx.clock.now = RAISED + timedelta(hours=24, seconds=1)
    assert [c.id for c in concerns.list_concerns(ctx, overdue=True).concerns] == [late.id]
    run = concerns.escalate(ctx)
    assert [(c.id, c.escalation_level, c.escalated_to) for c in run.escalated] == [
        (late.id, 1, "district_sme_centre_head")
    ]
    assert run.escalated[0].events[-1].action == "escalated"
    assert concerns.escalate(ctx).escalated == []  # idempotent
    listed = concerns.list_concerns(ctx)
    assert [c.id for c in listed.concerns] == [late.id, on_time.id]  # most escalated first
    assert [c.id for c in concerns.list_concerns(ctx, status="acknowledged").concerns] == [on_time.id]
    assert concerns.list_concerns(ctx, district="310115").concerns == []


def test_the_weekly_service_day(ctx):
    first = _raise(ctx)
    second = _raise(ctx, category="tax")
    ctx.clock.now = RAISED + timedelta(hours=23)  # within every default target: on time
    concerns.resolve(ctx, second.id, "Refunded.")
    ctx.clock.now = RAISED + timedelta(days=1)
    view = concerns.service_day(ctx)  # this week's: Wednesday 4 March
    assert view.service_day == date(2026, 3, 4) and not view.targets_confirmed
    assert [c.id for c in view.open] == [first.id]
    assert [c.id for c in view.overdue] == [first.id]  # financing: 12 h to acknowledge
    assert [c.id for c in view.resolved] == [second.id]
    assert (view.resolved_on_time, view.on_time_rate) == (1, 1.0)
    assert concerns.service_day(ctx, date(2026, 3, 11)).resolved == []
    assert concerns.service_day(ctx, district="310115").open == []


def test_attachments_are_recorded_as_metadata(ctx, tmp_path):
    path = tmp_path / "contract.pdf"
    path.write_bytes(b"%PDF-1.7 loan contract")
    described = concerns.describe_attachment(path)
    assert described.sha256 == hashlib.sha256(b"%PDF-1.7 loan contract").hexdigest()
    assert (described.file_name, described.media_type, described.size_bytes) == (
        "contract.pdf",
        "application/pdf",
        22,
    )
    concern = _raise(ctx, attachments=[described])
    assert [(a.file_name, a.sha256) for a in concern.attachments] == [("contract.pdf", described.sha256)]
    with pytest.raises(NotFound, match="no such file"):
        concerns.describe_attachment(tmp_path / "absent.pdf")


def test_bad_requests(ctx):
    with pytest.raises(InvalidInput, match="status 'closed'"):
        concerns.list_concerns(ctx, status="closed")
    with pytest.raises(InvalidInput, match="16 district codes"):
        concerns.service_day(ctx, district="999999")
    with pytest.raises(Refused, match="category 'parking'"):
        _raise(ctx, category="parking")
