"""Append-only tables on SQLite: the triggers that refuse UPDATE and DELETE, and which of them are missing.

The migrations create the triggers (each migration keeps its own copy of the SQL, as migrations must not
change with the code); the repositories compare what the database holds with `guards(...)`, so a trigger
dropped or rewritten behind the app's back is reported.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def guards(table: str, message: str) -> dict[str, str]:
    """The two triggers, name -> SQL, exactly as the migration creates them."""
    return {
        f"{table}_no_{what.lower()}": f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} BEGIN "
        f"SELECT RAISE(ABORT, '{message}'); END"
        for what in ("UPDATE", "DELETE")
    }


def _normal(sql: str) -> str:
    return " ".join(sql.split()).lower()


def missing_guards(session: Session, expected: dict[str, str]) -> list[str]:
    """The names of the `expected` triggers that are absent or differ (none on another engine than SQLite)."""
    if session.get_bind().dialect.name != "sqlite":
        return []
    rows = session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    present = {name: _normal(sql or "") for name, sql in rows}
    return [name for name, sql in expected.items() if present.get(name) != _normal(sql)]
