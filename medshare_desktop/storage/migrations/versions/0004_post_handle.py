"""post.handle: the account handle an imported post came from

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 14:10:00

Posts keep the handle their source named, lower-case and without the leading "@" ("drpatel" for
@DrPatel on X, "ana@med.social" on Mastodon), so that adding a social account to a person later
links that person's earlier posts (PeopleService.add_account). Posts imported before this revision
keep an empty handle, except those whose author was stored as the handle itself ("@…").
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("post") as batch:
        batch.add_column(sa.Column("handle", sa.String(length=200), nullable=False, server_default=""))
    op.execute("UPDATE post SET handle = lower(substr(author, 2)) WHERE author LIKE '@%'")
    op.create_index("ix_post_platform_handle", "post", ["platform", "handle"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_post_platform_handle", table_name="post")
    with op.batch_alter_table("post") as batch:
        batch.drop_column("handle")
