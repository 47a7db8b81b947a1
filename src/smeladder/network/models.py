"""Tables of record for Service Day concerns (M6.3b): the concern, its attachments' metadata and its event
history. Created by migration 0002 (`store/migrations/versions/0002_service_day_concerns.py`);
`tests/network/test_concerns.py` checks that the two never drift apart.

Timestamps are UTC (`UTCDateTime`); Service Day dates are Shanghai calendar dates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smeladder.store.base import Base
from smeladder.store.types import BigId, UTCDateTime

STATUSES = ("open", "acknowledged", "responded", "resolved")
CHANNELS = ("web", "hotline", "station", "service_day")


class Concern(Base):
    """An enterprise's concern, routed to a district and a department, with its response-time deadlines
    fixed when it was raised (so a later change of targets does not move a running clock)."""

    __tablename__ = "concerns"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="known_status"),
        CheckConstraint(f"channel IN {CHANNELS!r}", name="known_channel"),
        CheckConstraint("escalation_level >= 0", name="escalation_not_negative"),
        Index("ix_concerns_district_status", "district_adcode", "status"),
        Index("ix_concerns_service_day", "service_day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    credit_code: Mapped[str] = mapped_column(String(18))
    district_adcode: Mapped[str] = mapped_column(String(6))
    category: Mapped[str] = mapped_column(String(32))
    department: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    station_id: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    service_day: Mapped[date] = mapped_column(Date)
    acknowledge_due: Mapped[datetime] = mapped_column(UTCDateTime)
    respond_due: Mapped[datetime] = mapped_column(UTCDateTime)
    resolve_due: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_to: Mapped[str | None] = mapped_column(String(64))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConcernAttachment(Base):
    """Metadata of a file the enterprise attached; the file itself lives in the document store."""

    __tablename__ = "concern_attachments"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size_not_negative"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    concern_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("concerns.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConcernEvent(Base):
    """Append-only history of a concern: who did what when, and the status before and after."""

    __tablename__ = "concern_events"
    __table_args__ = (Index("ix_concern_events_concern_id", "concern_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    concern_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("concerns.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    status_before: Mapped[str | None] = mapped_column(String(16))
    status_after: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
