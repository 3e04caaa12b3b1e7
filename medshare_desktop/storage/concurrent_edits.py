"""A write that lost a race with another desk, told as the app's ConcurrentEditError: who changed the record
and when (from the audit trail, or the newer row itself), and that the user should reload.

Two ways a lost race shows: a check that finds the record changed since it was read (a version number, a
record already replaced), and SQLAlchemy's StaleDataError when an UPDATE guarded by the version matched no
row because another desk's commit landed in between (on a server, the second desk waits for the first's row
lock and then finds the version gone).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from medshare_desktop.core.errors import ConcurrentEditError
from medshare_desktop.storage.orm import AuditEventRow, PostRow


def when(at: datetime) -> str:
    """A time as the desk's clock shows it: '14:05 on 06 Dec 2026'."""
    local = at.astimezone() if at.tzinfo is not None else at
    return f"{local:%H:%M} on {local:%d %b %Y}"


def changed_by(who: str, at: datetime | None, what: str) -> ConcurrentEditError:
    if who and at is not None:
        return ConcurrentEditError(f"This {what} was changed by {who} at {when(at)} — reload it and make your change again.")
    return ConcurrentEditError(f"This {what} was changed by someone else since you opened it — reload it and make "
                               "your change again.")


def last_change(session: Session, entity: str, entity_id: int | None, what: str) -> ConcurrentEditError:
    """The error naming the newest audit event of the record (read in `session`, which must be usable)."""
    row = None
    if entity_id is not None:
        row = session.scalar(
            select(AuditEventRow)
            .where(AuditEventRow.entity == entity, AuditEventRow.entity_id == entity_id)
            .order_by(AuditEventRow.id.desc())
            .limit(1)
        )
    return changed_by(row.actor if row else "", row.at if row else None, what)


def stale_posts(session: Session) -> list[int]:
    """The posts this session was writing (call before rolling back: the ids of the rows it held changed)."""
    ids = []
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, PostRow):
            identity = inspect(obj).identity
            if identity:
                ids.append(int(identity[0]))
    return ids


def after_stale_write(session: Session, post_ids: list[int]) -> ConcurrentEditError:
    """The error for a StaleDataError, once `session` has been rolled back (it is still open)."""
    return last_change(session, "post", post_ids[0] if post_ids else None, "post")
