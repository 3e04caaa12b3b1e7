"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 11:10:19.631559
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("monthly_limit", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "consent_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("scopes", sa.String(length=100), nullable=False),
        sa.Column("channels", sa.String(length=100), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=False),
        sa.Column("evidence_path", sa.String(length=1000), nullable=False),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_consent_record_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["consent_record.id"],
            name=op.f("fk_consent_record_supersedes_id_consent_record"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_record")),
    )
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_record_person_id"), ["person_id"], unique=False)

    op.create_table(
        "source_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("watched", sa.Boolean(), nullable=False),
        sa.Column("feed_url", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_source_account_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_account")),
        sa.UniqueConstraint("platform", "handle", name=op.f("uq_source_account_platform")),
    )
    with op.batch_alter_table("source_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_account_person_id"), ["person_id"], unique=False)

    op.create_table(
        "post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_account_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media", sa.Text(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("repurposed_text", sa.Text(), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=False),
        sa.Column("shared_url", sa.String(length=1000), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("risk_summary", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_post_person_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["source_account_id"],
            ["source_account.id"],
            name=op.f("fk_post_source_account_id_source_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_post_content_hash")),
        sa.UniqueConstraint("platform", "external_id", name=op.f("uq_post_platform")),
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_platform"), ["platform"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_posted_at"), ["posted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_source_account_id"), ["source_account_id"], unique=False)
        batch_op.create_index("ix_post_state_posted_at", ["state", "posted_at"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("rule", sa.String(length=100), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("resolution_reason", sa.Text(), nullable=False),
        sa.Column("resolved_by", sa.String(length=100), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name=op.f("fk_finding_post_id_post"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_post_id"), ["post_id"], unique=False)

    op.create_table(
        "scheduled_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_scheduled_share_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_share")),
    )
    with op.batch_alter_table("scheduled_share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_share_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_scheduled_share_post_id"), ["post_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_extras()


def _create_sqlite_extras() -> None:
    """Full-text search over posts (FTS5) and an append-only audit table (SQLite only)."""
    op.execute(
        "CREATE VIRTUAL TABLE post_fts USING fts5("
        "text, repurposed_text, author, content='post', content_rowid='id', tokenize='unicode61')"
    )
    op.execute(
        "CREATE TRIGGER post_fts_ai AFTER INSERT ON post BEGIN "
        "INSERT INTO post_fts(rowid, text, repurposed_text, author) "
        "VALUES (new.id, new.text, coalesce(new.repurposed_text, ''), new.author); END"
    )
    op.execute(
        "CREATE TRIGGER post_fts_ad AFTER DELETE ON post BEGIN "
        "INSERT INTO post_fts(post_fts, rowid, text, repurposed_text, author) "
        "VALUES ('delete', old.id, old.text, coalesce(old.repurposed_text, ''), old.author); END"
    )
    op.execute(
        "CREATE TRIGGER post_fts_au AFTER UPDATE OF text, repurposed_text, author ON post BEGIN "
        "INSERT INTO post_fts(post_fts, rowid, text, repurposed_text, author) "
        "VALUES ('delete', old.id, old.text, coalesce(old.repurposed_text, ''), old.author); "
        "INSERT INTO post_fts(rowid, text, repurposed_text, author) "
        "VALUES (new.id, new.text, coalesce(new.repurposed_text, ''), new.author); END"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN "
        "SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN "
        "SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "post_fts_ai",
            "post_fts_ad",
            "post_fts_au",
            "audit_event_no_update",
            "audit_event_no_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS post_fts")
    with op.batch_alter_table("scheduled_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_share_post_id"))
        batch_op.drop_index(batch_op.f("ix_scheduled_share_day"))

    op.drop_table("scheduled_share")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_post_id"))

    op.drop_table("finding")
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_state_posted_at")
        batch_op.drop_index(batch_op.f("ix_post_source_account_id"))
        batch_op.drop_index(batch_op.f("ix_post_posted_at"))
        batch_op.drop_index(batch_op.f("ix_post_platform"))
        batch_op.drop_index(batch_op.f("ix_post_person_id"))

    op.drop_table("post")
    with op.batch_alter_table("source_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_account_person_id"))

    op.drop_table("source_account")
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_record_person_id"))

    op.drop_table("consent_record")
    op.drop_table("setting")
    op.drop_table("person")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")

    op.drop_table("audit_event")
