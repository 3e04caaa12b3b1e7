"""Team mode: signed consent forms and other evidence files stored in the database

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 18:45:00

Placeholder reserved while issue 17 is built in parallel; filled in by its own commit.
"""

from __future__ import annotations

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
