"""Append-only tables: the triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), and which
of them are missing.

The migrations create the triggers (each migration keeps its own copy of the SQL, as migrations must not
change with the code): on SQLite 0001 / 0009, on PostgreSQL 0011 (one function, `medshare_refuse_change`,
raising the table's message). The repositories compare what the database holds with what it should hold,
so a trigger dropped, disabled or rewritten behind the app's back is reported by name.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

REFUSE_FUNCTION = "medshare_refuse_change"  # migration 0011
_POSTGRESQL_EVENTS = ("UPDATE", "DELETE", "TRUNCATE")


def guards(table: str, message: str) -> dict[str, str]:
    """SQLite's two triggers, name -> SQL, exactly as the migration creates them."""
    return {
        f"{table}_no_{what.lower()}": f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} BEGIN "
        f"SELECT RAISE(ABORT, '{message}'); END"
        for what in ("UPDATE", "DELETE")
    }


def _normal(sql: str) -> str:
    return " ".join(sql.split()).lower()


def missing_guards(session: Session, table: str, message: str) -> list[str]:
    """The names of the table's append-only triggers that are absent, disabled or differ."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        rows = session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        present = {name: _normal(sql or "") for name, sql in rows}
        return [name for name, sql in guards(table, message).items() if present.get(name) != _normal(sql)]
    if dialect == "postgresql":
        return _missing_on_postgresql(session, table, message)
    return []


def _missing_on_postgresql(session: Session, table: str, message: str) -> list[str]:
    rows = session.execute(
        text(
            "SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid), p.proname, p.prosrc "
            "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = to_regclass(:table) AND NOT t.tgisinternal"
        ),
        {"table": table},
    )
    present = {name: (enabled, _normal(definition), proname, _normal(source)) for name, enabled, definition, proname,
               source in rows}
    missing = []
    for what in _POSTGRESQL_EVENTS:
        name = f"{table}_no_{what.lower()}"
        found = present.get(name)
        intact = (
            found is not None
            and found[0] != "D"  # ALTER TABLE ... DISABLE TRIGGER
            and f"before {what.lower()} on" in found[1]
            and f"execute function {REFUSE_FUNCTION}('{message}')" in found[1]
            and found[2] == REFUSE_FUNCTION
            and "raise exception" in found[3]
        )
        if not intact:
            missing.append(name)
    return missing
