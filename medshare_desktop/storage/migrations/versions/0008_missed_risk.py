"""missed_risk: reviewers' "Missed risk" marks on posts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 16:40:00

A reviewer selects words the risk engine did not flag and names the category; the mark is kept here
with who and when. While the words are in the post's text to share the mark is an open finding of the
post (core/rules/missed_risk.py); its author can take it back as a mistake (removed_by/removed_at:
the row stays, for the audit trail and as the team's training data no more).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "missed_risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("marked_by", sa.String(length=100), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("removed_by", sa.String(length=100), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name=op.f("fk_missed_risk_post_id_post"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missed_risk")),
    )
    with op.batch_alter_table("missed_risk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_missed_risk_post_id"), ["post_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("missed_risk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_missed_risk_post_id"))
    op.drop_table("missed_risk")
