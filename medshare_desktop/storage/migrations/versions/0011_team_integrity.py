"""Team mode: rules that span desks held by the database (PostgreSQL append-only triggers, one current consent record)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 18:45:00

- PostgreSQL: `audit_event` and `approval_evidence` refuse UPDATE, DELETE and TRUNCATE (one PL/pgSQL
  function raising the table's message; triggers named as SQLite's, plus `<table>_no_truncate`). SQLite
  has had its two triggers per table since 0001 / 0009 (it has no TRUNCATE).
- Both engines: a partial unique index lets no two *current* versions of a consent record replace the same
  version (`consent_record.supersedes_id` where not superseded): of two desks editing one record at once,
  the database itself refuses the second. A fork left by an older version of the app (two current
  successors of one record) is settled first: the newest stays current, the older ones are marked replaced
  (they stay in the history).

The audit trail needs no schema change: an event's id is its position in the chain, given as the head's
id + 1 under a lock (storage/audit_repository.py), never drawn from a sequence, so it has no gaps.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

REFUSE = "medshare_refuse_change"
APPEND_ONLY = {"audit_event": "the audit trail is append-only", "approval_evidence": "approval evidence is append-only"}
ONE_CURRENT = "uq_consent_record_one_current_successor"


def upgrade() -> None:
    _settle_consent_forks()
    op.create_index(
        ONE_CURRENT, "consent_record", ["supersedes_id"], unique=True,
        sqlite_where=sa.text("NOT superseded"), postgresql_where=sa.text("NOT superseded"),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE FUNCTION {REFUSE}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$"
    )
    for table, message in APPEND_ONLY.items():
        for what, each in (("UPDATE", "ROW"), ("DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
            op.execute(
                f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} "
                f"FOR EACH {each} EXECUTE FUNCTION {REFUSE}('{message}')"
            )


def _settle_consent_forks() -> None:
    conn = op.get_bind()
    forks = conn.execute(sa.text(
        "SELECT supersedes_id, max(id) FROM consent_record WHERE supersedes_id IS NOT NULL AND NOT superseded "
        "GROUP BY supersedes_id HAVING count(*) > 1"
    )).fetchall()
    for replaced, newest in forks:
        conn.execute(
            sa.text("UPDATE consent_record SET superseded = :yes WHERE supersedes_id = :r AND id <> :n"),
            {"yes": True, "r": replaced, "n": newest},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            for what in ("update", "delete", "truncate"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{what} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {REFUSE}()")
    op.drop_index(ONE_CURRENT, table_name="consent_record")
