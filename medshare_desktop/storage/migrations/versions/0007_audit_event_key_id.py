"""audit_event.key_id: which keyed seal (HMAC) protects an event

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 14:20:00

Events written from this revision on are sealed with HMAC-SHA256 under a key kept in the OS
keyring; `key_id` names that key (its keyring entry is "audit-key:<key_id>"). Events written
before carry only the plain SHA-256 chain and keep an empty key_id; the first writable start after
this upgrade checks their chain and seals it under the key with one `audit.sealed` event
(core/services/audit_service.py). The append-only triggers stay as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN in place: a batch copy of the table would have to drop and re-create the
    # append-only triggers, and the rows are never rewritten.
    op.add_column("audit_event", sa.Column("key_id", sa.String(length=40), nullable=False, server_default=""))


def downgrade() -> None:
    # Loses which key sealed each event: verify then reports the sealed events as not matching.
    if op.get_bind().dialect.name == "sqlite":  # in place (SQLite 3.35+): the append-only triggers stay
        op.execute("ALTER TABLE audit_event DROP COLUMN key_id")
    else:
        op.drop_column("audit_event", "key_id")
