"""Team mode: rules that span desks held by the database (audit lock and sequence, PostgreSQL append-only triggers, one current consent record)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 18:45:00

Placeholder reserved while issue 17 is built in parallel; filled in by its own commit.
"""

from __future__ import annotations

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
