"""Team mode: group roles' grants on the schema

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 18:45:00

Placeholder reserved while issue 17 is built in parallel; filled in by its own commit.
"""

from __future__ import annotations

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
