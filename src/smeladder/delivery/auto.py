"""One automatic round from end to end, as the demo, the benchmark and the crash test run it:
open → evaluate → publish → close objections → approve → pay (payment file) → settle → close.

Real rounds wait days for their windows; this runner simulates the clock, stepping to each deadline. It is
resumable: called again for the same measure, period and item, it continues the round that is not closed yet
from the state it reached (after a crash, say) instead of opening another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import approval, objections, payment, rounds, settlement, states
from smeladder.delivery.candidates import CandidateSource
from smeladder.delivery.models import PaymentBatch, Round
from smeladder.delivery.rounds import DEFAULT_ITEM, Progress


@dataclass(frozen=True)
class RoundOutcome:
    round_id: int
    state: str
    payment_file: Path | None
    lines: int
    control_total_fen: int


def run_automatic_round(
    sessions: sessionmaker[Session],
    source: CandidateSource,
    *,
    measure_id: str,
    period: str,
    fund_id: str,
    out_dir: Path | str,
    as_of: date | None = None,
    settings: dict[str, Any] | None = None,
    item: str = DEFAULT_ITEM,
    actor: str = "auto-round",
    start: datetime | None = None,
    stop_after: str = states.CLOSED,
    progress: Progress | None = None,
    chunk_size: int = payment.POST_CHUNK,
) -> RoundOutcome:
    """Run (or resume) one round up to `stop_after` (default: closed)."""
    clock = start or datetime.now(UTC)
    round_ = _unfinished_round(sessions, measure_id, period, item)
    if round_ is None:
        round_ = rounds.open_round(
            sessions,
            measure_id=measure_id,
            period=period,
            as_of=as_of or clock.date(),
            fund_id=fund_id,
            actor=actor,
            settings=settings,
            item=item,
            now=clock,
        )
    round_id = round_.id
    steps = {
        states.DRAFT: lambda now: rounds.evaluate(
            sessions, round_id, source, actor=actor, now=now, progress=progress
        ),
        states.UNDER_REVIEW: lambda now: rounds.publish(sessions, round_id, actor=actor, now=now),
        states.PUBLISHED: lambda now: objections.close_objections(sessions, round_id, actor=actor, now=now),
        states.CONFIRMING: lambda now: approval.approve(sessions, round_id, actor=actor, now=now),
        states.APPROVED: lambda now: _pay(now),
        states.EXPORTED: lambda now: settlement.settle(sessions, round_id, actor=actor, now=now),
        states.SETTLED: lambda now: rounds.close(sessions, round_id, actor=actor, now=now),
    }

    def _pay(now: datetime) -> Round:
        payment.pay(
            sessions, round_id, out_dir, actor=actor, now=now, progress=progress, chunk_size=chunk_size
        )
        with sessions() as session:
            return rounds.get_round(session, round_id)

    while round_.state != states.CLOSED and round_.state != stop_after:
        clock = max(clock, _next_moment(round_))
        round_ = steps[round_.state](clock)
    with sessions() as session:
        batch = session.execute(
            select(PaymentBatch).where(
                PaymentBatch.round_id == round_id, PaymentBatch.kind == payment.ROUND_BATCH
            )
        ).scalar_one_or_none()
        final = session.get(Round, round_id)
    if batch is None:
        return RoundOutcome(round_id, final.state, None, 0, 0)
    return RoundOutcome(
        round_id, final.state, Path(batch.file_name), batch.line_count, batch.control_total_fen
    )


def _unfinished_round(
    sessions: sessionmaker[Session], measure_id: str, period: str, item: str
) -> Round | None:
    with sessions() as session:
        return session.execute(
            select(Round)
            .where(
                Round.measure_id == measure_id,
                Round.period == period,
                Round.item == item,
                Round.state != states.CLOSED,
            )
            .order_by(Round.id.desc())
        ).scalar_one_or_none()


def _next_moment(round_: Round) -> datetime:
    """The earliest moment the round's next step is allowed: the end of the window it is waiting for."""
    if round_.state == states.PUBLISHED and round_.objection_deadline:
        return round_.objection_deadline
    if round_.state == states.CONFIRMING and round_.confirmation_deadline:
        return round_.confirmation_deadline
    return datetime.min.replace(tzinfo=UTC)
