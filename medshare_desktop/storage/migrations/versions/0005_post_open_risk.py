"""post.risk_level and post.open_findings: the inbox's risk column, and indexes for big inboxes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 14:20:00

Each post keeps the highest severity among its open (unresolved) findings (0 none, 1 low, 2 medium,
3 high) and how many findings are open. On SQLite, triggers on `finding` keep both up to date
whenever findings are stored, resolved, reopened or deleted, whoever writes them. The inbox shows
them as a badge and sorts by them (index ix_post_risk, newest first within a level) without
reading findings. A partial index on the open findings by category serves the inbox's risk filter.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_OPEN = "finding.post_id = post.id AND finding.resolution IS NULL"
_RANK = "CASE finding.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END"
_REFRESH = (
    f"UPDATE post SET risk_level = coalesce((SELECT max({_RANK}) FROM finding WHERE {_OPEN}), 0),"
    f" open_findings = (SELECT count(*) FROM finding WHERE {_OPEN})"
)
_TRIGGERS = {
    "finding_risk_ai": f"AFTER INSERT ON finding BEGIN {_REFRESH} WHERE post.id = NEW.post_id; END",
    "finding_risk_au": (
        "AFTER UPDATE OF resolution, severity, post_id ON finding BEGIN "
        f"{_REFRESH} WHERE post.id IN (OLD.post_id, NEW.post_id); END"
    ),
    "finding_risk_ad": f"AFTER DELETE ON finding BEGIN {_REFRESH} WHERE post.id = OLD.post_id; END",
}


def upgrade() -> None:
    with op.batch_alter_table("post") as batch:
        batch.add_column(sa.Column("risk_level", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("open_findings", sa.Integer(), nullable=False, server_default="0"))
    op.execute(_REFRESH)
    op.create_index("ix_post_risk", "post", ["risk_level", "open_findings", "posted_at"], unique=False)
    # the inbox's risk filter: the posts with an open finding of a category, read from the index alone
    op.create_index(
        "ix_finding_open_category", "finding", ["category", "post_id"], unique=False,
        sqlite_where=sa.text("resolution IS NULL"), postgresql_where=sa.text("resolution IS NULL"),
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, body in _TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_finding_open_category", table_name="finding")
    op.drop_index("ix_post_risk", table_name="post")
    with op.batch_alter_table("post") as batch:
        batch.drop_column("open_findings")
        batch.drop_column("risk_level")
