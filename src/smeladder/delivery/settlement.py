"""Settlement: record what the bank did with each line of a batch. A line the bank could not pay gets a
reversal entry in the ledger (never an edit) and its amount goes back to the budget; the enterprise can be
paid in a later round (its ledger key nets to zero again)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import exists, func, literal, select, update
from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import audit, budgets, ledger, states
from smeladder.delivery.errors import NotFound, RefusedTransition
from smeladder.delivery.fen import fen_to_yuan
from smeladder.delivery.models import Candidate, LedgerEntry, PaymentBatch, PaymentLine, PaymentResult, Round
from smeladder.delivery.payment import ADJUSTMENT_BATCH, ROUND_BATCH
from smeladder.delivery.rounds import describe, lock_round, record_change

PAID, FAILED = "paid", "failed"


def settle(
    sessions: sessionmaker[Session],
    round_id: int,
    *,
    failed: dict[str, str] | None = None,
    actor: str,
    now: datetime | None = None,
) -> Round:
    """Settle the round's batch: every line paid except those in `failed` (credit code -> bank's reason)."""
    now = now or datetime.now(UTC)
    failed = failed or {}
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "settle")
        before = describe(round_)
        batch = session.execute(
            select(PaymentBatch).where(PaymentBatch.round_id == round_id, PaymentBatch.kind == ROUND_BATCH)
        ).scalar_one()
        failed_entries = _failed_entries(session, batch, failed)
        reversed_fen = _reverse_failures(session, batch, failed_entries, failed, actor=actor, now=now)
        for entry in failed_entries:
            session.execute(
                update(Candidate)
                .where(Candidate.id == entry.candidate_id)
                .values(status=states.FAILED, status_reason=f"payment failed: {failed[entry.credit_code]}")
                .execution_options(synchronize_session=False)
            )
        session.flush()
        _record_paid(session, batch.id, actor, now)
        session.execute(
            update(Candidate)
            .where(
                Candidate.round_id == round_id,
                Candidate.status == states.APPROVED_C,
                Candidate.id.in_(select(LedgerEntry.candidate_id).where(LedgerEntry.round_id == round_id)),
            )
            .values(status=states.PAID)
            .execution_options(synchronize_session=False)
        )
        if reversed_fen:
            budgets.release(session, round_.budget_id, reversed_fen)
        round_.state = states.SETTLED
        round_.settled_at = now
        round_.granted_total_fen -= reversed_fen
        record_change(
            session,
            round_,
            "round.settle",
            actor=actor,
            before=before,
            now=now,
            batch_id=batch.id,
            lines=batch.line_count,
            failed=sorted(failed),
            reversed=str(fen_to_yuan(reversed_fen)),
        )
    return round_


def settle_adjustments(
    sessions: sessionmaker[Session],
    batch_id: int,
    *,
    failed: dict[str, str] | None = None,
    actor: str,
    now: datetime | None = None,
) -> PaymentBatch:
    """Settle a batch of adjustments (after a correction): the round itself stays as it is (it may be closed);
    failed lines are reversed in the ledger and their money returns to the budget."""
    now = now or datetime.now(UTC)
    failed = failed or {}
    with sessions.begin() as session:
        batch = session.get(PaymentBatch, batch_id)
        if batch is None or batch.kind != ADJUSTMENT_BATCH:
            raise NotFound(f"no adjustment batch {batch_id}")
        round_ = lock_round(session, batch.round_id)
        states.require(round_.id, round_.state, "correct")
        settled = session.scalar(select(func.count()).where(PaymentResult.batch_id == batch_id))
        if settled:
            raise RefusedTransition(
                round_.id, "settle", round_.state, f"adjustment batch {batch_id} is already settled"
            )
        failed_entries = _failed_entries(session, batch, failed)
        reversed_fen = _reverse_failures(session, batch, failed_entries, failed, actor=actor, now=now)
        session.flush()
        _record_paid(session, batch.id, actor, now)
        if reversed_fen:
            budgets.release(session, round_.budget_id, reversed_fen)
        audit.record(
            session,
            actor=actor,
            action="batch.settle_adjustments",
            entity="payment_batch",
            entity_id=batch_id,
            after={"round_id": round_.id, "lines": batch.line_count, "failed": sorted(failed)},
            now=now,
        )
    return batch


def _reverse_failures(
    session: Session,
    batch: PaymentBatch,
    entries: list[LedgerEntry],
    failed: dict[str, str],
    *,
    actor: str,
    now: datetime,
) -> int:
    """A reversal entry and a failed result per line the bank could not pay; returns the amount reversed."""
    reversed_fen = 0
    for entry in entries:
        _, revision = ledger.key_position(
            session, entry.measure_id, entry.credit_code, entry.period, entry.item
        )
        ledger.append(
            session,
            measure_id=entry.measure_id,
            credit_code=entry.credit_code,
            period=entry.period,
            item=entry.item,
            revision=revision + 1,
            kind=ledger.REVERSAL,
            amount_fen=-entry.amount_fen,
            stacking_group=entry.stacking_group,
            level=entry.level,
            district_adcode=entry.district_adcode,
            round_id=entry.round_id,
            candidate_id=entry.candidate_id,
            rule_version=entry.rule_version,
            input_snapshot=entry.input_snapshot,
            reason=f"payment failed (batch {batch.id}): {failed[entry.credit_code]}",
            created_by=actor,
            created_at=now,
        )
        session.add(
            PaymentResult(
                batch_id=batch.id,
                ledger_entry_id=entry.id,
                outcome=FAILED,
                reason=failed[entry.credit_code],
                recorded_by=actor,
                recorded_at=now,
            )
        )
        reversed_fen += entry.amount_fen
    return reversed_fen


def _failed_entries(session: Session, batch: PaymentBatch, failed: dict[str, str]) -> list[LedgerEntry]:
    if not failed:
        return []
    entries = (
        session.execute(
            select(LedgerEntry)
            .join(PaymentLine, PaymentLine.ledger_entry_id == LedgerEntry.id)
            .where(PaymentLine.batch_id == batch.id, LedgerEntry.credit_code.in_(list(failed)))
        )
        .scalars()
        .all()
    )
    missing = sorted(set(failed) - {e.credit_code for e in entries})
    if missing:
        raise NotFound(f"not in payment batch {batch.id}: {', '.join(missing)}")
    if any(not reason.strip() for reason in failed.values()):
        raise RefusedTransition(
            batch.round_id, "settle", states.EXPORTED, "every failed line needs the bank's reason"
        )
    return list(entries)


def _record_paid(session: Session, batch_id: int, actor: str, now: datetime) -> None:
    """Every line of the batch without a result yet is paid (INSERT ... SELECT)."""
    unsettled = (
        select(
            literal(batch_id),
            PaymentLine.ledger_entry_id,
            literal(PAID),
            literal(actor),
            literal(now, PaymentResult.__table__.c.recorded_at.type),
        )
        .where(PaymentLine.batch_id == batch_id)
        .where(~exists().where(PaymentResult.ledger_entry_id == PaymentLine.ledger_entry_id))
    )
    session.execute(
        PaymentResult.__table__.insert().from_select(
            ["batch_id", "ledger_entry_id", "outcome", "recorded_by", "recorded_at"], unsettled
        )
    )
