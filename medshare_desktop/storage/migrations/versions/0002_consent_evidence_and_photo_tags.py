"""consent evidence files and photo tags

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 11:30:00

Adds `evidence_file` (signed consent forms stored under their SHA-256) and `photo_tag` (who is shown
in a post's photos). Existing consent records keep their evidence_path/evidence_sha256 columns as is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_file",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=200), nullable=False),
        sa.Column("original_name", sa.String(length=500), nullable=False),
        sa.Column("media_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("metadata_stripped", sa.Boolean(), nullable=False),
        sa.Column("stored_by", sa.String(length=100), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_evidence_file")),
    )
    op.create_table(
        "photo_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("tagged_by", sa.String(length=100), nullable=False),
        sa.Column("tagged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name=op.f("fk_photo_tag_post_id_post"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_photo_tag_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_tag")),
        sa.UniqueConstraint("post_id", "person_id", name=op.f("uq_photo_tag_post_id")),
    )
    with op.batch_alter_table("photo_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_tag_post_id"), ["post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photo_tag_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("photo_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_tag_person_id"))
        batch_op.drop_index(batch_op.f("ix_photo_tag_post_id"))
    op.drop_table("photo_tag")
    op.drop_table("evidence_file")
