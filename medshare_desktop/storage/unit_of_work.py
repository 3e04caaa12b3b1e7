"""A transaction with every repository bound to one session (the core's UnitOfWork port)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from medshare_desktop.core.errors import ConcurrentEditError, DatabaseError
from medshare_desktop.storage import concurrent_edits
from medshare_desktop.storage.approval_evidence_repository import SqlApprovalEvidenceRepository
from medshare_desktop.storage.audit_repository import SqlAuditRepository
from medshare_desktop.storage.database import Database
from medshare_desktop.storage.missed_risk_repository import SqlMissedRiskRepository
from medshare_desktop.storage.post_repository import SqlPostRepository
from medshare_desktop.storage.repositories import (
    SqlConsentRepository,
    SqlEvidenceRepository,
    SqlPeopleRepository,
    SqlPhotoTagRepository,
    SqlScheduleRepository,
    SqlSettingsRepository,
)
from medshare_desktop.storage.server_errors import server_unreachable
from medshare_desktop.storage.suggestion_repository import SqlSuggestionRepository


class SqlUnitOfWork:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        session = self._database.session()
        session.begin()
        self._session = session
        self.people = SqlPeopleRepository(session)
        self.posts = SqlPostRepository(session)
        self.consents = SqlConsentRepository(session)
        self.schedule = SqlScheduleRepository(session)
        self.audit = SqlAuditRepository(session)
        self.settings = SqlSettingsRepository(session)
        self.evidence = SqlEvidenceRepository(session)
        self.photo_tags = SqlPhotoTagRepository(session)
        self.missed_risks = SqlMissedRiskRepository(session)
        self.suggestions = SqlSuggestionRepository(session)  # suggested re-shares (issue 16)
        self.approval_evidence = SqlApprovalEvidenceRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._session
        assert session is not None
        try:
            if exc_type is None:
                try:
                    session.commit()
                except StaleDataError as error:  # the final flush lost a race with another desk
                    raise _concurrent_edit(session, error) from error
                except DBAPIError as error:
                    if (away := server_unreachable(error, self._database.url)) is not None:
                        raise away from error
                    readable = _readable(error) if isinstance(error, OperationalError) else error
                    if readable is error:
                        raise
                    raise readable from error
            elif isinstance(exc, StaleDataError):  # an UPDATE guarded by a version found another desk's commit
                raise _concurrent_edit(session, exc) from exc
            else:
                session.rollback()
        finally:
            session.close()
            self._session = None
        if exc is not None and (away := server_unreachable(exc, self._database.url)) is not None:
            raise away from exc
        if isinstance(exc, OperationalError) and (readable := _readable(exc)) is not exc:
            raise readable from exc


def _concurrent_edit(session: Session, error: StaleDataError) -> ConcurrentEditError:
    """Roll back, then name who changed the record meanwhile (the session stays open for that one read)."""
    posts = concurrent_edits.stale_posts(session)
    session.rollback()
    return concurrent_edits.after_stale_write(session, posts)


def _readable(error: OperationalError) -> Exception:
    """SQLite's read-only and busy errors as sentences for a dialog; anything else unchanged."""
    text = str(error.orig or error)
    if "readonly" in text or "read-only" in text:
        return DatabaseError(
            "This window is read-only: another MedShare Desktop window has the database open. "
            "Close it and restart to make changes here."
        )
    # the last two on a server: two desks' locks, and a writer's turn that did not come (storage/writer_queue.py)
    if "locked" in text or "busy" in text or "deadlock detected" in text or "lock timeout" in text:
        return DatabaseError("The database is busy (another program is writing to it); try again in a moment.")
    return error


def unit_of_work_factory(database: Database) -> Callable[[], SqlUnitOfWork]:
    return lambda: SqlUnitOfWork(database)
