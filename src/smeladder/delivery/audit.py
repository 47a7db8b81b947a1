"""The audit chain: every officer and enterprise action with who, when, what, before and after.

Each record's hash is SHA-256 over its canonical JSON, which includes the previous record's hash and the
record's own id, so editing, deleting, inserting or reordering any record breaks the chain from there on.
Records get consecutive ids from the single-row `audit_head`, which every writer locks (FOR UPDATE on
PostgreSQL; SQLite has one writer at a time) as the last step of its transaction: the chain is in commit order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from smeladder.delivery.models import AuditHead, AuditRecord

GENESIS_HASH = "0" * 64
VERIFY_BATCH = 5_000


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def record_hash(
    record_id: int,
    recorded_at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before_json: str,
    after_json: str,
    prev_hash: str,
) -> str:
    body = canonical_json(
        {
            "id": record_id,
            "recorded_at": recorded_at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": before_json,
            "after": after_json,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    before: Any = None,
    after: Any = None,
    now: datetime | None = None,
) -> int:
    """Append one record to the chain inside the caller's transaction; return its id.
    Call it last in the transaction: it holds the chain's lock until commit."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    record_id = head.last_id + 1
    recorded_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    before_json, after_json = canonical_json(before), canonical_json(after)
    digest = record_hash(
        record_id, recorded_at, actor, action, entity, str(entity_id), before_json, after_json, head.last_hash
    )
    session.execute(
        insert(AuditRecord).values(
            id=record_id,
            recorded_at=recorded_at,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before_json=before_json,
            after_json=after_json,
            prev_hash=head.last_hash,
            hash=digest,
        )
    )
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_id=record_id, last_hash=digest))
    return record_id


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    records: int
    first_broken_id: int | None = None
    problem: str | None = None


def verify(session: Session) -> ChainCheck:
    """Walk the chain from the first record; report the first record that does not hold."""
    expected_id, prev_hash, count = 1, GENESIS_HASH, 0
    for row in _records(session):
        count += 1
        if row.id != expected_id:
            return ChainCheck(
                False, count, row.id, f"record {expected_id} is missing (next id found: {row.id})"
            )
        if row.prev_hash != prev_hash:
            return ChainCheck(
                False,
                count,
                row.id,
                f"record {row.id} ({row.action}) does not point to record {row.id - 1}'s hash",
            )
        recomputed = record_hash(
            row.id,
            row.recorded_at,
            row.actor,
            row.action,
            row.entity,
            row.entity_id,
            row.before_json,
            row.after_json,
            row.prev_hash,
        )
        if recomputed != row.hash:
            return ChainCheck(
                False,
                count,
                row.id,
                f"record {row.id} ({row.action} on {row.entity} {row.entity_id} by {row.actor} at "
                f"{row.recorded_at}) was altered: its content no longer matches its hash",
            )
        expected_id, prev_hash = row.id + 1, row.hash
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_id != expected_id - 1 or head.last_hash != prev_hash):
        return ChainCheck(
            False,
            count,
            expected_id,
            f"the chain ends at record {expected_id - 1} but the head names record {head.last_id}: "
            "records after it were removed",
        )
    return ChainCheck(True, count)


def _records(session: Session) -> Iterator[AuditRecord]:
    last_id = 0
    while True:
        rows = (
            session.execute(
                select(AuditRecord)
                .where(AuditRecord.id > last_id)
                .order_by(AuditRecord.id)
                .limit(VERIFY_BATCH)
            )
            .scalars()
            .all()
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()
