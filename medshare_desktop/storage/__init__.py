"""SQLAlchemy adapters for the core's ports, plus engine set-up and Alembic migrations."""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.storage.database import Database, sqlite_file
from medshare_desktop.storage.file_check import check_database_file, server_error, unusable_file_error
from medshare_desktop.storage.migrate import current_revision, head_revision, upgrade_to_head
from medshare_desktop.storage.unit_of_work import SqlUnitOfWork, unit_of_work_factory

__all__ = ["Database", "SqlUnitOfWork", "open_database", "unit_of_work_factory"]


def open_database(url: str, backup_folder: Path | None = None, read_only: bool = False) -> Database:
    """Open (creating if needed) and migrate the database to the newest schema.

    `read_only` (a second instance) never migrates: a database at another schema is refused.
    """
    check_database_file(url, backup_folder)  # before any connection: a sentence saying what the file is
    try:
        database = Database(url, read_only=read_only)
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unknown kind of address or a driver that is not installed
        raise server_error(url, exc) from exc
    try:
        if read_only:
            revision = current_revision(database.engine)
            if revision != head_revision():
                raise DatabaseError(
                    "Another MedShare Desktop window has this database open and it needs an upgrade first; "
                    "close the other window and start again."
                )
            return database
        upgrade_to_head(database.engine, url, backup_folder)
    except BaseException as exc:
        database.dispose()
        unusable = unusable_file_error(url, exc, backup_folder) if isinstance(exc, Exception) else None
        if unusable is not None:
            raise unusable from exc
        if isinstance(exc, Exception) and not isinstance(exc, DatabaseError) and sqlite_file(url) is None:
            raise server_error(url, exc) from exc
        raise
    return database

