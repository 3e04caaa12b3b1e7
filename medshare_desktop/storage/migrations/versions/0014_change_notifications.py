"""Team mode: NOTIFY after commits so other desks refresh

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 18:45:00

Placeholder reserved while issue 17 is built in parallel; filled in by its own commit.
"""

from __future__ import annotations

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
