"""Team mode: full-text search on PostgreSQL (generated tsvector, GIN index)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 18:45:00

Placeholder reserved while issue 17 is built in parallel; filled in by its own commit.
"""

from __future__ import annotations

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
