"""post.risk_level and post.open_findings kept up to date on PostgreSQL too

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 19:00:00

Migration 0005 added the inbox's risk columns and SQLite triggers on `finding` that keep them up to
date. A team server had the columns but no triggers, so every post there showed no risk, sorted as
clean and was suggested as if it had no open finding. This revision gives PostgreSQL the same three
triggers (one PL/pgSQL function that recomputes one post, the same ranking: 3 high, 2 medium, 1 low)
and recomputes every post once.

It also gives the inbox's author sort an index in SQLite's order: storage/ordering.py sorts text with
COLLATE "C" on PostgreSQL (byte order, whatever the server's locale), which the plain ix_post_author
cannot serve unless the database itself was created with the C collation. Nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_OPEN = "finding.post_id = post.id AND finding.resolution IS NULL"
_RANK = "CASE finding.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END"
_REFRESH = (
    f"UPDATE post SET risk_level = coalesce((SELECT max({_RANK}) FROM finding WHERE {_OPEN}), 0),"
    f" open_findings = (SELECT count(*) FROM finding WHERE {_OPEN})"
)
_FUNCTION = f"""
CREATE OR REPLACE FUNCTION post_risk_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_REFRESH} WHERE post.id = OLD.post_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.post_id IS DISTINCT FROM OLD.post_id) THEN
        {_REFRESH} WHERE post.id = NEW.post_id;
    END IF;
    RETURN NULL;
END
$$
"""
_TRIGGERS = {
    "finding_risk_ai": "AFTER INSERT ON finding",
    "finding_risk_au": "AFTER UPDATE OF resolution, severity, post_id ON finding",
    "finding_risk_ad": "AFTER DELETE ON finding",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION)
    for name, when in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION post_risk_refresh()")
    op.execute(_REFRESH)
    op.execute('CREATE INDEX ix_post_author_bytes ON post (author COLLATE "C", id)')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_post_author_bytes")
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON finding")
    op.execute("DROP FUNCTION IF EXISTS post_risk_refresh()")
