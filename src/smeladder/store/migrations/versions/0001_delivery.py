"""Delivery: budgets, rounds, candidates, objections, append-only ledger, payment batches, audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Self-contained on purpose (no imports from smeladder): a migration must keep meaning what it meant when it
was written, whatever the models become.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FEN = sa.BigInteger()
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)

# Tables whose rows may never change once written.
APPEND_ONLY = ("ledger_entries", "payment_batches", "payment_lines", "payment_results", "audit_log")


def upgrade() -> None:
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fund_id", sa.String(64), nullable=False),
        sa.Column("measure_id", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_fen", FEN, nullable=False),
        sa.Column("committed_fen", FEN, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("fund_id", "measure_id", "year", name="uq_budgets_fund_id_measure_id_year"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_budgets_amount_not_negative"),
        sa.CheckConstraint("committed_fen >= 0", name="ck_budgets_committed_not_negative"),
        sa.CheckConstraint("committed_fen <= amount_fen", name="ck_budgets_never_overspent"),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("measure_id", sa.String(32), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("item", sa.String(64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column(
            "budget_id",
            sa.Integer(),
            sa.ForeignKey("budgets.id", name="fk_rounds_budget_id_budgets"),
            nullable=False,
        ),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("source_uri", sa.Text()),
        sa.Column("source_run_id", sa.String(128)),
        sa.Column("rule_version", sa.String(128)),
        sa.Column("input_snapshot", sa.String(256)),
        sa.Column("candidate_count", sa.Integer(), nullable=False),
        sa.Column("candidate_total_fen", FEN, nullable=False),
        sa.Column("granted_total_fen", FEN, nullable=False),
        sa.Column("opened_by", sa.String(128), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("evaluated_at", TS),
        sa.Column("published_at", TS),
        sa.Column("objection_deadline", TS),
        sa.Column("confirmation_deadline", TS),
        sa.Column("approved_at", TS),
        sa.Column("exported_at", TS),
        sa.Column("settled_at", TS),
        sa.Column("closed_at", TS),
    )
    op.create_index("ix_rounds_state", "rounds", ["state"])
    op.create_table(
        "candidates",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("rounds.id", name="fk_candidates_round_id_rounds"),
            nullable=False,
        ),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("district_adcode", sa.String(6), nullable=False),
        sa.Column("measure_id", sa.String(32), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("item", sa.String(64), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("stacking_group", sa.String(64), nullable=False),
        sa.Column("amount_fen", FEN, nullable=False),
        sa.Column("granted_fen", FEN),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_reason", sa.Text()),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.Column("rule_version", sa.String(128), nullable=False),
        sa.Column("input_snapshot", sa.String(256), nullable=False),
        sa.Column("response", sa.String(16)),
        sa.Column("responded_at", TS),
        sa.Column("bank_account_name", sa.String(256)),
        sa.Column("bank_account_no", sa.String(64)),
        sa.Column("bank_name", sa.String(256)),
        sa.UniqueConstraint(
            "round_id", "credit_code", "item", name="uq_candidates_round_id_credit_code_item"
        ),
        sa.CheckConstraint("amount_fen >= 0", name="ck_candidates_amount_not_negative"),
        sa.CheckConstraint(
            "granted_fen IS NULL OR granted_fen >= 0", name="ck_candidates_granted_not_negative"
        ),
    )
    op.create_index("ix_candidates_round_id_status", "candidates", ["round_id", "status"])
    op.create_index(
        "ix_candidates_credit_code_measure_id_period", "candidates", ["credit_code", "measure_id", "period"]
    )
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("rounds.id", name="fk_objections_round_id_rounds"),
            nullable=False,
        ),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("raised_by", sa.String(128), nullable=False),
        sa.Column("raised_at", TS, nullable=False),
        sa.Column("resolved_by", sa.String(128)),
        sa.Column("resolved_at", TS),
        sa.Column("resolution_note", sa.Text()),
        sa.Column("amount_before_fen", FEN),
        sa.Column("amount_after_fen", FEN),
    )
    op.create_index("ix_objections_round_id", "objections", ["round_id"])
    op.create_table(
        "ledger_entries",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("measure_id", sa.String(32), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("item", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount_fen", FEN, nullable=False),
        sa.Column("stacking_group", sa.String(64), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("district_adcode", sa.String(6), nullable=False),
        sa.Column(
            "round_id", sa.Integer(), sa.ForeignKey("rounds.id", name="fk_ledger_entries_round_id_rounds")
        ),
        sa.Column(
            "candidate_id",
            BIG_ID,
            sa.ForeignKey("candidates.id", name="fk_ledger_entries_candidate_id_candidates"),
        ),
        sa.Column("rule_version", sa.String(128), nullable=False),
        sa.Column("input_snapshot", sa.String(256), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint(
            "measure_id",
            "credit_code",
            "period",
            "item",
            "revision",
            name="uq_ledger_entries_measure_id_credit_code_period_item_revision",
        ),
        sa.CheckConstraint("amount_fen <> 0", name="ck_ledger_entries_amount_not_zero"),
        sa.CheckConstraint("revision >= 0", name="ck_ledger_entries_revision_not_negative"),
    )
    op.create_index(
        "ix_ledger_entries_credit_code_period_stacking_group",
        "ledger_entries",
        ["credit_code", "period", "stacking_group"],
    )
    op.create_index(
        "uq_ledger_entries_one_payment_per_key",
        "ledger_entries",
        ["measure_id", "credit_code", "period", "item"],
        unique=True,
        sqlite_where=sa.text("kind = 'payment'"),
        postgresql_where=sa.text("kind = 'payment'"),
    )
    op.create_index("ix_ledger_entries_round_id", "ledger_entries", ["round_id"])
    op.create_index("ix_ledger_entries_candidate_id", "ledger_entries", ["candidate_id"])
    op.create_table(
        "stacking_locks",
        sa.Column("stacking_group", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
    )
    op.create_table(
        "payment_batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("rounds.id", name="fk_payment_batches_round_id_rounds"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("control_total_fen", FEN, nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_payment_batches_round_id", "payment_batches", ["round_id"])
    op.create_table(
        "payment_lines",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("payment_batches.id", name="fk_payment_lines_batch_id_payment_batches"),
            nullable=False,
        ),
        sa.Column(
            "ledger_entry_id",
            BIG_ID,
            sa.ForeignKey("ledger_entries.id", name="fk_payment_lines_ledger_entry_id_ledger_entries"),
            nullable=False,
        ),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.UniqueConstraint("ledger_entry_id", name="uq_payment_lines_ledger_entry_id"),
    )
    op.create_index("ix_payment_lines_batch_id", "payment_lines", ["batch_id"])
    op.create_table(
        "payment_results",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("payment_batches.id", name="fk_payment_results_batch_id_payment_batches"),
            nullable=False,
        ),
        sa.Column(
            "ledger_entry_id",
            BIG_ID,
            sa.ForeignKey("ledger_entries.id", name="fk_payment_results_ledger_entry_id_ledger_entries"),
            nullable=False,
        ),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.UniqueConstraint("ledger_entry_id", name="uq_payment_results_ledger_entry_id"),
    )
    op.create_index("ix_payment_results_batch_id", "payment_results", ["batch_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(128), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=False),
        sa.Column("after_json", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hash", name="uq_audit_log_hash"),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("last_id", BIG_ID, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
    )
    # The chain starts from 64 zeros (the "genesis" hash).
    op.execute("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '" + "0" * 64 + "')")
    _create_guards()


def downgrade() -> None:
    _drop_guards()
    for table in (
        "audit_head",
        "audit_log",
        "payment_results",
        "payment_lines",
        "payment_batches",
        "stacking_locks",
        "ledger_entries",
        "objections",
        "candidates",
        "rounds",
        "budgets",
    ):
        op.drop_table(table)


def _create_guards() -> None:
    """Database triggers: append-only tables refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL);
    a closed round and its candidates refuse every change."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION smeladder_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """
        )
        op.execute(
            """
            CREATE FUNCTION smeladder_refuse_closed_round() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF OLD.state = 'closed' THEN
                RAISE EXCEPTION 'round % is closed: % on rounds refused', OLD.id, TG_OP
                  USING ERRCODE = 'integrity_constraint_violation';
              END IF;
              RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END $$
            """
        )
        op.execute(
            """
            CREATE FUNCTION smeladder_refuse_closed_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF (SELECT state FROM rounds WHERE id = OLD.round_id) = 'closed' THEN
                RAISE EXCEPTION 'round % is closed: % on candidates refused', OLD.round_id, TG_OP
                  USING ERRCODE = 'integrity_constraint_violation';
              END IF;
              RETURN OLD;
            END $$
            """
        )
        # Candidates are updated in bulk (600,000 rows at approval): one check per statement over the
        # transition table, not one query per row.
        op.execute(
            """
            CREATE FUNCTION smeladder_refuse_closed_candidates() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE closed_round integer;
            BEGIN
              SELECT r.id INTO closed_round FROM rounds r
                WHERE r.state = 'closed' AND r.id IN (SELECT DISTINCT round_id FROM old_rows) LIMIT 1;
              IF closed_round IS NOT NULL THEN
                RAISE EXCEPTION 'round % is closed: % on candidates refused', closed_round, TG_OP
                  USING ERRCODE = 'integrity_constraint_violation';
              END IF;
              RETURN NULL;
            END $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION smeladder_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION smeladder_refuse_change()"
            )
        op.execute(
            "CREATE TRIGGER rounds_closed_is_final BEFORE UPDATE OR DELETE ON rounds "
            "FOR EACH ROW EXECUTE FUNCTION smeladder_refuse_closed_round()"
        )
        op.execute(
            "CREATE TRIGGER candidates_closed_no_update AFTER UPDATE ON candidates "
            "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            "EXECUTE FUNCTION smeladder_refuse_closed_candidates()"
        )
        # Deletes are rare: checked row by row, before the foreign keys can answer first.
        op.execute(
            "CREATE TRIGGER candidates_closed_no_delete BEFORE DELETE ON candidates "
            "FOR EACH ROW EXECUTE FUNCTION smeladder_refuse_closed_candidate()"
        )
        return
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
            )
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER rounds_closed_no_{verb.lower()} BEFORE {verb} ON rounds "
            "WHEN OLD.state = 'closed' "
            f"BEGIN SELECT RAISE(ABORT, 'round is closed: {verb} on rounds refused'); END"
        )
        op.execute(
            f"CREATE TRIGGER candidates_closed_no_{verb.lower()} BEFORE {verb} ON candidates "
            "WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) = 'closed' "
            f"BEGIN SELECT RAISE(ABORT, 'round is closed: {verb} on candidates refused'); END"
        )


def _drop_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS rounds_closed_is_final ON rounds")
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS candidates_closed_no_{verb} ON candidates")
        op.execute("DROP FUNCTION IF EXISTS smeladder_refuse_closed_candidates()")
        op.execute("DROP FUNCTION IF EXISTS smeladder_refuse_closed_candidate()")
        op.execute("DROP FUNCTION IF EXISTS smeladder_refuse_closed_round()")
        op.execute("DROP FUNCTION IF EXISTS smeladder_refuse_change()")
        return
    for verb in ("update", "delete"):
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
        op.execute(f"DROP TRIGGER IF EXISTS rounds_closed_no_{verb}")
        op.execute(f"DROP TRIGGER IF EXISTS candidates_closed_no_{verb}")
