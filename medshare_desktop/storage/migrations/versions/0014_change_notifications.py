"""Team mode: NOTIFY after commits so other desks refresh

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 18:45:00

On PostgreSQL every table whose rows a screen shows gets a statement-level trigger that calls
`pg_notify('medshare_changes', <table name>)`. PostgreSQL delivers a notification only when the
transaction commits (and once per distinct payload in it), so a desk listening on the channel
(storage/pg_change_feed.py) hears of every committed write — by another desk, the command line,
a script or psql — and which tables it touched. SQLite has no NOTIFY: there the app polls
PRAGMA data_version instead, and this migration does nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

CHANNEL = "medshare_changes"  # storage/pg_change_feed.CHANNEL
FUNCTION = "medshare_notify_change"
TRIGGER = "medshare_notify_change"
TABLES = ("person", "source_account", "post", "finding", "consent_record", "scheduled_share", "audit_event",
          "setting", "evidence_file", "photo_tag", "missed_risk", "approval_evidence")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$""")
    present = set(sa.inspect(op.get_bind()).get_table_names())
    for table in (t for t in TABLES if t in present):
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
        op.execute(f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    present = set(sa.inspect(op.get_bind()).get_table_names())
    for table in (t for t in TABLES if t in present):
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
