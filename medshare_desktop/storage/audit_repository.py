"""The audit trail's table: append-only rows, the newest event read under the write lock, the guards.

Engine-specific parts are behind a dialect check: the lock taken before reading the head (SQLite: its write
lock, taken with an empty DELETE; PostgreSQL: a transaction-scoped advisory lock) and the append-only
triggers (storage/append_only.py).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from medshare_desktop.core.models import AuditEvent
from medshare_desktop.storage import append_only, mappers
from medshare_desktop.storage.orm import AuditEventRow

# the append-only triggers (migrations 0001 and 0011); verify reports any that is missing or was changed
GUARDED = ("audit_event", "the audit trail is append-only")
# PostgreSQL advisory lock key of "appending to the audit trail" (any fixed 64-bit number, the same on every desk)
AUDIT_APPEND_LOCK = 0x4D45_4453_4155_4431  # "MEDSAUD1"


class SqlAuditRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def last(self, for_append: bool = True) -> AuditEvent | None:
        """The newest event; `for_append`: under a lock held to the end of the transaction, so that no other
        desk appends between our reading the head and writing the next event (the chain never forks, and
        the next event's id, head + 1, is never taken twice)."""
        if for_append:
            dialect = self._s.get_bind().dialect.name
            if dialect == "sqlite":
                # Takes SQLite's write lock now (no row matches, so no trigger fires).
                self._s.execute(text("DELETE FROM audit_event WHERE 0"))
            elif dialect == "postgresql":
                # Released by the commit or rollback; the head read below sees what the last holder committed
                # (READ COMMITTED: each statement reads the newest committed data).
                self._s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_APPEND_LOCK})
        row = self._s.scalar(select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(1))
        return mappers.audit(row) if row is not None else None

    def append(self, event: AuditEvent) -> AuditEvent:
        row = AuditEventRow(
            id=event.id,
            at=event.at,
            actor=event.actor,
            action=event.action,
            entity=event.entity,
            entity_id=event.entity_id,
            before=event.before,
            after=event.after,
            prev_hash=event.prev_hash,
            hash=event.hash,
            key_id=event.key_id,
        )
        self._s.add(row)
        self._s.flush()
        return mappers.audit(row)

    def for_entity(self, entity: str, entity_id: int) -> list[AuditEvent]:
        stmt = (
            select(AuditEventRow)
            .where(AuditEventRow.entity == entity, AuditEventRow.entity_id == entity_id)
            .order_by(AuditEventRow.id)
        )
        return [mappers.audit(r) for r in self._s.scalars(stmt)]

    def all(self) -> list[AuditEvent]:
        return [mappers.audit(r) for r in self._s.scalars(select(AuditEventRow).order_by(AuditEventRow.id))]

    def any_sealed(self) -> bool:
        return self._s.scalar(select(AuditEventRow.id).where(AuditEventRow.key_id != "").limit(1)) is not None

    def missing_guards(self) -> list[str]:
        return append_only.missing_guards(self._s, *GUARDED)

    def after_commit(self, callback: Callable[[], None], slot: str) -> None:
        """Run `callback` once the transaction has committed. A later callback for the same `slot` in the
        same transaction replaces the earlier one (a thousand events publish the newest head once);
        slots run in the order they were first filled. A rollback drops them all."""
        pending: dict[str, Callable[[], None]] | None = self._s.info.get(_PENDING)
        if pending is None:
            pending = self._s.info[_PENDING] = {}
            event.listen(self._s, "after_commit", _run_pending, once=True)
            event.listen(self._s, "after_rollback", _drop_pending, once=True)
        pending[slot] = callback

    def publish_pending(self) -> bool:
        """Whether this transaction already holds a callback for after its commit (an earlier event)."""
        return bool(self._s.info.get(_PENDING))


_PENDING = "medshare_audit_after_commit"


def _run_pending(session: Session) -> None:
    for callback in session.info.pop(_PENDING, {}).values():
        callback()


def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
