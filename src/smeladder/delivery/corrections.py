"""Data corrections after payment: re-evaluate the one enterprise (through the source's `evaluate_one`) and
append the difference to the ledger, an adjustment (+) or a claw-back (-), never an edit. Positive adjustments
are paid out with `pay_adjustments` in a batch of their own.

The corrected position of the enterprise in the stacking group is "the higher applies" again:

    target received in group = max(corrected entitlement, what other measures paid in the group)
    delta                    = target - received in group
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import audit, budgets, ledger, payment_file, stacking, states
from smeladder.delivery.candidates import CandidateSource
from smeladder.delivery.errors import NotFound, RefusedTransition
from smeladder.delivery.fen import fen_to_yuan, yuan_to_fen
from smeladder.delivery.models import LedgerEntry, PaymentBatch, PaymentLine
from smeladder.delivery.objections import find_candidate
from smeladder.delivery.payment import ADJUSTMENT_BATCH, file_name, payment_lines, record_batch
from smeladder.delivery.rounds import lock_round


def correct(
    sessions: sessionmaker[Session],
    round_id: int,
    credit_code: str,
    source: CandidateSource,
    *,
    actor: str,
    note: str,
    now: datetime | None = None,
) -> LedgerEntry | None:
    """Append the adjustment or claw-back the corrected data calls for; None if nothing changes."""
    now = now or datetime.now(UTC)
    if not note.strip():
        raise RefusedTransition(
            round_id, "correct", "-", "a correction needs a note saying what was corrected"
        )
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "correct")
        candidate = find_candidate(session, round_id, credit_code, round_.item)
        if candidate is None or candidate.status != states.PAID:
            raise NotFound(f"enterprise {credit_code} was not paid in round {round_id}: nothing to correct")
        record = source.evaluate_one(credit_code, round_.measure_id, round_.period)
        if record is not None and record.rule_version != round_.rule_version:
            raise RefusedTransition(
                round_id, "correct", round_.state,
                f"the re-evaluation used rule version {record.rule_version}, the round is frozen on "
                f"{round_.rule_version}: a data correction keeps the round's rules",
            )  # fmt: skip
        corrected_fen = yuan_to_fen(record.amount) if record is not None and record.eligible else 0
        stacking.lock_groups(session, [(candidate.stacking_group, round_.period)])
        received = ledger.received_in_group(session, credit_code, round_.period, candidate.stacking_group)
        own_net, revision = ledger.key_position(
            session, round_.measure_id, credit_code, round_.period, round_.item
        )
        others = received - own_net
        delta = max(corrected_fen, others) - received
        if delta == 0:
            audit.record(
                session,
                actor=actor,
                action="ledger.correct_no_change",
                entity="candidate",
                entity_id=candidate.id,
                after={
                    "credit_code": credit_code,
                    "corrected_amount": str(fen_to_yuan(corrected_fen)),
                    "note": note,
                },
                now=now,
            )
            return None
        if delta > 0:
            budgets.commit(session, round_.budget_id, delta)
        else:
            budgets.release(session, round_.budget_id, -delta)
        entry = ledger.append(
            session,
            measure_id=round_.measure_id,
            credit_code=credit_code,
            period=round_.period,
            item=round_.item,
            revision=(revision or 0) + 1,
            kind=ledger.ADJUSTMENT if delta > 0 else ledger.CLAWBACK,
            amount_fen=delta,
            stacking_group=candidate.stacking_group,
            level=candidate.level,
            district_adcode=candidate.district_adcode,
            round_id=round_id,
            candidate_id=candidate.id,
            rule_version=round_.rule_version,
            input_snapshot=record.input_snapshot if record is not None else candidate.input_snapshot,
            reason=f"correction: {note}",
            created_by=actor,
            created_at=now,
        )
        audit.record(
            session,
            actor=actor,
            action="ledger.correct",
            entity="ledger_entry",
            entity_id=entry.id,
            before={"received_in_group": str(fen_to_yuan(received)), "own_net": str(fen_to_yuan(own_net))},
            after=ledger.describe(entry),
            now=now,
        )
    return entry


def pay_adjustments(
    sessions: sessionmaker[Session],
    round_id: int,
    out_dir: Path | str,
    *,
    actor: str,
    now: datetime | None = None,
) -> PaymentBatch | None:
    """Export the round's positive adjustments not yet in any batch as a payment file; None if there are none."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "correct")
        pending = list(
            session.execute(
                select(LedgerEntry.id).where(
                    LedgerEntry.round_id == round_id,
                    LedgerEntry.kind == ledger.ADJUSTMENT,
                    LedgerEntry.id.not_in(select(PaymentLine.ledger_entry_id)),
                )
            ).scalars()
        )
        if not pending:
            return None
        sequence = len(
            session.execute(select(PaymentBatch.id).where(PaymentBatch.round_id == round_id)).all()
        )
        target = Path(out_dir).resolve() / file_name(round_, ADJUSTMENT_BATCH, f"-{sequence}")
        written = payment_file.write(payment_lines(session, round_id, pending), target)
        batch = record_batch(
            session, round_id, ADJUSTMENT_BATCH, written, actor=actor, now=now, entry_ids=pending
        )
        audit.record(
            session,
            actor=actor,
            action="round.pay_adjustments",
            entity="payment_batch",
            entity_id=batch.id,
            after={
                "round_id": round_id,
                "file": written.path.name,
                "file_sha256": written.sha256,
                "lines": written.line_count,
                "control_total": str(fen_to_yuan(written.control_total_fen)),
            },
            now=now,
        )
    return batch
