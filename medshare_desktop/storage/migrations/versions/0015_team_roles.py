"""Team mode: group roles' grants on the schema

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 18:45:00

On a PostgreSQL server where `medshare server setup-roles` has made the group roles (medshare_viewer,
_editor, _consent, _admin), their grants are re-applied from resources/sql/team_grants.sql, so tables
added by the migrations before this one (the evidence store, 0013) get what each group may do rather
than only the default SELECT. A later migration that adds a table lists it in team_grants.sql and calls
the same function. Nothing happens on SQLite, or on a server without the group roles.
"""

from __future__ import annotations

from alembic import op

from medshare_desktop.storage.team_roles import apply_grants_if_set_up

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    apply_grants_if_set_up(op.get_bind())


def downgrade() -> None:
    pass  # grants on the tables that remain are still right
