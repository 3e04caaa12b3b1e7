"""What the tamper tests do 'behind the app's back', on either engine (the same change, each engine's SQL)."""

from __future__ import annotations

from sqlalchemy import Connection, text


def drop_trigger(conn: Connection, name: str, table: str) -> None:
    """Drop an append-only trigger as someone with the database's keys would (a superuser on a server)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"DROP TRIGGER {name} ON {table}"))
    else:
        conn.execute(text(f"DROP TRIGGER {name}"))
