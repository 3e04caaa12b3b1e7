"""approval_evidence: the immutable snapshot kept each time a post is approved

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 17:00:00

One row per approval: the snapshot (canonical JSON: the text approved, every finding and its
resolution, the consent records in force, who approved and when), its SHA-256 and the audit event
that records that hash (so the snapshot is tied into the sealed audit chain). Rows are only ever
added: on SQLite two triggers refuse UPDATE and DELETE, as on audit_event. Re-approving after an
edit adds a new row; the older ones stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

GUARDS = {
    name: f"CREATE TRIGGER {name} BEFORE {what} ON approval_evidence BEGIN "
    "SELECT RAISE(ABORT, 'approval evidence is append-only'); END"
    for name, what in (("approval_evidence_no_update", "UPDATE"), ("approval_evidence_no_delete", "DELETE"))
}


def upgrade() -> None:
    op.create_table(
        "approval_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("audit_event_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_evidence")),
    )
    with op.batch_alter_table("approval_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_evidence_post_id"), ["post_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for sql in GUARDS.values():
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in GUARDS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("approval_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_evidence_post_id"))
    op.drop_table("approval_evidence")
