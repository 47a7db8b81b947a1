"""Payment: post the approved grants to the ledger in chunks, then write the payment file and record the batch.

Built to be killed at any moment and run again: each chunk is one transaction and posting is idempotent
(see ledger.py); the file is written from the ledger (not from memory) under a temporary name and renamed
when complete; the round becomes `exported` only in the transaction that records the batch. A rerun resumes
where the ledger stands and produces exactly one entry per beneficiary and the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import bindparam, func, literal, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from smeladder.delivery import audit, budgets, ledger, payment_file, stacking, states
from smeladder.delivery.errors import RefusedTransition
from smeladder.delivery.fen import fen_to_yuan
from smeladder.delivery.models import Candidate, LedgerEntry, PaymentBatch, PaymentLine, Round
from smeladder.delivery.rounds import Progress, describe, lock_round, record_change
from smeladder.store.engine import refresh_statistics

POST_CHUNK = 10_000
ROUND_BATCH, ADJUSTMENT_BATCH = "round", "adjustment"
HELD_REASON = (
    "held back: no bank account to pay to (account holder, number and bank are needed); a later round of "
    "this measure and period pays it once the enterprise confirms with its account"
)


def file_name(round_: Round, kind: str = ROUND_BATCH, suffix: str = "") -> str:
    safe_measure = round_.measure_id.replace("/", "_")
    return f"payment-round{round_.id}-{safe_measure}-{round_.period}-{kind}{suffix}.csv"


def pay(
    sessions: sessionmaker[Session],
    round_id: int,
    out_dir: Path | str,
    *,
    actor: str,
    now: datetime | None = None,
    progress: Progress | None = None,
    chunk_size: int = POST_CHUNK,
) -> PaymentBatch:
    """Post the round's approved grants to the ledger (`chunk_size` per transaction) and export them as one
    payment file. Approved enterprises without an account are held back first (`held_back` lists them): not
    posted, not in the file, their grant back in the budget."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "pay")
        _hold_back_without_account(session, round_)
        groups = [
            (group, round_.period)
            for (group,) in session.execute(
                select(Candidate.stacking_group)
                .distinct()
                .where(Candidate.round_id == round_id, Candidate.status == states.APPROVED_C)
            )
        ]
        audit.record(
            session, actor=actor, action="round.pay_started", entity="round", entity_id=round_id, now=now
        )
    posted = _post_all(sessions, round_id, groups, chunk_size, actor=actor, now=now, progress=progress)
    with sessions.begin() as session:
        round_ = lock_round(session, round_id)
        states.require(round_id, round_.state, "pay")
        before = describe(round_)
        refresh_statistics(session, "ledger_entries", "candidates", "payment_lines")
        written = payment_file.write(
            payment_lines(session, round_id), Path(out_dir).resolve() / file_name(round_)
        )
        batch = record_batch(session, round_id, ROUND_BATCH, written, actor=actor, now=now)
        refresh_statistics(session, "payment_lines")
        round_.state = states.EXPORTED
        round_.exported_at = now
        round_.granted_total_fen = written.control_total_fen
        held_count, held_fen = held_back_totals(session, round_id)
        record_change(
            session,
            round_,
            "round.pay",
            actor=actor,
            before=before,
            now=now,
            batch_id=batch.id,
            file=written.path.name,
            file_sha256=written.sha256,
            lines=written.line_count,
            control_total=str(fen_to_yuan(written.control_total_fen)),
            held_back=held_count,
            held_back_total=str(fen_to_yuan(held_fen)),
            entries_posted_in_this_run=posted,
        )
    return batch


def _without_account():
    return or_(
        *(
            func.coalesce(func.trim(column), "") == ""
            for column in (Candidate.bank_account_name, Candidate.bank_account_no, Candidate.bank_name)
        )
    )


def _hold_back_without_account(session: Session, round_: Round) -> None:
    """Approved candidates without an account become `held`: nothing is posted for them, so the payment file
    never carries a line that settlement would mark paid while no bank could pay it."""
    selected = (Candidate.round_id == round_.id, Candidate.status == states.APPROVED_C, _without_account())
    held_fen = session.execute(
        select(func.coalesce(func.sum(Candidate.granted_fen), 0)).where(*selected)
    ).scalar_one()
    session.execute(
        update(Candidate)
        .where(*selected)
        .values(status=states.HELD, status_reason=HELD_REASON)
        .execution_options(synchronize_session=False)
    )
    if held_fen:
        budgets.release(session, round_.budget_id, int(held_fen))


def held_back_totals(session: Session, round_id: int) -> tuple[int, int]:
    """(enterprises, fen) held back for want of an account."""
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(Candidate.granted_fen), 0)).where(
            Candidate.round_id == round_id, Candidate.status == states.HELD
        )
    ).one()
    return count, int(total)


def held_back(session: Session, round_id: int) -> list[Candidate]:
    """The enterprises held back for want of an account, by credit code."""
    return list(
        session.execute(
            select(Candidate)
            .where(Candidate.round_id == round_id, Candidate.status == states.HELD)
            .order_by(Candidate.credit_code)
        ).scalars()
    )


def _post_all(
    sessions: sessionmaker[Session],
    round_id: int,
    groups: list[tuple[str, str]],
    chunk_size: int,
    *,
    actor: str,
    now: datetime,
    progress: Progress | None,
) -> int:
    after, posted, seen, analyzed_at = 0, 0, 0, 0
    while True:
        with sessions.begin() as session:
            if seen >= 2 * analyzed_at:
                # The ledger grows as we post; without fresh statistics PostgreSQL keeps planning the
                # per-candidate lookups as if it were empty (sequential scans, quadratic time).
                refresh_statistics(session, "ledger_entries")
                analyzed_at = max(seen, 1)
            round_ = lock_round(session, round_id)
            if round_.state != states.APPROVED:
                raise RefusedTransition(round_id, "pay", round_.state, "the round changed state while paying")
            stacking.lock_groups(session, groups)
            last, appended, reductions = ledger.post_round_chunk(
                session, round_, after, chunk_size, actor=actor, now=now
            )
            if last is None:
                return posted
            _apply_reductions(session, round_, reductions)
        after, posted = last, posted + appended
        seen += chunk_size
        if progress:
            progress("post", posted)  # entries posted, not the chunk's capacity


def _apply_reductions(session: Session, round_: Round, reductions: list[ledger.Reduction]) -> None:
    """Another round paid in the same stacking group after this one was approved: lower the grant, give the
    difference back to the budget, and say why."""
    if not reductions:
        return
    session.execute(
        update(Candidate.__table__)
        .where(Candidate.__table__.c.id == bindparam("cid"))
        .values(
            granted_fen=Candidate.__table__.c.granted_fen - bindparam("reduced"),
            status_reason=bindparam("reason"),
        ),
        [
            {
                "cid": r.candidate_id,
                "reduced": r.reduced_fen,
                "reason": f"the higher applies: reduced by {fen_to_yuan(r.reduced_fen)} yuan at posting, "
                f"{fen_to_yuan(r.received_fen)} yuan received in this stacking group meanwhile",
            }
            for r in reductions
        ],
    )
    session.execute(
        update(Candidate)
        .where(
            Candidate.round_id == round_.id, Candidate.status == states.APPROVED_C, Candidate.granted_fen == 0
        )
        .values(status=states.CUT)
        .execution_options(synchronize_session=False)
    )
    budgets.release(session, round_.budget_id, sum(r.reduced_fen for r in reductions))


def payment_lines(
    session: Session, round_id: int, entry_ids: list[int] | None = None
) -> Iterator[payment_file.PaymentLine]:
    query = (
        select(
            LedgerEntry.id,
            LedgerEntry.round_id,
            LedgerEntry.credit_code,
            Candidate.bank_account_name,
            Candidate.bank_account_no,
            Candidate.bank_name,
            LedgerEntry.district_adcode,
            LedgerEntry.measure_id,
            LedgerEntry.period,
            LedgerEntry.item,
            LedgerEntry.amount_fen,
        )
        .join(Candidate, Candidate.id == LedgerEntry.candidate_id, isouter=True)
        .where(LedgerEntry.round_id == round_id, LedgerEntry.kind.in_(ledger.PAYABLE_KINDS))
        .order_by(LedgerEntry.id)
    )
    if entry_ids is not None:
        query = query.where(LedgerEntry.id.in_(entry_ids))
    else:
        already_out = select(PaymentLine.ledger_entry_id)
        query = query.where(LedgerEntry.id.not_in(already_out))
    for row in session.execute(query.execution_options(yield_per=20_000)):
        yield payment_file.PaymentLine(
            row[0], row[1], row[2], row[3] or "", row[4] or "", row[5] or "", *row[6:10], row[10]
        )


def record_batch(
    session: Session,
    round_id: int,
    kind: str,
    written: payment_file.WrittenFile,
    *,
    actor: str,
    now: datetime,
    entry_ids: list[int] | None = None,
) -> PaymentBatch:
    """Record a written payment file as a batch and link its lines: the round's payable entries not yet in a
    batch, or only `entry_ids` (the same selection `payment_lines` wrote)."""
    batch = PaymentBatch(
        round_id=round_id,
        kind=kind,
        file_name=str(written.path),
        file_sha256=written.sha256,
        line_count=written.line_count,
        control_total_fen=written.control_total_fen,
        created_by=actor,
        created_at=now,
    )
    session.add(batch)
    session.flush()
    record_lines(session, batch.id, round_id, entry_ids)
    return batch


def record_lines(session: Session, batch_id: int, round_id: int, entry_ids: list[int] | None = None) -> None:
    """Link every exported ledger entry to the batch, in file order (INSERT ... SELECT: no round trip per line)."""
    line_no = func.row_number().over(order_by=LedgerEntry.id)
    selected = select(LedgerEntry.id.label("ledger_entry_id"), line_no.label("line_no")).where(
        LedgerEntry.round_id == round_id,
        LedgerEntry.kind.in_(ledger.PAYABLE_KINDS),
        LedgerEntry.id.not_in(select(PaymentLine.ledger_entry_id)),
    )
    if entry_ids is not None:
        selected = selected.where(LedgerEntry.id.in_(entry_ids))
    rows = selected.subquery()
    session.execute(
        PaymentLine.__table__.insert().from_select(
            ["batch_id", "ledger_entry_id", "line_no"],
            select(literal(batch_id), rows.c.ledger_entry_id, rows.c.line_no),
        )
    )
