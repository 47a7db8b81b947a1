""" "No double support, the higher applies" (不重复支持, 就高): within a stacking group, an enterprise receives
for one period at most the highest amount any measure of the group entitles it to, across measures, levels
(national, municipal, district) and rounds. The ledger is the authority: what an enterprise has received in a
group is the sum of its ledger entries in that group.

    room = entitlement - received in the group        (never below 0)
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from smeladder.delivery.models import Candidate, LedgerEntry, StackingLock
from smeladder.store.engine import is_postgres


def room_fen(entitlement_fen: int, received_in_group_fen: int) -> int:
    return max(0, entitlement_fen - received_in_group_fen)


def received_by_candidate(session: Session, round_id: int, status: str) -> list[tuple[int, int, int]]:
    """(candidate id, amount, received in its group) for the round's candidates in `status` that have already
    received something in their stacking group."""
    received = func.sum(LedgerEntry.amount_fen)
    return [
        (cid, amount, int(got))
        for cid, amount, got in session.execute(
            select(Candidate.id, Candidate.amount_fen, received)
            .join(
                LedgerEntry,
                (LedgerEntry.credit_code == Candidate.credit_code)
                & (LedgerEntry.period == Candidate.period)
                & (LedgerEntry.stacking_group == Candidate.stacking_group),
            )
            .where(Candidate.round_id == round_id, Candidate.status == status)
            .group_by(Candidate.id, Candidate.amount_fen)
            .having(received != 0)
        )
    ]


def lock_groups(session: Session, groups: list[tuple[str, str]]) -> None:
    """Lock (stacking group, period) rows, in a fixed order so two posters never deadlock; create them first
    if missing (INSERT ... ON CONFLICT DO NOTHING, safe when two posters race)."""
    if not groups:
        return
    dialect_insert = postgresql.insert if is_postgres(session) else sqlite.insert
    session.execute(
        dialect_insert(StackingLock)
        .values([{"stacking_group": g, "period": p} for g, p in groups])
        .on_conflict_do_nothing()
    )
    for group, period in sorted(groups):
        session.execute(
            select(StackingLock)
            .where(StackingLock.stacking_group == group, StackingLock.period == period)
            .with_for_update()
        ).one()
