"""Tables of record for delivery: budgets, rounds, candidates, objections, the ledger, payment batches
and the audit chain. Created by migration 0001 (`smeladder/store/migrations/versions/0001_delivery.py`);
`tests/delivery/test_store.py` checks that the two never drift apart.

Money columns are integer fen (`*_fen`). Timestamps are UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from smeladder.store.base import Base
from smeladder.store.types import BigId, Fen, UTCDateTime

CREDIT_CODE = String(18)
ADCODE = String(6)
MEASURE = String(32)
PERIOD = String(16)
ITEM = String(64)
SHA256 = String(64)


class Budget(Base):
    """A fund's allocation to one measure for one year. `committed_fen` only grows by approvals and
    shrinks by releases, always in one conditional UPDATE; the CHECKs are the last line of defence."""

    __tablename__ = "budgets"
    __table_args__ = (
        UniqueConstraint("fund_id", "measure_id", "year"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint("committed_fen >= 0", name="committed_not_negative"),
        CheckConstraint("committed_fen <= amount_fen", name="never_overspent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[str] = mapped_column(String(64))
    measure_id: Mapped[str] = mapped_column(MEASURE)
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Fen)
    committed_fen: Mapped[int] = mapped_column(Fen, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Round(Base):
    """One automatic-entitlement round for a measure and period. What the round was evaluated with
    (rule version, input snapshot, as-of date, settings) is frozen here when it is evaluated."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[str] = mapped_column(MEASURE)
    period: Mapped[str] = mapped_column(PERIOD)
    item: Mapped[str] = mapped_column(ITEM)
    as_of: Mapped[date] = mapped_column(Date)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"))
    state: Mapped[str] = mapped_column(String(16), index=True)
    settings_json: Mapped[str] = mapped_column(Text)
    source_uri: Mapped[str | None] = mapped_column(Text)
    source_run_id: Mapped[str | None] = mapped_column(String(128))
    rule_version: Mapped[str | None] = mapped_column(String(128))
    input_snapshot: Mapped[str | None] = mapped_column(String(256))
    candidate_count: Mapped[int] = mapped_column(Integer, default=0)
    candidate_total_fen: Mapped[int] = mapped_column(Fen, default=0)
    granted_total_fen: Mapped[int] = mapped_column(Fen, default=0)
    opened_by: Mapped[str] = mapped_column(String(128))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    objection_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmation_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Candidate(Base):
    """An enterprise on a round's list, with the amount the rules computed and why."""

    __tablename__ = "candidates"
    __table_args__ = (
        UniqueConstraint("round_id", "credit_code", "item"),
        Index(None, "round_id", "status"),
        Index(None, "credit_code", "measure_id", "period"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint("granted_fen IS NULL OR granted_fen >= 0", name="granted_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    credit_code: Mapped[str] = mapped_column(CREDIT_CODE)
    district_adcode: Mapped[str] = mapped_column(ADCODE)
    measure_id: Mapped[str] = mapped_column(MEASURE)
    period: Mapped[str] = mapped_column(PERIOD)
    item: Mapped[str] = mapped_column(ITEM)
    level: Mapped[str] = mapped_column(String(16))
    stacking_group: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(Fen)
    granted_fen: Mapped[int | None] = mapped_column(Fen)
    status: Mapped[str] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(Text)
    reasons_json: Mapped[str] = mapped_column(Text)
    rule_version: Mapped[str] = mapped_column(String(128))
    input_snapshot: Mapped[str] = mapped_column(String(256))
    response: Mapped[str | None] = mapped_column(String(16))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bank_account_name: Mapped[str | None] = mapped_column(String(256))
    bank_account_no: Mapped[str | None] = mapped_column(String(64))
    bank_name: Mapped[str | None] = mapped_column(String(256))


class Objection(Base):
    """An objection raised during publication, by or for one enterprise (listed or not)."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    credit_code: Mapped[str] = mapped_column(CREDIT_CODE)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    raised_by: Mapped[str] = mapped_column(String(128))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(128))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    amount_before_fen: Mapped[int | None] = mapped_column(Fen)
    amount_after_fen: Mapped[int | None] = mapped_column(Fen)


class LedgerEntry(Base):
    """Append-only (database triggers refuse UPDATE and DELETE). One row per
    (measure, enterprise, period, item, revision): revision 0 is the first payment, later revisions are
    adjustments, claw-backs and reversals, so a correction never edits what was paid."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("measure_id", "credit_code", "period", "item", "revision"),
        # The database's own promise that a key is paid once: whatever the code does, a second first-payment
        # of (measure, enterprise, period, item) is refused; later money for the key is an adjustment.
        Index(
            "uq_ledger_entries_one_payment_per_key",
            "measure_id",
            "credit_code",
            "period",
            "item",
            unique=True,
            sqlite_where=text("kind = 'payment'"),
            postgresql_where=text("kind = 'payment'"),
        ),
        Index(None, "credit_code", "period", "stacking_group"),
        CheckConstraint("amount_fen <> 0", name="amount_not_zero"),
        CheckConstraint("revision >= 0", name="revision_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    measure_id: Mapped[str] = mapped_column(MEASURE)
    credit_code: Mapped[str] = mapped_column(CREDIT_CODE)
    period: Mapped[str] = mapped_column(PERIOD)
    item: Mapped[str] = mapped_column(ITEM)
    revision: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(Fen)
    stacking_group: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    district_adcode: Mapped[str] = mapped_column(ADCODE)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidates.id"), index=True)
    rule_version: Mapped[str] = mapped_column(String(128))
    input_snapshot: Mapped[str] = mapped_column(String(256))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StackingLock(Base):
    """One row per (stacking group, period), locked while ledger entries of that group are posted, so two
    rounds of different measures in one group cannot both pay an enterprise "the higher" at once."""

    __tablename__ = "stacking_locks"

    stacking_group: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(PERIOD, primary_key=True)


class PaymentBatch(Base):
    """A payment file handed to the bank or treasury (append-only): a round's batch, or a later batch of
    adjustments for it."""

    __tablename__ = "payment_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(SHA256)
    line_count: Mapped[int] = mapped_column(Integer)
    control_total_fen: Mapped[int] = mapped_column(Fen)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PaymentLine(Base):
    """Which ledger entry went out in which batch (append-only): an entry is paid out at most once."""

    __tablename__ = "payment_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    line_no: Mapped[int] = mapped_column(Integer)


class PaymentResult(Base):
    """What the bank reported for one payment line (append-only; one result per ledger entry)."""

    __tablename__ = "payment_results"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditRecord(Base):
    """Tamper-evident log (append-only): `hash` = SHA-256 over the record's canonical form, which
    includes `prev_hash`. Times are kept as the ISO-8601 text that was hashed, so verification reproduces
    the hash byte for byte on any backend."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    recorded_at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(128))
    before_json: Mapped[str] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(SHA256)
    hash: Mapped[str] = mapped_column(SHA256, unique=True)


class AuditHead(Base):
    """The chain's tip (a single row), locked by each writer so that records chain in commit order."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigId)
    last_hash: Mapped[str] = mapped_column(SHA256)
