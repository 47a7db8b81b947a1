"""Service Day concerns (M6.3b): concerns, their attachments' metadata and their event history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Self-contained on purpose (no imports from smeladder): a migration must keep meaning what it meant when it
was written, whatever the models become.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)
STATUSES = ("open", "acknowledged", "responded", "resolved")
CHANNELS = ("web", "hotline", "station", "service_day")


def upgrade() -> None:
    op.create_table(
        "concerns",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("district_adcode", sa.String(6), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("department", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("station_id", sa.String(32)),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("raised_at", TS, nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("acknowledge_due", TS, nullable=False),
        sa.Column("respond_due", TS, nullable=False),
        sa.Column("resolve_due", TS, nullable=False),
        sa.Column("acknowledged_at", TS),
        sa.Column("responded_at", TS),
        sa.Column("resolved_at", TS),
        sa.Column("response", sa.Text()),
        sa.Column("resolution", sa.Text()),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("escalated_to", sa.String(64)),
        sa.Column("escalated_at", TS),
        sa.PrimaryKeyConstraint("id", name="pk_concerns"),
        sa.CheckConstraint(f"status IN {STATUSES!r}", name="ck_concerns_known_status"),
        sa.CheckConstraint(f"channel IN {CHANNELS!r}", name="ck_concerns_known_channel"),
        sa.CheckConstraint("escalation_level >= 0", name="ck_concerns_escalation_not_negative"),
    )
    op.create_index("ix_concerns_district_status", "concerns", ["district_adcode", "status"])
    op.create_index("ix_concerns_service_day", "concerns", ["service_day"])
    op.create_table(
        "concern_attachments",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "concern_id",
            sa.BigInteger(),
            sa.ForeignKey("concerns.id", name="fk_concern_attachments_concern_id_concerns"),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_concern_attachments"),
        sa.CheckConstraint("size_bytes >= 0", name="ck_concern_attachments_size_not_negative"),
    )
    op.create_table(
        "concern_events",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "concern_id",
            sa.BigInteger(),
            sa.ForeignKey("concerns.id", name="fk_concern_events_concern_id_concerns"),
            nullable=False,
        ),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("status_before", sa.String(16)),
        sa.Column("status_after", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_concern_events"),
    )
    op.create_index("ix_concern_events_concern_id", "concern_events", ["concern_id"])


def downgrade() -> None:
    op.drop_index("ix_concern_events_concern_id", table_name="concern_events")
    op.drop_table("concern_events")
    op.drop_table("concern_attachments")
    op.drop_index("ix_concerns_service_day", table_name="concerns")
    op.drop_index("ix_concerns_district_status", table_name="concerns")
    op.drop_table("concerns")
