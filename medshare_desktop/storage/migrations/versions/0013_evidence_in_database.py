"""Team mode: signed consent forms and other evidence files stored in the database

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 18:45:00

On a server every desk must open the signed forms another desk attached, so there the bytes live in
the database (storage/db_evidence_store.DbEvidenceStore): one row per stored file, addressed by the
SHA-256 of its bytes, which is checked again each time the file is read. A SQLite database keeps its
evidence folder (the table stays empty there).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_content",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_evidence_content")),
    )
    with op.batch_alter_table("evidence_content", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_content_stored_name"), ["stored_name"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence_content", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_content_stored_name"))
    op.drop_table("evidence_content")
