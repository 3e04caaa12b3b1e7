"""A transaction with every repository bound to one session (the core's UnitOfWork port)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session

from medshare_desktop.storage.database import Database
from medshare_desktop.storage.post_repository import SqlPostRepository
from medshare_desktop.storage.repositories import (
    SqlAuditRepository,
    SqlConsentRepository,
    SqlEvidenceRepository,
    SqlPeopleRepository,
    SqlPhotoTagRepository,
    SqlScheduleRepository,
    SqlSettingsRepository,
)


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
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
            self._session = None


def unit_of_work_factory(database: Database) -> Callable[[], SqlUnitOfWork]:
    return lambda: SqlUnitOfWork(database)
