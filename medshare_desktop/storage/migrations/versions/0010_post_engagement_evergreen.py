"""post.likes, post.reposts and post.evergreen: what suggested re-shares read

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 17:05:00

The likes and reposts an export carried for a post (X archives, Mastodon, Bluesky, CSV with such
columns) are kept on import; NULL means the export did not say (not zero). `evergreen` is the team's
mark on a post that does not age (a guide, a standing invitation); setting or clearing it is an audit
event. The suggestion score (core/rules/suggestion.py) reads all three.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no table rebuild): instant on a big inbox, and the post table's triggers stay
    op.add_column("post", sa.Column("likes", sa.Integer(), nullable=True))
    op.add_column("post", sa.Column("reposts", sa.Integer(), nullable=True))
    op.add_column("post", sa.Column("evergreen", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    for column in ("evergreen", "reposts", "likes"):
        op.drop_column("post", column)
