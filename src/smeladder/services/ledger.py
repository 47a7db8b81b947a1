"""The ledger as an officer reads it: what was paid to whom, in which round, for which measure and period,
the adjustments, claw-backs and reversals as entries of their own (docs/delivery.md, "The ledger"), with the
count and the net total of everything the filters select, exact to the fen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from smeladder.delivery import ledger, rounds
from smeladder.delivery.fen import fen_to_yuan
from smeladder.delivery.models import LedgerEntry
from smeladder.services.context import AppContext
from smeladder.services.models import Result

DEFAULT_LIMIT = 50


class Entry(Result):
    id: int
    round_id: int | None  # None: an entry posted outside a round
    credit_code: str
    measure_id: str
    period: str
    item: str
    revision: int  # 0: the first payment of the key; later revisions adjust, claw back or reverse it
    kind: str  # payment, adjustment, clawback or reversal
    amount: Decimal  # yuan; negative for a claw-back or reversal
    stacking_group: str
    reason: str
    created_at: dt.datetime

    @classmethod
    def of(cls, entry: LedgerEntry) -> Entry:
        return cls(
            id=entry.id,
            round_id=entry.round_id,
            credit_code=entry.credit_code,
            measure_id=entry.measure_id,
            period=entry.period,
            item=entry.item,
            revision=entry.revision,
            kind=entry.kind,
            amount=fen_to_yuan(entry.amount_fen),
            stacking_group=entry.stacking_group,
            reason=entry.reason,
            created_at=entry.created_at,
        )


class KindTotal(Result):
    kind: str
    entries: int
    amount: Decimal


class Ledger(Result):
    """The first `limit` selected entries by id (those after `after`), and the totals of every selected entry."""

    entries: list[Entry]
    count: int  # every selected entry, not only those listed
    total: Decimal  # their net amount in yuan
    by_kind: list[KindTotal]  # in the order payment, adjustment, clawback, reversal; kinds absent left out
    next_after: int | None  # more entries follow: pass this as `after` for the next page


def list_entries(
    ctx: AppContext,
    *,
    credit_code: str | None = None,
    round_id: int | None = None,
    measure_id: str | None = None,
    period: str | None = None,
    after: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> Ledger:
    """Ledger entries matching every filter given, by id. An enterprise, measure or period without entries
    gives an empty list; a round that does not exist is `NotFound`."""
    conditions = [
        column == value
        for column, value in (
            (LedgerEntry.credit_code, credit_code),
            (LedgerEntry.round_id, round_id),
            (LedgerEntry.measure_id, measure_id),
            (LedgerEntry.period, period),
        )
        if value is not None
    ]
    with ctx.sessions() as session:
        if round_id is not None:
            rounds.get_round(session, round_id)
        totals = {
            kind: (count, int(fen))
            for kind, count, fen in session.execute(
                select(LedgerEntry.kind, func.count(), func.sum(LedgerEntry.amount_fen))
                .where(*conditions)
                .group_by(LedgerEntry.kind)
            )
        }
        page = list(
            session.execute(
                select(LedgerEntry)
                .where(*conditions, LedgerEntry.id > after)
                .order_by(LedgerEntry.id)
                .limit(limit + 1)
            ).scalars()
        )
    more = len(page) > limit
    return Ledger(
        entries=[Entry.of(entry) for entry in page[:limit]],
        count=sum(count for count, _ in totals.values()),
        total=fen_to_yuan(sum(fen for _, fen in totals.values())),
        by_kind=[
            KindTotal(kind=kind, entries=totals[kind][0], amount=fen_to_yuan(totals[kind][1]))
            for kind in ledger.KINDS
            if kind in totals
        ],
        next_after=page[limit - 1].id if more and limit else None,
    )
