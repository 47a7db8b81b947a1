"""The ledger: append-only (database triggers refuse UPDATE, DELETE and TRUNCATE), one row per
(measure, enterprise, period, item, revision). Money owed to an enterprise only ever changes by appending:
revision 0 is the first payment, later revisions are adjustments (+), claw-backs (-) and reversals of payments
the bank could not make (-).

Posting is idempotent: for each approved candidate, what is still to post is

    min(granted - already posted for it by this round,  entitlement - received in its stacking group)

so running a round's payment again (after a crash, or twice at once) posts nothing twice, and "the higher
applies" holds at posting time, against everything other rounds have posted meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from smeladder.delivery import states
from smeladder.delivery.fen import fen_to_yuan
from smeladder.delivery.models import Candidate, LedgerEntry, Round
from smeladder.store.bulk import bulk_insert

PAYMENT, ADJUSTMENT, CLAWBACK, REVERSAL = "payment", "adjustment", "clawback", "reversal"
KINDS = (PAYMENT, ADJUSTMENT, CLAWBACK, REVERSAL)
PAYABLE_KINDS = (PAYMENT, ADJUSTMENT)
POSTING_COLUMNS = (
    "measure_id", "credit_code", "period", "item", "revision", "kind", "amount_fen", "stacking_group", "level",
    "district_adcode", "round_id", "candidate_id", "rule_version", "input_snapshot", "reason", "created_by",
    "created_at",
)  # fmt: skip


@dataclass(frozen=True)
class Reduction:
    """An approved grant that posting reduced, because another round paid the enterprise in the same stacking
    group after this round was approved."""

    candidate_id: int
    credit_code: str
    reduced_fen: int
    received_fen: int


def key_of(entry_or_candidate) -> tuple[str, str, str, str]:
    c = entry_or_candidate
    return (c.measure_id, c.credit_code, c.period, c.item)


def post_round_chunk(
    session: Session, round_: Round, after_candidate_id: int, limit: int, *, actor: str, now: datetime
) -> tuple[int | None, int, list[Reduction]]:
    """Post the next `limit` approved candidates with id > `after_candidate_id`.
    Returns (last candidate id seen or None when done, entries appended, reductions)."""
    rows = session.execute(_chunk_query(round_.id, after_candidate_id, limit)).all()
    if not rows:
        return None, 0, []
    entries, reductions = [], []
    reason = f"round {round_.id}: {round_.measure_id} {round_.period}"
    for row in rows:
        to_post = row.granted_fen - row.posted_here
        room = row.amount_fen - row.received_in_group
        delta = min(to_post, room)
        if delta > 0:
            first = row.max_revision is None
            entries.append(
                (
                    round_.measure_id, row.credit_code, round_.period, round_.item,
                    0 if first else row.max_revision + 1, PAYMENT if first else ADJUSTMENT, delta,
                    row.stacking_group, row.level, row.district_adcode, round_.id, row.id, row.rule_version,
                    row.input_snapshot, reason, actor, now,
                )
            )  # fmt: skip
        if to_post > 0 and delta < to_post:
            reductions.append(
                Reduction(row.id, row.credit_code, to_post - max(delta, 0), row.received_in_group)
            )
    bulk_insert(session, LedgerEntry.__table__, POSTING_COLUMNS, entries)
    return rows[-1].id, len(entries), reductions


def _chunk_query(round_id: int, after_candidate_id: int, limit: int):
    c = Candidate
    in_group = aliased(LedgerEntry)
    own = aliased(LedgerEntry)
    received_in_group = (
        select(func.coalesce(func.sum(in_group.amount_fen), 0))
        .where(
            in_group.credit_code == c.credit_code,
            in_group.period == c.period,
            in_group.stacking_group == c.stacking_group,
        )
        .scalar_subquery()
    )
    own_key = and_(
        own.measure_id == c.measure_id,
        own.credit_code == c.credit_code,
        own.period == c.period,
        own.item == c.item,
    )
    posted_here = (
        select(func.coalesce(func.sum(own.amount_fen), 0))
        .where(own_key, own.round_id == c.round_id)
        .scalar_subquery()
    )
    max_revision = select(func.max(own.revision)).where(own_key).scalar_subquery()
    return (
        select(
            c.id,
            c.credit_code,
            c.amount_fen,
            c.granted_fen,
            c.stacking_group,
            c.level,
            c.district_adcode,
            c.rule_version,
            c.input_snapshot,
            received_in_group.label("received_in_group"),
            posted_here.label("posted_here"),
            max_revision.label("max_revision"),
        )
        .where(c.round_id == round_id, c.status == states.APPROVED_C, c.id > after_candidate_id)
        .order_by(c.id)
        .limit(limit)
    )


def key_position(
    session: Session, measure_id: str, credit_code: str, period: str, item: str
) -> tuple[int, int | None]:
    """(net amount, highest revision) of one ledger key."""
    net, revision = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0), func.max(LedgerEntry.revision)).where(
            LedgerEntry.measure_id == measure_id,
            LedgerEntry.credit_code == credit_code,
            LedgerEntry.period == period,
            LedgerEntry.item == item,
        )
    ).one()
    return int(net), revision


def received_in_group(session: Session, credit_code: str, period: str, stacking_group: str) -> int:
    return int(
        session.execute(
            select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
                LedgerEntry.credit_code == credit_code,
                LedgerEntry.period == period,
                LedgerEntry.stacking_group == stacking_group,
            )
        ).scalar_one()
    )


def append(session: Session, **values) -> LedgerEntry:
    """Append one entry (the unique key makes a concurrent duplicate fail instead of paying twice)."""
    entry = LedgerEntry(**values)
    session.add(entry)
    session.flush()
    return entry


def entries_of_round(
    session: Session, round_id: int, kinds: tuple[str, ...] = PAYABLE_KINDS
) -> Iterator[LedgerEntry]:
    yield from session.execute(
        select(LedgerEntry)
        .where(LedgerEntry.round_id == round_id, LedgerEntry.kind.in_(kinds))
        .order_by(LedgerEntry.id)
        .execution_options(yield_per=10_000)
    ).scalars()


def describe(entry: LedgerEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "key": list(key_of(entry)),
        "revision": entry.revision,
        "kind": entry.kind,
        "amount": str(fen_to_yuan(entry.amount_fen)),
        "stacking_group": entry.stacking_group,
        "round_id": entry.round_id,
        "reason": entry.reason,
    }
