"""index on post.author

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 13:50:00

Lets the inbox list a broad search sorted by author by walking this index and stopping after a page,
instead of sorting every match (see PostRepository.query).
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_post_author"), "post", ["author"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_post_author"), table_name="post")
