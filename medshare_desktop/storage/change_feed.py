"""Changes committed by other connections: SQLite's PRAGMA data_version, then the audit events since.

`version()` asks a connection of its own for PRAGMA data_version, which differs after any other
connection (this process's pool included, another process, another desk on a shared file) has
committed: microseconds, so the GUI polls it on a timer. `events_after(id)` reads the audit events
written since (every change writes one in its own transaction), from which the core tells what changed.
A server database has no data_version: there storage/pg_change_feed.py's LISTEN/NOTIFY listener
takes its place (docs/architecture.md, "How a change travels").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import AuditEvent
from medshare_desktop.storage.database import Database
from medshare_desktop.storage.mappers import audit as to_audit_event
from medshare_desktop.storage.orm import AuditEventRow

log = logging.getLogger(__name__)


class AuditEventReader:
    """The audit events written since a given one: what every feed reads once it knows something changed."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def newest_event(self) -> int:
        with self._database.begin() as session:
            return int(session.scalar(select(func.max(AuditEventRow.id))) or 0)

    def events_after(self, event_id: int, limit: int = 5_000) -> list[AuditEvent]:
        with self._database.begin() as session:
            rows = session.scalars(
                select(AuditEventRow).where(AuditEventRow.id > event_id).order_by(AuditEventRow.id).limit(limit)
            )
            return [to_audit_event(row) for row in rows]


class SqliteChangeFeed(AuditEventReader):
    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self._engine: Any = None
        self._connection: Any = None
        self._lock = threading.Lock()
        self._closed = False
        self._last = 0

    def version(self) -> int:
        if self._database.engine.dialect.name != "sqlite":
            return 0
        with self._lock:
            if self._closed:  # the app is closing: a late tick must not open a connection again
                return self._last
            if self._engine is not self._database.engine:  # the file was replaced (restore, encryption)
                self._close()
                self._engine = self._database.engine
                self._connection = self._engine.connect()
            value = self._connection.exec_driver_sql("PRAGMA data_version").scalar()
            self._connection.rollback()  # no transaction is left open (a reader would pin the WAL)
            self._last = int(value or 0)
            return self._last

    def listen(self, on_changes: Callable[[Changes], None], on_reachable: Callable[[bool], None]) -> bool:
        """Nothing is pushed on a file: the GUI polls version()."""
        return False

    def _close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: BLE001 - the engine went away with its file: nothing to give back
                log.debug("change feed connection already gone")
            self._connection = None

    def close(self) -> None:
        with self._lock:
            self._close()
            self._engine = None
            self._closed = True
